// A diagnostic: the plain loop's INSERT run through hearth_core's Store::execute() (which
// parses, rewrites and prepares the SQL on every call) inside one Store::transaction() per
// batch. Its distance to PlainSociLoop is the Store's per-call cost.
#pragma once

#include <cstdint>
#include <memory>

#include "bench_database.hpp"
#include "signal_rows.hpp"
#include "storage/store.hpp"

namespace hearth::bench {

class StoreExecuteLoop {
public:
  // Opens a Store on `database`.
  explicit StoreExecuteLoop(const BenchDatabase &database);

  // Inserts every signal of `batch` in one transaction, received at `now_ms`.
  void insert(const SignalBatch &batch, std::int64_t now_ms);

private:
  std::unique_ptr<storage::Store> store_;
};

} // namespace hearth::bench
