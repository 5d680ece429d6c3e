// Checks one incoming hearth_signal and turns it into a canonical signal, or names the
// field at fault and why. Pure: no storage (tenancy existence is checked by the ingestor).
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <variant>

#include "data/signal_types.hpp"
#include "hearth/signals.h"

namespace hearth::data {

// A valid signal in canonical form. Its text views the hearth_signal it was made from
// (type and detail: the code table): valid as long as that signal's strings are, which
// for an ingested batch is the ingest call.
struct CanonicalSignal {
  std::string_view source, external_id, type, detail, tenancy_id, legal_basis, purpose, reporter_user;
  std::int64_t occurred_at_ms = 0;
  std::int64_t amount_cents = 0;
  std::int32_t severity = 0;
  const SignalType *type_entry = nullptr;
};

struct FieldError {
  std::string field;  // e.g. "signals[3].occurred_at_ms"
  std::string reason; // e.g. "is more than a day in the future"; never the value itself
  std::string message() const { return field + ": " + reason; }
};

struct ValidationRules {
  std::set<std::string> legal_bases; // from [data] legal_bases
  std::set<std::string> purposes;    // from [data] purposes
  std::int64_t max_future_skew_ms = 24LL * 3600 * 1000;
  std::int64_t earliest_ms = 946684800000LL; // 2000-01-01
};

// Validates `signal` (the index-th of a batch) against `rules` at time `now_ms`. The
// result views `signal`'s strings (see CanonicalSignal).
std::variant<CanonicalSignal, FieldError> validate_signal(const hearth_signal *signal, std::uint32_t index,
                                                          const ValidationRules &rules, std::int64_t now_ms);

} // namespace hearth::data
