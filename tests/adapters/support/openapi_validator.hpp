// A validator for the subset of JSON Schema that OpenAPI 3.0 documents use, over a parsed
// schema tree (Poco::JSON objects, from JSON or from yaml_tree.hpp), for conformance tests:
// every message a test sends must validate against the standard's own schema.
//
// Supported: $ref (local, "#/..."), type (object, array, string, integer, number, boolean),
// nullable, properties, required, additionalProperties (false or a schema), items, allOf,
// oneOf, anyOf, enum, format (date, date-time, uri, uuid, int32, int64, float, double,
// email, duration), pattern, minLength, maxLength, minimum, maximum, exclusiveMinimum,
// exclusiveMaximum (3.0 booleans), minItems, maxItems. Unknown keywords are ignored.
//
// Strict mode (the default) also refuses properties that the schema does not name (after
// merging allOf), even where the standard leaves additionalProperties open: a test that
// "builds messages from the schemas" then cannot send a field the standard does not have,
// and oneOf branches become distinguishable.
#pragma once

#include <string>
#include <vector>

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Object.h>

namespace hearth::test {

class OpenApiValidator {
public:
  // `document` is the whole OpenAPI document (the root $refs resolve against); borrowed
  // by reference count.
  explicit OpenApiValidator(Poco::JSON::Object::Ptr document, bool strict = true);

  // Validates `value` against components/schemas/`name`. Returns the problems found, each
  // "path: what" ("$.soort.code: must be a string"); empty when it validates.
  // Throws std::invalid_argument when the schema does not exist.
  std::vector<std::string> validate_component(const std::string &name, const Poco::Dynamic::Var &value) const;

  // Validates `value` against `schema` (a schema object of this document).
  std::vector<std::string> validate(const Poco::Dynamic::Var &value, const Poco::JSON::Object::Ptr &schema) const;

private:
  void check(const Poco::Dynamic::Var &value, const Poco::JSON::Object::Ptr &schema, const std::string &path,
             std::vector<std::string> &problems, int depth,
             const std::vector<std::string> &inherited, bool skip_names) const;
  Poco::JSON::Object::Ptr resolve(const Poco::JSON::Object::Ptr &schema) const;
  void collect_properties(const Poco::JSON::Object::Ptr &schema, std::vector<std::string> &names, bool &open,
                          int depth) const;

  Poco::JSON::Object::Ptr document_;
  bool strict_;
};

} // namespace hearth::test
