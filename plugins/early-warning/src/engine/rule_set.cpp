#include "engine/rule_set.hpp"

#include <algorithm>

namespace hearth::early_warning {

const char *level_name(Level level) {
  switch (level) {
  case Level::green: return "green";
  case Level::amber: return "amber";
  case Level::red: return "red";
  case Level::none: break;
  }
  return "none";
}

bool parse_level(std::string_view text, Level &level) {
  if (text == "green") {
    level = Level::green;
  } else if (text == "amber") {
    level = Level::amber;
  } else if (text == "red") {
    level = Level::red;
  } else {
    return false;
  }
  return true;
}

std::int32_t RuleSet::category_of(std::string_view type, std::string_view detail) const {
  std::int32_t any_detail = -1;
  for (const auto &pattern : patterns) {
    if (pattern.type != type) {
      continue;
    }
    if (pattern.detail == detail) {
      return static_cast<std::int32_t>(pattern.category);
    }
    if (pattern.detail == "*") {
      any_detail = static_cast<std::int32_t>(pattern.category);
    }
  }
  return any_detail;
}

Level RuleSet::level_of(std::int64_t score) const {
  if (static_cast<double>(score) >= red_from) {
    return Level::red;
  }
  if (static_cast<double>(score) >= amber_from) {
    return Level::amber;
  }
  return Level::green;
}

std::vector<std::string> RuleSet::data_classes() const {
  std::vector<std::string> classes;
  for (const auto &category : categories) {
    classes.push_back(category.data_class);
  }
  std::sort(classes.begin(), classes.end());
  classes.erase(std::unique(classes.begin(), classes.end()), classes.end());
  return classes;
}

CategoryParams params_of(const Category &category) {
  CategoryParams p;
  p.points = category.points;
  p.points_per_severity = category.points_per_severity;
  p.points_per_100_euro = category.points_per_100_euro;
  p.half_life_minutes = category.half_life_days * 1440.0;
  p.cap = category.cap;
  p.min_amount_cents = category.min_amount_cents;
  p.min_severity = category.min_severity;
  p.latest = category.mode == CombineMode::latest;
  return p;
}

} // namespace hearth::early_warning
