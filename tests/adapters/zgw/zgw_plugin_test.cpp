// The ZGW plugin ("nl.hearth.adapter.zgw", hearth_zgw.so) in a real runtime on SQLite and
// PostgreSQL, over real HTTP on loopback: the notification component delivers to the
// runtime's server, the plugin reads the zaak from the Zaken API and stores the signal;
// an export request on the bus creates a zaak, a status and a rol on the Zaken API, once,
// however often it is asked, and audits what left. An export that fails waits in the
// outbox and is re-sent automatically (at start and on the re-send timer) once the Zaken
// API is back, exactly once; a row that keeps failing is given up with a dead letter; a
// shutdown ends a re-send's wait and keeps its row.
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <thread>

#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <Poco/DigestEngine.h>
#include <Poco/JSON/Parser.h>
#include <Poco/SHA2Engine.h>

#include "../../http/http_test_client.hpp"
#include "data_fixture.hpp"
#include "test_certificate.hpp"
#include "zgw_schema_checks.hpp"
#include "zgw_test_server.hpp"

namespace hearth::test {
namespace {

constexpr std::int64_t kNow = 1'795'000'000'000; // 2026-11-18
const std::string kClient = "hearth-test";
const std::string kSecret = "zgw-secret-for-tests-0123456789";
const std::string kNrcToken = "nrc-token-for-tests-0123456789abcdef";
const std::string kCrmKey = "crm-key-for-tests-0123456789abcdef";
const std::string kNuisanceType = "https://catalogi.test/api/v1/zaaktypen/aaaaaaaa-0000-4000-8000-000000000001";
const std::string kExportType = "https://catalogi.test/api/v1/zaaktypen/bbbbbbbb-0000-4000-8000-000000000001";
constexpr const char *kWebhook = "/webhooks/zgw/notificaties";

std::int64_t fixed_clock(void *) { return kNow; }

std::string sha256_hex(const std::string &text) {
  Poco::SHA2Engine engine(Poco::SHA2Engine::SHA_256);
  engine.update(text);
  return Poco::DigestEngine::digestToHex(engine.digest());
}

std::string take(char *text) {
  std::string out = text != nullptr ? text : "";
  hearth_free(text);
  return out;
}

class ZgwPlugin : public testing::TestWithParam<Backend> {
protected:
  void SetUp() override {
    if (GetParam() == Backend::postgresql) {
      HEARTH_REQUIRE_OR_SKIP(postgres_url().has_value(), "HEARTH_TEST_POSTGRES is not set (scripts/start-postgres.sh)");
    }
    store_ = std::make_unique<TestStore>(GetParam());
    zaken_ = std::make_unique<ZgwTestServer>(kClient, kSecret);
  }

  void TearDown() override {
    if (runtime_ != nullptr) {
      hearth_runtime_close(runtime_);
    }
    if (zaken_) {
      expect_conformant_exchange(*zaken_);
    }
  }

  // The plugin's section; `extra` lines are appended to it.
  std::string plugin_section(const std::string &extra = "") const {
    return "[plugin.nl.hearth.adapter.zgw]\nenabled = true\norganisation = gemeente:test\n"
           "source = zgw:gemeente-test\nwebhook_authorization = Bearer " + kNrcToken + "\n"
           "max_body_bytes = 8192\nzaken_api = " + zaken_->zaken_api() + "\n"
           "client_id = " + kClient + "\nsecret = " + kSecret + "\ntimeout_ms = 5000\n"
           "zaaktypes = " + kNuisanceType + "=OVE/GEL\n"
           "export_zaaktype = " + kExportType + "\n"
           "export_statustype = https://catalogi.test/api/v1/statustypen/bbbbbbbb-0000-4000-8000-000000000002\n"
           "export_roltype = https://catalogi.test/api/v1/roltypen/bbbbbbbb-0000-4000-8000-000000000003\n"
           "export_bronorganisatie = 002220647\nexport_verantwoordelijke_organisatie = 002220647\n" + extra;
  }

  // Opens the runtime with the plugin and `section`, stores tenancy T-1, serves HTTP.
  void start(const std::string &section) {
    const auto plugins = scratch_.path() / "plugins";
    std::filesystem::create_directories(plugins);
    std::filesystem::copy_file(HEARTH_ZGW_PLUGIN, plugins / "hearth_zgw.so",
                               std::filesystem::copy_options::overwrite_existing);
    {
      std::ofstream ini(scratch_.path() / "hearth.ini");
      const auto &s = store_->store();
      if (s.backend == Backend::sqlite) {
        ini << "[storage]\nbackend = sqlite\nsqlite_path = " << s.sqlite_file.string() << "\n";
      } else {
        ini << "[storage]\nbackend = postgresql\npostgresql = " << s.postgresql << "\npool_size = 2\n";
      }
      ini << "[plugins]\nbundled = false\npath = " << plugins.string() << "\n[log]\nlevel = info\n"
          << "[events]\npoll_ms = 100\n[http]\nport = 0\n"
          << "[auth]\nkeys = nrc, crm\n"
          << "[auth.key.nrc]\nsha256 = " << sha256_hex(kNrcToken)
          << "\nuser = system:nrc\nrole = system\norganisation = gemeente:test\naccess_point = zgw:notificaties\n"
          << "[auth.key.crm]\nsha256 = " << sha256_hex(kCrmKey)
          << "\nuser = system:crm\nrole = system\norganisation = corp:test\naccess_point = crm:test\n"
          << section;
    }
    char *error = nullptr;
    ASSERT_EQ(hearth_runtime_open(scratch_.path().c_str(), &runtime_, &error), HEARTH_OK) << take(error);
    ASSERT_EQ(hearth_runtime_set_clock(runtime_, &fixed_clock, nullptr), HEARTH_OK);
    ASSERT_EQ(hearth_runtime_load_plugins(runtime_, &error), HEARTH_OK) << take(error);
    const hearth_actor system = actor("system", "adapter-test", "corp:test");
    const std::string records =
        R"([{"kind":"unit","id":"U-1","street":"Amstel","house_number":"1","neighbourhood_code":"BU03630000"},)"
        R"({"kind":"tenancy","id":"T-1","unit_id":"U-1","start_date":"2019-04-01","portfolio_owner":"consultant-1"}])";
    ASSERT_EQ(hearth_runtime_put_records(runtime_, &system, records.c_str(), nullptr, &error), HEARTH_OK) << take(error);
    ASSERT_EQ(hearth_runtime_serve_http(runtime_, "127.0.0.1", 0, &port_, &error), HEARTH_OK) << take(error);
    zaken_->subscribe("http://127.0.0.1:" + std::to_string(port_) + kWebhook, "Bearer " + kNrcToken);
  }

  hearth_plugin_info plugin_info() const {
    for (uint32_t i = 0; i < hearth_runtime_plugin_count(runtime_); ++i) {
      hearth_plugin_info info{};
      info.struct_size = sizeof info;
      if (hearth_runtime_plugin_at(runtime_, i, &info) == HEARTH_OK && std::string(info.id) == "nl.hearth.adapter.zgw") {
        return info;
      }
    }
    ADD_FAILURE() << "plugin not listed";
    return {};
  }

  int count_of(const std::string &table) {
    const hearth_actor admin = actor("administrator", "admin-1");
    char *result = nullptr;
    char *error = nullptr;
    EXPECT_EQ(hearth_runtime_read(runtime_, &admin, "store.counts", "{}", &result, &error), HEARTH_OK) << take(error);
    return Poco::JSON::Parser().parse(take(result)).extract<Poco::JSON::Object::Ptr>()->getValue<int>(table);
  }

  void request_export(const std::string &case_id) {
    const std::string payload = R"({"case_id":")" + case_id + R"(","target":"zgw","tenancy_id":"T-1",)"
                                R"("opened_ms":1793611800000,"coordinator":{"user":"coord-7","organisation":"gemeente:test"},)"
                                R"("requested_by":{"user":"coord-7","organisation":"gemeente:test"},"purpose":"case-coordination"})";
    hearth_event event{};
    event.struct_size = sizeof event;
    event.occurred_at_ms = kNow;
    event.type = "nl.hearth.case.export-requested/1";
    const std::string subject = "case:" + case_id;
    event.subject = subject.c_str();
    event.payload = payload.c_str();
    char *error = nullptr;
    ASSERT_EQ(hearth_runtime_publish(runtime_, &event, &error), HEARTH_OK) << take(error);
    ASSERT_EQ(hearth_runtime_drain(runtime_, 30000), HEARTH_OK);
  }

  // The export outbox's row for `case_id` (the plugin's table), read straight from the store.
  struct OutboxRow {
    std::string state, step, reason, request;
    int attempts = 0, failures = 0, last_status = 0, resends = 0;
  };
  std::optional<OutboxRow> outbox_row(const std::string &case_id) const {
    soci::session db;
    if (GetParam() == Backend::sqlite) {
      db.open(soci::sqlite3, store_->store().sqlite_file.string());
    } else {
      db.open(soci::postgresql, store_->store().postgresql);
    }
    OutboxRow row;
    db << "SELECT state, step, reason, request, attempts, failures, last_status, resends"
          " FROM hearth_zgw_export_outbox WHERE case_id = :c",
        soci::use(case_id), soci::into(row.state), soci::into(row.step), soci::into(row.reason),
        soci::into(row.request), soci::into(row.attempts), soci::into(row.failures), soci::into(row.last_status),
        soci::into(row.resends);
    if (!db.got_data()) {
      return std::nullopt;
    }
    return row;
  }

  // Waits until the case's outbox row is in `state` (the re-send thread works on its own
  // time); bounded generously, nothing about the wait is asserted. Returns the row.
  std::optional<OutboxRow> wait_for_state(const std::string &case_id, const std::string &state) const {
    for (int round = 0; round < 3000; ++round) {
      if (auto row = outbox_row(case_id); row && row->state == state) {
        return row;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ADD_FAILURE() << "the outbox row of " << case_id << " did not become " << state;
    return outbox_row(case_id);
  }

  // The calls `method` /zaken/api/v1/<collection> the Zaken API received.
  std::size_t calls_to(const std::string &method, const std::string &collection) const {
    std::size_t count = 0;
    for (const auto &call : zaken_->calls()) {
      count += call.method == method && call.path == "/zaken/api/v1/" + collection ? 1 : 0;
    }
    return count;
  }

  std::string dead_letters() {
    const hearth_actor admin = actor("administrator", "admin-1");
    char *result = nullptr;
    char *error = nullptr;
    EXPECT_EQ(hearth_runtime_read(runtime_, &admin, "dead-letters", "{}", &result, &error), HEARTH_OK) << take(error);
    return take(result);
  }

  std::size_t exported_zaken() const {
    std::size_t count = 0;
    for (const auto &zaak : zaken_->objects("zaken")) {
      count += zaak->getValue<std::string>("zaaktype") == kExportType ? 1 : 0;
    }
    return count;
  }

  ScratchDir scratch_;
  std::unique_ptr<TestStore> store_;
  std::unique_ptr<ZgwTestServer> zaken_;
  hearth_runtime *runtime_ = nullptr;
  uint16_t port_ = 0;
};

TEST_P(ZgwPlugin, RoundTripNotificationInSignalStoredCaseOutAsZaak) {
  start(plugin_section());
  ASSERT_EQ(plugin_info().state, HEARTH_PLUGIN_STATE_ACTIVE) << plugin_info().message;

  // In: the municipality registers a nuisance zaak; the notification reaches the webhook.
  zaken_->add_zaak(kNuisanceType, "2026-10-30", {{"T-1", "hearth:tenancy"}});
  EXPECT_EQ(zaken_->wait_for_deliveries(), std::vector<int>{200});
  EXPECT_EQ(count_of("signal"), 1);

  // Out: the coordinated case is exported as a zaak with a status and the coordinator.
  request_export("C-17");
  EXPECT_EQ(exported_zaken(), 1u);
  EXPECT_EQ(zaken_->count("statussen"), 1u);
  EXPECT_EQ(zaken_->count("rollen"), 1u);
  // The Zaken API notifies about the exported zaak too; its zaaktype is not mapped.
  for (const int status : zaken_->wait_for_deliveries()) {
    EXPECT_EQ(status, 200);
  }
  EXPECT_EQ(count_of("signal"), 1);

  // Asked again: nothing new on the Zaken API.
  const auto calls = zaken_->calls().size();
  request_export("C-17");
  EXPECT_EQ(zaken_->calls().size(), calls);
  EXPECT_EQ(exported_zaken(), 1u);

  // What left Hearth is in the audit log, and the chain is intact.
  const hearth_actor auditor = actor("auditor", "auditor-1");
  char *result = nullptr;
  char *error = nullptr;
  ASSERT_EQ(hearth_runtime_read(runtime_, &auditor, "audit.verify", "{}", &result, &error), HEARTH_OK) << take(error);
  EXPECT_NE(take(result).find("\"intact\":true"), std::string::npos);
}

TEST_P(ZgwPlugin, ALostAnswerDuringExportDoesNotCreateASecondZaak) {
  // Without retries the request ends at the lost answer; the next request finds the zaak.
  start(plugin_section("export_retry_attempts = 1\n"));
  zaken_->drop_answer_of_next("POST", "zaken");
  request_export("C-18");
  EXPECT_EQ(exported_zaken(), 1u);
  EXPECT_EQ(zaken_->count("statussen"), 0u);
  request_export("C-18");
  EXPECT_EQ(exported_zaken(), 1u);
  EXPECT_EQ(zaken_->count("statussen"), 1u);
  EXPECT_EQ(zaken_->count("rollen"), 1u);
}

// Retries are fast here (1 ms doubling to 5 ms): what is tested is their count and
// effect, never their timing.
const std::string kFastRetries = "export_retry_attempts = 4\nexport_retry_base_ms = 1\nexport_retry_max_ms = 5\n";

TEST_P(ZgwPlugin, TransientFailuresDuringAnExportAreRetriedWithoutDuplicates) {
  start(plugin_section(kFastRetries));
  zaken_->fail_next("POST", "zaken", 500, 2);        // a server error, twice
  zaken_->reset_next("POST", "statussen");           // a reset connection
  zaken_->fail_next("POST", "rollen", 429, 1, "0");  // too many requests
  request_export("C-30");
  EXPECT_EQ(exported_zaken(), 1u);
  EXPECT_EQ(zaken_->count("statussen"), 1u);
  EXPECT_EQ(zaken_->count("rollen"), 1u);
  EXPECT_FALSE(outbox_row("C-30").has_value());
  EXPECT_EQ(count_of("dead_letter"), 0);

  // The answer to the zaak's POST is lost after the server stored it: the retry finds it.
  zaken_->drop_answer_of_next("POST", "zaken");
  request_export("C-31");
  EXPECT_EQ(exported_zaken(), 2u);
  EXPECT_EQ(zaken_->count("statussen"), 2u);
  EXPECT_EQ(zaken_->count("rollen"), 2u);
  EXPECT_FALSE(outbox_row("C-31").has_value());
}

TEST_P(ZgwPlugin, WithoutResendsAFailedExportLeavesAFailedOutboxRowAndADeadLetter) {
  start(plugin_section(kFastRetries + "export_resend_interval_ms = 0\n"));
  zaken_->fail_next("POST", "statussen", 503, 4);
  request_export("C-32");
  EXPECT_EQ(exported_zaken(), 1u);
  EXPECT_EQ(zaken_->count("statussen"), 0u);
  auto row = outbox_row("C-32");
  ASSERT_TRUE(row.has_value());
  EXPECT_EQ(row->state, "failed");
  EXPECT_EQ(row->step, "status");
  EXPECT_EQ(row->attempts, 4);
  EXPECT_EQ(row->failures, 1);
  EXPECT_EQ(row->last_status, 503);
  EXPECT_EQ(row->reason, "status: POST /statussen: the Zaken API answered 503 (4 attempts)");
  const auto request = Poco::JSON::Parser().parse(row->request).extract<Poco::JSON::Object::Ptr>();
  EXPECT_EQ(request->getValue<std::string>("case_id"), "C-32");
  EXPECT_EQ(request->getValue<std::string>("tenancy_id"), "T-1");
  EXPECT_EQ(request->getValue<std::string>("opened_on"), "2026-11-02");
  // The dead letter names the step and the reason, and keeps no content.
  const std::string letters = dead_letters();
  EXPECT_NE(letters.find("\"source\":\"zgw:gemeente-test:export\""), std::string::npos) << letters;
  EXPECT_NE(letters.find("\"field\":\"status\""), std::string::npos) << letters;
  EXPECT_NE(letters.find("answered 503 (4 attempts)"), std::string::npos) << letters;
  EXPECT_EQ(letters.find("coord-7"), std::string::npos) << letters;

  // Asked again once the API is back: the export resumes at the status, nothing twice.
  request_export("C-32");
  EXPECT_EQ(exported_zaken(), 1u);
  EXPECT_EQ(zaken_->count("statussen"), 1u);
  EXPECT_EQ(zaken_->count("rollen"), 1u);
  row = outbox_row("C-32");
  ASSERT_TRUE(row.has_value());
  EXPECT_EQ(row->state, "resolved");
}

TEST_P(ZgwPlugin, AnExportMadeWhileTheZakenApiIsDownIsResentOnceItIsBack) {
  start(plugin_section(kFastRetries + "export_resend_interval_ms = 20\nexport_resend_attempts = 100000\n"));
  zaken_->go_down();
  request_export("C-60");
  auto row = outbox_row("C-60");
  ASSERT_TRUE(row.has_value());
  EXPECT_EQ(row->state, "pending");
  EXPECT_EQ(row->step, "zaak");
  EXPECT_EQ(row->last_status, 0);
  EXPECT_NE(row->reason.find("zaak: GET " + zaken_->zaken_api() + "/zaken: "), std::string::npos) << row->reason;
  EXPECT_EQ(count_of("dead_letter"), 0) << "a row that will be re-sent is no dead letter";

  // Back: the re-send timer exports the case without any new event, exactly once.
  zaken_->come_back();
  row = wait_for_state("C-60", "resolved");
  ASSERT_TRUE(row.has_value());
  EXPECT_EQ(exported_zaken(), 1u);
  EXPECT_EQ(zaken_->count("statussen"), 1u);
  EXPECT_EQ(zaken_->count("rollen"), 1u);
  EXPECT_EQ(calls_to("POST", "zaken"), 1u);
  EXPECT_EQ(count_of("dead_letter"), 0);
  // A request after the re-send finds everything in the ledger and sends nothing.
  const auto calls = zaken_->calls().size();
  request_export("C-60");
  EXPECT_EQ(zaken_->calls().size(), calls);
  EXPECT_EQ(exported_zaken(), 1u);
}

TEST_P(ZgwPlugin, AnExportThatKeepsFailingIsGivenUpAfterItsResendsWithOneDeadLetter) {
  start(plugin_section(kFastRetries + "export_resend_interval_ms = 20\nexport_resend_attempts = 2\n"));
  zaken_->fail_next("POST", "zaken", 503, 1000000);
  request_export("C-61");
  const auto row = wait_for_state("C-61", "failed");
  ASSERT_TRUE(row.has_value());
  EXPECT_EQ(row->resends, 2);
  EXPECT_EQ(row->failures, 3) << "the request's export and two re-sends";
  EXPECT_EQ(row->step, "zaak");
  EXPECT_EQ(row->last_status, 503);
  EXPECT_EQ(row->reason, "zaak: POST /zaken: the Zaken API answered 503 (4 attempts)");
  // Three exports of four tries each, and none after the row was given up.
  EXPECT_EQ(calls_to("POST", "zaken"), 12u);
  EXPECT_EQ(exported_zaken(), 0u);
  EXPECT_EQ(count_of("dead_letter"), 1);
  const std::string letters = dead_letters();
  EXPECT_NE(letters.find("\"source\":\"zgw:gemeente-test:export\""), std::string::npos) << letters;
  EXPECT_NE(letters.find("\"field\":\"zaak\""), std::string::npos) << letters;
  EXPECT_NE(letters.find("answered 503 (4 attempts)"), std::string::npos) << letters;
  EXPECT_EQ(letters.find("coord-7"), std::string::npos) << letters;
}

TEST_P(ZgwPlugin, AShutdownEndsAResendsWaitAndTheNextStartResendsTheRow) {
  // A pending row from a run while the Zaken API was down; the timer would not come round
  // again for an hour.
  const std::string hourly = "export_resend_interval_ms = 3600000\n";
  start(plugin_section(kFastRetries + hourly));
  zaken_->go_down();
  request_export("C-62");
  ASSERT_EQ(outbox_row("C-62").value_or(OutboxRow{}).state, "pending");
  hearth_runtime_close(runtime_);
  runtime_ = nullptr;

  // The next start re-sends it at once; the API answers 503 and the re-send waits ten
  // minutes before its next try. The shutdown ends that wait.
  zaken_->come_back();
  zaken_->fail_next("POST", "zaken", 503, 1000000);
  start(plugin_section("export_retry_attempts = 3\nexport_retry_base_ms = 600000\nexport_retry_max_ms = 600000\n" +
                       hourly));
  for (int round = 0; round < 3000 && calls_to("POST", "zaken") == 0; ++round) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_EQ(calls_to("POST", "zaken"), 1u) << "the start's re-send did not reach the Zaken API";
  hearth_runtime_close(runtime_);
  runtime_ = nullptr;
  auto row = outbox_row("C-62");
  ASSERT_TRUE(row.has_value());
  EXPECT_EQ(row->state, "pending");
  EXPECT_EQ(row->resends, 0) << "a re-send stopped by the shutdown is not counted";
  EXPECT_NE(row->reason.find("stopped by shutdown"), std::string::npos) << row->reason;
  EXPECT_EQ(calls_to("POST", "zaken"), 1u);

  // And the start after that, with the API well, completes it: one zaak, no new event.
  zaken_->clear_failures();
  start(plugin_section(kFastRetries + hourly));
  row = wait_for_state("C-62", "resolved");
  ASSERT_TRUE(row.has_value());
  EXPECT_EQ(exported_zaken(), 1u);
  EXPECT_EQ(zaken_->count("statussen"), 1u);
  EXPECT_EQ(zaken_->count("rollen"), 1u);
  EXPECT_EQ(count_of("dead_letter"), 0);
}

TEST_P(ZgwPlugin, AnOutboxRowWhoseRequestCannotBeReadIsGivenUpWithADeadLetter) {
  const std::string hourly = "export_resend_interval_ms = 3600000\n";
  start(plugin_section(kFastRetries + hourly));
  zaken_->go_down();
  request_export("C-63");
  ASSERT_EQ(outbox_row("C-63").value_or(OutboxRow{}).state, "pending");
  hearth_runtime_close(runtime_);
  runtime_ = nullptr;
  {
    soci::session db;
    if (GetParam() == Backend::sqlite) {
      db.open(soci::sqlite3, store_->store().sqlite_file.string());
    } else {
      db.open(soci::postgresql, store_->store().postgresql);
    }
    db << "UPDATE hearth_zgw_export_outbox SET request = '{\"case_id\":\"C-63\"}' WHERE case_id = 'C-63'";
  }
  zaken_->come_back();
  start(plugin_section(kFastRetries + hourly));
  const auto row = wait_for_state("C-63", "failed");
  ASSERT_TRUE(row.has_value());
  EXPECT_EQ(row->reason, "request: is not the stored export request");
  EXPECT_EQ(row->failures, 2);
  EXPECT_EQ(calls_to("POST", "zaken"), 0u) << "nothing is sent for a request that cannot be read";
  const std::string letters = dead_letters();
  EXPECT_NE(letters.find("\"field\":\"request\""), std::string::npos) << letters;
}

TEST_P(ZgwPlugin, AnHttpsZakenApiIsTrustedThroughZakenCaFile) {
  // The Zaken API over https with a certificate made now; the plugin trusts its authority.
  const TestCertificate identity = make_test_certificate(scratch_.path(), "zaken-api");
  const TestCertificate other = make_test_certificate(scratch_.path(), "other-authority");
  zaken_ = std::make_unique<ZgwTestServer>(kClient, kSecret, identity.certificate_file.string(),
                                           identity.key_file.string());
  start(plugin_section("export_resend_interval_ms = 0\nzaken_ca_file = " + identity.certificate_file.string() + "\n"));
  ASSERT_EQ(plugin_info().state, HEARTH_PLUGIN_STATE_ACTIVE) << plugin_info().message;
  request_export("C-64");
  EXPECT_EQ(exported_zaken(), 1u);
  EXPECT_EQ(zaken_->count("rollen"), 1u);
  hearth_runtime_close(runtime_);
  runtime_ = nullptr;

  // Trusting another authority: nothing is sent, the export fails at once, and the outbox
  // row and the dead letter name the setting.
  start(plugin_section("export_resend_interval_ms = 0\nzaken_ca_file = " + other.certificate_file.string() + "\n"));
  const auto calls = zaken_->calls().size();
  request_export("C-65");
  EXPECT_EQ(zaken_->calls().size(), calls);
  const auto row = outbox_row("C-65");
  ASSERT_TRUE(row.has_value());
  EXPECT_EQ(row->state, "failed");
  EXPECT_EQ(row->attempts, 1);
  EXPECT_NE(row->reason.find("the Zaken API's TLS certificate was not accepted"), std::string::npos) << row->reason;
  EXPECT_NE(row->reason.find("trusted authorities: plugin.nl.hearth.adapter.zgw.zaken_ca_file = " +
                             other.certificate_file.string()),
            std::string::npos)
      << row->reason;
  EXPECT_NE(dead_letters().find("zaken_ca_file"), std::string::npos);
  hearth_runtime_close(runtime_);
  runtime_ = nullptr;

  // none is refused in production: the plugin does not start.
  start("[runtime]\nmode = production\n" + plugin_section("zaken_verify = none\n"));
  EXPECT_EQ(plugin_info().state, HEARTH_PLUGIN_STATE_FAILED);
}

TEST_P(ZgwPlugin, ARefusedExportRequestLeavesADeadLetter) {
  start(plugin_section());
  hearth_event event{};
  event.struct_size = sizeof event;
  event.occurred_at_ms = kNow;
  event.type = "nl.hearth.case.export-requested/1";
  event.subject = "case:C-33";
  event.payload = R"({"case_id":"C-33","tenancy_id":"T-1","coordinator":{"user":"coord-7"},"opened_ms":"yesterday"})";
  ASSERT_EQ(hearth_runtime_publish(runtime_, &event, nullptr), HEARTH_OK);
  ASSERT_EQ(hearth_runtime_drain(runtime_, 30000), HEARTH_OK);
  EXPECT_TRUE(zaken_->calls().empty());
  const std::string letters = dead_letters();
  EXPECT_NE(letters.find("\"field\":\"payload.opened_ms\""), std::string::npos) << letters;
  EXPECT_FALSE(outbox_row("C-33").has_value());
}

TEST_P(ZgwPlugin, AnExportRequestWithABadPayloadOrAnotherTargetSendsNothing) {
  start(plugin_section());
  hearth_event event{};
  event.struct_size = sizeof event;
  event.occurred_at_ms = kNow;
  event.type = "nl.hearth.case.export-requested/1";
  event.subject = "case:C-19";
  event.payload = R"({"case_id":"C-19","tenancy_id":"111222333","coordinator":{"user":"c"},"opened_ms":1793611800000})";
  ASSERT_EQ(hearth_runtime_publish(runtime_, &event, nullptr), HEARTH_OK);
  // An export addressed to the VERA adapter is not this adapter's business.
  event.subject = "case:C-20";
  event.payload = R"({"case_id":"C-20","target":"vera","tenancy_id":"T-1","coordinator":{"user":"c"},"opened_ms":1793611800000})";
  ASSERT_EQ(hearth_runtime_publish(runtime_, &event, nullptr), HEARTH_OK);
  ASSERT_EQ(hearth_runtime_drain(runtime_, 30000), HEARTH_OK);
  EXPECT_TRUE(zaken_->calls().empty());
}

TEST_P(ZgwPlugin, TheWebhookChecksTheSubscriptionsAuthorization) {
  start(plugin_section());
  const std::string zaak = zaken_->add_zaak(kNuisanceType, "2026-10-30", {{"T-1", "hearth:tenancy"}});
  zaken_->wait_for_deliveries();
  const std::string message = zaken_->message_for(zaak, "zaak", zaak, "update");
  // Another system's valid key passes the runtime, but not the plugin's check.
  auto reply = http_request(port_, "POST", kWebhook, message, {{"Authorization", "Bearer " + kCrmKey}});
  EXPECT_EQ(reply.status, 401) << reply.body;
  // No credentials at all.
  reply = http_request(port_, "POST", kWebhook, message);
  EXPECT_EQ(reply.status, 401) << reply.body;
  // The runtime turns away what it does not know before the plugin sees it.
  reply = http_request(port_, "POST", kWebhook, message, {{"Authorization", "Bearer made-up"}});
  EXPECT_EQ(reply.status, 401);
  // The right one: a duplicate of what the first delivery stored.
  reply = http_request(port_, "POST", kWebhook, message, {{"Authorization", "Bearer " + kNrcToken}});
  EXPECT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(reply.body, R"({"accepted":0,"duplicates":1,"ignored":0})");
  EXPECT_EQ(reply.header("Content-Type"), "application/json");
}

TEST_P(ZgwPlugin, BadNotificationsOverHttpAreRefusedAndNothingIsStored) {
  start(plugin_section());
  const std::map<std::string, std::string> auth{{"Authorization", "Bearer " + kNrcToken}};
  auto reply = http_request(port_, "POST", kWebhook, "{not json", auth);
  EXPECT_EQ(reply.status, 400);
  EXPECT_EQ(reply.body, R"({"field":"document","reason":"is not well-formed JSON"})");
  reply = http_request(port_, "POST", kWebhook, R"({"kanaal":"zaken","hoofdObject":5})", auth);
  EXPECT_EQ(reply.status, 400);
  EXPECT_EQ(reply.body, R"({"field":"Message.hoofdObject","reason":"must be a string"})");
  EXPECT_EQ(count_of("signal"), 0);
  EXPECT_TRUE(zaken_->calls().empty());
}

TEST_P(ZgwPlugin, WithoutEnabledThePluginStaysIdle) {
  start("[plugin.nl.hearth.adapter.zgw]\nzaken_api = not checked when idle\n");
  EXPECT_EQ(plugin_info().state, HEARTH_PLUGIN_STATE_ACTIVE);
  EXPECT_EQ(http_request(port_, "POST", kWebhook, "{}", {{"Authorization", "Bearer " + kNrcToken}}).status, 404);
}

TEST_P(ZgwPlugin, AnIncompleteConfigurationFailsInit) {
  start("[plugin.nl.hearth.adapter.zgw]\nenabled = true\norganisation = gemeente:test\n"
        "webhook_authorization = Bearer x\nclient_id = c\nsecret = s\n");
  const auto info = plugin_info();
  EXPECT_EQ(info.state, HEARTH_PLUGIN_STATE_FAILED);
  // The key and the reason are in the log line of the failed init; the runtime's record
  // carries the status (HEARTH_ERROR_INVALID_ARGUMENT).
  EXPECT_NE(std::string(info.message).find("status -1"), std::string::npos) << info.message;
}

INSTANTIATE_TEST_SUITE_P(Backends, ZgwPlugin, testing::Values(Backend::sqlite, Backend::postgresql), backend_name);

} // namespace
} // namespace hearth::test
