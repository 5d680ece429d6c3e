#include "signal_rows.hpp"

namespace hearth::bench {

SignalBatch::SignalBatch(std::uint64_t first, std::uint32_t count) : ids_(count), signals_(count), pointers_(count) {
  for (std::uint32_t i = 0; i < count; ++i) {
    ids_[i] = "e" + std::to_string(first + i);
    hearth_signal &signal = signals_[i];
    signal = hearth_signal{};
    signal.struct_size = sizeof signal;
    signal.source = kSource;
    signal.external_id = ids_[i].c_str();
    signal.type = "SCH";
    signal.detail = "BET";
    signal.tenancy_id = kTenancyId;
    signal.occurred_at_ms = 1700000000000LL + static_cast<std::int64_t>((first + i) % 86400000);
    signal.amount_cents = 12500;
    signal.severity = 3;
    signal.legal_basis = "avg-6-1-e";
    signal.purpose = "early-warning";
    pointers_[i] = &signal;
  }
}

} // namespace hearth::bench
