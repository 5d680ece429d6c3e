// A fixture that runs each audit test against SQLite (a file in a scratch folder) and
// against PostgreSQL (a fresh schema per test, dropped afterwards), with the audit
// migrations applied and an AuditLog ready.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "audit/audit_log.hpp"
#include "storage/store.hpp"
#include "test_environment.hpp"

namespace hearth::audit::test {

using storage::Backend;
using storage::Store;
using storage::Value;

class AuditTest : public ::testing::TestWithParam<Backend> {
protected:
  // Opens the store on the backend of the test parameter, migrates, creates `log`. Skips
  // (fails in CI) a PostgreSQL test when HEARTH_TEST_POSTGRES is not set.
  void SetUp() override;
  // Closes the stores and drops the PostgreSQL schema.
  void TearDown() override;

  // Opens another, independent store on this test's database, as a second runtime
  // instance would.
  std::unique_ptr<Store> open_another() const;
  // True when the test runs on PostgreSQL.
  bool on_postgresql() const { return GetParam() == Backend::postgresql; }

  // Runs `sql` (a tampering statement) directly on the store.
  void tamper(const std::string &sql, const std::vector<Value> &params = {});
  // The number of rows in the audit table.
  std::int64_t entry_count();

  std::unique_ptr<Store> store;
  std::unique_ptr<AuditLog> log;

private:
  std::unique_ptr<hearth::test::ScratchDir> scratch_;
  std::string schema_;
};

// A valid entry: `user` (a coordinator of gemeente:0363) reads `objects`.
AuditEntry sample_entry(const std::string &user = "u-100",
                        const std::string &objects = "tenancy:T-1,person:P-1",
                        const std::string &event = "read");

// Names a parametrised test after its backend ("sqlite", "postgresql").
std::string backend_name(const ::testing::TestParamInfo<Backend> &info);

} // namespace hearth::audit::test
