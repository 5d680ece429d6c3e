// Demo signals as hearth_signal structs.
#include "demo/signal_batch.hpp"

#include <algorithm>

namespace hearth::demo {

SignalBatch::SignalBatch(const DemoNeighbourhood &neighbourhood, std::size_t begin, std::size_t end) {
  end = std::min(end, neighbourhood.signals.size());
  signals_.reserve(end > begin ? end - begin : 0);
  for (std::size_t i = begin; i < end; ++i) {
    const DemoSignal &demo = neighbourhood.signals[i];
    const SignalKindInfo &info = signal_kind_info(demo.kind);
    hearth_signal signal{};
    signal.struct_size = sizeof(hearth_signal);
    signal.source = info.source;
    signal.external_id = keep(external_id(demo));
    signal.type = info.type;
    signal.detail = info.detail;
    signal.tenancy_id = keep(tenancy_id(demo.tenancy));
    signal.occurred_at_ms = demo.occurred_at_ms;
    signal.amount_cents = demo.amount_cents;
    signal.severity = demo.severity;
    signal.legal_basis = info.legal_basis;
    signal.purpose = info.purpose;
    signal.reporter_user = demo.reporter < 0 ? nullptr : keep(tenant_user(static_cast<std::uint32_t>(demo.reporter)));
    signals_.push_back(signal);
  }
  pointers_.reserve(signals_.size());
  for (const auto &signal : signals_) {
    pointers_.push_back(&signal);
  }
}

const char *SignalBatch::keep(std::string text) {
  texts_.push_back(std::move(text));
  return texts_.back().c_str();
}

} // namespace hearth::demo
