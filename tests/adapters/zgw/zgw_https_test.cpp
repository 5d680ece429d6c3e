// The ZGW adapter's Zaken API over https on loopback: the test server presents a
// certificate made at run time (make_test_certificate; never a committed key). Trusted
// through zaken_ca_file (strict or relaxed) the case export goes through; signed by an
// authority the adapter does not trust (another CA file, or the system's authorities)
// nothing is sent, the export fails at once (a certificate does not get better by trying
// again) and the reason names zaken_ca_file; zaken_verify = none skips the check and is
// refused in production. The settings' checks are tested through read_zgw_settings.
#include <chrono>
#include <fstream>
#include <map>
#include <optional>
#include <stdexcept>

#include <gtest/gtest.h>

#include "export_test_support.hpp"
#include "test_certificate.hpp"
#include "test_environment.hpp"
#include "zaak_export.hpp"
#include "zgw_schema_checks.hpp"
#include "zgw_settings.hpp"
#include "zgw_test_server.hpp"

namespace hearth::test {
namespace {

using namespace adapters::zgw;
using adapters::TlsVerification;
using std::chrono::milliseconds;

constexpr std::int64_t kNow = 1'795'000'000'000; // 2026-11-18
const std::string kClient = "hearth-test";
const std::string kSecret = "zgw-secret-for-tests-0123456789";
constexpr const char *kPrefix = "plugin.nl.hearth.adapter.zgw.";

class ZgwHttps : public testing::Test {
protected:
  void SetUp() override {
    identity_ = make_test_certificate(scratch_.path(), "zaken-api");
    other_ = make_test_certificate(scratch_.path(), "other-authority");
    server_ = std::make_unique<ZgwTestServer>(kClient, kSecret, identity_.certificate_file.string(),
                                              identity_.key_file.string());
    request_ = parse_export_request(
        R"({"case_id":"C-50","tenancy_id":"T-1","coordinator":{"user":"coord-7"},"opened_ms":1793611800000})", kNow);
  }

  void TearDown() override { expect_conformant_exchange(*server_); }

  // The plugin's settings with `extra` keys, as the runtime would hand them over.
  std::map<std::string, std::string> keys(const std::map<std::string, std::string> &extra = {}) const {
    std::map<std::string, std::string> out{{"enabled", "true"},
                                           {"organisation", "gemeente:test"},
                                           {"webhook_authorization", "Bearer x"},
                                           {"zaken_api", server_->zaken_api()},
                                           {"client_id", kClient},
                                           {"secret", kSecret},
                                           {"timeout_ms", "5000"}};
    for (const auto &[key, value] : extra) {
      out[key] = value;
    }
    return out;
  }

  static ZgwSettings read(const std::map<std::string, std::string> &keys) {
    return read_zgw_settings([&keys](const std::string &key) -> std::optional<std::string> {
      const auto found = keys.find(key);
      return found == keys.end() ? std::nullopt : std::optional<std::string>(found->second);
    });
  }

  // The message read_zgw_settings (or the client's construction) refuses `keys` with.
  static std::string refusal(const std::map<std::string, std::string> &keys) {
    try {
      const ZgwSettings settings = read(keys);
      ZakenClient client(settings.zaken, [] { return kNow; });
    } catch (const std::invalid_argument &e) {
      return e.what();
    }
    return "(accepted)";
  }

  // Exports C-50 with a client made from `keys`, up to three tries per step, no waiting.
  ExportOutcome export_with(const std::map<std::string, std::string> &extra) {
    const ZgwSettings settings = read(keys(extra));
    const ZakenClient client(settings.zaken, [] { return kNow; });
    return export_case(request_, test_export_settings(), client, ledger_, kNow,
                       adapters::RetryPolicy{3, milliseconds(1), milliseconds(1)},
                       [this](milliseconds) {
                         ++waits_;
                         return true;
                       });
  }

  // The failure of an export with `extra`, which must fail.
  std::optional<ExportFailure> failure_with(const std::map<std::string, std::string> &extra) {
    try {
      export_with(extra);
    } catch (const ExportFailure &failure) {
      return failure;
    }
    ADD_FAILURE() << "the export went through";
    return std::nullopt;
  }

  ScratchDir scratch_;
  TestCertificate identity_, other_;
  std::unique_ptr<ZgwTestServer> server_;
  CaseExportRequest request_;
  MapLedger ledger_;
  int waits_ = 0;
};

TEST_F(ZgwHttps, StrictWithTheServersAuthorityExportsTheCase) {
  const ZgwSettings settings = read(keys({{"zaken_ca_file", identity_.certificate_file.string()}}));
  EXPECT_EQ(settings.zaken.tls.verification, TlsVerification::strict);
  EXPECT_EQ(server_->zaken_api().rfind("https://127.0.0.1:", 0), 0u);
  const auto outcome = export_with({{"zaken_ca_file", identity_.certificate_file.string()}});
  EXPECT_EQ(outcome.created, 3);
  EXPECT_TRUE(outcome.progress.complete());
  EXPECT_EQ(server_->count("zaken"), 1u);
  EXPECT_EQ(server_->count("statussen"), 1u);
  EXPECT_EQ(server_->count("rollen"), 1u);
  EXPECT_EQ(waits_, 0);
}

TEST_F(ZgwHttps, StrictWithAnotherAuthorityFailsAtOnceNamingTheSetting) {
  const auto failure = failure_with({{"zaken_ca_file", other_.certificate_file.string()}});
  ASSERT_TRUE(failure.has_value());
  const std::string reason = failure->reason();
  EXPECT_EQ(failure->step(), ExportStep::zaak);
  EXPECT_EQ(failure->attempts(), 1u) << "a certificate that does not verify is not retried: " << reason;
  EXPECT_FALSE(failure->transient());
  EXPECT_EQ(failure->http_status(), 0);
  EXPECT_NE(reason.find("GET " + server_->zaken_api() + "/zaken: the Zaken API's TLS certificate was not accepted"),
            std::string::npos)
      << reason;
  EXPECT_NE(reason.find("certificate verify failed"), std::string::npos) << reason;
  EXPECT_NE(reason.find(std::string("trusted authorities: ") + kPrefix + "zaken_ca_file = " +
                        other_.certificate_file.string()),
            std::string::npos)
      << reason;
  EXPECT_EQ(waits_, 0);
  EXPECT_TRUE(server_->calls().empty()) << "nothing may reach an unverified server";
  EXPECT_TRUE(ledger_.rows.empty());
}

TEST_F(ZgwHttps, WithoutACaFileTheSystemsAuthoritiesDoNotTrustATestCertificate) {
  const auto failure = failure_with({});
  ASSERT_TRUE(failure.has_value());
  const std::string reason = failure->reason();
  EXPECT_NE(reason.find("TLS certificate was not accepted"), std::string::npos) << reason;
  EXPECT_NE(reason.find(std::string("trusted authorities: the system's (set ") + kPrefix + "zaken_ca_file"),
            std::string::npos)
      << reason;
  EXPECT_TRUE(server_->calls().empty());
}

TEST_F(ZgwHttps, RelaxedChecksTheChainLikeStrict) {
  EXPECT_EQ(read(keys({{"zaken_verify", "relaxed"}})).zaken.tls.verification, TlsVerification::relaxed);
  const auto outcome =
      export_with({{"zaken_verify", "relaxed"}, {"zaken_ca_file", identity_.certificate_file.string()}});
  EXPECT_TRUE(outcome.progress.complete());
  EXPECT_EQ(server_->count("zaken"), 1u);

  ledger_.rows.clear();
  request_.case_id = "C-51";
  const auto failure =
      failure_with({{"zaken_verify", "relaxed"}, {"zaken_ca_file", other_.certificate_file.string()}});
  ASSERT_TRUE(failure.has_value());
  EXPECT_NE(failure->reason().find("certificate verify failed"), std::string::npos) << failure->reason();
  EXPECT_EQ(server_->count("zaken"), 1u);
}

TEST_F(ZgwHttps, NoneSkipsTheCheckOutsideProductionOnly) {
  const auto outcome = export_with({{"zaken_verify", "none"}});
  EXPECT_TRUE(outcome.progress.complete());
  EXPECT_EQ(server_->count("zaken"), 1u);
  EXPECT_EQ(refusal(keys({{"zaken_verify", "none"}, {"runtime.mode", "production"}})),
            std::string(kPrefix) + "zaken_verify: none is refused in production (name the CA in " + kPrefix +
                "zaken_ca_file)");
  EXPECT_EQ(refusal(keys({{"zaken_verify", "none"}, {"runtime.mode", "demo"}})), "(accepted)");
  EXPECT_EQ(refusal(keys({{"runtime.mode", "production"}})), "(accepted)");
}

TEST_F(ZgwHttps, BadTlsSettingsAreRefusedNamingTheKey) {
  const std::string absent = (scratch_.path() / "absent.pem").string();
  EXPECT_EQ(refusal(keys({{"zaken_ca_file", absent}})),
            std::string(kPrefix) + "zaken_ca_file: " + absent + " is not a readable file");
  EXPECT_EQ(refusal(keys({{"zaken_ca_file", scratch_.path().string()}})),
            std::string(kPrefix) + "zaken_ca_file: " + scratch_.path().string() + " is not a readable file");
  EXPECT_EQ(refusal(keys({{"zaken_verify", "sometimes"}})),
            std::string(kPrefix) + "zaken_verify: must be strict, relaxed or none");
  // A file that is not PEM: the client's TLS context cannot load it.
  const auto not_pem = scratch_.path() / "not-a-ca.pem";
  std::ofstream(not_pem) << "not a certificate\n";
  const std::string message = refusal(keys({{"zaken_ca_file", not_pem.string()}}));
  EXPECT_EQ(message.rfind(std::string(kPrefix) + "zaken_ca_file: cannot be loaded (", 0), 0u) << message;
  // An http Zaken API needs no context, so the file is only checked for being readable.
  auto plain = keys({{"zaken_ca_file", not_pem.string()}});
  plain["zaken_api"] = "http://127.0.0.1:1/zaken/api/v1";
  EXPECT_EQ(refusal(plain), "(accepted)");
}

} // namespace
} // namespace hearth::test
