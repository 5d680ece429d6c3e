// Explanations in plain Dutch and English: one line per category and combination that
// adds points, lines that add up to the total, the level, the rule set, and that the
// flag is advice.
#include <gtest/gtest.h>

#include "engine/explanation.hpp"
#include "rule_files.hpp"

namespace ew = hearth::early_warning;
using namespace hearth::test::early_warning;

namespace {

constexpr std::int64_t kDay = 86'400'000;
constexpr std::int64_t kT0 = 1'735'689'600'000;

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

ew::ScoreBreakdown escalating() {
  return ew::evaluate_inputs(default_rules(), {signal(1, "OVE", "GEL", kT0 - 59 * kDay, 0, 3),
                                               signal(2, "OVE", "", kT0 - 30 * kDay, 0, 3),
                                               signal(3, "SCH", "BET", kT0 - 2 * kDay, 145'000),
                                               signal(4, "OVE", "GEL", kT0, 0, 3)});
}

} // namespace

TEST(EarlyWarningExplanation, DutchLinesAddUpAndSayItIsAdvice) {
  const auto &rules = default_rules();
  const auto text = ew::explain(rules, escalating(), ew::Language::nl);
  EXPECT_EQ(text.lines, (std::vector<std::string>{"huurachterstand van € 1.450,00 (laatste melding): +28",
                                                  "3 overlastmeldingen in 59 dagen: +18",
                                                  "huurachterstand en overlast binnen 90 dagen: +15"}));
  EXPECT_EQ(text.summary, "Totaal 61 punten: rood (oranje vanaf 30, rood vanaf 60).");
  EXPECT_EQ(text.advice, "Dit is een advies, geen besluit: een medewerker beoordeelt het en legt vast waarom.");
  EXPECT_EQ(text.rule_set, "Regelset hearth-default, versie " + rules.version + " (sha256 " + rules.short_hash() + ").");
  EXPECT_EQ(text.text(), text.lines[0] + "\n" + text.lines[1] + "\n" + text.lines[2] + "\n" + text.summary + "\n" +
                             text.advice + "\n" + text.rule_set);
}

TEST(EarlyWarningExplanation, EnglishLines) {
  const auto text = ew::explain(default_rules(), escalating(), ew::Language::en);
  EXPECT_EQ(text.lines, (std::vector<std::string>{"rent arrears of €1,450.00 (latest report): +28",
                                                  "3 nuisance reports in 59 days: +18",
                                                  "rent arrears and nuisance within 90 days: +15"}));
  EXPECT_EQ(text.summary, "Total 61 points: red (amber from 30, red from 60).");
  EXPECT_EQ(text.advice, "This is advice, not a decision: a person reviews it and records why.");
}

TEST(EarlyWarningExplanation, SingleSignalCapAndNothing) {
  const auto &rules = default_rules();
  const auto one = ew::explain(rules, ew::evaluate_inputs(rules, {signal(1, "SCH", "DEU", kT0, 300'000, 4)}),
                               ew::Language::nl);
  EXPECT_EQ(one.lines, (std::vector<std::string>{"deurwaarder ingeschakeld: +25"}));
  EXPECT_EQ(one.summary, "Totaal 25 punten: groen (oranje vanaf 30, rood vanaf 60).");

  std::vector<ew::SignalInput> many;
  for (std::uint64_t i = 0; i < 8; ++i) {
    many.push_back(signal(i + 1, "OVE", "GEL", kT0 - static_cast<std::int64_t>(i) * kDay, 0, 5));
  }
  const auto capped = ew::explain(rules, ew::evaluate_inputs(rules, many), ew::Language::en);
  EXPECT_EQ(capped.lines, (std::vector<std::string>{"8 nuisance reports in 7 days: +40 (the maximum for nuisance)"}));

  const auto nothing = ew::explain(rules, ew::evaluate_inputs(rules, {signal(1, "ONB", "AMB", kT0)}), ew::Language::en);
  EXPECT_EQ(nothing.lines, (std::vector<std::string>{"No signals that give points."}));
  EXPECT_EQ(nothing.summary, "Total 0 points: green (amber from 30, red from 60).");
}

TEST(EarlyWarningExplanation, OldSignalsThatNoLongerCountAreNotCounted) {
  const auto &rules = default_rules();
  // A report two years ago is worth nothing now; the line counts only the recent two.
  const auto score = ew::evaluate_inputs(rules, {signal(1, "OVE", "GEL", kT0 - 730 * kDay, 0, 3),
                                                 signal(2, "OVE", "GEL", kT0 - 10 * kDay, 0, 3),
                                                 signal(3, "OVE", "GEL", kT0, 0, 3)});
  const auto text = ew::explain(rules, score, ew::Language::nl);
  EXPECT_EQ(text.lines, (std::vector<std::string>{"2 overlastmeldingen in 10 dagen: +15"}));
}

TEST(EarlyWarningExplanation, EuroAndLevelWords) {
  EXPECT_EQ(ew::format_euro(0, ew::Language::nl), "€ 0,00");
  EXPECT_EQ(ew::format_euro(123456789, ew::Language::nl), "€ 1.234.567,89");
  EXPECT_EQ(ew::format_euro(123456789, ew::Language::en), "€1,234,567.89");
  EXPECT_EQ(ew::format_euro(-505, ew::Language::en), "-€5.05");
  EXPECT_EQ(ew::level_word(ew::Level::amber, ew::Language::nl), "oranje");
  EXPECT_EQ(ew::level_word(ew::Level::red, ew::Language::en), "red");
  ew::Language language{};
  EXPECT_TRUE(ew::parse_language("en", language));
  EXPECT_EQ(language, ew::Language::en);
  EXPECT_FALSE(ew::parse_language("de", language));
}
