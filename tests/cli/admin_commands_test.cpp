// `hearth purge`, `hearth erase` and `hearth audit verify` as an operator runs them: a
// child process on a SQLite store that the test fills (and tampers with) beforehand.
#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include <hearth/host.h>

#include "child_process.hpp"
#include "storage/store.hpp"
#include "test_environment.hpp"

namespace {

namespace fs = std::filesystem;
using hearth::test::ChildResult;
using hearth::test::run_child;
using hearth::test::ScratchDir;

constexpr std::int64_t kDayMs = 86'400'000;

// A configuration folder with a SQLite store in scratch space; `extra` is appended.
class AdminConfig {
public:
  explicit AdminConfig(const std::string &extra = {}) {
    std::ofstream ini(scratch_.path() / "hearth.ini");
    ini << "[runtime]\ndata_dir = " << (scratch_.path() / "data").string() << "\n"
        << "[storage]\nbackend = sqlite\nsqlite_path = " << database().string() << "\n"
        << "[plugins]\nbundled = false\n[log]\nlevel = warn\n"
        << extra;
  }
  std::string dir() const { return scratch_.path().string(); }
  fs::path database() const { return scratch_.path() / "hearth.sqlite"; }

  // Runs `hearth --config DIR` with `arguments`.
  ChildResult hearth(const std::vector<std::string> &arguments) const {
    std::vector<std::string> all = {"--config", dir()};
    all.insert(all.end(), arguments.begin(), arguments.end());
    return run_child(HEARTH_CLI_PATH, all, std::chrono::seconds(30));
  }

  // Stores tenancy T-1 with a person and two signals through the C API: rent arrears
  // from 2010 (past SCH's 7 years) and a nuisance report from two days ago.
  void seed() const {
    hearth_runtime *runtime = nullptr;
    char *error = nullptr;
    ASSERT_EQ(hearth_runtime_open(dir().c_str(), &runtime, &error), HEARTH_OK) << (error ? error : "");
    hearth_actor system{};
    system.struct_size = sizeof system;
    system.user = "adapter";
    system.role = "system";
    system.organisation = "corp:test";
    system.access_point = "test";
    const char *records =
        R"([{"kind":"unit","id":"U-1","street":"Oosterparkstraat","house_number":"12","neighbourhood_code":"BU03630402"},
            {"kind":"tenancy","id":"T-1","unit_id":"U-1","start_date":"2009-01-01","portfolio_owner":"consultant-1"},
            {"kind":"person","id":"P-1","tenancy_id":"T-1"}])";
    EXPECT_EQ(hearth_runtime_put_records(runtime, &system, records, nullptr, &error), HEARTH_OK) << (error ? error : "");
    hearth_signal old_arrears{};
    old_arrears.struct_size = sizeof old_arrears;
    old_arrears.source = "vera:test";
    old_arrears.external_id = "arrears-2010";
    old_arrears.type = "SCH";
    old_arrears.detail = "BET";
    old_arrears.tenancy_id = "T-1";
    old_arrears.occurred_at_ms = 1'262'304'000'000; // 2010-01-01
    old_arrears.amount_cents = 45000;
    old_arrears.severity = 2;
    old_arrears.legal_basis = "wgs-vroegsignalering";
    old_arrears.purpose = "early-warning";
    hearth_signal noise = old_arrears;
    noise.external_id = "noise-recent";
    noise.type = "OVE";
    noise.detail = "GEL";
    noise.amount_cents = 0;
    noise.occurred_at_ms = hearth_runtime_now_ms(runtime) - 2 * kDayMs;
    noise.legal_basis = "avg-6-1-e";
    noise.purpose = "nuisance-handling";
    const hearth_signal *batch[] = {&old_arrears, &noise};
    EXPECT_EQ(hearth_runtime_ingest(runtime, &system, batch, 2, nullptr, &error), HEARTH_OK) << (error ? error : "");
    hearth_free(error);
    hearth_runtime_close(runtime);
  }

private:
  ScratchDir scratch_;
};

bool contains(const std::string &text, const std::string &part) { return text.find(part) != std::string::npos; }

TEST(HearthAdminCommands, AuditVerifyOnAFreshStoreIsIntact) {
  AdminConfig config;
  const ChildResult result = config.hearth({"audit", "verify"});
  ASSERT_TRUE(result.exited) << result.err;
  EXPECT_EQ(result.exit_code, 0) << result.err;
  // The verification is itself an audited search: the one entry.
  EXPECT_EQ(result.out, "audit log intact: 1 entry\n");
}

TEST(HearthAdminCommands, AuditVerifyNamesTheFirstTamperedEntryAndExits1) {
  AdminConfig config;
  config.seed(); // entries 1 (records) and 2 (signals)
  ASSERT_EQ(config.hearth({"audit", "verify"}).exit_code, 0);
  {
    hearth::storage::StoreOptions options;
    options.target = config.database().string();
    const auto store = hearth::storage::Store::open(options);
    const hearth::storage::Value params[] = {std::string("someone-else"), std::int64_t{2}};
    store->execute("UPDATE hearth_audit_log SET user_id = ? WHERE sequence = ?", params);
  }
  const ChildResult result = config.hearth({"audit", "verify"});
  ASSERT_TRUE(result.exited) << result.err;
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.out.rfind("audit log tampered: first bad entry 2 (hash mismatch", 0), 0u) << result.out;
  EXPECT_EQ(result.out.back(), '\n');
}

TEST(HearthAdminCommands, PurgePrintsWhatWentAndKeepsTheChainIntact) {
  AdminConfig config;
  config.seed();
  const ChildResult result = config.hearth({"purge"});
  ASSERT_TRUE(result.exited) << result.err;
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(contains(result.out, "  signals        1 (SCH 1)\n")) << result.out;
  EXPECT_TRUE(contains(result.out, "  event-log rows 1\n")) << result.out;
  EXPECT_TRUE(contains(result.out, "  dead letters   0\n")) << result.out;
  EXPECT_TRUE(contains(result.out, "  outcomes       0\n")) << result.out;

  // Nothing is left to purge; the audit log holds both purges and is intact.
  const ChildResult again = config.hearth({"purge", "--user", "ops-2", "--organisation", "corp:woonstad"});
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_TRUE(contains(again.out, "  signals        0\n")) << again.out;
  const ChildResult verify = config.hearth({"audit", "verify"});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
  EXPECT_EQ(verify.out, "audit log intact: 5 entries\n");
}

TEST(HearthAdminCommands, EraseRemovesAPersonOrATenancysPersonalData) {
  AdminConfig config;
  config.seed();
  ChildResult result = config.hearth({"erase", "--person", "P-1"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "Erased person P-1 (sealed BSN included).\n"
                        "The audit log is kept (NEN 7513); the erasure is recorded in it.\n");
  result = config.hearth({"erase", "--person", "P-1"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.err, "hearth: erasure failed: args.person_id: no such person\n");

  result = config.hearth({"erase", "--tenancy", "T-1"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(contains(result.out, "  signals        2\n")) << result.out;
  EXPECT_TRUE(contains(result.out, "  event-log rows 2\n")) << result.out;
  EXPECT_TRUE(contains(result.out, "  persons        0\n")) << result.out;
}

TEST(HearthAdminCommands, WrongCommandLinesExit2AndBadRetentionExits1) {
  AdminConfig config;
  for (const std::vector<std::string> &arguments :
       {std::vector<std::string>{"erase"}, {"erase", "--person", "P-1", "--tenancy", "T-1"}, {"erase", "P-1"},
        {"purge", "now"}, {"purge", "--role", "auditor"}, {"audit"}, {"audit", "fix"}}) {
    const ChildResult result = config.hearth(arguments);
    EXPECT_EQ(result.exit_code, 2) << arguments.front() << ": " << result.err;
    EXPECT_TRUE(contains(result.err, "(see hearth --help)")) << result.err;
  }
  AdminConfig bad("[retention]\nsignal.SCH = 7 years\n");
  const ChildResult result = bad.hearth({"purge"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_TRUE(contains(result.err, "retention.signal.SCH: '7 years' is not a period like 30d, 6m or 5y")) << result.err;
}

} // namespace
