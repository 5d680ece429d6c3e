// adapter_common's TLS client settings (host-adapters/common/include/adapter_common/
// tls_client.hpp), shared by the VERA, ZGW and Wgs adapters: reading and checking the CA
// file and verification mode, and the client context against a real https server on
// loopback whose certificate is made at run time (strict and relaxed trust the named
// authority only; none trusts anything; a refused certificate's sentence names the
// setting).
#include <fstream>
#include <map>
#include <optional>
#include <stdexcept>

#include <gtest/gtest.h>

#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/SSLException.h>
#include <Poco/NullStream.h>
#include <Poco/StreamCopier.h>

#include "adapter_common/tls_client.hpp"
#include "loopback_server.hpp"
#include "test_certificate.hpp"
#include "test_environment.hpp"

namespace hearth::test {
namespace {

using adapters::TlsClientSettings;
using adapters::TlsVerification;

adapters::SettingReader reader(const std::map<std::string, std::string> &keys) {
  return [keys](const std::string &key) -> std::optional<std::string> {
    const auto found = keys.find(key);
    return found == keys.end() ? std::nullopt : std::optional<std::string>(found->second);
  };
}

TlsClientSettings read(const std::map<std::string, std::string> &keys, bool production = false) {
  return adapters::read_tls_client_settings(reader(keys), "x_ca_file", "x_verify", production, "plugin.test.");
}

std::string refusal(const std::map<std::string, std::string> &keys, bool production = false) {
  try {
    adapters::make_tls_client_context(read(keys, production));
  } catch (const std::invalid_argument &e) {
    return e.what();
  }
  return "(accepted)";
}

class TlsClient : public testing::Test {
protected:
  void SetUp() override {
    identity_ = make_test_certificate(scratch_.path(), "server");
    other_ = make_test_certificate(scratch_.path(), "other-authority");
    server_ = std::make_unique<LoopbackServer>(identity_.certificate_file.string(), identity_.key_file.string());
  }

  // One GET to the loopback server with a context from `keys`: its status, or throws
  // Poco::Net::SSLException for a refused certificate.
  int get(const std::map<std::string, std::string> &keys) {
    Poco::Net::HTTPSClientSession session("127.0.0.1", server_->port(), adapters::make_tls_client_context(read(keys)));
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, "/ping", Poco::Net::HTTPMessage::HTTP_1_1);
    session.sendRequest(request);
    Poco::Net::HTTPResponse response;
    Poco::NullOutputStream discard;
    Poco::StreamCopier::copyStream(session.receiveResponse(response), discard);
    return static_cast<int>(response.getStatus());
  }

  // The exception text of a GET that must be refused.
  std::string refused_get(const std::map<std::string, std::string> &keys) {
    try {
      get(keys);
    } catch (const Poco::Net::SSLException &e) {
      return e.displayText();
    }
    ADD_FAILURE() << "the certificate was accepted";
    return {};
  }

  ScratchDir scratch_;
  TestCertificate identity_, other_;
  std::unique_ptr<LoopbackServer> server_;
};

TEST_F(TlsClient, DefaultsAreTheSystemsAuthoritiesAndStrict) {
  const TlsClientSettings settings = read({});
  EXPECT_EQ(settings.ca_file, "");
  EXPECT_EQ(settings.verification, TlsVerification::strict);
  EXPECT_EQ(settings.ca_file_setting, "plugin.test.x_ca_file");
  EXPECT_EQ(settings.verify_setting, "plugin.test.x_verify");
  EXPECT_EQ(read({{"x_verify", ""}}).verification, TlsVerification::strict);
  EXPECT_EQ(read({{"x_verify", "relaxed"}}).verification, TlsVerification::relaxed);
  EXPECT_EQ(read({{"x_verify", "none"}}).verification, TlsVerification::none);
  EXPECT_STREQ(adapters::tls_verification_name(TlsVerification::strict), "strict");
  EXPECT_STREQ(adapters::tls_verification_name(TlsVerification::relaxed), "relaxed");
  EXPECT_STREQ(adapters::tls_verification_name(TlsVerification::none), "none");
  EXPECT_TRUE(adapters::runtime_is_production(reader({{"runtime.mode", "production"}})));
  EXPECT_FALSE(adapters::runtime_is_production(reader({{"runtime.mode", "demo"}})));
  EXPECT_FALSE(adapters::runtime_is_production(reader({})));
}

TEST_F(TlsClient, BadSettingsAreRefusedNamingTheKey) {
  const std::string absent = (scratch_.path() / "absent.pem").string();
  EXPECT_EQ(refusal({{"x_ca_file", absent}}), "plugin.test.x_ca_file: " + absent + " is not a readable file");
  EXPECT_EQ(refusal({{"x_verify", "STRICT"}}), "plugin.test.x_verify: must be strict, relaxed or none");
  EXPECT_EQ(refusal({{"x_verify", "none"}}, true),
            "plugin.test.x_verify: none is refused in production (name the CA in plugin.test.x_ca_file)");
  EXPECT_EQ(refusal({{"x_verify", "relaxed"}}, true), "(accepted)");
  const auto not_pem = scratch_.path() / "not-a-ca.pem";
  std::ofstream(not_pem) << "not a certificate\n";
  const std::string message = refusal({{"x_ca_file", not_pem.string()}});
  EXPECT_EQ(message.rfind("plugin.test.x_ca_file: cannot be loaded (", 0), 0u) << message;
  // Without a prefix (VERA's keys are named bare).
  try {
    adapters::read_tls_client_settings(reader({{"backoffice_verify", "maybe"}}), "backoffice_ca_file",
                                       "backoffice_verify", false);
    ADD_FAILURE() << "accepted";
  } catch (const std::invalid_argument &e) {
    EXPECT_STREQ(e.what(), "backoffice_verify: must be strict, relaxed or none");
  }
}

TEST_F(TlsClient, StrictAndRelaxedTrustOnlyTheNamedAuthority) {
  EXPECT_EQ(get({{"x_ca_file", identity_.certificate_file.string()}}), 201);
  EXPECT_EQ(get({{"x_ca_file", identity_.certificate_file.string()}, {"x_verify", "relaxed"}}), 201);
  EXPECT_NE(refused_get({{"x_ca_file", other_.certificate_file.string()}}).find("certificate verify failed"),
            std::string::npos);
  EXPECT_NE(refused_get({{"x_ca_file", other_.certificate_file.string()}, {"x_verify", "relaxed"}})
                .find("certificate verify failed"),
            std::string::npos);
  EXPECT_NE(refused_get({}).find("certificate verify failed"), std::string::npos);
  EXPECT_EQ(server_->requests().size(), 2u) << "a refused server is sent nothing";
}

TEST_F(TlsClient, NoneTrustsAnyCertificate) {
  EXPECT_EQ(get({{"x_verify", "none"}}), 201);
  EXPECT_EQ(get({{"x_verify", "none"}, {"x_ca_file", other_.certificate_file.string()}}), 201);
}

TEST_F(TlsClient, ARefusedCertificateIsDescribedWithTheSettingToLookAt) {
  TlsClientSettings settings = read({{"x_ca_file", other_.certificate_file.string()}});
  EXPECT_EQ(adapters::describe_refused_certificate(settings, "the back office's", "certificate verify failed"),
            "the back office's TLS certificate was not accepted (certificate verify failed); trusted authorities: "
            "plugin.test.x_ca_file = " +
                other_.certificate_file.string());
  settings = read({});
  EXPECT_EQ(adapters::describe_refused_certificate(settings, "the server's", "certificate verify failed"),
            "the server's TLS certificate was not accepted (certificate verify failed); trusted authorities: the "
            "system's (set plugin.test.x_ca_file to the server's authority)");
}

} // namespace
} // namespace hearth::test
