// The rule loader: the shipped files load; every malformed rule file is refused with the
// file, the key and the reason; protected attributes and their proxies are refused
// wherever they appear, before anything else is checked.
#include <fstream>

#include <gtest/gtest.h>

#include "engine/rule_loader.hpp"
#include "rule_files.hpp"
#include "test_environment.hpp"

namespace ew = hearth::early_warning;
using namespace hearth::test::early_warning;

namespace {

// The message compile() throws for `text`, or "" when it compiles.
std::string refusal(const std::string &text) {
  try {
    compile(text);
  } catch (const ew::RuleSetError &e) {
    return e.what();
  }
  return "";
}

std::string replaced(std::string text, const std::string &from, const std::string &to) {
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return text.replace(at, from.size(), to);
}

} // namespace

TEST(EarlyWarningRuleLoader, ShippedDefaultRuleSetLoads) {
  const auto &rules = default_rules();
  EXPECT_EQ(rules.name, "hearth-default");
  EXPECT_FALSE(rules.version.empty());
  EXPECT_EQ(rules.sha256.size(), 64u);
  EXPECT_EQ(rules.categories.size(), 8u);
  EXPECT_EQ(rules.combinations.size(), 1u);
  EXPECT_EQ(rules.level_of(29), ew::Level::green);
  EXPECT_EQ(rules.level_of(30), ew::Level::amber);
  EXPECT_EQ(rules.level_of(60), ew::Level::red);
  EXPECT_EQ(rules.flag_from, ew::Level::amber);
  EXPECT_EQ(rules.data_classes(), (std::vector<std::string>{"contact", "finance", "housing", "nuisance"}));
  // Exact details win over "*"; unknown and care codes are ignored.
  EXPECT_EQ(rules.categories.at(static_cast<std::size_t>(rules.category_of("SCH", "BET"))).id, "arrears");
  EXPECT_EQ(rules.categories.at(static_cast<std::size_t>(rules.category_of("SCH", "DEU"))).id, "bailiff");
  EXPECT_EQ(rules.categories.at(static_cast<std::size_t>(rules.category_of("OVE", "GEL"))).id, "nuisance");
  EXPECT_EQ(rules.category_of("ONB", "AMB"), -1);
  EXPECT_EQ(rules.category_of("X-BTR", ""), -1);
  EXPECT_EQ(rules.category_of("ONE", "OND"), -1);
}

TEST(EarlyWarningRuleLoader, ShippedListNamesTheProtectedAttributesOfTheIssue) {
  const auto &list = shipped_protected_list();
  for (const char *word : {"nationality", "ethnicity", "birthplace", "religion", "nationaliteit", "geboorteplaats",
                           "postcode", "country of birth", "CountryOfBirth"}) {
    EXPECT_TRUE(list.find_in(word).has_value()) << word;
  }
  for (const char *word : {"nuisance", "rent arrears", "overlastmeldingen", "agressie", "damage"}) {
    EXPECT_FALSE(list.find_in(word).has_value()) << word;
  }
}

TEST(EarlyWarningRuleLoader, HashIsOfTheBytesAndVersionIsKept) {
  const auto a = compile(small_rule_text());
  const auto b = compile(small_rule_text("\n"));
  EXPECT_EQ(a.version, "1");
  EXPECT_NE(a.sha256, b.sha256);
  EXPECT_EQ(a.sha256, compile(small_rule_text()).sha256);
  EXPECT_EQ(a.short_hash(), a.sha256.substr(0, 12));
  EXPECT_EQ(a.source_text, small_rule_text());
}

TEST(EarlyWarningRuleLoader, ProtectedAttributeInAnyPlaceIsRefusedWithFileKeyTermAndReason) {
  struct Case {
    std::string text;
    std::string key;
    std::string term;
  };
  const std::vector<Case> cases = {
      {small_rule_text("[category.nationality]\nlabel.nl = x\n"), "category.nationality.label.nl", "nationality"},
      {replaced(small_rule_text(), "label.en = nuisance", "label.en = nuisance by ethnicity"),
       "category.nuisance.label.en", "ethnicity"},
      {replaced(small_rule_text(), "data_class = nuisance", "data_class = nuisance\ninput = country-of-birth"),
       "category.nuisance.input", "country_of_birth"},
      {replaced(small_rule_text(), "points = 4", "points = 4\nwhere.religion = x"), "category.nuisance.where.religion",
       "religion"},
      {replaced(small_rule_text(), "signals = OVE/*", "signals = OVE/*\ngeboorteplaats = NL"),
       "category.nuisance.geboorteplaats", "geboorteplaats"},
      {replaced(small_rule_text(), "name = small", "name = small\npostcode = 1000"), "rule_set.postcode", "postcode"},
  };
  for (const auto &c : cases) {
    const std::string message = refusal(c.text);
    EXPECT_NE(message.find("test.ini: " + c.key + ": '" + c.term + "' is a protected attribute or a proxy of one"),
              std::string::npos)
        << message;
    EXPECT_NE(message.find("a rule set may not use it (list: "), std::string::npos) << message;
    EXPECT_NE(message.find("protected-attributes.txt"), std::string::npos) << message;
  }
  // The reason from the list is quoted.
  EXPECT_NE(refusal(cases[5].text).find("(proxy for ethnicity and income (SyRI targeted neighbourhoods))"),
            std::string::npos);
  // The guard comes before any other check: a file that is otherwise broken still says why.
  EXPECT_NE(refusal("[rule_set]\nnationality = yes\n").find("'nationality' is a protected attribute"),
            std::string::npos);
}

TEST(EarlyWarningRuleLoader, ConfiguredListDecides) {
  const auto list = ew::ProtectedAttributes::from_terms({{"shoe size", "a site's own proxy"}}, "site-list.txt");
  const std::string text = replaced(small_rule_text(), "points = 4", "points = 4\nwhere.shoe_size = 44");
  try {
    ew::compile_rule_set(text, "site.ini", list);
    FAIL() << "expected a refusal";
  } catch (const ew::RuleSetError &e) {
    EXPECT_STREQ(e.what(), "site.ini: category.nuisance.where.shoe_size: 'shoe_size' is a protected attribute or a "
                           "proxy of one (a site's own proxy); a rule set may not use it (list: site-list.txt)");
  }
}

TEST(EarlyWarningRuleLoader, ProtectedListFileMustExistAndNameSomething) {
  hearth::test::ScratchDir scratch;
  EXPECT_THROW(ew::ProtectedAttributes::load(scratch.path() / "missing.txt"), std::runtime_error);
  const auto empty = scratch.path() / "empty.txt";
  std::ofstream(empty) << "# only comments\n\n";
  try {
    ew::ProtectedAttributes::load(empty);
    FAIL() << "an empty list must be refused";
  } catch (const std::runtime_error &e) {
    EXPECT_NE(std::string(e.what()).find("empty.txt: the list of protected attributes is empty"), std::string::npos);
  }
}

TEST(EarlyWarningRuleLoader, EveryMalformedFileIsRefusedNamingKeyAndReason) {
  const std::string base = small_rule_text();
  const std::vector<std::pair<std::string, std::string>> cases = {
      {replaced(base, "version = 1\n", ""), "test.ini: rule_set.version: missing"},
      {replaced(base, "amber = 10", "amber = ten"), "test.ini: levels.amber: 'ten' is not a number"},
      {replaced(base, "red = 20", "red = 5"), "test.ini: levels.red: must be above levels.amber"},
      {replaced(base, "amber = 10\n", "amber = 10\nflag_from = green\n"),
       "test.ini: levels.flag_from: 'green' is not one of amber, red"},
      {replaced(base, "data_class = nuisance", "data_class = care"),
       "test.ini: category.nuisance.data_class: care data stays with the care side (docs/data.md); a rule set may "
       "not score it"},
      {replaced(base, "data_class = nuisance", "data_class = gossip"),
       "test.ini: category.nuisance.data_class: 'gossip' is not one of contact, housing, finance, nuisance"},
      {replaced(base, "half_life_days = 10", "half_life_days = 0"),
       "test.ini: category.nuisance.half_life_days: '0' is out of range (above 0 to 36500)"},
      {replaced(base, "cap = 10", "cap = -1"), "test.ini: category.nuisance.cap: '-1' is out of range (above 0 to 100000)"},
      {replaced(base, "half_life_days = 10\n", ""), "test.ini: category.nuisance.half_life_days: missing"},
      {replaced(base, "mode = latest", "mode = newest"), "test.ini: category.arrears.mode: 'newest' is not one of sum, latest"},
      {replaced(base, "signals = OVE/*", "signals = ove/gel"),
       "test.ini: category.nuisance.signals: 'ove/gel' is not TYPE, TYPE/DETAIL or TYPE/* (codes in capitals)"},
      {replaced(base, "signals = OVE/*", "signals = SCH/BET"),
       "test.ini: category.nuisance.signals: 'SCH/BET' is already matched by category 'arrears'"},
      {replaced(base, "points = 4", "pointz = 4"), "test.ini: category.nuisance.pointz: unknown key"},
      {replaced(base, "categories = arrears, nuisance", "categories = arrears, noise"),
       "test.ini: combination.both.categories: 'noise' is not a category of this rule set"},
      {replaced(base, "categories = arrears, nuisance", "categories = arrears"),
       "test.ini: combination.both.categories: names two different categories"},
      {replaced(base, "explain.en = {count} nuisance", "explain.en = {cnt} nuisance"),
       "test.ini: category.nuisance.explain: '{cnt}' is not one of {count}, {days}, {amount}, {severity}"},
      {replaced(base, "data_class = nuisance", "data_class = nuisance\ninput = tenant_file"),
       "test.ini: category.nuisance.input: 'tenant_file' is not an input a rule set can read (supported: signal)"},
      {base + "[weights]\nx = 1\n", "test.ini: weights: unknown section"},
      {"[rule_set]\nname = x\nversion = 1\n[levels]\namber = 1\nred = 2\n",
       "test.ini: category: a rule set needs at least one [category.<id>] section"},
      {replaced(base, "label.en = nuisance\n", ""), "test.ini: category.nuisance.label.en: missing"},
  };
  for (const auto &[text, expected] : cases) {
    const std::string message = refusal(text);
    EXPECT_EQ(message.rfind(expected, 0), 0u) << "expected: " << expected << "\n     got: " << message;
  }
}

TEST(EarlyWarningRuleLoader, UnreadableFileIsNamed) {
  try {
    ew::load_rule_set("/nonexistent/rules.ini", shipped_protected_list());
    FAIL();
  } catch (const ew::RuleSetError &e) {
    EXPECT_STREQ(e.what(), "/nonexistent/rules.ini: cannot read the rule file");
  }
}
