// The Wgs early warning to an https municipality endpoint on loopback (Poco
// SecureServerSocket) whose certificate the test makes at run time. Trusted through
// municipality_ca_file (strict or relaxed) the warning arrives; signed by an authority the
// plugin does not trust (another CA file, or the system's), nothing is sent, nothing is
// remembered, and the error names municipality_ca_file; municipality_verify = none skips
// the check and stops the plugin in production; bad TLS settings stop the plugin. On
// SQLite and PostgreSQL, where the plugin remembers what it sent.
#include <filesystem>
#include <fstream>

#include "data_fixture.hpp"
#include "loopback_server.hpp"
#include "test_certificate.hpp"

namespace hearth::test {
namespace {

constexpr std::int64_t kNow = 1'795'000'000'000; // 2026-11-18
constexpr const char *kPlugin = "nl.hearth.adapter.wgs";
constexpr const char *kPrefix = "plugin.nl.hearth.adapter.wgs.";
const std::string kWarning =
    R"({"tenancy_id":"T-1","amount_cents":123456,"arrears_since":"2026-08-01","contact":{"name":"J. Jansen",)"
    R"("street":"Amstel","house_number":"1","postcode":"1011 PN","city":"Amsterdam","phone":"0201234567"}})";

std::int64_t fixed_clock(void *) { return kNow; }

std::string take(char *text) {
  std::string out = text != nullptr ? text : "";
  hearth_free(text);
  return out;
}

class WgsHttps : public testing::TestWithParam<Backend> {
protected:
  void SetUp() override {
    if (GetParam() == Backend::postgresql) {
      HEARTH_REQUIRE_OR_SKIP(postgres_url().has_value(), "HEARTH_TEST_POSTGRES is not set (scripts/start-postgres.sh)");
    }
    store_ = std::make_unique<TestStore>(GetParam());
    identity_ = make_test_certificate(scratch_.path(), "municipality");
    other_ = make_test_certificate(scratch_.path(), "other-authority");
    municipality_ = std::make_unique<LoopbackServer>(identity_.certificate_file.string(), identity_.key_file.string());
  }

  void TearDown() override {
    if (runtime_ != nullptr) {
      hearth_runtime_close(runtime_);
    }
  }

  // Opens the runtime with the plugin sending to the https endpoint, with `tls_lines` in
  // its section; stores tenancy T-1 and its preconditions when the plugin is active.
  // Returns the plugin's state.
  std::uint32_t start(const std::string &tls_lines, const std::string &mode = "demo") {
    if (runtime_ != nullptr) {
      hearth_runtime_close(runtime_);
      runtime_ = nullptr;
    }
    const auto plugins = scratch_.path() / "plugins";
    std::filesystem::create_directories(plugins);
    std::filesystem::copy_file(HEARTH_WGS_PLUGIN, plugins / "hearth_wgs.so",
                               std::filesystem::copy_options::overwrite_existing);
    {
      std::ofstream ini(scratch_.path() / "hearth.ini");
      const auto &s = store_->store();
      if (s.backend == Backend::sqlite) {
        ini << "[storage]\nbackend = sqlite\nsqlite_path = " << s.sqlite_file.string() << "\n";
      } else {
        ini << "[storage]\nbackend = postgresql\npostgresql = " << s.postgresql << "\npool_size = 2\n";
      }
      ini << "[runtime]\nmode = " << mode << "\n[plugins]\nbundled = false\npath = " << plugins.string()
          << "\n[log]\nlevel = info\n"
          << "[plugin.nl.hearth.adapter.wgs]\nenabled = true\nmunicipality_endpoint = " << municipality_->base_url()
          << "/vroegsignalering/v1/signalen\nmunicipality_authorization = Bearer gemeente-token\n"
          << tls_lines;
    }
    char *error = nullptr;
    EXPECT_EQ(hearth_runtime_open(scratch_.path().c_str(), &runtime_, &error), HEARTH_OK) << take(error);
    EXPECT_EQ(hearth_runtime_set_clock(runtime_, &fixed_clock, nullptr), HEARTH_OK);
    EXPECT_EQ(hearth_runtime_load_plugins(runtime_, &error), HEARTH_OK) << take(error);
    hearth_plugin_info info{};
    info.struct_size = sizeof info;
    EXPECT_EQ(hearth_runtime_plugin_at(runtime_, 0, &info), HEARTH_OK);
    if (info.state == HEARTH_PLUGIN_STATE_ACTIVE && !prepared_) {
      const hearth_actor system = actor("system", "adapter-test", "corp:test");
      const std::string records =
          R"([{"kind":"unit","id":"U-1","street":"Amstel","house_number":"1","neighbourhood_code":"BU03630000"},)"
          R"({"kind":"tenancy","id":"T-1","unit_id":"U-1","start_date":"2019-04-01","portfolio_owner":"consultant-1"}])";
      EXPECT_EQ(hearth_runtime_put_records(runtime_, &system, records.c_str(), nullptr, &error), HEARTH_OK)
          << take(error);
      std::string out;
      for (const char *precondition : {R"({"tenancy_id":"T-1","kind":"written_reminder","date":"2026-09-01"})",
                                       R"({"tenancy_id":"T-1","kind":"contact_attempt","date":"2026-09-04",)"
                                       R"("channel":"brief"})",
                                       R"({"tenancy_id":"T-1","kind":"debt_help_pointer","date":"2026-09-04"})"}) {
        EXPECT_EQ(call("record-precondition", precondition, out), HEARTH_OK) << out;
      }
      prepared_ = true;
    }
    return info.state;
  }

  int32_t call(const std::string &operation, const std::string &args, std::string &out) {
    const hearth_actor consultant = actor("housing_consultant", "consultant-1");
    char *result = nullptr;
    char *error = nullptr;
    const int32_t status =
        hearth_runtime_call(runtime_, &consultant, kPlugin, operation.c_str(), args.c_str(), &result, &error);
    const std::string answer = take(result), reason = take(error);
    out = status == HEARTH_OK ? answer : reason;
    return status;
  }

  ScratchDir scratch_;
  std::unique_ptr<TestStore> store_;
  TestCertificate identity_, other_;
  std::unique_ptr<LoopbackServer> municipality_;
  hearth_runtime *runtime_ = nullptr;
  bool prepared_ = false;
};

TEST_P(WgsHttps, AMunicipalityTrustedThroughTheCaFileReceivesTheWarning) {
  ASSERT_EQ(start("municipality_ca_file = " + identity_.certificate_file.string() + "\n"),
            static_cast<std::uint32_t>(HEARTH_PLUGIN_STATE_ACTIVE));
  std::string out;
  ASSERT_EQ(call("send-early-warning", kWarning, out), HEARTH_OK) << out;
  EXPECT_EQ(out, R"({"sent":true})");
  const auto requests = municipality_->requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].path, "/vroegsignalering/v1/signalen");
  EXPECT_EQ(requests[0].headers.at("authorization"), "Bearer gemeente-token");
  EXPECT_NE(requests[0].body.find("\"bedrag_cents\":123456"), std::string::npos);
}

TEST_P(WgsHttps, AnotherAuthorityIsRefusedNamingTheSettingAndNothingIsRemembered) {
  ASSERT_EQ(start("municipality_ca_file = " + other_.certificate_file.string() + "\n"),
            static_cast<std::uint32_t>(HEARTH_PLUGIN_STATE_ACTIVE));
  std::string out;
  EXPECT_EQ(call("send-early-warning", kWarning, out), HEARTH_ERROR_IO);
  EXPECT_EQ(out.rfind("the municipality's TLS certificate was not accepted (", 0), 0u) << out;
  EXPECT_NE(out.find("certificate verify failed"), std::string::npos) << out;
  EXPECT_NE(out.find(std::string("trusted authorities: ") + kPrefix + "municipality_ca_file = " +
                     other_.certificate_file.string()),
            std::string::npos)
      << out;
  EXPECT_TRUE(municipality_->requests().empty()) << "nothing may reach an unverified endpoint";

  // Trusted after a restart with the right authority: the warning was not remembered as sent.
  ASSERT_EQ(start("municipality_ca_file = " + identity_.certificate_file.string() + "\n"),
            static_cast<std::uint32_t>(HEARTH_PLUGIN_STATE_ACTIVE));
  ASSERT_EQ(call("send-early-warning", kWarning, out), HEARTH_OK) << out;
  EXPECT_EQ(out, R"({"sent":true})");
  EXPECT_EQ(municipality_->requests().size(), 1u);
}

TEST_P(WgsHttps, WithoutACaFileTheSystemsAuthoritiesDoNotTrustATestCertificate) {
  ASSERT_EQ(start(""), static_cast<std::uint32_t>(HEARTH_PLUGIN_STATE_ACTIVE));
  std::string out;
  EXPECT_EQ(call("send-early-warning", kWarning, out), HEARTH_ERROR_IO);
  EXPECT_NE(out.find(std::string("trusted authorities: the system's (set ") + kPrefix + "municipality_ca_file"),
            std::string::npos)
      << out;
  EXPECT_TRUE(municipality_->requests().empty());
}

TEST_P(WgsHttps, RelaxedChecksTheChainLikeStrict) {
  ASSERT_EQ(start("municipality_verify = relaxed\nmunicipality_ca_file = " + other_.certificate_file.string() + "\n"),
            static_cast<std::uint32_t>(HEARTH_PLUGIN_STATE_ACTIVE));
  std::string out;
  EXPECT_EQ(call("send-early-warning", kWarning, out), HEARTH_ERROR_IO);
  EXPECT_NE(out.find("certificate verify failed"), std::string::npos) << out;
  ASSERT_EQ(start("municipality_verify = relaxed\nmunicipality_ca_file = " + identity_.certificate_file.string() +
                  "\n"),
            static_cast<std::uint32_t>(HEARTH_PLUGIN_STATE_ACTIVE));
  ASSERT_EQ(call("send-early-warning", kWarning, out), HEARTH_OK) << out;
  EXPECT_EQ(municipality_->requests().size(), 1u);
}

TEST_P(WgsHttps, VerificationCanBeSwitchedOffOutsideProductionOnly) {
  ASSERT_EQ(start("municipality_verify = none\n"), static_cast<std::uint32_t>(HEARTH_PLUGIN_STATE_ACTIVE));
  std::string out;
  ASSERT_EQ(call("send-early-warning", kWarning, out), HEARTH_OK) << out;
  EXPECT_EQ(municipality_->requests().size(), 1u);
  EXPECT_EQ(start("municipality_verify = none\n", "production"),
            static_cast<std::uint32_t>(HEARTH_PLUGIN_STATE_FAILED));
  EXPECT_EQ(start("municipality_ca_file = " + identity_.certificate_file.string() + "\n", "production"),
            static_cast<std::uint32_t>(HEARTH_PLUGIN_STATE_ACTIVE));
}

TEST_P(WgsHttps, BadTlsSettingsStopThePlugin) {
  EXPECT_EQ(start("municipality_ca_file = " + (scratch_.path() / "absent.pem").string() + "\n"),
            static_cast<std::uint32_t>(HEARTH_PLUGIN_STATE_FAILED));
  EXPECT_EQ(start("municipality_verify = sometimes\n"), static_cast<std::uint32_t>(HEARTH_PLUGIN_STATE_FAILED));
  std::ofstream(scratch_.path() / "not-a-ca.pem") << "not a certificate\n";
  EXPECT_EQ(start("municipality_ca_file = " + (scratch_.path() / "not-a-ca.pem").string() + "\n"),
            static_cast<std::uint32_t>(HEARTH_PLUGIN_STATE_FAILED));
  EXPECT_TRUE(municipality_->requests().empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, WgsHttps, testing::Values(Backend::sqlite, Backend::postgresql), backend_name);

} // namespace
} // namespace hearth::test
