#include "engine/explanation.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace hearth::early_warning {
namespace {

std::string number_text(double value) {
  const auto rounded = std::llround(value);
  if (std::abs(value - static_cast<double>(rounded)) < 1e-9) {
    return std::to_string(rounded);
  }
  std::string text = std::to_string(std::llround(value * 10) / 10.0);
  text.erase(text.find_last_not_of('0') + 1);
  return text;
}

std::string signed_points(std::int64_t points) { return (points >= 0 ? "+" : "") + std::to_string(points); }

// Fills the {placeholders} of a rule file's template.
std::string fill(const std::string &pattern, const CategoryScore &score, std::int32_t at_minute, Language language) {
  const std::uint32_t count = score.relevant > 0 ? score.relevant : score.signals;
  const std::int32_t first = score.relevant > 0 ? score.first_relevant_minute : score.first_minute;
  std::int64_t days = 1;
  if (first != kNoMinute) {
    days = std::max<std::int64_t>(1, (static_cast<std::int64_t>(at_minute) - first + 1439) / 1440);
  }
  std::string out;
  for (std::size_t at = 0; at < pattern.size();) {
    if (pattern[at] == '{') {
      const auto end = pattern.find('}', at);
      const std::string name = pattern.substr(at, end == std::string::npos ? std::string::npos : end - at + 1);
      if (name == "{count}") {
        out += std::to_string(count);
      } else if (name == "{days}") {
        out += std::to_string(days);
      } else if (name == "{amount}") {
        out += format_euro(score.latest_amount_cents, language);
      } else if (name == "{severity}") {
        out += std::to_string(score.latest_severity);
      } else {
        out += name;
      }
      at += name.size();
    } else {
      out += pattern[at++];
    }
  }
  return out;
}

} // namespace

bool parse_language(const std::string &text, Language &language) {
  if (text == "nl") {
    language = Language::nl;
  } else if (text == "en") {
    language = Language::en;
  } else {
    return false;
  }
  return true;
}

std::string level_word(Level level, Language language) {
  const bool nl = language == Language::nl;
  switch (level) {
  case Level::green: return nl ? "groen" : "green";
  case Level::amber: return nl ? "oranje" : "amber";
  case Level::red: return nl ? "rood" : "red";
  case Level::none: break;
  }
  return nl ? "geen" : "none";
}

std::string format_euro(std::int64_t cents, Language language) {
  const bool negative = cents < 0;
  const std::uint64_t magnitude = negative ? static_cast<std::uint64_t>(-(cents + 1)) + 1 : static_cast<std::uint64_t>(cents);
  std::string whole = std::to_string(magnitude / 100);
  const char group = language == Language::nl ? '.' : ',';
  for (int at = static_cast<int>(whole.size()) - 3; at > 0; at -= 3) {
    whole.insert(static_cast<std::size_t>(at), 1, group);
  }
  const std::uint64_t rest = magnitude % 100;
  const std::string fraction = (rest < 10 ? "0" : "") + std::to_string(rest);
  const std::string sign = negative ? "-" : "";
  return language == Language::nl ? sign + "€ " + whole + "," + fraction : sign + "€" + whole + "." + fraction;
}

std::string Explanation::text() const {
  std::string out;
  for (const auto &line : lines) {
    out += line + "\n";
  }
  out += summary + "\n" + advice + "\n" + rule_set;
  return out;
}

Explanation explain(const RuleSet &rules, const ScoreBreakdown &score, Language language) {
  const bool nl = language == Language::nl;
  Explanation out;
  // The heaviest reasons first; equal ones in the rule set's order.
  std::vector<CategoryScore> categories = score.categories;
  std::stable_sort(categories.begin(), categories.end(),
                   [](const CategoryScore &a, const CategoryScore &b) { return a.points > b.points; });
  for (const auto &category_score : categories) {
    if (category_score.points == 0) {
      continue;
    }
    const Category &category = rules.categories[category_score.category];
    const std::uint32_t count = category_score.relevant > 0 ? category_score.relevant : category_score.signals;
    const Label &pattern = count == 1 ? category.explain_one : category.explain;
    std::string line = fill(nl ? pattern.nl : pattern.en, category_score, score.at_minute, language) + ": " +
                       signed_points(category_score.points);
    if (category_score.capped) {
      line += nl ? " (maximum voor " + category.label.nl + " bereikt)" : " (the maximum for " + category.label.en + ")";
    }
    out.lines.push_back(std::move(line));
  }
  for (const auto &combination_score : score.combinations) {
    const Combination &combination = rules.combinations[combination_score.combination];
    out.lines.push_back((nl ? combination.label.nl : combination.label.en) + ": " +
                        signed_points(combination_score.points));
  }
  if (out.lines.empty()) {
    out.lines.push_back(nl ? "Geen signalen die punten geven." : "No signals that give points.");
  }
  const std::string level = level_word(score.level, language);
  out.summary = nl ? "Totaal " + std::to_string(score.total) + " punten: " + level + " (oranje vanaf " +
                         number_text(rules.amber_from) + ", rood vanaf " + number_text(rules.red_from) + ")."
                   : "Total " + std::to_string(score.total) + " points: " + level + " (amber from " +
                         number_text(rules.amber_from) + ", red from " + number_text(rules.red_from) + ").";
  out.advice = nl ? "Dit is een advies, geen besluit: een medewerker beoordeelt het en legt vast waarom."
                  : "This is advice, not a decision: a person reviews it and records why.";
  out.rule_set = (nl ? "Regelset " : "Rule set ") + rules.name + (nl ? ", versie " : ", version ") + rules.version +
                 " (sha256 " + rules.short_hash() + ").";
  return out;
}

} // namespace hearth::early_warning
