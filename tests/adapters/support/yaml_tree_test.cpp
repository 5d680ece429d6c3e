// The YAML loader: scalars typed as YAML plain scalars are, quoted ones kept as text,
// mappings and sequences as Poco JSON objects and arrays, aliases resolved, errors named.
#include <gtest/gtest.h>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include "test_environment.hpp"
#include "yaml_tree.hpp"

namespace hearth::test {
namespace {

TEST(YamlTree, TypesPlainScalarsAndKeepsQuotedOnesAsText) {
  const auto root = load_yaml_text("a: 12\nb: '12'\nc: true\nd: ~\ne: 1.5\nf: text here\ng: \"false\"\n")
                        .extract<Poco::JSON::Object::Ptr>();
  EXPECT_TRUE(root->get("a").isInteger());
  EXPECT_EQ(root->getValue<int>("a"), 12);
  EXPECT_TRUE(root->get("b").isString());
  EXPECT_TRUE(root->get("c").isBoolean());
  EXPECT_TRUE(root->isNull("d"));
  EXPECT_DOUBLE_EQ(root->getValue<double>("e"), 1.5);
  EXPECT_EQ(root->getValue<std::string>("f"), "text here");
  EXPECT_TRUE(root->get("g").isString());
}

TEST(YamlTree, ReadsNestedSequencesAndMappingsAndAliases) {
  const auto root =
      load_yaml_text("base: &b {x: 1}\nlist:\n  - one\n  - {k: v}\n  - *b\n").extract<Poco::JSON::Object::Ptr>();
  const auto list = root->getArray("list");
  ASSERT_EQ(list->size(), 3u);
  EXPECT_EQ(list->getElement<std::string>(0), "one");
  EXPECT_EQ(list->getObject(1)->getValue<std::string>("k"), "v");
  EXPECT_EQ(list->getObject(2)->getValue<int>("x"), 1);
}

TEST(YamlTree, NamesTheLineOfASyntaxError) {
  try {
    load_yaml_text("a: [1, 2\nb: 3\n");
    FAIL() << "expected a YamlError";
  } catch (const YamlError &error) {
    EXPECT_NE(std::string(error.what()).find("line"), std::string::npos) << error.what();
  }
  EXPECT_THROW(load_yaml_text("a: *nowhere\n"), YamlError);
  EXPECT_THROW(load_yaml_file("/nonexistent/openapi.yaml"), YamlError);
}

TEST(YamlTree, LoadsEveryVeraFixture) {
  const auto fixtures = fixtures_dir();
  HEARTH_REQUIRE_OR_SKIP(fixtures.has_value(), "../shared/fixtures is absent");
  for (const char *name : {"Relaties.yaml", "BDO.yaml", "BOG.yaml", "INC.yaml", "VHE.yaml", "OHD.yaml"}) {
    const auto root = load_yaml_file(*fixtures / "vera" / name).extract<Poco::JSON::Object::Ptr>();
    EXPECT_EQ(root->getValue<std::string>("openapi").substr(0, 2), "3.") << name;
    EXPECT_FALSE(root->getObject("components")->getObject("schemas").isNull()) << name;
  }
}

} // namespace
} // namespace hearth::test
