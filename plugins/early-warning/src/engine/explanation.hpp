// A score in plain words, in Dutch or English: one line per category that added points
// ("3 overlastmeldingen in 60 dagen: +24"), heaviest first, then one per combination, the
// total and level, and the rule set it came from. The lines add up to the total.
#pragma once

#include <string>
#include <vector>

#include "engine/rule_set.hpp"
#include "engine/score.hpp"

namespace hearth::early_warning {

enum class Language { nl, en };

// Parses "nl" or "en"; false for anything else.
bool parse_language(const std::string &text, Language &language);

// The explanation of `score` under `rules`.
struct Explanation {
  std::vector<std::string> lines; // the reasons, one per category or combination with points
  std::string summary;            // "Totaal 54 punten: oranje (oranje vanaf 30, rood vanaf 60)."
  std::string advice;             // that this is advice for a person to decide on
  std::string rule_set;           // "Regelset hearth-default, versie 2026.1 (sha256 3f2a...)."
  // Everything joined with newlines.
  std::string text() const;
};

Explanation explain(const RuleSet &rules, const ScoreBreakdown &score, Language language);

// A level's name in `language` ("oranje" / "amber").
std::string level_word(Level level, Language language);

// An amount of euro cents as people write it: "€ 1.450,00" (nl) or "€1,450.00" (en).
std::string format_euro(std::int64_t cents, Language language);

} // namespace hearth::early_warning
