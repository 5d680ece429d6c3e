// A rule set written as one SQL query over a signal table (the columns of hearth_signal
// that scoring reads): every tenancy's score at one evaluation minute, with the same
// categories, decay, caps, latest-report mode, combinations and rounding as the engine.
// The benchmark's peer: "the same rule set as SQL".
#pragma once

#include <cstdint>
#include <string>

#include "engine/rule_set.hpp"

namespace hearth::bench::early_warning {

enum class SqlDialect { sqlite, postgresql };

// SELECT tenancy_id, score FROM (...) over `table` (seq, tenancy_id, type, detail,
// occurred_at_ms, amount_cents, severity), evaluated at `at_minute` for every tenancy with
// a scored signal.
std::string rule_set_sql(const hearth::early_warning::RuleSet &rules, const std::string &table, std::int32_t at_minute,
                         SqlDialect dialect);

} // namespace hearth::bench::early_warning
