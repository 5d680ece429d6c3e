#include "openapi_validator.hpp"

#include <algorithm>
#include <cmath>
#include <regex>
#include <stdexcept>

#include <Poco/JSON/Array.h>

namespace hearth::test {
namespace {

constexpr int kMaxDepth = 64;

bool is_object(const Poco::Dynamic::Var &value) { return value.type() == typeid(Poco::JSON::Object::Ptr); }
bool is_array(const Poco::Dynamic::Var &value) { return value.type() == typeid(Poco::JSON::Array::Ptr); }
bool is_number(const Poco::Dynamic::Var &value) { return value.isNumeric() && !value.isBoolean(); }

// The type name of a JSON value, as JSON Schema names it.
std::string json_type(const Poco::Dynamic::Var &value) {
  if (value.isEmpty()) {
    return "null";
  }
  if (is_object(value)) {
    return "object";
  }
  if (is_array(value)) {
    return "array";
  }
  if (value.isBoolean()) {
    return "boolean";
  }
  if (value.isString()) {
    return "string";
  }
  if (value.isInteger()) {
    return "integer";
  }
  if (is_number(value)) {
    return "number";
  }
  return "unknown";
}

bool format_holds(const std::string &format, const Poco::Dynamic::Var &value) {
  if (value.isString()) {
    const std::string text = value.extract<std::string>();
    static const std::regex date(R"(^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$)");
    static const std::regex date_time(
        R"(^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])[Tt]([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?([Zz]|[+-]([01]\d|2[0-3]):[0-5]\d)$)");
    static const std::regex uri(R"(^[A-Za-z][A-Za-z0-9+.-]*:[^\s]*$)");
    static const std::regex uuid(R"(^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$)");
    static const std::regex email(R"(^[^@\s]+@[^@\s]+\.[^@\s]+$)");
    static const std::regex duration(R"(^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$)");
    if (format == "date") return std::regex_match(text, date);
    if (format == "date-time") return std::regex_match(text, date_time);
    if (format == "uri") return std::regex_match(text, uri);
    if (format == "uuid") return std::regex_match(text, uuid);
    if (format == "email") return std::regex_match(text, email);
    if (format == "duration") return std::regex_match(text, duration);
    return true;
  }
  if (is_number(value)) {
    if (format == "int32" || format == "int64") {
      if (!value.isInteger()) {
        return false;
      }
      if (format == "int32") {
        const auto number = value.convert<Poco::Int64>();
        return number >= INT32_MIN && number <= INT32_MAX;
      }
    }
    return true;
  }
  return true;
}

} // namespace

OpenApiValidator::OpenApiValidator(Poco::JSON::Object::Ptr document, bool strict)
    : document_(std::move(document)), strict_(strict) {
  if (document_.isNull()) {
    throw std::invalid_argument("openapi: no document");
  }
}

std::vector<std::string> OpenApiValidator::validate_component(const std::string &name,
                                                              const Poco::Dynamic::Var &value) const {
  const auto components = document_->getObject("components");
  const auto schemas = components.isNull() ? Poco::JSON::Object::Ptr() : components->getObject("schemas");
  if (schemas.isNull() || schemas->getObject(name).isNull()) {
    throw std::invalid_argument("openapi: no schema components/schemas/" + name);
  }
  return validate(value, schemas->getObject(name));
}

std::vector<std::string> OpenApiValidator::validate(const Poco::Dynamic::Var &value,
                                                    const Poco::JSON::Object::Ptr &schema) const {
  std::vector<std::string> problems;
  check(value, schema, "$", problems, 0, {}, false);
  return problems;
}

Poco::JSON::Object::Ptr OpenApiValidator::resolve(const Poco::JSON::Object::Ptr &schema) const {
  Poco::JSON::Object::Ptr current = schema;
  for (int hops = 0; hops < kMaxDepth && !current.isNull() && current->has("$ref"); ++hops) {
    const std::string ref = current->getValue<std::string>("$ref");
    if (ref.rfind("#/", 0) != 0) {
      throw std::invalid_argument("openapi: only local $ref is supported: " + ref);
    }
    Poco::JSON::Object::Ptr target = document_;
    std::size_t start = 2;
    while (start <= ref.size() && !target.isNull()) {
      const std::size_t slash = ref.find('/', start);
      const std::string part = ref.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
      target = target->getObject(part);
      if (slash == std::string::npos) {
        break;
      }
      start = slash + 1;
    }
    if (target.isNull()) {
      throw std::invalid_argument("openapi: $ref does not resolve: " + ref);
    }
    current = target;
  }
  return current;
}

void OpenApiValidator::collect_properties(const Poco::JSON::Object::Ptr &raw, std::vector<std::string> &names,
                                          bool &open, int depth) const {
  if (depth > kMaxDepth) {
    return;
  }
  const auto schema = resolve(raw);
  if (schema->has("additionalProperties") && !schema->get("additionalProperties").isBoolean()) {
    open = true; // a schema for extra properties: any name may come
  }
  if (schema->has("additionalProperties") && schema->get("additionalProperties").isBoolean() &&
      schema->getValue<bool>("additionalProperties")) {
    open = true;
  }
  if (const auto properties = schema->getObject("properties"); !properties.isNull()) {
    for (const auto &[name, unused] : *properties) {
      names.push_back(name);
    }
  }
  if (const auto all_of = schema->getArray("allOf"); !all_of.isNull()) {
    for (std::size_t i = 0; i < all_of->size(); ++i) {
      collect_properties(all_of->getObject(static_cast<unsigned>(i)), names, open, depth + 1);
    }
  }
  // oneOf/anyOf inside a schema: the branch decides; names are open at this level.
  if (schema->has("oneOf") || schema->has("anyOf")) {
    open = true;
  }
}

void OpenApiValidator::check(const Poco::Dynamic::Var &value, const Poco::JSON::Object::Ptr &raw,
                             const std::string &path, std::vector<std::string> &problems, int depth,
                             const std::vector<std::string> &inherited, bool skip_names) const {
  if (depth > kMaxDepth) {
    problems.push_back(path + ": nesting is too deep to validate");
    return;
  }
  const Poco::JSON::Object::Ptr schema = resolve(raw);
  if (schema.isNull()) {
    return;
  }
  if (value.isEmpty()) {
    if (!(schema->has("nullable") && schema->getValue<bool>("nullable"))) {
      problems.push_back(path + ": must not be null");
    }
    return;
  }
  if (schema->has("type")) {
    const std::string type = schema->getValue<std::string>("type");
    const std::string actual = json_type(value);
    const bool fits = type == actual || (type == "number" && actual == "integer");
    if (!fits) {
      problems.push_back(path + ": must be " + (type == "integer" || type == "array" || type == "object" ? "an " : "a ") +
                         type + " (is " + actual + ")");
      return;
    }
  }
  if (schema->has("enum")) {
    const auto options = schema->getArray("enum");
    bool found = false;
    for (std::size_t i = 0; options && i < options->size() && !found; ++i) {
      const auto option = options->get(static_cast<unsigned>(i));
      found = json_type(option) == json_type(value) && option.convert<std::string>() == value.convert<std::string>();
    }
    if (!found) {
      problems.push_back(path + ": is not one of the enumerated values");
    }
  }
  if (schema->has("format") && !format_holds(schema->getValue<std::string>("format"), value)) {
    problems.push_back(path + ": is not a valid " + schema->getValue<std::string>("format"));
  }
  if (value.isString()) {
    const std::string text = value.extract<std::string>();
    if (schema->has("pattern")) {
      const std::regex pattern(schema->getValue<std::string>("pattern"), std::regex::ECMAScript);
      if (!std::regex_search(text, pattern)) {
        problems.push_back(path + ": does not match the pattern");
      }
    }
    if (schema->has("minLength") && text.size() < schema->getValue<std::size_t>("minLength")) {
      problems.push_back(path + ": is shorter than minLength");
    }
    if (schema->has("maxLength") && text.size() > schema->getValue<std::size_t>("maxLength")) {
      problems.push_back(path + ": is longer than maxLength");
    }
  }
  if (is_number(value)) {
    const double number = value.convert<double>();
    const bool exclusive_min = schema->has("exclusiveMinimum") && schema->getValue<bool>("exclusiveMinimum");
    const bool exclusive_max = schema->has("exclusiveMaximum") && schema->getValue<bool>("exclusiveMaximum");
    if (schema->has("minimum")) {
      const double minimum = schema->getValue<double>("minimum");
      if (number < minimum || (exclusive_min && number == minimum)) {
        problems.push_back(path + ": is below the minimum");
      }
    }
    if (schema->has("maximum")) {
      const double maximum = schema->getValue<double>("maximum");
      if (number > maximum || (exclusive_max && number == maximum)) {
        problems.push_back(path + ": is above the maximum");
      }
    }
  }
  if (is_array(value)) {
    const auto array = value.extract<Poco::JSON::Array::Ptr>();
    if (schema->has("minItems") && array->size() < schema->getValue<std::size_t>("minItems")) {
      problems.push_back(path + ": has fewer items than minItems");
    }
    if (schema->has("maxItems") && array->size() > schema->getValue<std::size_t>("maxItems")) {
      problems.push_back(path + ": has more items than maxItems");
    }
    if (const auto items = schema->getObject("items"); !items.isNull()) {
      for (std::size_t i = 0; i < array->size(); ++i) {
        check(array->get(static_cast<unsigned>(i)), items, path + "[" + std::to_string(i) + "]", problems, depth + 1, {}, false);
      }
    }
  }
  if (is_object(value)) {
    const auto object = value.extract<Poco::JSON::Object::Ptr>();
    if (const auto required = schema->getArray("required"); !required.isNull()) {
      for (std::size_t i = 0; i < required->size(); ++i) {
        const std::string name = required->getElement<std::string>(static_cast<unsigned>(i));
        if (!object->has(name)) {
          problems.push_back(path + "." + name + ": is required");
        }
      }
    }
    const auto properties = schema->getObject("properties");
    for (const auto &[name, member] : *object) {
      if (!properties.isNull() && properties->has(name)) {
        check(member, properties->getObject(name), path + "." + name, problems, depth + 1, {}, false);
      } else if (const auto extra = schema->getObject("additionalProperties"); !extra.isNull()) {
        check(member, extra, path + "." + name, problems, depth + 1, {}, false);
      }
    }
    if (schema->has("additionalProperties") && schema->get("additionalProperties").isBoolean() &&
        !schema->getValue<bool>("additionalProperties") && !schema->has("allOf")) {
      for (const auto &[name, unused] : *object) {
        if (properties.isNull() || !properties->has(name)) {
          problems.push_back(path + "." + name + ": is not allowed (additionalProperties is false)");
        }
      }
    }
  }
  // The names this level allows: its own (allOf merged) and those its enclosing allOf
  // siblings bring (a oneOf branch inside an allOf may carry the siblings' properties).
  std::vector<std::string> names = inherited;
  bool open = false;
  collect_properties(schema, names, open, depth);
  if (strict_ && !skip_names && is_object(value) && !open && (schema->has("properties") || schema->has("allOf"))) {
    for (const auto &[name, unused] : *value.extract<Poco::JSON::Object::Ptr>()) {
      if (std::find(names.begin(), names.end(), name) == names.end()) {
        problems.push_back(path + "." + name + ": is not a property of the schema");
      }
    }
  }
  if (const auto all_of = schema->getArray("allOf"); !all_of.isNull()) {
    // A part does not judge names itself: this level did (or, when a part is a oneOf, its
    // branches do, with the names of every part).
    for (std::size_t i = 0; i < all_of->size(); ++i) {
      std::vector<std::string> part_problems;
      check(value, all_of->getObject(static_cast<unsigned>(i)), path, part_problems, depth + 1, names, true);
      for (auto &problem : part_problems) {
        // The union above already judged the names; a part repeats what it finds.
        if (std::find(problems.begin(), problems.end(), problem) == problems.end()) {
          problems.push_back(std::move(problem));
        }
      }
    }
  }
  for (const char *keyword : {"oneOf", "anyOf"}) {
    const auto branches = schema->getArray(keyword);
    if (branches.isNull()) {
      continue;
    }
    std::size_t matching = 0;
    for (std::size_t i = 0; i < branches->size(); ++i) {
      std::vector<std::string> branch_problems;
      check(value, branches->getObject(static_cast<unsigned>(i)), path, branch_problems, depth + 1, names, false);
      matching += branch_problems.empty() ? 1 : 0;
    }
    if (std::string(keyword) == "oneOf" && matching != 1) {
      problems.push_back(path + ": matches " + std::to_string(matching) + " of the oneOf schemas, not exactly one");
    } else if (std::string(keyword) == "anyOf" && matching == 0) {
      problems.push_back(path + ": matches none of the anyOf schemas");
    }
  }
}

} // namespace hearth::test
