// A runtime on SQLite or on a fresh PostgreSQL schema, opened through host.h, with helpers
// to store reference records, build signals and read views as a given actor.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <hearth/host.h>

#include "test_environment.hpp"

namespace hearth::test {

enum class Backend { sqlite, postgresql };
std::string backend_name(const testing::TestParamInfo<Backend> &info);

// A fresh PostgreSQL schema for one test, dropped at the end.
class PostgresSchema {
public:
  PostgresSchema();
  ~PostgresSchema();
  // The connection string that puts the schema first on the search path.
  std::string connection_string() const;

private:
  std::string schema_;
};

// An owned signal whose strings live as long as it does.
struct SignalSpec {
  std::string source = "vera:test", external_id, type = "SCH", detail = "BET", tenancy_id = "T-1";
  std::int64_t occurred_at_ms = 1'700'000'000'000;
  std::int64_t amount_cents = 45000;
  std::int32_t severity = 2;
  std::string legal_basis = "wgs-vroegsignalering", purpose = "early-warning", reporter_user;
  hearth_signal view() const;
};

hearth_actor actor(const char *role, const char *user, const char *organisation = "corp:test");

// One runtime instance. Several may share a store (same `store` argument).
class DataRuntime {
public:
  struct Store {
    Backend backend;
    std::filesystem::path sqlite_file;  // for SQLite
    std::string postgresql;             // for PostgreSQL
  };
  DataRuntime(const Store &store, const std::vector<std::string> &modules = {}, const std::string &extra_ini = "");
  ~DataRuntime();

  hearth_runtime *runtime() const { return runtime_; }
  // Closes the runtime now (the destructor then does nothing).
  void close();
  // Stores records as the system role; fails the test on error.
  void put(const std::string &records_json);
  int32_t put(const hearth_actor &who, const std::string &records_json, std::string &error);
  int32_t ingest(const hearth_actor &who, const std::vector<SignalSpec> &signals, hearth_ingest_result &result,
                 std::string &error);
  int32_t read(const hearth_actor &who, const std::string &view, const std::string &args, std::string &out);
  int32_t query(const std::string &plugin, const std::string &name, std::string &out);
  // A unit with one tenancy "T-<n>" whose consultant and tenant are given.
  void add_tenancy(const std::string &id, const std::string &consultant, const std::string &tenant);

private:
  ScratchDir scratch_;
  hearth_runtime *runtime_ = nullptr;
};

// The standard test store for a backend: a SQLite file in `scratch`, or a fresh schema.
class TestStore {
public:
  explicit TestStore(Backend backend);
  const DataRuntime::Store &store() const { return store_; }

private:
  ScratchDir scratch_;
  std::unique_ptr<PostgresSchema> schema_;
  DataRuntime::Store store_;
};

} // namespace hearth::test
