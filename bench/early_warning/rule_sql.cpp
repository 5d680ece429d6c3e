#include "rule_sql.hpp"

#include <cmath>
#include <cstdio>
#include <set>

namespace hearth::bench::early_warning {
namespace {

std::string real(double value) {
  char text[64];
  std::snprintf(text, sizeof text, "%.17g", value);
  std::string out = text;
  if (out.find_first_of(".e") == std::string::npos) {
    out += ".0";
  }
  return out;
}

std::string quoted(const std::string &text) { return "'" + text + "'"; }

} // namespace

std::string rule_set_sql(const hearth::early_warning::RuleSet &rules, const std::string &table, std::int32_t at_minute,
                         SqlDialect dialect) {
  using hearth::early_warning::CombineMode;
  const std::string at = std::to_string(at_minute);
  // Category of a signal: exact details first, then TYPE/*.
  std::string category = "CASE";
  for (const bool wildcard : {false, true}) {
    for (const auto &p : rules.patterns) {
      if ((p.detail == "*") != wildcard) {
        continue;
      }
      category += " WHEN type = " + quoted(p.type) + (wildcard ? "" : " AND detail = " + quoted(p.detail)) + " THEN " +
                  std::to_string(p.category);
    }
  }
  category += " END";
  std::string points = "CASE cat", filter = "CASE cat", half_life = "CASE cat", cap = "CASE cat";
  std::string sum_categories;
  for (std::size_t c = 0; c < rules.categories.size(); ++c) {
    const auto &rule = rules.categories[c];
    const std::string id = std::to_string(c);
    points += " WHEN " + id + " THEN " + real(rule.points) + " + " + real(rule.points_per_severity) + " * severity + " +
              real(rule.points_per_100_euro) + " * amount_cents / 10000.0";
    filter += " WHEN " + id + " THEN (severity >= " + std::to_string(rule.min_severity) +
              " AND amount_cents >= " + std::to_string(rule.min_amount_cents) + ")";
    half_life += " WHEN " + id + " THEN " + real(rule.half_life_days * 1440.0);
    cap += " WHEN " + id + " THEN " + real(rule.cap);
    if (rule.mode == CombineMode::sum) {
      sum_categories += (sum_categories.empty() ? "" : ", ") + id;
    }
  }
  points += " END";
  filter += " END";
  half_life += " END";
  cap += " END";
  const bool pg = dialect == SqlDialect::postgresql;
  const std::string round_open = pg ? "ROUND((" : "ROUND(";
  const std::string round_close = pg ? ")::numeric)" : ")";

  std::set<std::uint32_t> combined;
  for (const auto &combination : rules.combinations) {
    combined.insert(combination.first);
    combined.insert(combination.second);
  }
  std::string lasts;
  for (const auto c : combined) {
    lasts += ", MAX(CASE WHEN cat = " + std::to_string(c) + " THEN last END) AS last_" + std::to_string(c);
  }
  std::string bonus = "0";
  for (const auto &combination : rules.combinations) {
    const std::string window = real(combination.window_days * 1440.0);
    bonus += " + CASE WHEN " + at + " - last_" + std::to_string(combination.first) + " <= " + window + " AND " + at +
             " - last_" + std::to_string(combination.second) + " <= " + window + " THEN " +
             std::to_string(static_cast<long long>(std::llround(combination.points))) + " ELSE 0 END";
  }
  const std::string greatest = pg ? "GREATEST" : "MAX";
  return "WITH s AS (SELECT tenancy_id, seq, occurred_at_ms / 60000 AS minute, " + category +
         " AS cat, severity, amount_cents FROM " + table +
         "), p AS (SELECT tenancy_id, seq, minute, cat, " + points +
         " AS points, ROW_NUMBER() OVER (PARTITION BY tenancy_id, cat ORDER BY minute DESC, seq DESC) AS rn FROM s"
         " WHERE cat IS NOT NULL AND " + filter +
         "), c AS (SELECT tenancy_id, cat, SUM(points * POWER(2.0, -(" + at + " - minute) / " + half_life +
         ")) AS value, MAX(minute) AS last FROM p WHERE rn = 1" +
         (sum_categories.empty() ? "" : " OR cat IN (" + sum_categories + ")") +
         " GROUP BY tenancy_id, cat), t AS (SELECT tenancy_id, SUM(" + round_open + "CASE WHEN value > " + cap +
         " THEN " + cap + " ELSE value END" + round_close + ") AS points" + lasts +
         " FROM c GROUP BY tenancy_id) SELECT tenancy_id, CAST(" + greatest + "(0, points + " + bonus +
         ") AS BIGINT) AS score FROM t ORDER BY tenancy_id";
}

} // namespace hearth::bench::early_warning
