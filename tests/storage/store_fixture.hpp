// A test fixture that runs each test against SQLite (a file in a scratch folder) and
// against PostgreSQL (a fresh schema per test, dropped afterwards), plus small helpers.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "storage/store.hpp"
#include "test_environment.hpp"

namespace hearth::storage::test {

// One result row's values.
using ValueRow = std::vector<Value>;

// Opens a store per test on the backend given as the test parameter.
class StoreTest : public ::testing::TestWithParam<Backend> {
protected:
  // Creates the SQLite file or the PostgreSQL schema and opens `store`. Skips (fails in CI)
  // a PostgreSQL test when HEARTH_TEST_POSTGRES is not set.
  void SetUp() override;
  // Closes the stores and drops the PostgreSQL schema.
  void TearDown() override;

  // Options that reach this test's database (SQLite file or PostgreSQL schema).
  StoreOptions options() const;
  // Opens another, independent store on this test's database, as a second process would.
  std::unique_ptr<Store> open_another() const;
  // True when the test runs on PostgreSQL.
  bool on_postgresql() const { return GetParam() == Backend::postgresql; }
  // `sqlite_sql` on SQLite, `postgresql_sql` on PostgreSQL.
  std::string per_backend(const std::string &sqlite_sql, const std::string &postgresql_sql) const {
    return on_postgresql() ? postgresql_sql : sqlite_sql;
  }

  std::unique_ptr<Store> store;

private:
  std::unique_ptr<hearth::test::ScratchDir> scratch_;
  std::string schema_;
};

// Every row `sql` returns on `store`.
std::vector<ValueRow> query(Store &store, const std::string &sql,
                            const std::vector<Value> &params = {});

// The single value `sql` returns on `store` (fails the test when there is not exactly one
// row).
Value scalar(Store &store, const std::string &sql, const std::vector<Value> &params = {});

// Names a parametrised test after its backend ("sqlite", "postgresql").
std::string backend_name(const ::testing::TestParamInfo<Backend> &info);

// The message skipping PostgreSQL tests carries.
inline constexpr const char *postgres_missing =
    "HEARTH_TEST_POSTGRES is not set (eval \"$(scripts/start-postgres.sh)\")";

} // namespace hearth::storage::test
