// An operation's JSON arguments, read with messages that name the argument at fault
// ("args.tenancy_id: missing"); each failure throws Error(HEARTH_ERROR_INVALID_ARGUMENT).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <Poco/JSON/Object.h>

namespace hearth::early_warning {

class JsonArgs {
public:
  // Parses `json` (a JSON object; "" counts as {}).
  explicit JsonArgs(std::string_view json);

  // A required non-empty string.
  std::string text(const char *name) const;
  // An optional string; `fallback` when absent or null.
  std::string text_or(const char *name, const std::string &fallback) const;
  // An optional whole number within [low, high].
  std::int64_t integer_or(const char *name, std::int64_t fallback, std::int64_t low, std::int64_t high) const;
  bool has(const char *name) const;
  const Poco::JSON::Object::Ptr &object() const { return object_; }

private:
  Poco::JSON::Object::Ptr object_;
};

} // namespace hearth::early_warning
