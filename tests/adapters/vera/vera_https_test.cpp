// VERA write-back over https: the plugin delivers to a back office on a loopback TLS
// server (Poco SecureServerSocket) whose certificate the test makes at run time. Trusted
// through backoffice_ca_file, the message arrives; signed by an authority the plugin does
// not trust (another CA file, or the system's authorities), nothing is sent and the
// message fails for good with a reason naming the endpoint and the certificate, without
// retries. backoffice_verify = none (not in production) skips the check. On SQLite and
// PostgreSQL, where the outbox lives.
#include <filesystem>
#include <fstream>
#include <optional>
#include <thread>

#include <gtest/gtest.h>

#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <hearth/host.h>

#include "data_fixture.hpp"
#include "loopback_server.hpp"
#include "test_certificate.hpp"

namespace hearth::test::vera {
namespace {

const char *const kFlag =
    R"({"flag_id":"F-1","tenancy_id":"HO-1001","level":3,"decided_at_ms":1717243200000})";

struct OutboxState {
  std::string state, last_error;
  int attempts = 0;
};

class VeraHttps : public testing::TestWithParam<Backend> {
protected:
  void SetUp() override {
    if (GetParam() == Backend::postgresql) {
      HEARTH_REQUIRE_OR_SKIP(postgres_url().has_value(), "HEARTH_TEST_POSTGRES is not set");
    }
    store_ = std::make_unique<TestStore>(GetParam());
    server_identity_ = make_test_certificate(scratch_.path(), "backoffice");
    other_authority_ = make_test_certificate(scratch_.path(), "other-authority");
    backoffice_ = std::make_unique<LoopbackServer>(server_identity_.certificate_file.string(),
                                                   server_identity_.key_file.string());
  }

  void TearDown() override {
    if (runtime_ != nullptr) {
      hearth_runtime_close(runtime_);
    }
  }

  // Opens the runtime with the plugin's write-back to the TLS back office and `tls_lines`.
  // Returns the plugin's state.
  std::uint32_t start(const std::string &tls_lines, const std::string &mode = "demo") {
    const auto plugins = scratch_.path() / "plugins";
    std::filesystem::create_directories(plugins);
    std::filesystem::copy_file(HEARTH_VERA_PLUGIN_FILE, plugins / "hearth_vera_plugin.so",
                               std::filesystem::copy_options::overwrite_existing);
    std::ofstream ini(scratch_.path() / "hearth.ini");
    if (GetParam() == Backend::sqlite) {
      ini << "[storage]\nbackend = sqlite\nsqlite_path = " << store_->store().sqlite_file.string() << "\n";
    } else {
      ini << "[storage]\nbackend = postgresql\npostgresql = " << store_->store().postgresql << "\npool_size = 2\n";
    }
    ini << "[runtime]\nmode = " << mode << "\n[plugins]\nbundled = false\npath = " << plugins.string()
        << "\n[events]\npoll_ms = 100\n"
        << "[plugin.nl.hearth.adapter.vera]\nsource = vera:woonstad\norganisation = corp:woonstad\n"
        << "backoffice_url = " << backoffice_->base_url() << "/v4\nbackoffice_api_key = backoffice-secret\n"
        << "retry_base_ms = 10\nretry_max_ms = 50\nmax_attempts = 3\ntimeout_ms = 5000\n"
        << tls_lines;
    ini.close();
    char *error = nullptr;
    EXPECT_EQ(hearth_runtime_open(scratch_.path().c_str(), &runtime_, &error), HEARTH_OK) << (error ? error : "");
    hearth_free(error);
    EXPECT_EQ(hearth_runtime_load_plugins(runtime_, nullptr), HEARTH_OK);
    hearth_plugin_info info{};
    info.struct_size = sizeof info;
    EXPECT_EQ(hearth_runtime_plugin_at(runtime_, 0, &info), HEARTH_OK);
    return info.state;
  }

  void publish_flag() {
    hearth_event event{};
    event.struct_size = sizeof event;
    event.occurred_at_ms = hearth_runtime_now_ms(runtime_);
    event.type = "nl.hearth.flag.accepted/1";
    event.subject = "tenancy:HO-1001";
    event.payload = kFlag;
    char *error = nullptr;
    ASSERT_EQ(hearth_runtime_publish(runtime_, &event, &error), HEARTH_OK) << (error ? error : "");
    ASSERT_EQ(hearth_runtime_drain(runtime_, 30000), HEARTH_OK);
  }

  // The outbox row of the flag, read straight from the store.
  std::optional<OutboxState> outbox() const {
    soci::session db;
    if (GetParam() == Backend::sqlite) {
      db.open(soci::sqlite3, "db=" + store_->store().sqlite_file.string() + " timeout=10");
    } else {
      db.open(soci::postgresql, store_->store().postgresql);
    }
    OutboxState row;
    db << "SELECT state, last_error, attempts FROM vera_outbox WHERE message_key = 'flag:F-1'", soci::into(row.state),
        soci::into(row.last_error), soci::into(row.attempts);
    return db.got_data() ? std::optional<OutboxState>(row) : std::nullopt;
  }

  // Waits (bounded; nothing about its length is asserted) until the worker has finished
  // with the flag's message, and returns its row.
  OutboxState settled() const {
    for (int round = 0; round < 400; ++round) {
      if (const auto row = outbox(); row && row->state != "pending") {
        return *row;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ADD_FAILURE() << "the write-back did not settle";
    return outbox().value_or(OutboxState{});
  }

  ScratchDir scratch_;
  std::unique_ptr<TestStore> store_;
  TestCertificate server_identity_, other_authority_;
  std::unique_ptr<LoopbackServer> backoffice_;
  hearth_runtime *runtime_ = nullptr;
};

TEST_P(VeraHttps, ATrustedBackOfficeReceivesTheWriteBack) {
  ASSERT_EQ(start("backoffice_ca_file = " + server_identity_.certificate_file.string() + "\n"),
            static_cast<std::uint32_t>(HEARTH_PLUGIN_STATE_ACTIVE));
  publish_flag();
  ASSERT_TRUE(backoffice_->wait_for_requests(1));
  const auto requests = backoffice_->requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].path, "/v4/signaleringen");
  EXPECT_EQ(requests[0].headers.at("idempotency-key"), "flag:F-1");
  EXPECT_EQ(requests[0].headers.at("x-api-key"), "backoffice-secret");
  EXPECT_NE(requests[0].body.find("hearth-flag-F-1"), std::string::npos);
  const auto row = settled();
  EXPECT_EQ(row.state, "delivered");
  EXPECT_EQ(row.attempts, 1);
}

TEST_P(VeraHttps, ABackOfficeSignedByAnotherAuthorityIsRefusedNamingTheEndpoint) {
  ASSERT_EQ(start("backoffice_ca_file = " + other_authority_.certificate_file.string() + "\n"),
            static_cast<std::uint32_t>(HEARTH_PLUGIN_STATE_ACTIVE));
  publish_flag();
  const auto row = settled();
  EXPECT_EQ(row.state, "failed");
  EXPECT_EQ(row.attempts, 1) << "a certificate that does not verify is not retried";
  EXPECT_NE(row.last_error.find("POST " + backoffice_->base_url() + "/v4/signaleringen: the back office's TLS "
                                                                     "certificate was not accepted"),
            std::string::npos)
      << row.last_error;
  EXPECT_NE(row.last_error.find("certificate verify failed"), std::string::npos) << row.last_error;
  EXPECT_TRUE(backoffice_->requests().empty()) << "nothing may be sent to an unverified back office";
}

TEST_P(VeraHttps, WithoutACaFileTheSystemsAuthoritiesDoNotTrustATestCertificate) {
  ASSERT_EQ(start(""), static_cast<std::uint32_t>(HEARTH_PLUGIN_STATE_ACTIVE));
  publish_flag();
  const auto row = settled();
  EXPECT_EQ(row.state, "failed");
  EXPECT_NE(row.last_error.find("TLS certificate was not accepted"), std::string::npos) << row.last_error;
  EXPECT_TRUE(backoffice_->requests().empty());
}

TEST_P(VeraHttps, VerificationCanBeSwitchedOffOutsideProductionOnly) {
  ASSERT_EQ(start("backoffice_verify = none\n"), static_cast<std::uint32_t>(HEARTH_PLUGIN_STATE_ACTIVE));
  publish_flag();
  ASSERT_TRUE(backoffice_->wait_for_requests(1));
  EXPECT_EQ(settled().state, "delivered");
  hearth_runtime_close(runtime_);
  runtime_ = nullptr;
  EXPECT_EQ(start("backoffice_verify = none\n", "production"), static_cast<std::uint32_t>(HEARTH_PLUGIN_STATE_FAILED));
}

TEST_P(VeraHttps, BadTlsSettingsStopThePlugin) {
  EXPECT_EQ(start("backoffice_ca_file = " + (scratch_.path() / "absent.pem").string() + "\n"),
            static_cast<std::uint32_t>(HEARTH_PLUGIN_STATE_FAILED));
  hearth_runtime_close(runtime_);
  runtime_ = nullptr;
  EXPECT_EQ(start("backoffice_verify = sometimes\n"), static_cast<std::uint32_t>(HEARTH_PLUGIN_STATE_FAILED));
  hearth_runtime_close(runtime_);
  runtime_ = nullptr;
  // A file that is not PEM: the TLS context cannot load it.
  std::ofstream(scratch_.path() / "not-a-ca.pem") << "not a certificate\n";
  EXPECT_EQ(start("backoffice_ca_file = " + (scratch_.path() / "not-a-ca.pem").string() + "\n"),
            static_cast<std::uint32_t>(HEARTH_PLUGIN_STATE_FAILED));
}

INSTANTIATE_TEST_SUITE_P(Backends, VeraHttps, testing::Values(Backend::sqlite, Backend::postgresql), backend_name);

} // namespace
} // namespace hearth::test::vera
