// A database for one benchmark: a SQLite file in a scratch folder (under $HEARTH_BENCH_DIR,
// else /tmp) or a fresh PostgreSQL schema on $HEARTH_TEST_POSTGRES, with Hearth's schema
// made by the runtime itself and the one unit and tenancy the rows name. Removed (file or
// schema) when the object dies.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "storage/store.hpp"

namespace hearth::bench {

class BenchDatabase {
public:
  // Creates the database and its configuration folder; opens a runtime once to migrate it
  // and store the tenancy. Throws std::runtime_error on failure.
  BenchDatabase(storage::Backend backend, const std::string &name);
  // Removes the scratch folder and drops the PostgreSQL schema.
  ~BenchDatabase();
  BenchDatabase(const BenchDatabase &) = delete;
  BenchDatabase &operator=(const BenchDatabase &) = delete;

  // Which database this is.
  storage::Backend backend() const { return backend_; }
  // The folder with hearth.ini, for hearth_runtime_open().
  const std::filesystem::path &config_dir() const { return folder_; }
  // What SOCI connects to: "db=<file>" for SQLite, the libpq string for PostgreSQL.
  std::string soci_connect_string() const;
  // Options for hearth_core's Store on this database.
  storage::StoreOptions store_options() const;

private:
  storage::Backend backend_;
  std::filesystem::path folder_;
  std::string schema_; // PostgreSQL only
  std::string target_; // SQLite file or libpq connection string
};

// The PostgreSQL server from $HEARTH_TEST_POSTGRES, or empty when it is not set.
std::string postgres_url();

} // namespace hearth::bench
