// The baseline: the plainest durable way to store the rows with SOCI — one prepared INSERT,
// bound to local variables, executed once per row, one transaction per batch — on the same
// database and schema the runtime uses (SQLite with WAL, synchronous=FULL, foreign keys on).
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include <soci/soci.h>

#include "bench_database.hpp"
#include "signal_rows.hpp"

namespace hearth::bench {

class PlainSociLoop {
public:
  // Connects to `database` and prepares the INSERT.
  explicit PlainSociLoop(const BenchDatabase &database);

  // Inserts every signal of `batch` in one transaction, received at `now_ms`.
  void insert(const SignalBatch &batch, std::int64_t now_ms);

private:
  std::unique_ptr<soci::session> session_;
  // The values the prepared statement is bound to.
  std::string source_, external_id_, type_, detail_, tenancy_id_, data_class_, legal_basis_, purpose_;
  long long occurred_at_ms_ = 0, received_at_ms_ = 0, amount_cents_ = 0;
  int severity_ = 0;
  soci::statement statement_;
};

} // namespace hearth::bench
