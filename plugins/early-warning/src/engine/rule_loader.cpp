#include "engine/rule_loader.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <Poco/AutoPtr.h>
#include <Poco/DigestEngine.h>
#include <Poco/NumberParser.h>
#include <Poco/SHA2Engine.h>
#include <Poco/Util/IniFileConfiguration.h>

namespace hearth::early_warning {
namespace {

using Config = Poco::Util::AbstractConfiguration;

// Every leaf key below `prefix` with its value, in the order Poco lists them.
void collect(const Config &config, const std::string &prefix, std::vector<std::pair<std::string, std::string>> &out) {
  Config::Keys children;
  config.keys(prefix, children);
  if (children.empty() && !prefix.empty()) {
    out.emplace_back(prefix, config.getString(prefix, ""));
    return;
  }
  for (const auto &child : children) {
    collect(config, prefix.empty() ? child : prefix + "." + child, out);
  }
}

std::string trim(const std::string &text) {
  const auto first = text.find_first_not_of(" \t\r");
  if (first == std::string::npos) {
    return {};
  }
  return text.substr(first, text.find_last_not_of(" \t\r") - first + 1);
}

std::vector<std::string> split_list(const std::string &text) {
  std::vector<std::string> items;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    if (auto t = trim(item); !t.empty()) {
      items.push_back(t);
    }
  }
  return items;
}

bool is_code(const std::string &code) {
  if (code.empty() || code.size() > 16 || !(code[0] >= 'A' && code[0] <= 'Z')) {
    return false;
  }
  return std::all_of(code.begin(), code.end(),
                     [](char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'; });
}

bool is_identifier(const std::string &id) {
  return !id.empty() && std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

// Reads the keys of one file, remembering which were used so that the rest can be
// reported as unknown.
class Reader {
public:
  Reader(const Config &config, std::string origin) : config_(config), origin_(std::move(origin)) {}

  [[noreturn]] void fail(const std::string &key, const std::string &reason) const {
    throw RuleSetError(origin_ + ": " + key + ": " + reason);
  }

  bool has(const std::string &key) const { return config_.hasProperty(key); }

  std::string text(const std::string &key, const std::string &fallback) {
    used_.insert(key);
    return trim(config_.getString(key, fallback));
  }

  std::string required_text(const std::string &key) {
    if (!has(key) || trim(config_.getString(key)).empty()) {
      fail(key, "missing");
    }
    return text(key, "");
  }

  // A finite number in [low, high] (or above `low` when `above` is set).
  double number(const std::string &key, double fallback, double low, double high, bool required = false,
                bool above = false) {
    if (!has(key)) {
      if (required) {
        fail(key, "missing");
      }
      return fallback;
    }
    const std::string raw = text(key, "");
    double value = 0;
    if (!Poco::NumberParser::tryParseFloat(raw, value) || !std::isfinite(value)) {
      fail(key, "'" + raw + "' is not a number");
    }
    if ((above ? value <= low : value < low) || value > high) {
      std::ostringstream range;
      range << (above ? "above " : "from ") << low << " to " << high;
      fail(key, "'" + raw + "' is out of range (" + range.str() + ")");
    }
    return value;
  }

  Label label(const std::string &key) { return Label{required_text(key + ".nl"), required_text(key + ".en")}; }

  // The child names of section group `group` ("category" -> "arrears", ...).
  std::vector<std::string> children(const std::string &group) const {
    Config::Keys keys;
    config_.keys(group, keys);
    return {keys.begin(), keys.end()};
  }

  // Fails on the first key that was never read.
  void reject_unknown(const std::vector<std::pair<std::string, std::string>> &all) const {
    for (const auto &[key, value] : all) {
      if (used_.count(key) == 0) {
        fail(key, "unknown key");
      }
    }
  }

  const std::string &origin() const { return origin_; }

private:
  const Config &config_;
  std::string origin_;
  std::set<std::string> used_;
};

std::string sha256_hex(const std::string &text) {
  Poco::SHA2Engine engine(Poco::SHA2Engine::SHA_256);
  engine.update(text);
  return Poco::DigestEngine::digestToHex(engine.digest());
}

const std::set<std::string> &scorable_data_classes() {
  static const std::set<std::string> classes{"contact", "housing", "finance", "nuisance"};
  return classes;
}

void read_category(Reader &in, const std::string &id, RuleSet &rules, std::map<std::string, std::uint32_t> &index) {
  const std::string key = "category." + id;
  if (!is_identifier(id)) {
    in.fail(key, "a category id is lower-case letters, digits, '_' or '-'");
  }
  Category category;
  category.id = id;
  const std::string input = in.text(key + ".input", "signal");
  if (input != "signal") {
    in.fail(key + ".input", "'" + input + "' is not an input a rule set can read (supported: signal)");
  }
  category.label = in.label(key + ".label");
  category.explain = Label{in.text(key + ".explain.nl", category.label.nl + ": {count} in {days} dagen"),
                           in.text(key + ".explain.en", category.label.en + ": {count} in {days} days")};
  category.explain_one = Label{in.text(key + ".explain_one.nl", category.explain.nl),
                               in.text(key + ".explain_one.en", category.explain.en)};
  for (const auto *text : {&category.explain.nl, &category.explain.en, &category.explain_one.nl,
                           &category.explain_one.en}) {
    for (auto at = text->find('{'); at != std::string::npos; at = text->find('{', at + 1)) {
      const auto end = text->find('}', at);
      const std::string name = end == std::string::npos ? text->substr(at) : text->substr(at, end - at + 1);
      if (name != "{count}" && name != "{days}" && name != "{amount}" && name != "{severity}") {
        in.fail(key + ".explain", "'" + name + "' is not one of {count}, {days}, {amount}, {severity}");
      }
    }
  }
  const std::string mode = in.text(key + ".mode", "sum");
  if (mode == "sum") {
    category.mode = CombineMode::sum;
  } else if (mode == "latest") {
    category.mode = CombineMode::latest;
  } else {
    in.fail(key + ".mode", "'" + mode + "' is not one of sum, latest");
  }
  category.points = in.number(key + ".points", 0, -1000, 1000);
  category.points_per_severity = in.number(key + ".points_per_severity", 0, -1000, 1000);
  category.points_per_100_euro = in.number(key + ".points_per_100_euro", 0, -1000, 1000);
  category.half_life_days = in.number(key + ".half_life_days", 0, 0, 36500, true, true);
  category.cap = in.number(key + ".cap", 0, 0, 100000, true, true);
  category.min_severity = static_cast<std::int32_t>(in.number(key + ".min_severity", 0, 0, 5));
  category.min_amount_cents = static_cast<std::int64_t>(in.number(key + ".min_amount_cents", 0, 0, 1e12));
  category.data_class = in.required_text(key + ".data_class");
  if (category.data_class == "care") {
    in.fail(key + ".data_class",
            "care data stays with the care side (docs/data.md); a rule set may not score it");
  }
  if (scorable_data_classes().count(category.data_class) == 0) {
    in.fail(key + ".data_class", "'" + category.data_class + "' is not one of contact, housing, finance, nuisance");
  }
  const auto signals = split_list(in.required_text(key + ".signals"));
  const auto number = static_cast<std::uint32_t>(rules.categories.size());
  for (const auto &item : signals) {
    const auto slash = item.find('/');
    SignalPattern pattern;
    pattern.type = trim(item.substr(0, slash));
    pattern.detail = slash == std::string::npos ? "" : trim(item.substr(slash + 1));
    pattern.category = number;
    if (!is_code(pattern.type) || (!pattern.detail.empty() && pattern.detail != "*" && !is_code(pattern.detail))) {
      in.fail(key + ".signals", "'" + item + "' is not TYPE, TYPE/DETAIL or TYPE/* (codes in capitals)");
    }
    for (const auto &other : rules.patterns) {
      if (other.type == pattern.type && other.detail == pattern.detail) {
        in.fail(key + ".signals", "'" + item + "' is already matched by category '" +
                                      rules.categories[other.category].id + "'");
      }
    }
    rules.patterns.push_back(pattern);
  }
  index[id] = number;
  rules.categories.push_back(std::move(category));
}

void read_combination(Reader &in, const std::string &id, RuleSet &rules,
                      const std::map<std::string, std::uint32_t> &index) {
  const std::string key = "combination." + id;
  if (!is_identifier(id)) {
    in.fail(key, "a combination id is lower-case letters, digits, '_' or '-'");
  }
  Combination combination;
  combination.id = id;
  combination.label = in.label(key + ".label");
  const auto names = split_list(in.required_text(key + ".categories"));
  if (names.size() != 2 || names[0] == names[1]) {
    in.fail(key + ".categories", "names two different categories");
  }
  for (std::size_t i = 0; i < 2; ++i) {
    const auto found = index.find(names[i]);
    if (found == index.end()) {
      in.fail(key + ".categories", "'" + names[i] + "' is not a category of this rule set");
    }
    (i == 0 ? combination.first : combination.second) = found->second;
  }
  combination.window_days = in.number(key + ".window_days", 0, 0, 36500, true, true);
  combination.points = in.number(key + ".points", 0, -1000, 1000, true);
  rules.combinations.push_back(std::move(combination));
}

} // namespace

RuleSet compile_rule_set(const std::string &text, const std::string &origin,
                         const ProtectedAttributes &protected_attributes) {
  Poco::AutoPtr<Poco::Util::IniFileConfiguration> config;
  try {
    std::istringstream stream(text);
    config = new Poco::Util::IniFileConfiguration(stream);
  } catch (const std::exception &e) {
    throw RuleSetError(origin + ": not a rule file: " + e.what());
  }
  std::vector<std::pair<std::string, std::string>> all;
  collect(*config, "", all);

  // The guard comes first: a protected attribute is refused whatever else is wrong.
  for (const auto &[key, value] : all) {
    for (const std::string *part : {&key, &value}) {
      if (auto term = protected_attributes.find_in(*part)) {
        throw RuleSetError(origin + ": " + key + ": '" + term->term + "' is a protected attribute or a proxy of one" +
                           (term->reason.empty() ? "" : " (" + term->reason + ")") +
                           "; a rule set may not use it (list: " + protected_attributes.origin() + ")");
      }
    }
  }

  Reader in(*config, origin);
  RuleSet rules;
  rules.source_text = text;
  rules.source_name = origin;
  rules.sha256 = sha256_hex(text);
  rules.name = in.required_text("rule_set.name");
  rules.version = in.required_text("rule_set.version");
  rules.description = Label{in.text("rule_set.description.nl", ""), in.text("rule_set.description.en", "")};
  rules.amber_from = in.number("levels.amber", 0, 0, 100000, true, true);
  rules.red_from = in.number("levels.red", 0, 0, 100000, true, true);
  if (rules.red_from <= rules.amber_from) {
    in.fail("levels.red", "must be above levels.amber");
  }
  const std::string flag_from = in.text("levels.flag_from", "amber");
  if (!parse_level(flag_from, rules.flag_from) || rules.flag_from == Level::green) {
    in.fail("levels.flag_from", "'" + flag_from + "' is not one of amber, red");
  }

  std::map<std::string, std::uint32_t> index;
  for (const auto &id : in.children("category")) {
    read_category(in, id, rules, index);
  }
  if (rules.categories.empty()) {
    in.fail("category", "a rule set needs at least one [category.<id>] section");
  }
  if (rules.categories.size() > 32) {
    in.fail("category", "at most 32 categories");
  }
  for (const auto &id : in.children("combination")) {
    read_combination(in, id, rules, index);
  }
  for (const auto &section : in.children("")) {
    if (section != "rule_set" && section != "levels" && section != "category" && section != "combination") {
      in.fail(section, "unknown section (known: rule_set, levels, category.<id>, combination.<id>)");
    }
  }
  in.reject_unknown(all);
  for (const auto &category : rules.categories) {
    rules.params.push_back(params_of(category));
  }
  return rules;
}

RuleSet load_rule_set(const std::filesystem::path &file, const ProtectedAttributes &protected_attributes) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    throw RuleSetError(file.string() + ": cannot read the rule file");
  }
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return compile_rule_set(bytes.str(), file.string(), protected_attributes);
}

} // namespace hearth::early_warning
