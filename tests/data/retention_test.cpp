// Retention and erasure through hearth_runtime_command, on SQLite and on PostgreSQL: a
// purge deletes exactly what outlived its configured period (signals per type with their
// event-log rows, dead letters, outcomes) and is audited; erasure removes exactly the
// promised rows and keeps the audit log; only an administrator may do either; a bad
// [retention] setting stops the runtime naming the key.
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <set>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "audit/audit_log.hpp"
#include "data/retention.hpp"
#include "data_fixture.hpp"
#include "storage/store.hpp"

namespace hearth::test {
namespace {

using namespace std::chrono;

// Midnight UTC of `date` in Unix epoch milliseconds.
std::int64_t at(year_month_day date) { return duration_cast<milliseconds>(sys_days(date).time_since_epoch()).count(); }

constexpr std::int64_t kMs = 1;
const std::int64_t kNow = at(2025y / June / 1);

Poco::JSON::Object::Ptr parse_object(const std::string &json) {
  return Poco::JSON::Parser().parse(json).extract<Poco::JSON::Object::Ptr>();
}

// The fake clock hearth_runtime_set_clock calls.
std::int64_t read_clock(void *user_data) { return *static_cast<std::int64_t *>(user_data); }

class Retention : public testing::TestWithParam<Backend> {
protected:
  void SetUp() override {
    if (GetParam() == Backend::postgresql) {
      HEARTH_REQUIRE_OR_SKIP(postgres_url().has_value(), "HEARTH_TEST_POSTGRES is not set (scripts/start-postgres.sh)");
    }
    store_ = std::make_unique<TestStore>(GetParam());
    runtime_ = std::make_unique<DataRuntime>(store_->store());
    ASSERT_NE(runtime_->runtime(), nullptr);
    ASSERT_EQ(hearth_runtime_set_clock(runtime_->runtime(), read_clock, &now_), HEARTH_OK);
    runtime_->add_tenancy("T-1", "consultant-1", "tenant-1");
    runtime_->add_tenancy("T-2", "consultant-2", "tenant-2");
  }
  void TearDown() override {
    runtime_.reset(); // before the clock it reads goes
  }

  // A signal of `type` on `tenancy`, happened at `occurred`.
  static SignalSpec signal(const std::string &id, const std::string &type, std::int64_t occurred,
                           const std::string &tenancy = "T-1") {
    SignalSpec s;
    s.external_id = id;
    s.type = type;
    s.tenancy_id = tenancy;
    s.occurred_at_ms = occurred;
    if (type == "SCH") {
      s.detail = "BET";
    } else {
      s.detail = type == "OVE" ? "GEL" : "";
      s.amount_cents = 0;
      s.legal_basis = "avg-6-1-e";
      s.purpose = "nuisance-handling";
    }
    return s;
  }

  void ingest(const std::vector<SignalSpec> &signals) {
    hearth_ingest_result result{};
    std::string error;
    ASSERT_EQ(runtime_->ingest(actor("system", "adapter"), signals, result, error), HEARTH_OK) << error;
    ASSERT_EQ(result.accepted, signals.size());
  }

  // Runs `command` as `who`; `out` gets the answer or the reason.
  int32_t command(const hearth_actor &who, const std::string &name, const std::string &args, std::string &out) {
    char *result = nullptr;
    char *error = nullptr;
    const int32_t status = hearth_runtime_command(runtime_->runtime(), &who, name.c_str(), args.c_str(), &result, &error);
    out = status == HEARTH_OK ? (result != nullptr ? result : "") : (error != nullptr ? error : "");
    EXPECT_EQ(status == HEARTH_OK, result != nullptr);
    hearth_free(result);
    hearth_free(error);
    return status;
  }

  // Rows per table, read as an administrator.
  Poco::JSON::Object::Ptr counts() {
    std::string out;
    EXPECT_EQ(runtime_->read(actor("administrator", "admin"), "store.counts", "{}", out), HEARTH_OK) << out;
    return parse_object(out);
  }
  std::int64_t count(const char *table) { return counts()->getValue<std::int64_t>(table); }

  // The (type, occurred_at_ms) of the signals consultant-1 sees on T-1.
  std::set<std::pair<std::string, std::int64_t>> visible_on_t1() {
    std::string out;
    EXPECT_EQ(runtime_->read(actor("housing_consultant", "consultant-1"), "tenancy.signals", R"({"tenancy_id":"T-1"})", out),
              HEARTH_OK)
        << out;
    std::set<std::pair<std::string, std::int64_t>> seen;
    const auto list = parse_object(out)->getArray("signals");
    for (std::size_t i = 0; i < list->size(); ++i) {
      const auto s = list->getObject(static_cast<unsigned>(i));
      seen.emplace(s->getValue<std::string>("type"), s->getValue<std::int64_t>("occurred_at_ms"));
    }
    return seen;
  }

  // The audit log's delete entries, oldest first, read from the store directly.
  std::vector<audit::AuditEntry> delete_entries() {
    storage::StoreOptions options;
    options.backend = GetParam() == Backend::sqlite ? storage::Backend::sqlite : storage::Backend::postgresql;
    options.target = GetParam() == Backend::sqlite ? store_->store().sqlite_file.string() : store_->store().postgresql;
    options.pool_size = 1;
    const auto store = storage::Store::open(options);
    audit::AuditLog::Filter filter;
    filter.event = "delete";
    auto entries = audit::AuditLog(*store).search(filter);
    std::reverse(entries.begin(), entries.end());
    return entries;
  }

  // hearth_tenancy_change's count, read from the store directly.
  std::int64_t tenancy_changes() {
    storage::StoreOptions options;
    options.backend = GetParam() == Backend::sqlite ? storage::Backend::sqlite : storage::Backend::postgresql;
    options.target = GetParam() == Backend::sqlite ? store_->store().sqlite_file.string() : store_->store().postgresql;
    options.pool_size = 1;
    const auto store = storage::Store::open(options);
    std::int64_t changes = -1;
    store->execute("SELECT changes FROM hearth_tenancy_change WHERE id = 1", {}, [&](const storage::Row &row) {
      changes = std::get<std::int64_t>(row.values[0]);
      return false;
    });
    return changes;
  }

  void expect_audit_intact() {
    std::string out;
    ASSERT_EQ(runtime_->read(actor("auditor", "auditor-1"), "audit.verify", "{}", out), HEARTH_OK) << out;
    EXPECT_TRUE(parse_object(out)->getValue<bool>("intact")) << out;
  }

  std::int64_t now_ = kNow;
  std::unique_ptr<TestStore> store_;
  std::unique_ptr<DataRuntime> runtime_;
};

// Configured defaults (config/hearth.ini): signals 5y, SCH 7y, OVE 2y, dead letters 1y,
// outcomes 7y.
TEST_P(Retention, PurgeDeletesOnlyWhatOutlivedItsPeriodWithItsEvents) {
  const std::int64_t ove_cutoff = at(2023y / June / 1);
  ingest({signal("sch-old", "SCH", at(2018y / May / 31)),   // 7y: expired
          signal("sch-kept", "SCH", at(2018y / June / 2)),  // 7y: kept
          signal("ove-old", "OVE", at(2022y / May / 1)),    // 2y: expired
          signal("ove-edge-old", "OVE", ove_cutoff - kMs),  // 2y: one ms too old
          signal("ove-edge", "OVE", ove_cutoff),            // 2y: exactly the period: kept
          signal("one-old", "ONE", at(2019y / May / 1)),    // default 5y: expired
          signal("one-kept", "ONE", at(2021y / May / 1)),   // default 5y: kept
          signal("ove-t2-kept", "OVE", at(2024y / May / 1), "T-2")});
  // A dead letter from 2023 (expired after 1y) and one from now (kept).
  hearth_ingest_result result{};
  std::string error;
  now_ = at(2023y / January / 1);
  SignalSpec bad = signal("bad-1", "SCH", at(2022y / December / 1));
  bad.legal_basis = "none";
  ASSERT_EQ(runtime_->ingest(actor("system", "adapter"), {bad}, result, error), HEARTH_ERROR_INVALID_ARGUMENT);
  now_ = kNow;
  bad.external_id = "bad-2";
  ASSERT_EQ(runtime_->ingest(actor("system", "adapter"), {bad}, result, error), HEARTH_ERROR_INVALID_ARGUMENT);
  runtime_->put(R"([{"kind":"outcome","tenancy_id":"T-1","outcome":"stable","decided_on":"2018-05-31"},
                    {"kind":"outcome","tenancy_id":"T-2","outcome":"eviction","decided_on":"2018-06-01"}])");
  ASSERT_EQ(count("signal"), 8);
  ASSERT_EQ(count("event_log"), 8);

  std::string out;
  ASSERT_EQ(command(actor("administrator", "admin-1"), "purge", "{}", out), HEARTH_OK) << out;
  const auto answer = parse_object(out);
  const auto per_type = answer->getObject("signal");
  EXPECT_EQ(per_type->getValue<std::int64_t>("SCH"), 1) << out;
  EXPECT_EQ(per_type->getValue<std::int64_t>("OVE"), 2) << out;
  EXPECT_EQ(per_type->getValue<std::int64_t>("ONE"), 1) << out;
  EXPECT_EQ(per_type->size(), 3u) << out;
  EXPECT_EQ(answer->getValue<std::int64_t>("event_log"), 4) << out;
  EXPECT_EQ(answer->getValue<std::int64_t>("dead_letter"), 1) << out;
  EXPECT_EQ(answer->getValue<std::int64_t>("outcome"), 1) << out;

  const std::set<std::pair<std::string, std::int64_t>> kept = {
      {"SCH", at(2018y / June / 2)}, {"OVE", ove_cutoff}, {"ONE", at(2021y / May / 1)}};
  EXPECT_EQ(visible_on_t1(), kept);
  const auto after = counts();
  EXPECT_EQ(after->getValue<std::int64_t>("signal"), 4);
  EXPECT_EQ(after->getValue<std::int64_t>("event_log"), 4) << "each kept signal keeps its event, no more";
  EXPECT_EQ(after->getValue<std::int64_t>("dead_letter"), 1);
  EXPECT_EQ(after->getValue<std::int64_t>("outcome"), 1);
  EXPECT_EQ(after->getValue<std::int64_t>("tenancy"), 2);

  const auto deletes = delete_entries();
  ASSERT_EQ(deletes.size(), 1u);
  EXPECT_EQ(deletes[0].user, "admin-1");
  EXPECT_EQ(deletes[0].role, "administrator");
  EXPECT_EQ(deletes[0].outcome, "allowed");
  EXPECT_EQ(deletes[0].at_ms, kNow);
  EXPECT_EQ(deletes[0].objects, "purge:signal:ONE:1,purge:signal:OVE:2,purge:signal:SCH:1,purge:event_log:4,"
                                "purge:dead_letter:1,purge:outcome:1");
  expect_audit_intact();

  // Nothing more has expired: a second purge deletes nothing, and says so in the log.
  ASSERT_EQ(command(actor("administrator", "admin-1"), "purge", "", out), HEARTH_OK) << out;
  EXPECT_EQ(out, R"({"dead_letter":0,"event_log":0,"outcome":0,"signal":{}})");
  EXPECT_EQ(delete_entries().back().objects, "purge:none");

  // A day later the nuisance report that was exactly two years old has expired too, and
  // so has the outcome decided exactly seven years before.
  now_ = kNow + 86'400'000;
  ASSERT_EQ(command(actor("administrator", "admin-1"), "purge", "{}", out), HEARTH_OK) << out;
  EXPECT_EQ(out, R"({"dead_letter":0,"event_log":1,"outcome":1,"signal":{"OVE":1}})");
}

TEST_P(Retention, SiteRetentionPeriodsReplaceTheDefaults) {
  runtime_.reset();
  runtime_ = std::make_unique<DataRuntime>(store_->store(), std::vector<std::string>{},
                                           "[retention]\nsignal.default = 30d\nsignal.SCH = 6m\n");
  ASSERT_NE(runtime_->runtime(), nullptr);
  ASSERT_EQ(hearth_runtime_set_clock(runtime_->runtime(), read_clock, &now_), HEARTH_OK);
  // 31 May - 6 months = 30 November (no 31st): calendar months, clamped to the month end.
  now_ = at(2025y / May / 31);
  ingest({signal("sch-old", "SCH", at(2024y / November / 30) - kMs), signal("sch-kept", "SCH", at(2024y / November / 30)),
          signal("one-old", "ONE", now_ - 31LL * 86'400'000), signal("one-kept", "ONE", now_ - 29LL * 86'400'000)});
  std::string out;
  ASSERT_EQ(command(actor("administrator", "admin-1"), "purge", "{}", out), HEARTH_OK) << out;
  EXPECT_EQ(out, R"({"dead_letter":0,"event_log":2,"outcome":0,"signal":{"ONE":1,"SCH":1}})");
  EXPECT_EQ(count("signal"), 2);
  EXPECT_EQ(count("event_log"), 2);
}

TEST_P(Retention, ErasingAPersonRemovesTheRowAndItsSealedBsnOnly) {
  runtime_->put(R"([{"kind":"person","id":"P-1","tenancy_id":"T-1","household_role":"tenant","bsn":"111222333"},
                    {"kind":"person","id":"P-2","tenancy_id":"T-1","household_role":"partner"}])");
  ingest({signal("sch-1", "SCH", kNow - 86'400'000)});
  ASSERT_EQ(count("person"), 2);
  std::string out;
  ASSERT_EQ(command(actor("administrator", "admin-1"), "erase-person", R"({"person_id":"P-1"})", out), HEARTH_OK) << out;
  EXPECT_EQ(out, R"({"person":1})");
  const auto after = counts();
  EXPECT_EQ(after->getValue<std::int64_t>("person"), 1);
  EXPECT_EQ(after->getValue<std::int64_t>("signal"), 1) << "a person's erasure leaves the tenancy's signals";
  EXPECT_EQ(after->getValue<std::int64_t>("tenancy"), 2);

  // Once gone, it answers like anything missing, without echoing the id.
  EXPECT_EQ(command(actor("administrator", "admin-1"), "erase-person", R"({"person_id":"P-1"})", out),
            HEARTH_ERROR_NOT_FOUND);
  EXPECT_EQ(out, "args.person_id: no such person");
  const auto deletes = delete_entries();
  ASSERT_EQ(deletes.size(), 1u) << "only the erasure that happened is logged";
  EXPECT_EQ(deletes[0].objects, "erasure:person:P-1");
  EXPECT_EQ(deletes[0].purpose, "erasure");
  expect_audit_intact();
}

TEST_P(Retention, ErasingATenancyRemovesItsPersonalDataAndKeepsTheAuditLog) {
  runtime_->put(R"([{"kind":"person","id":"P-1","tenancy_id":"T-1","bsn":"111222333"},
                    {"kind":"person","id":"P-2","tenancy_id":"T-1"},
                    {"kind":"person","id":"P-3","tenancy_id":"T-2"},
                    {"kind":"outcome","tenancy_id":"T-1","outcome":"notice_to_quit","decided_on":"2025-01-01"},
                    {"kind":"outcome","tenancy_id":"T-2","outcome":"stable","decided_on":"2025-01-01"}])");
  ingest({signal("sch-1", "SCH", kNow - 86'400'000), signal("ove-1", "OVE", kNow - 86'400'000),
          signal("one-1", "ONE", kNow - 86'400'000), signal("sch-t2", "SCH", kNow - 86'400'000, "T-2")});
  ASSERT_EQ(visible_on_t1().size(), 3u); // consultant-1 reads T-1: an audited read

  std::string out;
  ASSERT_EQ(command(actor("administrator", "admin-1"), "erase-tenancy", R"({"tenancy_id":"T-1"})", out), HEARTH_OK)
      << out;
  EXPECT_EQ(out, R"({"event_log":3,"outcome":1,"person":2,"signal":3})");
  const auto after = counts();
  EXPECT_EQ(after->getValue<std::int64_t>("signal"), 1);
  EXPECT_EQ(after->getValue<std::int64_t>("event_log"), 1);
  EXPECT_EQ(after->getValue<std::int64_t>("person"), 1);
  EXPECT_EQ(after->getValue<std::int64_t>("outcome"), 1);
  EXPECT_EQ(after->getValue<std::int64_t>("tenancy"), 2) << "the tenancy row (housing data) stays";
  EXPECT_EQ(after->getValue<std::int64_t>("unit"), 2);

  // tenant_user and portfolio_owner are cleared: neither reaches T-1 any more.
  EXPECT_EQ(runtime_->read(actor("housing_consultant", "consultant-1"), "tenancy.signals", R"({"tenancy_id":"T-1"})", out),
            HEARTH_ERROR_NOT_FOUND);
  EXPECT_EQ(runtime_->read(actor("tenant", "tenant-1"), "tenancy.signals", R"({"tenancy_id":"T-1"})", out),
            HEARTH_ERROR_NOT_FOUND);
  // T-2 is untouched.
  ASSERT_EQ(runtime_->read(actor("housing_consultant", "consultant-2"), "tenancy.signals", R"({"tenancy_id":"T-2"})", out),
            HEARTH_OK);
  EXPECT_EQ(parse_object(out)->getArray("signals")->size(), 1u);

  // The audit log keeps who read T-1 before the erasure, and records the erasure.
  ASSERT_EQ(runtime_->read(actor("auditor", "auditor-1"), "audit.viewers", R"({"object":"tenancy:T-1"})", out), HEARTH_OK);
  EXPECT_NE(out.find("\"user\":\"consultant-1\""), std::string::npos) << out;
  const auto deletes = delete_entries();
  ASSERT_EQ(deletes.size(), 1u);
  EXPECT_EQ(deletes[0].objects, "erasure:tenancy:T-1");
  expect_audit_intact();

  EXPECT_EQ(command(actor("administrator", "admin-1"), "erase-tenancy", R"({"tenancy_id":"T-404"})", out),
            HEARTH_ERROR_NOT_FOUND);
  EXPECT_EQ(out, "args.tenancy_id: no such tenancy");
}

TEST_P(Retention, OnlyAnAdministratorMayPurgeOrEraseAndRefusalsAreAudited) {
  runtime_->put(R"([{"kind":"person","id":"P-1","tenancy_id":"T-1"}])");
  ingest({signal("sch-old", "SCH", at(2010y / January / 1))});
  std::string out;
  for (const char *role : {"housing_consultant", "auditor", "system", "coordinator", "tenant"}) {
    EXPECT_EQ(command(actor(role, "someone"), "purge", "{}", out), HEARTH_ERROR_DENIED) << role;
    EXPECT_EQ(out, std::string("role '") + role + "' may not purge; only an administrator may");
    EXPECT_EQ(command(actor(role, "someone"), "erase-person", R"({"person_id":"P-1"})", out), HEARTH_ERROR_DENIED) << role;
    EXPECT_EQ(command(actor(role, "someone"), "erase-tenancy", R"({"tenancy_id":"T-1"})", out), HEARTH_ERROR_DENIED)
        << role;
    EXPECT_EQ(out, std::string("role '") + role + "' may not erase; only an administrator may");
  }
  const auto after = counts();
  EXPECT_EQ(after->getValue<std::int64_t>("signal"), 1) << "nothing was deleted";
  EXPECT_EQ(after->getValue<std::int64_t>("person"), 1);
  const auto deletes = delete_entries();
  ASSERT_EQ(deletes.size(), 15u);
  EXPECT_EQ(deletes[0].role, "housing_consultant");
  EXPECT_EQ(deletes[0].outcome, "denied");
  EXPECT_EQ(deletes[0].objects, "purge");
  EXPECT_EQ(deletes[1].objects, "erasure:person:P-1");
  EXPECT_EQ(deletes[2].objects, "erasure:tenancy:T-1");
  for (const auto &entry : deletes) {
    EXPECT_EQ(entry.outcome, "denied");
  }
  expect_audit_intact();
}

TEST_P(Retention, BadCommandsAndArgumentsAreRefusedNamingTheField) {
  std::string out;
  const auto admin = actor("administrator", "admin-1");
  EXPECT_EQ(command(admin, "vacuum", "{}", out), HEARTH_ERROR_NOT_FOUND);
  EXPECT_EQ(out, "command: unknown command 'vacuum'; known: purge, erase-person, erase-tenancy");
  EXPECT_EQ(command(admin, "erase-person", "{}", out), HEARTH_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(out, "args.person_id: missing");
  EXPECT_EQ(command(admin, "erase-tenancy", R"({"tenancy_id":7})", out), HEARTH_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(out, "args.tenancy_id: missing");
  EXPECT_EQ(command(admin, "purge", "[", out), HEARTH_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(out, "args: not a JSON object");
  EXPECT_EQ(command(admin, "erase-person", R"({"person_id":"111222333"})", out), HEARTH_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(out, "args.person_id: looks like a BSN; use the pseudonymous id");
  EXPECT_EQ(out.find("111222333"), std::string::npos);

  char *result = nullptr;
  char *error = nullptr;
  EXPECT_EQ(hearth_runtime_command(runtime_->runtime(), nullptr, "purge", nullptr, &result, &error),
            HEARTH_ERROR_INVALID_ARGUMENT);
  EXPECT_STREQ(error, "actor: missing");
  hearth_free(error);
  error = nullptr;
  EXPECT_EQ(hearth_runtime_command(runtime_->runtime(), &admin, nullptr, nullptr, &result, &error),
            HEARTH_ERROR_INVALID_ARGUMENT);
  EXPECT_STREQ(error, "command: missing");
  hearth_free(error);
  EXPECT_EQ(result, nullptr);
  EXPECT_TRUE(delete_entries().empty()) << "refused before anything was attempted";
}

// Every write of a tenancy moves hearth_tenancy_change (migration 4), in the writer's
// transaction, whoever writes; other writes leave it alone. Readers that keep what they
// derived from tenancies rely on that (the early-warning plugin's portfolios).
TEST_P(Retention, EveryWriteOfATenancyMovesItsChangeCount) {
  const std::int64_t after_setup = tenancy_changes();
  ASSERT_GE(after_setup, 2) << "the two tenancies of SetUp were not counted";
  ingest({signal("S-1", "SCH", kNow)});
  EXPECT_EQ(tenancy_changes(), after_setup) << "a signal is not a write of a tenancy";
  runtime_->add_tenancy("T-1", "consultant-2", "tenant-1"); // T-1 moves to another portfolio
  const std::int64_t after_move = tenancy_changes();
  EXPECT_GT(after_move, after_setup);
  std::string out;
  ASSERT_EQ(command(actor("administrator", "admin-1"), "erase-tenancy", R"({"tenancy_id":"T-2"})", out), HEARTH_OK)
      << out;
  const std::int64_t after_erasure = tenancy_changes();
  EXPECT_GT(after_erasure, after_move);
  // An operator's own SQL is counted too: the triggers belong to the store.
  {
    storage::StoreOptions options;
    options.backend = GetParam() == Backend::sqlite ? storage::Backend::sqlite : storage::Backend::postgresql;
    options.target = GetParam() == Backend::sqlite ? store_->store().sqlite_file.string() : store_->store().postgresql;
    options.pool_size = 1;
    const auto store = storage::Store::open(options);
    store->execute("UPDATE hearth_tenancy SET tenant_user = 'tenant-9' WHERE id = 'T-1'");
  }
  EXPECT_GT(tenancy_changes(), after_erasure);
}

INSTANTIATE_TEST_SUITE_P(Backends, Retention, testing::Values(Backend::sqlite, Backend::postgresql), backend_name);

// --- configuration ---------------------------------------------------------------------------

// Opens a runtime whose hearth.ini holds `retention` as its [retention] section; returns
// the status and fills `error`.
int32_t open_with(const std::string &retention, std::string &error) {
  ScratchDir scratch;
  {
    std::ofstream ini(scratch.path() / "hearth.ini");
    ini << "[storage]\nbackend = sqlite\nsqlite_path = " << (scratch.path() / "hearth.db").string()
        << "\n[plugins]\nbundled = false\n[log]\nlevel = warn\n[retention]\n"
        << retention;
  }
  hearth_runtime *runtime = nullptr;
  char *message = nullptr;
  const int32_t status = hearth_runtime_open(scratch.path().c_str(), &runtime, &message);
  error = message != nullptr ? message : "";
  hearth_free(message);
  hearth_runtime_close(runtime);
  return status;
}

TEST(RetentionConfig, BadPeriodsAndUnknownKeysStopTheRuntimeNamingTheKey) {
  std::string error;
  EXPECT_EQ(open_with("signal.SCH = 5q\n", error), HEARTH_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(error.find("hearth.ini: retention.signal.SCH: '5q' is not a period like 30d, 6m or 5y"), std::string::npos)
      << error;
  EXPECT_NE(open_with("signal.XYZ = 5y\n", error), HEARTH_OK);
  EXPECT_NE(error.find("retention.signal.XYZ: 'XYZ' is not a signal type Hearth knows (AGR, ONB, ONE, OVE, SCH, WAN,"
                       " X-AFS, X-BTR, X-REP)"),
            std::string::npos)
      << error;
  EXPECT_NE(open_with("signal.xyz = 5q\n", error), HEARTH_OK);
  EXPECT_NE(error.find("retention.signal.xyz: 'xyz' is not a signal type"), std::string::npos) << error;
  EXPECT_NE(open_with("outcome = 0y\n", error), HEARTH_OK);
  EXPECT_NE(error.find("retention.outcome: '0y' is not a period"), std::string::npos) << error;
  EXPECT_NE(open_with("dead_letter = 12\n", error), HEARTH_OK);
  EXPECT_NE(error.find("retention.dead_letter: '12' is not a period"), std::string::npos) << error;
  EXPECT_NE(open_with("dead_letters = 1y\n", error), HEARTH_OK);
  EXPECT_NE(error.find("retention.dead_letters: unknown key"), std::string::npos) << error;
  EXPECT_EQ(open_with("signal.default = 10y\nsignal.X-REP = 90d\noutcome = 18m\n", error), HEARTH_OK) << error;
}

TEST(RetentionConfig, EnvironmentOverridesAConfiguredPeriod) {
  ::setenv("HEARTH_RETENTION_SIGNAL_OVE", "2w", 1);
  std::string error;
  const int32_t status = open_with("", error);
  ::unsetenv("HEARTH_RETENTION_SIGNAL_OVE");
  EXPECT_NE(status, HEARTH_OK);
  EXPECT_NE(error.find("environment HEARTH_RETENTION_SIGNAL_OVE: retention.signal.OVE: '2w' is not a period"),
            std::string::npos)
      << error;
}

TEST(RetentionPeriod, CalendarStepsClampToTheMonthEnd) {
  using data::RetentionPeriod;
  const auto months = *RetentionPeriod::parse("1m");
  EXPECT_EQ(months.cutoff_ms(at(2024y / March / 31)), at(2024y / February / 29));
  EXPECT_EQ(months.cutoff_ms(at(2025y / March / 31) + 3'600'000), at(2025y / February / 28) + 3'600'000);
  EXPECT_EQ(RetentionPeriod::parse("1y")->cutoff_ms(at(2024y / February / 29)), at(2023y / February / 28));
  EXPECT_EQ(RetentionPeriod::parse("7y")->cutoff_ms(kNow), at(2018y / June / 1));
  EXPECT_EQ(RetentionPeriod::parse("30d")->cutoff_ms(kNow), at(2025y / May / 2));
  EXPECT_EQ(RetentionPeriod::parse("18m")->text(), "18m");
  for (const char *bad : {"", "y", "5", "5q", "0d", "-1y", "5 y", "10000y", "5Y"}) {
    EXPECT_FALSE(RetentionPeriod::parse(bad).has_value()) << bad;
  }
}

} // namespace
} // namespace hearth::test
