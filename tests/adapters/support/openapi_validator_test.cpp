// The OpenAPI-subset validator: each keyword it supports accepts what fits and names the
// path and the reason for what does not; strict mode refuses names the schema lacks.
#include <gtest/gtest.h>

#include <Poco/JSON/Parser.h>

#include "openapi_validator.hpp"
#include "yaml_tree.hpp"

namespace hearth::test {
namespace {

const char *const kDocument = R"(
openapi: 3.0.0
components:
  schemas:
    Code:
      type: object
      properties:
        code: {type: string}
        naam: {type: string}
    Thing:
      type: object
      required: [id]
      properties:
        id: {type: string, minLength: 2, maxLength: 5, pattern: '^T'}
        soort:
          allOf: [{$ref: '#/components/schemas/Code'}]
        when: {type: string, format: date-time}
        day: {type: string, format: date}
        count: {type: integer, format: int32, minimum: 0, maximum: 10}
        amount: {type: number}
        flag: {type: boolean}
        tags: {type: array, items: {type: string}, maxItems: 2}
        colour: {type: string, enum: [red, green]}
        link: {type: string, format: uri}
    Person:
      type: object
      properties: {voornaam: {type: string}}
    Company:
      type: object
      properties: {kvk: {type: string}}
    Party:
      oneOf: [{$ref: '#/components/schemas/Person'}, {$ref: '#/components/schemas/Company'}]
    Message:
      allOf: [{$ref: '#/components/schemas/Thing'}, {type: object, properties: {extra: {type: string}}}]
    Open:
      type: object
      additionalProperties: {type: integer}
    Closed:
      type: object
      additionalProperties: false
      properties: {a: {type: string}}
)";

class OpenApiValidatorTest : public testing::Test {
protected:
  std::vector<std::string> check(const std::string &schema, const std::string &json, bool strict = true) {
    const OpenApiValidator validator(load_yaml_text(kDocument).extract<Poco::JSON::Object::Ptr>(), strict);
    return validator.validate_component(schema, Poco::JSON::Parser().parse(json));
  }
  static std::string joined(const std::vector<std::string> &problems) {
    std::string out;
    for (const auto &p : problems) {
      out += p + "\n";
    }
    return out;
  }
};

TEST_F(OpenApiValidatorTest, AcceptsAMessageThatFitsEveryKeyword) {
  const auto problems = check("Thing", R"({"id":"T-1","soort":{"code":"SCH"},"when":"2024-03-01T10:00:00Z",
      "day":"2024-03-01","count":3,"amount":1.5,"flag":true,"tags":["a"],"colour":"red","link":"https://x.example/a"})");
  EXPECT_TRUE(problems.empty()) << joined(problems);
}

TEST_F(OpenApiValidatorTest, NamesThePathAndTheReasonOfEachProblem) {
  const std::pair<const char *, const char *> cases[] = {
      {R"({})", "$.id: is required"},
      {R"({"id":5})", "$.id: must be a string"},
      {R"({"id":"T"})", "$.id: is shorter than minLength"},
      {R"({"id":"T-12345"})", "$.id: is longer than maxLength"},
      {R"({"id":"X-1"})", "$.id: does not match the pattern"},
      {R"({"id":"T-1","when":"2024-03-01"})", "$.when: is not a valid date-time"},
      {R"({"id":"T-1","day":"2024-13-01"})", "$.day: is not a valid date"},
      {R"({"id":"T-1","count":1.5})", "$.count: must be an integer"},
      {R"({"id":"T-1","count":11})", "$.count: is above the maximum"},
      {R"({"id":"T-1","count":-1})", "$.count: is below the minimum"},
      {R"({"id":"T-1","amount":"1"})", "$.amount: must be a number"},
      {R"({"id":"T-1","flag":1})", "$.flag: must be a boolean"},
      {R"({"id":"T-1","tags":["a","b","c"]})", "$.tags: has more items than maxItems"},
      {R"({"id":"T-1","tags":[1]})", "$.tags[0]: must be a string"},
      {R"({"id":"T-1","colour":"blue"})", "$.colour: is not one of the enumerated values"},
      {R"({"id":"T-1","link":"not a uri"})", "$.link: is not a valid uri"},
      {R"({"id":"T-1","soort":{"code":1}})", "$.soort.code: must be a string"},
      {R"({"id":"T-1","soort":null})", "$.soort: must not be null"},
      {R"({"id":"T-1","unknown":1})", "$.unknown: is not a property of the schema"},
      {R"({"id":"T-1","soort":{"cod":"SCH"}})", "$.soort.cod: is not a property of the schema"},
  };
  for (const auto &[json, expected] : cases) {
    const auto problems = check("Thing", json);
    ASSERT_FALSE(problems.empty()) << json;
    EXPECT_NE(joined(problems).find(expected), std::string::npos) << json << " gave:\n" << joined(problems);
  }
}

TEST_F(OpenApiValidatorTest, StrictModeIsOptional) {
  EXPECT_TRUE(check("Thing", R"({"id":"T-1","unknown":1})", false).empty());
}

TEST_F(OpenApiValidatorTest, AllOfMergesThePropertyNames) {
  EXPECT_TRUE(check("Message", R"({"id":"T-1","extra":"x"})").empty());
  EXPECT_FALSE(check("Message", R"({"id":"T-1","other":"x"})").empty());
  EXPECT_FALSE(check("Message", R"({"extra":"x"})").empty()); // id required through allOf
}

TEST_F(OpenApiValidatorTest, OneOfNeedsExactlyOneBranch) {
  EXPECT_TRUE(check("Party", R"({"voornaam":"A"})").empty());
  EXPECT_TRUE(check("Party", R"({"kvk":"1"})").empty());
  EXPECT_NE(joined(check("Party", R"({"voornaam":"A","kvk":"1"})")).find("matches 0 of the oneOf"), std::string::npos);
  // Without strict names an object fits both branches: not exactly one.
  EXPECT_NE(joined(check("Party", R"({"voornaam":"A"})", false)).find("matches 2 of the oneOf"), std::string::npos);
}

TEST_F(OpenApiValidatorTest, AdditionalPropertiesAsSchemaOrFalse) {
  EXPECT_TRUE(check("Open", R"({"a":1,"b":2})").empty());
  EXPECT_NE(joined(check("Open", R"({"a":"x"})")).find("$.a: must be an integer"), std::string::npos);
  EXPECT_TRUE(check("Closed", R"({"a":"x"})", false).empty());
  EXPECT_NE(joined(check("Closed", R"({"b":"x"})", false)).find("additionalProperties is false"), std::string::npos);
}

TEST_F(OpenApiValidatorTest, RefusesAnUnknownSchemaAndAnUnresolvableRef) {
  EXPECT_THROW(check("Nothing", "{}"), std::invalid_argument);
  const OpenApiValidator validator(
      load_yaml_text("components: {schemas: {A: {$ref: '#/components/schemas/Missing'}}}").extract<Poco::JSON::Object::Ptr>());
  EXPECT_THROW(validator.validate_component("A", Poco::JSON::Parser().parse("{}")), std::invalid_argument);
}

} // namespace
} // namespace hearth::test
