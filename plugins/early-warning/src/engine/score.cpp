#include "engine/score.hpp"

#include <algorithm>
#include <cmath>

namespace hearth::early_warning {
namespace {

// Rounds a category's value to whole points, half away from zero.
std::int64_t round_points(double value) { return static_cast<std::int64_t>(std::llround(value)); }

// The points a category adds for `value` (category_points), and whether its cap applied.
std::int64_t capped_points(const CategoryParams &category, double value, bool *capped = nullptr) {
  if (capped != nullptr) {
    *capped = value > category.cap;
  }
  return category_points(category, value);
}

bool within(std::int32_t minute, std::int32_t at_minute, double window_days) {
  return within_window(minute, at_minute, window_days);
}

} // namespace

std::int32_t minute_of(std::int64_t ms) {
  std::int64_t minutes = ms / 60000;
  if (ms % 60000 < 0) {
    --minutes;
  }
  return static_cast<std::int32_t>(minutes);
}

ScoreBreakdown evaluate_inputs(const RuleSet &rules, const std::vector<SignalInput> &inputs, std::int32_t at_minute) {
  ScoreBreakdown out;
  const std::size_t k = rules.categories.size();
  std::vector<std::int32_t> last(k, kNoMinute);
  std::vector<std::int64_t> latest_index(k, -1); // mode latest: index into inputs
  std::vector<std::uint32_t> count(k, 0);
  out.signals.resize(inputs.size());

  std::int32_t newest = kNoMinute;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    const auto &in = inputs[i];
    auto &contribution = out.signals[i];
    contribution.seq = in.seq;
    const std::int32_t c = rules.category_of(in.type, in.detail);
    if (c < 0 || !counts(rules.params[static_cast<std::size_t>(c)], in.severity, in.amount_cents)) {
      continue;
    }
    const auto cat = static_cast<std::size_t>(c);
    contribution.category = c;
    contribution.points = signal_points(rules.params[cat], in.severity, in.amount_cents);
    const std::int32_t minute = minute_of(in.occurred_at_ms);
    newest = std::max(newest, minute);
    last[cat] = std::max(last[cat], minute);
    ++count[cat];
    if (rules.categories[cat].mode == CombineMode::latest) {
      const auto previous = latest_index[cat];
      if (previous < 0) {
        latest_index[cat] = static_cast<std::int64_t>(i);
      } else {
        const auto &p = inputs[static_cast<std::size_t>(previous)];
        const std::int32_t p_minute = minute_of(p.occurred_at_ms);
        if (minute > p_minute || (minute == p_minute && in.seq > p.seq)) {
          latest_index[cat] = static_cast<std::int64_t>(i);
        }
      }
    }
  }
  out.at_minute = at_minute == kNoMinute ? newest : std::max(at_minute, newest);
  if (out.at_minute == kNoMinute) {
    out.at_minute = at_minute;
  }

  std::vector<CategoryScore> scores(k);
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    auto &contribution = out.signals[i];
    if (contribution.category < 0) {
      continue;
    }
    const auto cat = static_cast<std::size_t>(contribution.category);
    const CategoryParams &category = rules.params[cat];
    const std::int32_t minute = minute_of(inputs[i].occurred_at_ms);
    const double factor = decay(category, static_cast<std::int64_t>(out.at_minute) - minute);
    if (category.latest && latest_index[cat] != static_cast<std::int64_t>(i)) {
      contribution.superseded = true;
      continue;
    }
    contribution.decayed = contribution.points * factor;
    auto &score = scores[cat];
    if (score.first_minute == kNoMinute || minute < score.first_minute) {
      score.first_minute = minute;
    }
    score.value += contribution.decayed;
    if (std::abs(contribution.decayed) >= 0.5) {
      ++score.relevant;
      if (score.first_relevant_minute == kNoMinute || minute < score.first_relevant_minute) {
        score.first_relevant_minute = minute;
      }
    }
    if (category.latest) {
      score.latest_amount_cents = inputs[i].amount_cents;
      score.latest_severity = inputs[i].severity;
    }
  }
  for (std::size_t cat = 0; cat < k; ++cat) {
    if (count[cat] == 0) {
      continue;
    }
    auto &score = scores[cat];
    score.category = static_cast<std::uint32_t>(cat);
    score.signals = count[cat];
    score.last_minute = last[cat];
    score.points = capped_points(rules.params[cat], score.value, &score.capped);
    out.total += score.points;
    out.categories.push_back(score);
  }
  for (std::size_t i = 0; i < rules.combinations.size(); ++i) {
    const auto &combination = rules.combinations[i];
    if (within(last[combination.first], out.at_minute, combination.window_days) &&
        within(last[combination.second], out.at_minute, combination.window_days)) {
      const std::int64_t points = round_points(combination.points);
      out.total += points;
      out.combinations.push_back({static_cast<std::uint32_t>(i), points});
    }
  }
  out.total = std::max<std::int64_t>(out.total, 0);
  out.level = rules.level_of(out.total);
  return out;
}

void reset_state(const RuleSet &rules, StateRef state) {
  for (std::size_t c = 0; c < rules.categories.size(); ++c) {
    state.value[c] = 0;
    state.minute[c] = kNoMinute;
  }
}

void add_to_state(const CategoryParams &category, std::size_t index, StateRef state, std::int32_t minute,
                  double points) {
  double &value = state.value[index];
  std::int32_t &reference = state.minute[index];
  if (reference == kNoMinute) {
    value = points;
    reference = minute;
    return;
  }
  if (category.latest) {
    // Signals arrive in seq order, so a later arrival in the same minute wins, as in
    // evaluate_inputs().
    if (minute >= reference) {
      value = points;
      reference = minute;
    }
    return;
  }
  if (minute > reference) {
    value = value * decay(category, static_cast<std::int64_t>(minute) - reference) + points;
    reference = minute;
  } else {
    value += points * decay(category, static_cast<std::int64_t>(reference) - minute);
  }
}

std::int32_t latest_minute(const RuleSet &rules, const double * /*value*/, const std::int32_t *minute) {
  std::int32_t newest = kNoMinute;
  for (std::size_t c = 0; c < rules.categories.size(); ++c) {
    newest = std::max(newest, minute[c]);
  }
  return newest;
}

std::int64_t state_score(const RuleSet &rules, const double *value, const std::int32_t *minute,
                         std::int32_t at_minute) {
  std::int64_t total = 0;
  const CategoryParams *params = rules.params.data();
  const std::size_t k = rules.params.size();
  for (std::size_t c = 0; c < k; ++c) {
    if (minute[c] == kNoMinute) {
      continue;
    }
    const std::int64_t age = static_cast<std::int64_t>(at_minute) - minute[c];
    // decay() of age 0 is exactly 1: skipping it changes no result.
    total += capped_points(params[c], age == 0 ? value[c] : value[c] * decay(params[c], age));
  }
  for (const auto &combination : rules.combinations) {
    if (within(minute[combination.first], at_minute, combination.window_days) &&
        within(minute[combination.second], at_minute, combination.window_days)) {
      total += round_points(combination.points);
    }
  }
  return std::max<std::int64_t>(total, 0);
}

} // namespace hearth::early_warning
