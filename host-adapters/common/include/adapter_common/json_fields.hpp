// Reading fields of a parsed JSON document (Poco::JSON) with the field's path in every
// failure: what an adapter needs to say "Zaak.zaakstatussen[2].datum: is missing". Part of
// hearth_adapter_common. Since 0.1.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

namespace hearth::adapters {

// Thrown by the readers below and by adapters for a bad field; the parser catches it and
// turns it into a Rejection. `field` is the path, `reason` never holds the value.
class FieldProblem : public std::runtime_error {
public:
  FieldProblem(std::string field, std::string reason);
  const std::string &field() const { return field_; }
  const std::string &reason() const { return reason_; }

private:
  std::string field_, reason_;
};

// Parses `document` as JSON. Throws FieldProblem("document", ...) for invalid UTF-8
// ("is not valid UTF-8") or malformed JSON ("is not well-formed JSON"; Poco's position
// message is dropped because it may quote the input).
Poco::Dynamic::Var parse_json_document(std::string_view document);

struct ParsedBatch; // adapter_common/parsed_batch.hpp

// For a parser filling `batch` from one document: the parsed value, or nullopt after
// rejecting the document as item 0 of `batch` (items = 1) with parse_json_document's
// field and reason, keeping `document` as the rejection's payload (a dead letter stores
// its hash only). Since 0.2.
std::optional<Poco::Dynamic::Var> parse_document_or_reject(ParsedBatch &batch, std::string_view document);

// A JSON object with the path it was found at, for field-naming reads.
class JsonFields {
public:
  // `value` must be an object, else FieldProblem(path, "must be an object").
  JsonFields(const Poco::Dynamic::Var &value, std::string path);
  const std::string &path() const { return path_; }
  const Poco::JSON::Object::Ptr &object() const { return object_; }
  // "path.key"
  std::string field(std::string_view key) const;
  // True when `key` is present and not null.
  bool has(const std::string &key) const;
  // A required string (FieldProblem "is missing", "must be a string", "is empty").
  std::string text(const std::string &key) const;
  // An optional string: "" when absent or null.
  std::string optional_text(const std::string &key) const;
  // A required JSON number (integers and decimals; "must be a number").
  double number(const std::string &key) const;
  // A required whole number that fits int64 ("must be a whole number").
  std::int64_t integer(const std::string &key) const;
  // A required nested object.
  JsonFields child(const std::string &key) const;
  // True when `key` is present, not null, and an object (FieldProblem when another type).
  bool has_child(const std::string &key) const;
  // A required array ("must be an array"); optional_array gives an empty one when absent.
  Poco::JSON::Array::Ptr array(const std::string &key) const;
  Poco::JSON::Array::Ptr optional_array(const std::string &key) const;
  // A required date or date-time (input_checks.hpp parse_iso_time) in epoch ms.
  std::int64_t time(const std::string &key) const;

private:
  Poco::JSON::Object::Ptr object_;
  std::string path_;
};

} // namespace hearth::adapters
