// What the plugin reads from the runtime's own tables (docs/data.md, "The model"): the
// signals (since ADR 7 also the event log), tenancies with their unit's neighbourhood,
// and the ground-truth outcomes for backtests. Read through host->storage_execute, on
// the plugin's own behalf: these reads show nothing to anyone; what the plugin shows is
// policy-checked and audited where it is shown.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <hearth/plugin.hpp>

#include "engine/score.hpp"

namespace hearth::early_warning {

// Column `column` of `row` as an integer, whatever numeric type the store gave it (NULL
// reads as 0).
std::int64_t integer_at(const RowView &row, std::uint32_t column);

// One signal as the scorer reads it, with its tenancy.
struct SignalRow {
  std::string_view tenancy_id; // borrowed for the callback
  SignalInput input;           // type and detail are copied
};

// Calls `each` for every signal with seq > `after`, in seq order.
void for_each_signal(const Host &host, std::uint64_t after, const std::function<void(const SignalRow &)> &each);

// Calls `each` for every tenancy with its unit's neighbourhood code, ordered by id.
void for_each_tenancy(const Host &host, const std::function<void(std::string_view id, std::string_view code)> &each);

// The neighbourhood code of one tenancy's unit, or nothing when the tenancy is unknown.
std::optional<std::string> neighbourhood_of(const Host &host, const std::string &tenancy_id);

// The signals of `tenancy_id` with seq <= `up_to_seq`, in seq order.
std::vector<SignalInput> signals_of(const Host &host, const std::string &tenancy_id, std::uint64_t up_to_seq);

// A tenancy's ground truth (hearth_outcome).
struct OutcomeRow {
  std::string tenancy_id;
  std::string outcome;    // stable, help_accepted, notice_to_quit, eviction
  std::string decided_on; // YYYY-MM-DD
};

// Every outcome, ordered by tenancy.
std::vector<OutcomeRow> outcomes(const Host &host);

} // namespace hearth::early_warning
