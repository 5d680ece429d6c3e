#include "store_execute_loop.hpp"

namespace hearth::bench {

StoreExecuteLoop::StoreExecuteLoop(const BenchDatabase &database)
    : store_(storage::Store::open(database.store_options())) {}

void StoreExecuteLoop::insert(const SignalBatch &batch, std::int64_t now_ms) {
  store_->transaction([&] {
    for (const hearth_signal &signal : batch.signals()) {
      const storage::Value params[] = {std::string(signal.source),      std::string(signal.external_id),
                                       std::string(signal.type),        std::string(signal.detail),
                                       std::string(signal.tenancy_id),  std::int64_t{signal.occurred_at_ms},
                                       std::int64_t{now_ms},            std::int64_t{signal.amount_cents},
                                       std::int64_t{signal.severity},   std::string(kDataClass),
                                       std::string(signal.legal_basis), std::string(signal.purpose)};
      store_->execute("INSERT INTO hearth_signal (source, external_id, type, detail, tenancy_id, occurred_at_ms,"
                      " received_at_ms, amount_cents, severity, data_class, legal_basis, purpose, reporter_user)"
                      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)",
                      params);
    }
  });
}

} // namespace hearth::bench
