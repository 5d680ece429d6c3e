#include "plain_pass.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace hearth::bench::early_warning {
namespace {

constexpr std::int32_t kNever = std::numeric_limits<std::int32_t>::min();
constexpr std::size_t kCategories = 8;

} // namespace

PlainPass::PlainPass(const hearth::early_warning::RuleSet &rules) : by_category_(rules.categories.size()) {
  // config/scoring/default.ini, version 2026.1, written out.
  struct Known {
    const char *id;
    Constants constants;
  };
  static const Known known[kCategories] = {
      {"arrears", {0, 0, 2, 60 * 1440.0, 40, 5000, true}},
      {"bailiff", {25, 0, 0, 180 * 1440.0, 25, 0, false}},
      {"arrangement_broken", {15, 0, 0, 90 * 1440.0, 15, 0, false}},
      {"nuisance", {2, 2, 0, 60 * 1440.0, 40, 0, false}},
      {"improper_use", {10, 0, 0, 120 * 1440.0, 20, 0, false}},
      {"aggression", {12, 0, 0, 120 * 1440.0, 30, 0, false}},
      {"no_access", {4, 0, 0, 90 * 1440.0, 10, 0, false}},
      {"missed_appointment", {3, 0, 0, 60 * 1440.0, 9, 0, false}},
  };
  if (rules.categories.size() != kCategories || rules.combinations.size() != 1) {
    throw std::runtime_error("the plain pass is written for the default rule set");
  }
  for (std::size_t c = 0; c < rules.categories.size(); ++c) {
    const auto &rule = rules.categories[c];
    const auto found = std::find_if(std::begin(known), std::end(known), [&](const Known &k) { return rule.id == k.id; });
    if (found == std::end(known) || rule.cap != found->constants.cap || rule.points != found->constants.points) {
      throw std::runtime_error("the plain pass does not know category '" + rule.id + "' as the rule set has it");
    }
    by_category_[c] = found->constants;
    if (rule.id == "arrears") {
      arrears_ = static_cast<std::int32_t>(c);
    }
    if (rule.id == "nuisance") {
      nuisance_ = static_cast<std::int32_t>(c);
    }
  }
}

const std::vector<std::int64_t> &PlainPass::run(const hearth::early_warning::PackedSignals &signals,
                                                std::size_t tenancies, std::int32_t at_minute) {
  value_.assign(tenancies * kCategories, 0.0);
  minute_.assign(tenancies * kCategories, kNever);
  scores_.assign(tenancies, 0);
  const std::size_t n = signals.size();
  for (std::size_t i = 0; i < n; ++i) {
    const std::int32_t c = signals.category[i];
    if (c < 0) {
      continue;
    }
    const Constants &k = by_category_[static_cast<std::size_t>(c)];
    if (signals.amount_cents[i] < k.min_amount) {
      continue;
    }
    const double points = k.points + k.per_severity * signals.severity[i] +
                          k.per_100_euro * (static_cast<double>(signals.amount_cents[i]) / 10000.0);
    const std::size_t slot = static_cast<std::size_t>(signals.tenancy[i]) * kCategories + static_cast<std::size_t>(c);
    const std::int32_t m = signals.minute[i];
    std::int32_t &ref = minute_[slot];
    double &value = value_[slot];
    if (ref == kNever) {
      value = points;
      ref = m;
    } else if (k.latest) {
      if (m >= ref) {
        value = points;
        ref = m;
      }
    } else if (m > ref) {
      value = value * std::exp2(-static_cast<double>(m - ref) / k.half_life_minutes) + points;
      ref = m;
    } else {
      value += points * std::exp2(-static_cast<double>(ref - m) / k.half_life_minutes);
    }
  }
  const double window = 90 * 1440.0;
  for (std::size_t t = 0; t < tenancies; ++t) {
    std::int64_t total = 0;
    std::int32_t latest = kNever;
    for (std::size_t c = 0; c < kCategories; ++c) {
      latest = std::max(latest, minute_[t * kCategories + c]);
    }
    if (latest == kNever) {
      continue;
    }
    const std::int32_t at = std::max(at_minute, latest);
    for (std::size_t c = 0; c < kCategories; ++c) {
      const std::int32_t ref = minute_[t * kCategories + c];
      if (ref == kNever) {
        continue;
      }
      const Constants &k = by_category_[c];
      const double v = value_[t * kCategories + c] * std::exp2(-static_cast<double>(at - ref) / k.half_life_minutes);
      total += std::llround(std::min(v, k.cap));
    }
    const std::int32_t a = minute_[t * kCategories + static_cast<std::size_t>(arrears_)];
    const std::int32_t b = minute_[t * kCategories + static_cast<std::size_t>(nuisance_)];
    if (a != kNever && b != kNever && at - a <= window && at - b <= window) {
      total += 15;
    }
    scores_[t] = std::max<std::int64_t>(total, 0);
  }
  return scores_;
}

} // namespace hearth::bench::early_warning
