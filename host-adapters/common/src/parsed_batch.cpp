#include "adapter_common/parsed_batch.hpp"

#include <algorithm>

namespace hearth::adapters {
namespace {

// NULL for an empty optional text, as hearth_signal expects.
const char *optional_text(const std::string &text) { return text.empty() ? nullptr : text.c_str(); }

} // namespace

hearth_signal OwnedSignal::view() const {
  hearth_signal signal{};
  signal.struct_size = sizeof(hearth_signal);
  signal.source = source.c_str();
  signal.external_id = external_id.c_str();
  signal.type = type.c_str();
  signal.detail = optional_text(detail);
  signal.tenancy_id = tenancy_id.c_str();
  signal.occurred_at_ms = occurred_at_ms;
  signal.amount_cents = amount_cents;
  signal.severity = severity;
  signal.legal_basis = legal_basis.c_str();
  signal.purpose = purpose.c_str();
  signal.reporter_user = optional_text(reporter_user);
  return signal;
}

void ParsedBatch::reject(std::uint32_t item_index, std::string field, std::string reason, std::string payload) {
  rejections.push_back(Rejection{item_index, std::move(field), std::move(reason), std::move(payload)});
}

void ParsedBatch::append(ParsedBatch &&other) {
  for (auto &rejection : other.rejections) {
    rejection.item_index += items;
    rejections.push_back(std::move(rejection));
  }
  for (auto &signal : other.signals) {
    signals.push_back(std::move(signal));
  }
  for (auto &record : other.records) {
    records.push_back(std::move(record));
  }
  if (other.after_ingest) {
    if (after_ingest) {
      after_ingest = [first = std::move(after_ingest), second = std::move(other.after_ingest)] {
        first();
        second();
      };
    } else {
      after_ingest = std::move(other.after_ingest);
    }
  }
  items += other.items;
  ignored += other.ignored;
}

SignalPointers::SignalPointers(const std::vector<OwnedSignal> &signals, std::size_t begin, std::size_t end) {
  end = std::min(end, signals.size());
  begin = std::min(begin, end);
  views_.reserve(end - begin);
  for (std::size_t i = begin; i < end; ++i) {
    views_.push_back(signals[i].view());
  }
  pointers_.reserve(views_.size());
  for (const auto &view : views_) {
    pointers_.push_back(&view);
  }
}

} // namespace hearth::adapters
