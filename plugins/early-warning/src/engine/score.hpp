// The points model, evaluated two ways that must agree:
//   - evaluate_inputs(): straight from a list of signals (the definition; used to store a
//     flag, to recompute one, and as the oracle in tests);
//   - TenancyState: O(1) per signal, for the incremental scorer and the backtest.
// Time is counted in whole minutes since 1970 (UTC); decay is 2^(-age / half-life).
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "engine/rule_set.hpp"

namespace hearth::early_warning {

// "Never": a category without a signal yet.
constexpr std::int32_t kNoMinute = std::numeric_limits<std::int32_t>::min();

// Whole minutes since 1970 of `ms` (Unix epoch milliseconds), rounded down.
std::int32_t minute_of(std::int64_t ms);

// The factor a value keeps after `age_minutes` (>= 0) in `category`: 2^(-age/half-life).
// The one definition every scoring path uses.
inline double decay(const CategoryParams &category, std::int64_t age_minutes) {
  return std::exp2(-static_cast<double>(age_minutes) / category.half_life_minutes);
}

// A signal as the scorer reads it.
struct SignalInput {
  std::uint64_t seq = 0;        // the signal's sequence (hearth_signal.seq)
  std::string type;
  std::string detail;           // "" for none
  std::int64_t occurred_at_ms = 0;
  std::int64_t amount_cents = 0;
  std::int32_t severity = 0;
};

// What one signal added to its category.
struct SignalContribution {
  std::uint64_t seq = 0;
  std::int32_t category = -1;   // -1: the rule set ignores this signal
  double points = 0;            // before decay
  double decayed = 0;           // at the evaluation time; 0 when superseded (mode latest)
  bool superseded = false;      // mode latest: a later report replaced it
};

// One category's share of a score.
struct CategoryScore {
  std::uint32_t category = 0;
  std::uint32_t signals = 0;          // signals that count
  std::uint32_t relevant = 0;         // of those, the ones still worth >= 0.5 points
  std::int32_t first_relevant_minute = kNoMinute;
  std::int32_t first_minute = kNoMinute;
  std::int32_t last_minute = kNoMinute;
  double value = 0;                   // decayed total before the cap
  bool capped = false;
  std::int64_t points = 0;            // what it adds: round(min(cap, value))
  std::int64_t latest_amount_cents = 0; // mode latest: the latest report's amount
  std::int32_t latest_severity = 0;
};

// One combination that applied.
struct CombinationScore {
  std::uint32_t combination = 0;
  std::int64_t points = 0;
};

// A score with every reason for it.
struct ScoreBreakdown {
  std::int32_t at_minute = kNoMinute; // when it was evaluated
  std::int64_t total = 0;             // sum of the category and combination points, >= 0
  Level level = Level::green;
  std::vector<CategoryScore> categories;     // categories with at least one signal, in rule order
  std::vector<CombinationScore> combinations; // those that applied
  std::vector<SignalContribution> signals;   // one per input, in input order
};

// Evaluates `inputs` at `at_minute` (kNoMinute: at the latest signal's minute). The order of
// `inputs` does not matter except among signals of a `latest` category in the same minute,
// where the higher seq wins.
ScoreBreakdown evaluate_inputs(const RuleSet &rules, const std::vector<SignalInput> &inputs,
                               std::int32_t at_minute = kNoMinute);

// The O(1) state of one tenancy: per category a running value and its reference minute,
// stored by the caller (K doubles and K ints; K = rules.categories.size()).
struct StateRef {
  double *value;
  std::int32_t *minute;
};

// Empties a state.
void reset_state(const RuleSet &rules, StateRef state);

// Adds one signal of `category` with `points` at `minute`. Signals must arrive in
// increasing seq; their minutes may be in any order.
void add_to_state(const CategoryParams &category, std::size_t index, StateRef state, std::int32_t minute,
                  double points);

// The latest minute with a signal in the state, or kNoMinute.
std::int32_t latest_minute(const RuleSet &rules, const double *value, const std::int32_t *minute);

// The total score of a state at `at_minute` (>= every minute in it).
std::int64_t state_score(const RuleSet &rules, const double *value, const std::int32_t *minute,
                         std::int32_t at_minute);

// The whole points a category adds for its decayed value `value`: at most its cap,
// rounded half away from zero. The one rounding every scoring path uses.
inline std::int64_t category_points(const CategoryParams &category, double value) {
  return static_cast<std::int64_t>(std::llround(value > category.cap ? category.cap : value));
}

// True when a category last seen at `minute` (kNoMinute: never) lies within `window_days`
// of `at_minute` (a combination's condition).
inline bool within_window(std::int32_t minute, std::int32_t at_minute, double window_days) {
  return minute != kNoMinute && static_cast<double>(at_minute - minute) <= window_days * 1440.0;
}

// True when a signal of `category` with this severity and amount counts at all.
inline bool counts(const CategoryParams &category, std::int32_t severity, std::int64_t amount_cents) {
  return severity >= category.min_severity && amount_cents >= category.min_amount_cents;
}

} // namespace hearth::early_warning
