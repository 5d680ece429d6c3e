// The store a durability run works on: a configuration folder whose hearth.ini points at
// a SQLite file in a scratch folder or at a fresh PostgreSQL schema (dropped afterwards),
// and a way to open that same store directly for inspection.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "storage/store.hpp"
#include "test_environment.hpp"

namespace hearth::test {

class DurabilityStore {
public:
  // Creates the scratch folder (and on PostgreSQL the schema, from HEARTH_TEST_POSTGRES,
  // which must be set) and writes hearth.ini: this store, no bundled plugins, warnings only.
  explicit DurabilityStore(storage::Backend backend);
  // Drops the PostgreSQL schema; the scratch folder goes with its owner.
  ~DurabilityStore();
  DurabilityStore(const DurabilityStore &) = delete;
  DurabilityStore &operator=(const DurabilityStore &) = delete;

  // The configuration folder to give hearth_runtime_open().
  const std::filesystem::path &config_dir() const { return scratch_.path(); }
  // A file in the scratch folder for the children's stderr.
  std::filesystem::path log_file() const { return scratch_.path() / "children.log"; }
  // Opens the store directly (hearth_core), as the runtime would, for inspection.
  std::unique_ptr<storage::Store> open_store() const;

private:
  storage::Backend backend_;
  ScratchDir scratch_;
  std::string schema_; // PostgreSQL only
  std::string target_; // the SQLite file or the libpq connection string
};

} // namespace hearth::test
