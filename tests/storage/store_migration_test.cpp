// Migrations on both backends: applied once, refused when changed, stopped at a failure,
// and safe when two processes migrate at once.
#include <thread>

#include <gtest/gtest.h>

#include "store_fixture.hpp"

namespace hearth::storage::test {
namespace {

using Kind = StorageError::Kind;

constexpr const char *owner = "nl.hearth.test.greeter";

// Version 1 and 2 of a small plugin schema.
std::vector<Migration> greeter_migrations() {
  return {
      Migration{1, "create greeting table",
                "CREATE TABLE greeting (id BIGINT PRIMARY KEY, text TEXT NOT NULL);\n"
                "INSERT INTO greeting (id, text) VALUES (1, 'hallo; welkom')",
                std::nullopt},
      Migration{2, "add language", "ALTER TABLE greeting ADD COLUMN language TEXT", std::nullopt},
  };
}

// Runs migrate() and returns the StorageError it throws (fails the test when none).
StorageError migrate_failure(Store &store, const std::vector<Migration> &migrations) {
  try {
    store.migrate(owner, migrations);
  } catch (const StorageError &error) {
    return error;
  }
  ADD_FAILURE() << "migrate succeeded";
  return StorageError(Kind::io, "");
}

class StoreMigrations : public StoreTest {
protected:
  // The recorded (version, applied_at_ms) of `owner`, by version.
  std::vector<ValueRow> recorded() {
    return query(*store,
                 "SELECT version, applied_at_ms FROM hearth_schema_migrations WHERE owner = ? "
                 "ORDER BY version",
                 {std::string(owner)});
  }

  // True when the table `name` exists.
  bool table_exists(const std::string &name) {
    const std::string sql = per_backend(
        "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?",
        "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() "
        "AND table_name = ?");
    return scalar(*store, sql, {name}) == Value(std::int64_t{1});
  }
};

TEST_P(StoreMigrations, AppliesOnceAndRerunIsANoOp) {
  store->migrate(owner, greeter_migrations());
  const auto first = recorded();
  ASSERT_EQ(first.size(), 2U);
  EXPECT_EQ(first[0][0], Value(std::int64_t{1}));
  EXPECT_EQ(first[1][0], Value(std::int64_t{2}));
  EXPECT_EQ(scalar(*store, "SELECT text FROM greeting WHERE id = 1"),
            Value(std::string("hallo; welkom")));

  store->migrate(owner, greeter_migrations());
  EXPECT_EQ(recorded(), first); // same rows, same applied_at_ms
  EXPECT_EQ(scalar(*store, "SELECT COUNT(*) FROM greeting"), Value(std::int64_t{1}));
}

TEST_P(StoreMigrations, OnlyNewVersionsRunLater) {
  auto migrations = greeter_migrations();
  migrations.pop_back();
  store->migrate(owner, migrations);
  ASSERT_EQ(recorded().size(), 1U);
  store->migrate(owner, greeter_migrations());
  EXPECT_EQ(recorded().size(), 2U);
  store->execute("UPDATE greeting SET language = 'nl'");
}

TEST_P(StoreMigrations, RecordsDescriptionAndSha256Checksum) {
  store->migrate(owner, greeter_migrations());
  const auto rows = query(*store,
                          "SELECT description, checksum FROM hearth_schema_migrations "
                          "WHERE owner = ? AND version = 2",
                          {std::string(owner)});
  ASSERT_EQ(rows.size(), 1U);
  EXPECT_EQ(rows[0][0], Value(std::string("add language")));
  // sha256("ALTER TABLE greeting ADD COLUMN language TEXT")
  EXPECT_EQ(rows[0][1],
            Value(std::string("cb9137922e9e68ccc735163989aba58bf6b03c305d439c7fcdde5cf71250df93")));
}

TEST_P(StoreMigrations, ChangedChecksumIsRefused) {
  store->migrate(owner, greeter_migrations());
  auto changed = greeter_migrations();
  changed[0].sql += ";\nINSERT INTO greeting (id, text) VALUES (2, 'extra')";
  const StorageError error = migrate_failure(*store, changed);
  EXPECT_EQ(error.kind(), Kind::version);
  EXPECT_NE(std::string(error.what()).find(owner), std::string::npos) << error.what();
  EXPECT_NE(std::string(error.what()).find("version 1"), std::string::npos) << error.what();
  EXPECT_EQ(scalar(*store, "SELECT COUNT(*) FROM greeting"), Value(std::int64_t{1}));
}

TEST_P(StoreMigrations, RepeatedVersionIsRefused) {
  auto migrations = greeter_migrations();
  migrations[1].version = 1;
  const StorageError error = migrate_failure(*store, migrations);
  EXPECT_EQ(error.kind(), Kind::version);
  EXPECT_NE(std::string(error.what()).find("version 1"), std::string::npos) << error.what();
  EXPECT_FALSE(table_exists("greeting"));
}

TEST_P(StoreMigrations, FailingMigrationNamesOwnerAndVersionAndKeepsEarlierOnes) {
  auto migrations = greeter_migrations();
  migrations.push_back(Migration{3, "broken",
                                 "CREATE TABLE half_done (x BIGINT);\n"
                                 "INSERT INTO no_such_table (x) VALUES (1)",
                                 std::nullopt});
  migrations.push_back(Migration{4, "never reached", "CREATE TABLE later (x BIGINT)", std::nullopt});
  const StorageError error = migrate_failure(*store, migrations);
  const std::string message = error.what();
  EXPECT_EQ(error.kind(), Kind::io);
  EXPECT_NE(message.find(owner), std::string::npos) << message;
  EXPECT_NE(message.find("version 3"), std::string::npos) << message;
  EXPECT_EQ(recorded().size(), 2U);
  EXPECT_TRUE(table_exists("greeting"));
  EXPECT_FALSE(table_exists("half_done")); // its transaction rolled back
  EXPECT_FALSE(table_exists("later"));
}

TEST_P(StoreMigrations, PostgresqlOverrideRunsOnlyOnPostgresql) {
  const std::vector<Migration> migrations = {Migration{
      1, "backend marker", "CREATE TABLE marker (backend TEXT DEFAULT 'sqlite', x BIGINT)",
      "CREATE TABLE marker (backend TEXT DEFAULT 'postgresql', x BIGINT)"}};
  store->migrate(owner, migrations);
  store->execute("INSERT INTO marker (x) VALUES (1)");
  EXPECT_EQ(scalar(*store, "SELECT backend FROM marker"),
            Value(std::string(on_postgresql() ? "postgresql" : "sqlite")));
}

TEST_P(StoreMigrations, OwnersAreIndependent) {
  store->migrate(owner, greeter_migrations());
  const std::vector<Migration> other = {
      Migration{1, "other plugin", "CREATE TABLE other_table (x BIGINT)", std::nullopt}};
  store->migrate("nl.hearth.test.other", other);
  EXPECT_TRUE(table_exists("other_table"));
  EXPECT_EQ(recorded().size(), 2U);
}

TEST_P(StoreMigrations, TwoProcessesMigratingAtOnceApplyEachVersionOnce) {
  auto first = open_another();
  auto second = open_another();
  std::vector<std::string> errors(2);
  auto migrate_with = [](Store &target, std::string &error) {
    try {
      target.migrate(owner, greeter_migrations());
    } catch (const std::exception &failure) {
      error = failure.what();
    }
  };
  std::thread one(migrate_with, std::ref(*first), std::ref(errors[0]));
  std::thread two(migrate_with, std::ref(*second), std::ref(errors[1]));
  one.join();
  two.join();
  EXPECT_EQ(errors[0], "");
  EXPECT_EQ(errors[1], "");
  EXPECT_EQ(recorded().size(), 2U);
  EXPECT_EQ(scalar(*store, "SELECT COUNT(*) FROM greeting"), Value(std::int64_t{1}));
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreMigrations,
                         ::testing::Values(Backend::sqlite, Backend::postgresql), backend_name);

} // namespace
} // namespace hearth::storage::test
