#include "plugin/json_args.hpp"

#include <Poco/JSON/Parser.h>

#include <hearth/plugin.hpp>

namespace hearth::early_warning {
namespace {

[[noreturn]] void invalid(const char *name, const std::string &reason) {
  throw Error(HEARTH_ERROR_INVALID_ARGUMENT, std::string("args.") + name + ": " + reason);
}

} // namespace

JsonArgs::JsonArgs(std::string_view json) {
  try {
    const auto parsed = Poco::JSON::Parser().parse(json.empty() ? std::string("{}") : std::string(json));
    if (parsed.type() != typeid(Poco::JSON::Object::Ptr)) {
      throw Error(HEARTH_ERROR_INVALID_ARGUMENT, "args: not a JSON object");
    }
    object_ = parsed.extract<Poco::JSON::Object::Ptr>();
  } catch (const Poco::Exception &) {
    throw Error(HEARTH_ERROR_INVALID_ARGUMENT, "args: not a JSON object");
  }
}

bool JsonArgs::has(const char *name) const { return object_->has(name) && !object_->isNull(name); }

std::string JsonArgs::text(const char *name) const {
  if (!has(name)) {
    invalid(name, "missing");
  }
  const auto value = object_->get(name);
  if (!value.isString()) {
    invalid(name, "not a string");
  }
  const auto text = value.extract<std::string>();
  if (text.empty()) {
    invalid(name, "empty");
  }
  return text;
}

std::string JsonArgs::text_or(const char *name, const std::string &fallback) const {
  return has(name) ? text(name) : fallback;
}

std::int64_t JsonArgs::integer_or(const char *name, std::int64_t fallback, std::int64_t low, std::int64_t high) const {
  if (!has(name)) {
    return fallback;
  }
  const auto value = object_->get(name);
  if (!value.isInteger()) {
    invalid(name, "not a whole number");
  }
  const auto number = value.convert<std::int64_t>();
  if (number < low || number > high) {
    invalid(name, std::to_string(number) + " is not from " + std::to_string(low) + " to " + std::to_string(high));
  }
  return number;
}

} // namespace hearth::early_warning
