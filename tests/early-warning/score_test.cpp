// The points model: decay, caps, the latest-report mode, combinations, levels; and the
// incremental scorer against the direct definition on generated histories (scores and
// the flags the episode rule raises), including a full rescore.
#include <gtest/gtest.h>

#include "engine/scorer.hpp"
#include "history_generator.hpp"
#include "rule_files.hpp"

namespace ew = hearth::early_warning;
using namespace hearth::test::early_warning;

namespace {

constexpr std::int64_t kDay = 86'400'000;
constexpr std::int64_t kT0 = 1'735'689'600'000; // 2025-01-01T00:00:00Z

ew::SignalInput signal(std::uint64_t seq, const char *type, const char *detail, std::int64_t at_ms,
                       std::int64_t amount = 0, std::int32_t severity = 0) {
  ew::SignalInput s;
  s.seq = seq;
  s.type = type;
  s.detail = detail;
  s.occurred_at_ms = at_ms;
  s.amount_cents = amount;
  s.severity = severity;
  return s;
}

const ew::RuleSet &small_rules() {
  static const ew::RuleSet rules = compile(small_rule_text());
  return rules;
}

// The flags the episode rule raises, computed from the definition: after every counted
// signal (in arrival order), the score of everything that arrived so far.
std::vector<ew::Raise> oracle_raises(const ew::RuleSet &rules, const std::vector<ew::SignalInput> &arrivals) {
  std::vector<ew::Raise> raises;
  std::vector<ew::SignalInput> prefix;
  ew::Level episode = ew::Level::none;
  for (const auto &s : arrivals) {
    prefix.push_back(s);
    const auto c = rules.category_of(s.type, s.detail);
    if (c < 0 || !ew::counts(rules.params[static_cast<std::size_t>(c)], s.severity, s.amount_cents)) {
      continue;
    }
    const auto score = ew::evaluate_inputs(rules, prefix);
    if (score.level >= rules.flag_from && score.level > episode) {
      raises.push_back({0, s.seq, score.total, score.level, score.at_minute});
      episode = score.level;
    } else if (score.level < rules.flag_from) {
      episode = ew::Level::none;
    }
  }
  return raises;
}

} // namespace

TEST(EarlyWarningScore, PointsHalveEveryHalfLife) {
  const auto score = ew::evaluate_inputs(small_rules(), {signal(1, "OVE", "GEL", kT0)}, ew::minute_of(kT0 + 10 * kDay));
  ASSERT_EQ(score.categories.size(), 1u);
  EXPECT_DOUBLE_EQ(score.categories[0].value, 2.0);
  EXPECT_EQ(score.total, 2);
  EXPECT_EQ(score.level, ew::Level::green);
  EXPECT_DOUBLE_EQ(score.signals[0].points, 4.0);
  EXPECT_DOUBLE_EQ(score.signals[0].decayed, 2.0);
}

TEST(EarlyWarningScore, CapLimitsACategory) {
  const auto score = ew::evaluate_inputs(
      small_rules(), {signal(1, "OVE", "GEL", kT0), signal(2, "OVE", "", kT0), signal(3, "OVE", "GEL", kT0)});
  EXPECT_EQ(score.categories.at(0).points, 10);
  EXPECT_TRUE(score.categories.at(0).capped);
  EXPECT_DOUBLE_EQ(score.categories.at(0).value, 12.0);
  EXPECT_EQ(score.level, ew::Level::amber); // amber from 10
}

TEST(EarlyWarningScore, LatestModeCountsOnlyTheLatestReportWhateverTheArrivalOrder) {
  const auto in_order = ew::evaluate_inputs(
      small_rules(), {signal(1, "SCH", "BET", kT0, 80'000), signal(2, "SCH", "BET", kT0 + kDay, 50'000)});
  const auto late_arrival = ew::evaluate_inputs(
      small_rules(), {signal(1, "SCH", "BET", kT0 + kDay, 50'000), signal(2, "SCH", "BET", kT0, 80'000)});
  for (const auto *score : {&in_order, &late_arrival}) {
    EXPECT_EQ(score->total, 5);
    EXPECT_EQ(score->categories.at(0).latest_amount_cents, 50'000);
    EXPECT_EQ(score->categories.at(0).signals, 2u);
  }
  EXPECT_TRUE(in_order.signals[0].superseded);
  EXPECT_TRUE(late_arrival.signals[1].superseded);
  // In the same minute the later arrival (higher seq) wins.
  const auto same_minute = ew::evaluate_inputs(
      small_rules(), {signal(7, "SCH", "BET", kT0, 90'000), signal(8, "SCH", "BET", kT0, 30'000)});
  EXPECT_EQ(same_minute.total, 3);
}

TEST(EarlyWarningScore, CombinationAppliesOnlyWhenBothFallInItsWindow) {
  const auto within = ew::evaluate_inputs(
      small_rules(), {signal(1, "SCH", "BET", kT0, 100'000), signal(2, "OVE", "GEL", kT0 + 5 * kDay)});
  ASSERT_EQ(within.combinations.size(), 1u);
  EXPECT_EQ(within.combinations[0].points, 3);
  const auto outside = ew::evaluate_inputs(
      small_rules(), {signal(1, "SCH", "BET", kT0, 100'000), signal(2, "OVE", "GEL", kT0 + 8 * kDay)});
  EXPECT_TRUE(outside.combinations.empty());
  // 10 points of arrears decayed over 5 days (half-life 30) + 4 + 3.
  EXPECT_EQ(within.total, 9 + 4 + 3);
  EXPECT_EQ(within.level, ew::Level::amber);
}

TEST(EarlyWarningScore, IgnoredSignalsGiveNothing) {
  const auto &rules = default_rules();
  const auto score = ew::evaluate_inputs(rules, {signal(1, "ONB", "AMB", kT0, 0, 5), signal(2, "X-BTR", "", kT0, 90'000),
                                                 signal(3, "SCH", "BET", kT0, 4'999), signal(4, "ONE", "OND", kT0)});
  EXPECT_EQ(score.total, 0);
  EXPECT_TRUE(score.categories.empty());
  for (const auto &s : score.signals) {
    EXPECT_EQ(s.category, -1);
  }
  EXPECT_EQ(ew::evaluate_inputs(rules, {}).total, 0);
}

TEST(EarlyWarningScore, DefaultRulesOnAnEscalatingTenancy) {
  const auto &rules = default_rules();
  const auto score = ew::evaluate_inputs(rules, {signal(1, "OVE", "GEL", kT0 - 59 * kDay, 0, 3),
                                                 signal(2, "OVE", "", kT0 - 30 * kDay, 0, 3),
                                                 signal(3, "SCH", "BET", kT0 - 2 * kDay, 145'000),
                                                 signal(4, "OVE", "GEL", kT0, 0, 3)});
  // nuisance 8 * (1 + 2^-0.5 + 2^(-59/60)) = 17.7 -> 18; arrears 29 decayed over 2 days
  // (half-life 60) = 28.3 -> 28; both within 90 days: +15.
  EXPECT_EQ(score.total, 18 + 28 + 15);
  EXPECT_EQ(score.level, ew::Level::red);
}

TEST(EarlyWarningScore, IncrementalEqualsDirectOnGeneratedHistories) {
  const auto &rules = default_rules();
  for (const std::uint64_t seed : {1u, 2u, 3u}) {
    const auto history = generate_history(seed, 200, 20'000);
    ew::Scorer scorer(std::make_shared<ew::RuleSet>(rules));
    for (const auto &s : history) {
      const auto t = scorer.add_tenancy(s.tenancy, 0, true);
      scorer.apply(t, rules.category_of(s.input.type, s.input.detail), ew::minute_of(s.input.occurred_at_ms),
                   s.input.severity, s.input.amount_cents);
    }
    std::size_t compared = 0;
    for (const auto &[tenancy, inputs] : by_tenancy(history)) {
      const auto t = *scorer.find(tenancy);
      const auto direct = ew::evaluate_inputs(rules, inputs);
      if (scorer.meta(t).latest_minute == ew::kNoMinute) {
        EXPECT_EQ(direct.total, 0);
        continue;
      }
      EXPECT_EQ(scorer.meta(t).latest_minute, direct.at_minute) << tenancy;
      EXPECT_EQ(scorer.meta(t).score, direct.total) << "seed " << seed << " " << tenancy;
      EXPECT_EQ(scorer.meta(t).level, direct.level) << tenancy;
      for (const std::int32_t later : {1, 1440, 45 * 1440, 400 * 1440}) {
        const std::int32_t at = direct.at_minute + later;
        EXPECT_EQ(scorer.score_at(t, at), ew::evaluate_inputs(rules, inputs, at).total) << tenancy << " +" << later;
      }
      ++compared;
    }
    EXPECT_GT(compared, 150u);
  }
}

TEST(EarlyWarningScore, RaisedFlagsAndFullRescoreEqualTheDefinition) {
  const auto &rules = default_rules();
  const auto history = generate_history(42, 100, 5'000);
  auto shared = std::make_shared<ew::RuleSet>(rules);
  ew::Scorer incremental(shared);
  std::map<std::string, std::vector<ew::Raise>> raised;
  ew::PackedSignals packed;
  for (const auto &s : history) {
    const auto t = incremental.add_tenancy(s.tenancy, 0, true);
    const auto category = rules.category_of(s.input.type, s.input.detail);
    const auto minute = ew::minute_of(s.input.occurred_at_ms);
    const auto applied = incremental.apply(t, category, minute, s.input.severity, s.input.amount_cents);
    if (applied.raise) {
      raised[s.tenancy].push_back({t, s.input.seq, applied.score, applied.level, applied.at_minute});
    }
    packed.push(s.input.seq, t, minute, static_cast<std::int8_t>(category), s.input.severity, s.input.amount_cents);
  }
  std::size_t flags = 0;
  for (const auto &[tenancy, inputs] : by_tenancy(history)) {
    const auto expected = oracle_raises(rules, inputs);
    const auto &got = raised[tenancy];
    ASSERT_EQ(got.size(), expected.size()) << tenancy;
    for (std::size_t i = 0; i < got.size(); ++i) {
      EXPECT_EQ(got[i].seq, expected[i].seq);
      EXPECT_EQ(got[i].score, expected[i].score);
      EXPECT_EQ(got[i].level, expected[i].level);
      EXPECT_EQ(got[i].at_minute, expected[i].at_minute);
    }
    flags += got.size();
  }
  EXPECT_GT(flags, 50u) << "the generated histories should cross the thresholds often";

  // A full rescore of the same signals gives the same state and the same flags.
  ew::Scorer full(shared);
  for (std::uint32_t t = 0; t < incremental.tenancy_count(); ++t) {
    full.add_tenancy(incremental.id_of(t), 0, true);
  }
  const auto raises = full.rescore(packed);
  EXPECT_EQ(raises.size(), flags);
  for (std::uint32_t t = 0; t < incremental.tenancy_count(); ++t) {
    EXPECT_EQ(full.meta(t).score, incremental.meta(t).score);
    EXPECT_EQ(full.meta(t).level, incremental.meta(t).level);
    EXPECT_EQ(full.meta(t).episode, incremental.meta(t).episode);
  }
  // Rescoring twice changes nothing.
  EXPECT_EQ(full.rescore(packed).size(), flags);
  // Scores alone, without the episode rule: the same scores and levels.
  ew::Scorer scores_only(shared);
  for (std::uint32_t t = 0; t < incremental.tenancy_count(); ++t) {
    scores_only.add_tenancy(incremental.id_of(t), 0, true);
  }
  scores_only.rescore_scores(packed);
  for (std::uint32_t t = 0; t < incremental.tenancy_count(); ++t) {
    EXPECT_EQ(scores_only.meta(t).score, incremental.meta(t).score);
    EXPECT_EQ(scores_only.meta(t).level, incremental.meta(t).level);
    EXPECT_EQ(scores_only.meta(t).latest_minute, incremental.meta(t).latest_minute);
  }
}

TEST(EarlyWarningScore, SwitchedOffTenancyIsNotScored) {
  ew::Scorer scorer(std::make_shared<ew::RuleSet>(small_rules()));
  const auto off = scorer.add_tenancy("T-off", 3, false);
  const auto applied = scorer.apply(off, 1, ew::minute_of(kT0), 0, 0);
  EXPECT_FALSE(applied.counted);
  EXPECT_EQ(scorer.meta(off).level, ew::Level::none);
  EXPECT_EQ(scorer.meta(off).neighbourhood, 3);
}

TEST(EarlyWarningScore, ScorerStateStaysUnder200BytesPerTenancy) {
  ew::Scorer scorer(std::make_shared<ew::RuleSet>(default_rules()));
  const std::size_t n = 100'000;
  scorer.reserve(n, n * 14);
  char id[32];
  for (std::size_t i = 0; i < n; ++i) {
    std::snprintf(id, sizeof id, "tenancy-%06zu", i);
    scorer.add_tenancy(id, 0, true);
  }
  const double per_tenancy = static_cast<double>(scorer.memory_bytes()) / static_cast<double>(n);
  RecordProperty("bytes_per_tenancy", std::to_string(per_tenancy));
  EXPECT_LE(per_tenancy, 200.0);
  EXPECT_EQ(*scorer.find("tenancy-054321"), 54321u);
  EXPECT_EQ(scorer.id_of(54321), "tenancy-054321");
  EXPECT_FALSE(scorer.find("tenancy-100000").has_value());
}
