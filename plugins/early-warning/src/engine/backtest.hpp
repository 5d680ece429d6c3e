// The backtest: replays labelled histories (signals and ground-truth outcomes) through a
// rule set and measures how well its flags would have warned. Work is split in parts whose
// evidence merges, so a caller can show progress; the report is computed from the merged
// evidence alone. docs/early-warning.md ("Backtest") defines every figure.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <Poco/JSON/Object.h>

#include "engine/rule_set.hpp"
#include "engine/score.hpp"

namespace hearth::early_warning {

// One tenancy's labelled history.
struct LabelledHistory {
  std::string tenancy_id;
  std::string neighbourhood;     // its unit's buurt code
  std::string outcome;           // stable, help_accepted, notice_to_quit, eviction
  std::int64_t decided_ms = 0;   // when the outcome was decided (UTC midnight)
  std::vector<SignalInput> signals;
};

// True for the outcomes a warning should come before: notice to quit and eviction.
bool is_adverse(const std::string &outcome);

// What the replay of one tenancy found.
struct Verdict {
  bool included = false;           // false: its outcome was decided before the window
  bool adverse = false;
  std::int64_t max_score = 0;      // highest score in the window, before the decision
  std::int64_t first_red_ms = -1;  // first time it was red in the window, before the decision
  std::int64_t first_amber_ms = -1;
};

// Replays `history` in the order things happened (occurred_at, then seq) and scores it at
// the window's start and after each signal in [from_ms, to_ms) that came before the
// decision.
Verdict judge(const RuleSet &rules, const LabelledHistory &history, std::int64_t from_ms, std::int64_t to_ms);

// Counts that merge by adding.
struct Evidence {
  std::int64_t amber_from = 0;  // the thresholds of the rule set that made it
  std::int64_t red_from = 0;
  std::map<std::int64_t, std::pair<std::int64_t, std::int64_t>> scores; // max score -> (adverse, other)
  std::vector<std::int64_t> lead_days;                                  // adverse tenancies that went red
  std::map<std::string, std::int64_t> outcomes;                         // included tenancies per outcome
  std::map<std::string, std::int64_t> red_by_outcome;
  struct Area {
    std::int64_t tenancies = 0, red = 0, adverse = 0;
  };
  std::map<std::string, Area> neighbourhoods;
  std::int64_t excluded = 0;    // decided before the window

  void add(const LabelledHistory &history, const Verdict &verdict);
  void merge(const Evidence &other);
  Poco::JSON::Object::Ptr to_json() const;
  // Throws std::invalid_argument naming the field when `json` is not evidence.
  static Evidence from_json(const Poco::JSON::Object::Ptr &json);
};

// The figures of `evidence`: precision, recall and false-positive rate at the red and
// amber thresholds and at the top `top_k` scores (0: as many as there were adverse
// outcomes), median lead time and its histogram, calibration by score band and by level,
// the precision/recall curve, the score distribution, and flag rates by neighbourhood.
Poco::JSON::Object::Ptr backtest_report(const Evidence &evidence, std::int64_t top_k);

// "YYYY-MM-DD" as Unix epoch ms at 00:00 UTC; throws std::invalid_argument otherwise.
std::int64_t parse_date_ms(const std::string &date);

} // namespace hearth::early_warning
