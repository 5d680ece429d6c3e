// An operation's JSON arguments, read with errors that name the field and the reason
// (HEARTH_ERROR_INVALID_ARGUMENT), and small helpers to build JSON answers with Poco.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

namespace hearth::handoff {

// The arguments object of one call.
class Args {
public:
  // Parses `json`; throws hearth::Error(INVALID_ARGUMENT) unless it is a JSON object.
  explicit Args(const std::string &json);
  // Wraps an object already parsed (a nested object), naming fields as "<path>.<field>".
  Args(Poco::JSON::Object::Ptr object, std::string path);

  // A required, non-empty string of at most `max_length` bytes.
  std::string text(const std::string &field, std::size_t max_length = 200) const;
  // An optional string; nullopt when absent or null. An empty string is refused.
  std::optional<std::string> optional_text(const std::string &field, std::size_t max_length = 200) const;
  // A required string that is one of `allowed`.
  std::string choice(const std::string &field, const std::set<std::string> &allowed) const;
  // A required identifier: 1..100 of letters, digits and "-_.:@"; refuses anything that
  // looks like a BSN (nine digits), since ids must be pseudonymous.
  std::string id(const std::string &field) const;
  std::optional<std::string> optional_id(const std::string &field) const;
  // A required date "YYYY-MM-DD".
  std::string day(const std::string &field) const;
  std::optional<std::string> optional_day(const std::string &field) const;
  // A whole number in [minimum, maximum]; `fallback` when absent.
  std::int64_t integer(const std::string &field, std::int64_t minimum, std::int64_t maximum,
                       std::optional<std::int64_t> fallback = std::nullopt) const;
  // true / false; `fallback` when absent.
  bool flag(const std::string &field, bool fallback) const;
  // A nested object (required unless `optional`); nullopt when optional and absent.
  std::optional<Args> object(const std::string &field, bool optional = false) const;
  // An array of objects; empty when absent and `optional`.
  std::vector<Args> objects(const std::string &field, bool optional = false) const;
  // An array of strings, each one of `allowed` (when not empty); empty when absent.
  std::vector<std::string> strings(const std::string &field, const std::set<std::string> &allowed = {}) const;
  // True when `field` is present and not null.
  bool has(const std::string &field) const;
  // "<path>.<field>" or "<field>": how messages name a field.
  std::string name(const std::string &field) const;

private:
  Poco::JSON::Object::Ptr object_;
  std::string path_;
};

// Throws hearth::Error(HEARTH_ERROR_INVALID_ARGUMENT, "<field>: <reason>").
[[noreturn]] void invalid(const std::string &field, const std::string &reason);

// A new JSON object that keeps insertion order.
Poco::JSON::Object::Ptr json_object();
// A new JSON array.
Poco::JSON::Array::Ptr json_array();
// The compact text of a JSON object or array.
std::string to_json(const Poco::JSON::Object::Ptr &object);
std::string to_json(const Poco::JSON::Array::Ptr &array);
// Parses a JSON array of strings stored by this plugin (empty on malformed text).
std::vector<std::string> parse_string_array(const std::string &json);
// Parses a JSON object stored by this plugin.
Poco::JSON::Object::Ptr parse_object(const std::string &json);
// Parses a JSON array stored by this plugin.
Poco::JSON::Array::Ptr parse_array(const std::string &json);

} // namespace hearth::handoff
