// The backtest's replay of one tenancy, its evidence (merging, JSON both ways) and the
// report's figures, on histories and counts small enough to check by hand.
#include <gtest/gtest.h>

#include <Poco/JSON/Array.h>

#include "engine/backtest.hpp"
#include "rule_files.hpp"

namespace ew = hearth::early_warning;
using namespace hearth::test::early_warning;

namespace {

constexpr std::int64_t kDay = 86'400'000;

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

// small_rule_text(): arrears 1 point per 100 euro (cap 12, latest), nuisance 4 (cap 10),
// both within 7 days +3; amber 10, red 20.
const ew::RuleSet &rules() {
  static const ew::RuleSet compiled = compile(small_rule_text());
  return compiled;
}

} // namespace

TEST(EarlyWarningBacktest, DatesParse) {
  EXPECT_EQ(ew::parse_date_ms("1970-01-01"), 0);
  EXPECT_EQ(ew::parse_date_ms("2024-02-29"), 1'709'164'800'000);
  for (const char *bad : {"2023-02-29", "2025-13-01", "2025-1-01", "20250101", "2025-01-01x", ""}) {
    EXPECT_THROW(ew::parse_date_ms(bad), std::invalid_argument) << bad;
  }
}

TEST(EarlyWarningBacktest, ReplayScoresTheWindowBeforeTheDecision) {
  const std::int64_t from = ew::parse_date_ms("2025-01-01");
  const std::int64_t to = ew::parse_date_ms("2025-07-01");
  ew::LabelledHistory history;
  history.tenancy_id = "T-1";
  history.neighbourhood = "BU1";
  history.outcome = "eviction";
  history.decided_ms = from + 100 * kDay;
  history.signals = {
      signal(5, "OVE", "GEL", from + 41 * kDay),          // 4 + arrears 12 + both within 7 days 3 = 19
      signal(1, "SCH", "BET", from - 2 * kDay, 100'000),  // before the window: 10 points, 10 at its start
      signal(2, "SCH", "BET", from + 40 * kDay, 120'000), // 12 (the cap)
      signal(3, "OVE", "", from + 42 * kDay),             // nuisance 8 + arrears 11 + 3 = 22: red
      signal(4, "OVE", "", from + 150 * kDay),            // after the decision: not scored
  };
  const auto verdict = ew::judge(rules(), history, from, to);
  EXPECT_TRUE(verdict.included);
  EXPECT_TRUE(verdict.adverse);
  EXPECT_EQ(verdict.first_amber_ms, from) << "10 points of arrears still there when the window opened";
  EXPECT_EQ(verdict.first_red_ms, from + 42 * kDay);
  EXPECT_EQ(verdict.max_score, 22);
  // Decided before the window: left out.
  history.decided_ms = from - kDay;
  EXPECT_FALSE(ew::judge(rules(), history, from, to).included);
  // Nothing in the window and nothing before: scored 0 at the start.
  ew::LabelledHistory quiet;
  quiet.outcome = "stable";
  quiet.decided_ms = to;
  const auto calm = ew::judge(rules(), quiet, from, to);
  EXPECT_TRUE(calm.included);
  EXPECT_FALSE(calm.adverse);
  EXPECT_EQ(calm.max_score, 0);
  EXPECT_EQ(calm.first_red_ms, -1);
}

TEST(EarlyWarningBacktest, ReportFiguresFromKnownCounts) {
  ew::Evidence evidence;
  evidence.amber_from = 30;
  evidence.red_from = 60;
  evidence.scores = {{70, {2, 1}}, {40, {1, 3}}, {10, {0, 10}}};
  evidence.lead_days = {90, 30};
  evidence.outcomes = {{"eviction", 1}, {"notice_to_quit", 2}, {"stable", 14}};
  evidence.red_by_outcome = {{"eviction", 1}, {"notice_to_quit", 1}, {"stable", 1}};
  evidence.neighbourhoods = {{"BU1", {10, 2, 2}}, {"BU2", {7, 1, 1}}};
  const auto report = ew::backtest_report(evidence, 0);
  EXPECT_EQ(report->getValue<std::int64_t>("tenancies"), 17);
  EXPECT_EQ(report->getValue<std::int64_t>("adverse_outcomes"), 3);
  const auto red = report->getObject("at_red");
  EXPECT_EQ(red->getValue<std::int64_t>("true_positives"), 2);
  EXPECT_EQ(red->getValue<std::int64_t>("false_positives"), 1);
  EXPECT_EQ(red->getValue<std::int64_t>("false_negatives"), 1);
  EXPECT_EQ(red->getValue<std::int64_t>("true_negatives"), 13);
  EXPECT_DOUBLE_EQ(red->getValue<double>("precision"), 0.6667);
  EXPECT_DOUBLE_EQ(red->getValue<double>("recall"), 0.6667);
  EXPECT_DOUBLE_EQ(red->getValue<double>("false_positive_rate"), 0.0714);
  const auto amber = report->getObject("at_amber");
  EXPECT_DOUBLE_EQ(amber->getValue<double>("recall"), 1.0);
  EXPECT_DOUBLE_EQ(amber->getValue<double>("precision"), 0.4286);
  // Top k = 3 adverse outcomes: the band at 70 holds exactly 3.
  EXPECT_EQ(report->getObject("top_k")->getValue<std::int64_t>("k"), 3);
  EXPECT_DOUBLE_EQ(report->getObject("top_k")->getValue<double>("precision"), 0.6667);
  // Top 5: all of 70 and half of the band at 40 (4 tenancies, 1 adverse): 2 + 0.5 hits.
  const auto top5 = ew::backtest_report(evidence, 5)->getObject("top_k");
  EXPECT_DOUBLE_EQ(top5->getValue<double>("precision"), 0.5);
  EXPECT_DOUBLE_EQ(top5->getValue<double>("recall"), 0.8333);
  EXPECT_DOUBLE_EQ(report->getObject("lead_time")->getValue<double>("median_days"), 60.0);
  const auto bins = report->getObject("lead_time")->getArray("histogram");
  EXPECT_EQ(bins->getObject(1)->getValue<std::int64_t>("count"), 1); // 30-59
  EXPECT_EQ(bins->getObject(3)->getValue<std::int64_t>("count"), 1); // 90-119
  // Calibration: band 70-79 holds 3, of which 2 adverse.
  const auto calibration = report->getArray("calibration");
  ASSERT_EQ(calibration->size(), 3u);
  EXPECT_EQ(calibration->getObject(2)->getValue<std::int64_t>("from_score"), 70);
  EXPECT_DOUBLE_EQ(calibration->getObject(2)->getValue<double>("observed_rate"), 0.6667);
  // The curve starts at the highest threshold.
  const auto curve = report->getArray("precision_recall");
  EXPECT_EQ(curve->getObject(0)->getValue<std::int64_t>("threshold"), 70);
  EXPECT_DOUBLE_EQ(curve->getObject(2)->getValue<double>("recall"), 1.0);
  // Disparity: overall red rate 3/17; BU1 2/10 -> ratio 1.1333.
  EXPECT_DOUBLE_EQ(report->getValue<double>("overall_red_rate"), 0.1765);
  EXPECT_DOUBLE_EQ(report->getArray("neighbourhoods")->getObject(0)->getValue<double>("red_rate_ratio"), 1.1333);
}

TEST(EarlyWarningBacktest, EvidenceMergesAndSurvivesJson) {
  ew::Evidence a, b;
  a.amber_from = b.amber_from = 30;
  a.red_from = b.red_from = 60;
  a.scores = {{70, {1, 0}}};
  b.scores = {{70, {0, 2}}, {5, {0, 1}}};
  a.lead_days = {12};
  b.neighbourhoods = {{"BU9", {3, 2, 0}}};
  b.excluded = 4;
  auto merged = ew::Evidence::from_json(a.to_json());
  merged.merge(ew::Evidence::from_json(b.to_json()));
  EXPECT_EQ(merged.scores.at(70), (std::pair<std::int64_t, std::int64_t>{1, 2}));
  EXPECT_EQ(merged.scores.at(5), (std::pair<std::int64_t, std::int64_t>{0, 1}));
  EXPECT_EQ(merged.lead_days, std::vector<std::int64_t>{12});
  EXPECT_EQ(merged.neighbourhoods.at("BU9").red, 2);
  EXPECT_EQ(merged.excluded, 4);
  EXPECT_EQ(merged.red_from, 60);
  Poco::JSON::Object::Ptr broken = new Poco::JSON::Object;
  broken->set("amber_from", 30);
  EXPECT_THROW(ew::Evidence::from_json(broken), std::invalid_argument);
  EXPECT_THROW(ew::Evidence::from_json(nullptr), std::invalid_argument);
}
