#include "adapter_common/json_fields.hpp"

#include <cmath>
#include <limits>
#include <variant>

#include <Poco/Exception.h>
#include <Poco/JSON/Parser.h>

#include "adapter_common/input_checks.hpp"
#include "adapter_common/parsed_batch.hpp"

namespace hearth::adapters {
namespace {

constexpr std::size_t kMaxJsonDepth = 64;

// True for a JSON number as Poco represents it (integers and decimals).
bool is_number(const Poco::Dynamic::Var &value) { return value.isNumeric() && !value.isBoolean(); }

} // namespace

FieldProblem::FieldProblem(std::string field, std::string reason)
    : std::runtime_error(field + ": " + reason), field_(std::move(field)), reason_(std::move(reason)) {}

Poco::Dynamic::Var parse_json_document(std::string_view document) {
  if (!is_valid_utf8(document)) {
    throw FieldProblem("document", "is not valid UTF-8");
  }
  if (document.find('\0') != std::string_view::npos) {
    throw FieldProblem("document", "contains a NUL byte");
  }
  Poco::JSON::Parser parser;
  parser.setDepth(kMaxJsonDepth);
  try {
    return parser.parse(std::string(document));
  } catch (const Poco::Exception &) {
    throw FieldProblem("document", "is not well-formed JSON");
  } catch (const std::exception &) {
    throw FieldProblem("document", "is not well-formed JSON");
  }
}

JsonFields::JsonFields(const Poco::Dynamic::Var &value, std::string path) : path_(std::move(path)) {
  if (value.type() == typeid(Poco::JSON::Object::Ptr)) {
    object_ = value.extract<Poco::JSON::Object::Ptr>();
  }
  if (object_.isNull()) {
    throw FieldProblem(path_, "must be an object");
  }
}

std::string JsonFields::field(std::string_view key) const {
  return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
}

bool JsonFields::has(const std::string &key) const { return object_->has(key) && !object_->isNull(key); }

std::string JsonFields::text(const std::string &key) const {
  if (!has(key)) {
    throw FieldProblem(field(key), "is missing");
  }
  const Poco::Dynamic::Var value = object_->get(key);
  if (!value.isString()) {
    throw FieldProblem(field(key), "must be a string");
  }
  std::string result = value.extract<std::string>();
  if (result.empty()) {
    throw FieldProblem(field(key), "is empty");
  }
  return result;
}

std::string JsonFields::optional_text(const std::string &key) const {
  if (!has(key)) {
    return {};
  }
  const Poco::Dynamic::Var value = object_->get(key);
  if (!value.isString()) {
    throw FieldProblem(field(key), "must be a string");
  }
  return value.extract<std::string>();
}

double JsonFields::number(const std::string &key) const {
  if (!has(key)) {
    throw FieldProblem(field(key), "is missing");
  }
  const Poco::Dynamic::Var value = object_->get(key);
  if (!is_number(value)) {
    throw FieldProblem(field(key), "must be a number");
  }
  return value.convert<double>();
}

std::int64_t JsonFields::integer(const std::string &key) const {
  if (!has(key)) {
    throw FieldProblem(field(key), "is missing");
  }
  const Poco::Dynamic::Var value = object_->get(key);
  if (!is_number(value)) {
    throw FieldProblem(field(key), "must be a whole number");
  }
  if (value.isInteger()) {
    try {
      return value.convert<std::int64_t>();
    } catch (const Poco::Exception &) {
      throw FieldProblem(field(key), "must be a whole number that fits 64 bits");
    }
  }
  const double number = value.convert<double>();
  if (!std::isfinite(number) || std::floor(number) != number || std::fabs(number) > 9.0e15) {
    throw FieldProblem(field(key), "must be a whole number");
  }
  return static_cast<std::int64_t>(number);
}

JsonFields JsonFields::child(const std::string &key) const {
  if (!has(key)) {
    throw FieldProblem(field(key), "is missing");
  }
  return JsonFields(object_->get(key), field(key));
}

bool JsonFields::has_child(const std::string &key) const {
  if (!has(key)) {
    return false;
  }
  if (object_->getObject(key).isNull()) {
    throw FieldProblem(field(key), "must be an object");
  }
  return true;
}

Poco::JSON::Array::Ptr JsonFields::array(const std::string &key) const {
  if (!has(key)) {
    throw FieldProblem(field(key), "is missing");
  }
  Poco::JSON::Array::Ptr result = object_->getArray(key);
  if (result.isNull()) {
    throw FieldProblem(field(key), "must be an array");
  }
  return result;
}

Poco::JSON::Array::Ptr JsonFields::optional_array(const std::string &key) const {
  if (!has(key)) {
    return new Poco::JSON::Array;
  }
  return array(key);
}

std::int64_t JsonFields::time(const std::string &key) const {
  const std::string value = text(key);
  auto parsed = parse_iso_time(value);
  if (auto *failure = std::get_if<CheckFailure>(&parsed)) {
    throw FieldProblem(field(key), failure->reason);
  }
  return std::get<std::int64_t>(parsed);
}

std::optional<Poco::Dynamic::Var> parse_document_or_reject(ParsedBatch &batch, std::string_view document) {
  try {
    return parse_json_document(document);
  } catch (const FieldProblem &problem) {
    batch.items = 1;
    batch.reject(0, problem.field(), problem.reason(), std::string(document));
    return std::nullopt;
  }
}

} // namespace hearth::adapters
