// Conformance with the VERA standard as the fixtures publish it: every message the VERA
// tests send validates against its resource's schema (strictly: no field the schema lacks),
// and every VERA code the adapter knows is a code of Referentiedata.csv.
#include <fstream>
#include <set>
#include <sstream>

#include <gtest/gtest.h>

#include "openapi_fixtures.hpp"
#include "test_environment.hpp"
#include "vera_adapter/vera_codes.hpp"
#include "vera_adapter/vera_parser.hpp"
#include "vera_messages.hpp"

namespace hearth::test::vera {
namespace {

using adapters::vera::vera_resources;

std::string joined(const std::vector<std::string> &problems) {
  std::string out;
  for (const auto &problem : problems) {
    out += "  " + problem + "\n";
  }
  return out;
}

TEST(VeraConformance, EverySampleMessageValidatesAgainstItsSchema) {
  HEARTH_REQUIRE_OR_SKIP(fixtures_dir().has_value(), "../shared/fixtures is absent");
  for (const auto &resource : vera_resources()) {
    const auto message = sample(std::string(resource.path));
    ASSERT_FALSE(message.isNull()) << resource.path;
    const auto problems =
        validate_against_fixture("vera/" + std::string(resource.schema_file), std::string(resource.schema), message);
    EXPECT_TRUE(problems.empty()) << resource.name << " against " << resource.schema << ":\n" << joined(problems);
  }
}

TEST(VeraConformance, TheValidatorRefusesAMessageTheSchemaDoesNotDescribe) {
  HEARTH_REQUIRE_OR_SKIP(fixtures_dir().has_value(), "../shared/fixtures is absent");
  auto wrong_type = copy(signalering());
  wrong_type->set("begindatum", 20240301);
  EXPECT_FALSE(validate_against_fixture("vera/Relaties.yaml", "Signaleringbericht", wrong_type).empty());
  auto wrong_format = copy(signalering());
  wrong_format->set("begindatum", "2024-03-01");
  EXPECT_FALSE(validate_against_fixture("vera/Relaties.yaml", "Signaleringbericht", wrong_format).empty());
  auto invented = copy(signalering());
  invented->set("huurovereenkomst", kTenancy); // not a Signalering field: extra-attributen carry it
  EXPECT_FALSE(validate_against_fixture("vera/Relaties.yaml", "Signaleringbericht", invented).empty());
}

TEST(VeraConformance, EveryKnownCodeIsInTheReferenceData) {
  const auto fixtures = fixtures_dir();
  HEARTH_REQUIRE_OR_SKIP(fixtures.has_value(), "../shared/fixtures is absent");
  std::ifstream csv(*fixtures / "vera" / "Referentiedata.csv");
  ASSERT_TRUE(csv) << "Referentiedata.csv";
  std::set<std::pair<std::string, std::string>> published;
  std::string line;
  while (std::getline(csv, line)) {
    std::istringstream fields(line);
    std::string list, code;
    std::getline(fields, list, ';');
    std::getline(fields, code, ';');
    published.emplace(list, code);
  }
  ASSERT_GT(published.size(), 1000u);
  for (const auto &known : adapters::vera::known_vera_codes()) {
    EXPECT_TRUE(published.contains({std::string(known.list), std::string(known.code)}))
        << known.list << "." << known.code << " is not in Referentiedata.csv";
  }
}

TEST(VeraConformance, EveryResourceSchemaExistsInItsFixture) {
  HEARTH_REQUIRE_OR_SKIP(fixtures_dir().has_value(), "../shared/fixtures is absent");
  for (const auto &resource : vera_resources()) {
    const auto *validator = fixture_validator("vera/" + std::string(resource.schema_file));
    ASSERT_NE(validator, nullptr) << resource.schema_file;
    EXPECT_NO_THROW(validator->validate_component(std::string(resource.schema), Poco::Dynamic::Var(sample(std::string(resource.path)))))
        << resource.schema;
  }
}

} // namespace
} // namespace hearth::test::vera
