// An experiment, not a product path: the ingestor's per-signal work (validation, INSERT
// ... ON CONFLICT DO NOTHING RETURNING seq, the event's JSON payload, the event-log INSERT
// ... RETURNING seq) with each statement prepared once per connection and bound per row —
// what a Store::execute_batch (prepare once, bind many) would let the ingestor do.
// Left out: the one audit entry and one tenancy lookup per batch.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include <soci/soci.h>

#include "bench_database.hpp"
#include "data/signal_validation.hpp"
#include "signal_rows.hpp"

namespace hearth::bench {

class PreparedIngestShape {
public:
  // Connects to `database` and prepares both statements.
  explicit PreparedIngestShape(const BenchDatabase &database);

  // Validates and stores every signal of `batch` with its event, in one transaction,
  // received at `now_ms`. Returns how many were new.
  std::uint32_t ingest(const SignalBatch &batch, std::int64_t now_ms);

private:
  std::unique_ptr<soci::session> session_;
  bool postgresql_;
  data::ValidationRules rules_;
  // Bound to the signal INSERT.
  std::string source_, external_id_, type_, detail_, tenancy_id_, data_class_, legal_basis_, purpose_;
  long long occurred_at_ms_ = 0, received_at_ms_ = 0, amount_cents_ = 0;
  int severity_ = 0;
  long long signal_seq_ = 0;
  soci::indicator signal_seq_indicator_ = soci::i_null;
  // Bound to the event INSERT.
  std::string event_type_, subject_, event_source_, payload_;
  long long event_occurred_at_ms_ = 0, event_seq_ = 0;
  soci::statement insert_signal_;
  soci::statement insert_event_;
};

} // namespace hearth::bench
