#include "json_args.hpp"

#include <algorithm>
#include <cctype>
#include <sstream>

#include <Poco/Exception.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include <hearth/plugin.hpp>

#include "working_days.hpp"

namespace hearth::handoff {
namespace {

bool looks_like_bsn(const std::string &text) {
  return text.size() == 9 && std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c) != 0; });
}

std::string join(const std::set<std::string> &items) {
  std::string out;
  for (const auto &item : items) {
    out += (out.empty() ? "" : ", ") + item;
  }
  return out;
}

} // namespace

void invalid(const std::string &field, const std::string &reason) {
  throw Error(HEARTH_ERROR_INVALID_ARGUMENT, field + ": " + reason);
}

Args::Args(const std::string &json) {
  try {
    Poco::JSON::Parser parser;
    const auto parsed = parser.parse(json.empty() ? "{}" : json);
    if (parsed.type() != typeid(Poco::JSON::Object::Ptr)) {
      invalid("arguments", "must be a JSON object");
    }
    object_ = parsed.extract<Poco::JSON::Object::Ptr>();
  } catch (const Poco::Exception &e) {
    invalid("arguments", "not valid JSON (" + e.message() + ")");
  }
}

Args::Args(Poco::JSON::Object::Ptr object, std::string path) : object_(std::move(object)), path_(std::move(path)) {}

std::string Args::name(const std::string &field) const { return path_.empty() ? field : path_ + "." + field; }

bool Args::has(const std::string &field) const { return object_->has(field) && !object_->isNull(field); }

std::optional<std::string> Args::optional_text(const std::string &field, std::size_t max_length) const {
  if (!has(field)) {
    return std::nullopt;
  }
  const auto value = object_->get(field);
  if (!value.isString()) {
    invalid(name(field), "must be a string");
  }
  std::string text = value.convert<std::string>();
  if (text.empty()) {
    invalid(name(field), "must not be empty");
  }
  if (text.size() > max_length) {
    invalid(name(field), "longer than " + std::to_string(max_length) + " bytes");
  }
  return text;
}

std::string Args::text(const std::string &field, std::size_t max_length) const {
  auto value = optional_text(field, max_length);
  if (!value) {
    invalid(name(field), "missing");
  }
  return *value;
}

std::string Args::choice(const std::string &field, const std::set<std::string> &allowed) const {
  std::string value = text(field);
  if (!allowed.contains(value)) {
    invalid(name(field), "is not one of " + join(allowed));
  }
  return value;
}

std::optional<std::string> Args::optional_id(const std::string &field) const {
  auto value = optional_text(field, 100);
  if (!value) {
    return std::nullopt;
  }
  const bool allowed = std::all_of(value->begin(), value->end(), [](unsigned char c) {
    return std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.' || c == ':' || c == '@';
  });
  if (!allowed) {
    invalid(name(field), "may hold only letters, digits and - _ . : @");
  }
  if (looks_like_bsn(*value)) {
    invalid(name(field), "looks like a BSN; use a pseudonymous id");
  }
  return value;
}

std::string Args::id(const std::string &field) const {
  auto value = optional_id(field);
  if (!value) {
    invalid(name(field), "missing");
  }
  return *value;
}

std::optional<std::string> Args::optional_day(const std::string &field) const {
  auto value = optional_text(field, 10);
  if (value && !parse_day(*value)) {
    invalid(name(field), "is not a date like 2026-03-31");
  }
  return value;
}

std::string Args::day(const std::string &field) const {
  auto value = optional_day(field);
  if (!value) {
    invalid(name(field), "missing");
  }
  return *value;
}

std::int64_t Args::integer(const std::string &field, std::int64_t minimum, std::int64_t maximum,
                           std::optional<std::int64_t> fallback) const {
  if (!has(field)) {
    if (fallback) {
      return *fallback;
    }
    invalid(name(field), "missing");
  }
  const auto value = object_->get(field);
  if (!value.isInteger()) {
    invalid(name(field), "must be a whole number");
  }
  const auto number = value.convert<std::int64_t>();
  if (number < minimum || number > maximum) {
    invalid(name(field), std::to_string(number) + " is outside " + std::to_string(minimum) + ".." +
                             std::to_string(maximum));
  }
  return number;
}

bool Args::flag(const std::string &field, bool fallback) const {
  if (!has(field)) {
    return fallback;
  }
  const auto value = object_->get(field);
  if (!value.isBoolean()) {
    invalid(name(field), "must be true or false");
  }
  return value.convert<bool>();
}

std::optional<Args> Args::object(const std::string &field, bool optional) const {
  if (!has(field)) {
    if (optional) {
      return std::nullopt;
    }
    invalid(name(field), "missing");
  }
  const auto nested = object_->getObject(field);
  if (!nested) {
    invalid(name(field), "must be an object");
  }
  return Args(nested, name(field));
}

std::vector<Args> Args::objects(const std::string &field, bool optional) const {
  std::vector<Args> out;
  if (!has(field)) {
    if (optional) {
      return out;
    }
    invalid(name(field), "missing");
  }
  const auto array = object_->getArray(field);
  if (!array) {
    invalid(name(field), "must be an array");
  }
  for (unsigned i = 0; i < array->size(); ++i) {
    const auto item = array->getObject(i);
    const std::string item_name = name(field) + "[" + std::to_string(i) + "]";
    if (!item) {
      invalid(item_name, "must be an object");
    }
    out.emplace_back(item, item_name);
  }
  return out;
}

std::vector<std::string> Args::strings(const std::string &field, const std::set<std::string> &allowed) const {
  std::vector<std::string> out;
  if (!has(field)) {
    return out;
  }
  const auto array = object_->getArray(field);
  if (!array) {
    invalid(name(field), "must be an array of strings");
  }
  for (unsigned i = 0; i < array->size(); ++i) {
    const auto value = array->get(i);
    const std::string item_name = name(field) + "[" + std::to_string(i) + "]";
    if (!value.isString()) {
      invalid(item_name, "must be a string");
    }
    std::string text = value.convert<std::string>();
    if (!allowed.empty() && !allowed.contains(text)) {
      invalid(item_name, "is not one of " + join(allowed));
    }
    out.push_back(std::move(text));
  }
  return out;
}

Poco::JSON::Object::Ptr json_object() { return new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER); }

Poco::JSON::Array::Ptr json_array() { return new Poco::JSON::Array(); }

std::string to_json(const Poco::JSON::Object::Ptr &object) {
  std::ostringstream out;
  object->stringify(out);
  return out.str();
}

std::string to_json(const Poco::JSON::Array::Ptr &array) {
  std::ostringstream out;
  array->stringify(out);
  return out.str();
}

std::vector<std::string> parse_string_array(const std::string &json) {
  std::vector<std::string> out;
  const auto array = parse_array(json);
  for (unsigned i = 0; i < array->size(); ++i) {
    out.push_back(array->get(i).convert<std::string>());
  }
  return out;
}

Poco::JSON::Object::Ptr parse_object(const std::string &json) {
  try {
    auto parsed = Poco::JSON::Parser().parse(json);
    if (parsed.type() == typeid(Poco::JSON::Object::Ptr)) {
      return parsed.extract<Poco::JSON::Object::Ptr>();
    }
  } catch (const Poco::Exception &) {
  }
  return json_object();
}

Poco::JSON::Array::Ptr parse_array(const std::string &json) {
  try {
    auto parsed = Poco::JSON::Parser().parse(json);
    if (parsed.type() == typeid(Poco::JSON::Array::Ptr)) {
      return parsed.extract<Poco::JSON::Array::Ptr>();
    }
  } catch (const Poco::Exception &) {
  }
  return json_array();
}

} // namespace hearth::handoff
