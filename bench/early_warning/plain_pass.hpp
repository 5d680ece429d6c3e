// The benchmark's in-memory peer: one plain loop over the packed signals for the shipped
// default rule set, its parameters written out as constants in one table, no rule-set
// object, no episode rule. Every tenancy's score at one minute.
#pragma once

#include <cstdint>
#include <vector>

#include "engine/rule_set.hpp"
#include "engine/scorer.hpp"

namespace hearth::bench::early_warning {

class PlainPass {
public:
  // Maps the default rule set's category ids to this pass's constants; throws
  // std::runtime_error when `rules` is not the default rule set this pass was written for.
  explicit PlainPass(const hearth::early_warning::RuleSet &rules);
  // Scores of tenancies 0 .. tenancies-1 at `at_minute` (0 for a tenancy without signals).
  const std::vector<std::int64_t> &run(const hearth::early_warning::PackedSignals &signals, std::size_t tenancies,
                                       std::int32_t at_minute);

private:
  struct Constants {
    double points, per_severity, per_100_euro, half_life_minutes, cap;
    std::int64_t min_amount;
    bool latest;
  };
  std::vector<Constants> by_category_; // indexed by the rule set's category index
  std::int32_t arrears_ = 0, nuisance_ = 0;
  std::vector<double> value_;
  std::vector<std::int32_t> minute_;
  std::vector<std::int64_t> scores_;
};

} // namespace hearth::bench::early_warning
