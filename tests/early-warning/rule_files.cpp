#include "rule_files.hpp"

#include "engine/rule_loader.hpp"

namespace hearth::test::early_warning {

namespace ew = hearth::early_warning;

std::filesystem::path scoring_dir() { return std::filesystem::path(HEARTH_TEST_SOURCE_DIR) / "config" / "scoring"; }

const ew::ProtectedAttributes &shipped_protected_list() {
  static const auto list = ew::ProtectedAttributes::load(scoring_dir() / "protected-attributes.txt");
  return list;
}

const ew::RuleSet &default_rules() {
  static const auto rules = ew::load_rule_set(scoring_dir() / "default.ini", shipped_protected_list());
  return rules;
}

std::string small_rule_text(const std::string &extra) {
  return "[rule_set]\n"
         "name = small\n"
         "version = 1\n"
         "[levels]\n"
         "amber = 10\n"
         "red = 20\n"
         "[category.arrears]\n"
         "label.nl = huurachterstand\n"
         "label.en = rent arrears\n"
         "explain.nl = huurachterstand van {amount}\n"
         "explain.en = rent arrears of {amount}\n"
         "signals = SCH/BET\n"
         "data_class = finance\n"
         "mode = latest\n"
         "points_per_100_euro = 1\n"
         "half_life_days = 30\n"
         "cap = 12\n"
         "[category.nuisance]\n"
         "label.nl = overlast\n"
         "label.en = nuisance\n"
         "explain.nl = {count} overlastmeldingen in {days} dagen\n"
         "explain.en = {count} nuisance reports in {days} days\n"
         "explain_one.nl = 1 overlastmelding\n"
         "explain_one.en = 1 nuisance report\n"
         "signals = OVE/*\n"
         "data_class = nuisance\n"
         "points = 4\n"
         "half_life_days = 10\n"
         "cap = 10\n"
         "[combination.both]\n"
         "label.nl = huurachterstand en overlast binnen 7 dagen\n"
         "label.en = rent arrears and nuisance within 7 days\n"
         "categories = arrears, nuisance\n"
         "window_days = 7\n"
         "points = 3\n" +
         extra;
}

ew::RuleSet compile(const std::string &text) {
  return ew::compile_rule_set(text, "test.ini", shipped_protected_list());
}

} // namespace hearth::test::early_warning
