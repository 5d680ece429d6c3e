// How the storage and bus arguments of the host table travel between a plugin's child
// process and the runtime (frames: isolation/frame.hpp, messages: isolation/protocol.hpp).
// The encoding keeps what the runtime's own host table checks — a NULL pointer stays
// absent, a value's type code and size are carried as given — so that the runtime's table
// refuses bad input from an isolated plugin with the same status and message as from an
// in-process one. Used by both ends; the decoded copies own their text.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include "hearth/event.h"
#include "hearth/host_services.h"
#include "hearth/value.h"

namespace hearth::isolation {

// One hearth_value as JSON: {"t": type} plus "i" (INT64), "r" (DOUBLE, as shortest
// round-trip text so that NaN, infinities and every bit survive), "s" (TEXT, UTF-8),
// "b" (BLOB, base64), or "n" (the size of a TEXT or BLOB whose data is NULL). A TEXT
// with size 0 and data is measured with strlen(), as the runtime does.
Poco::JSON::Object::Ptr value_to_json(const hearth_value &value);
// `count` values; `values` may be NULL only when `count` is 0.
Poco::JSON::Array::Ptr values_to_json(const hearth_value *values, std::uint32_t count);

// Values read back from JSON; value pointers point into this object. Throws ProtocolError
// (isolation/frame.hpp) for an element that is not a value object.
class ValuesCopy {
public:
  explicit ValuesCopy(const Poco::JSON::Array &json);
  ValuesCopy(const ValuesCopy &) = delete;
  ValuesCopy &operator=(const ValuesCopy &) = delete;
  const hearth_value *data() const { return values_.data(); }
  std::uint32_t size() const { return static_cast<std::uint32_t>(values_.size()); }

private:
  std::deque<std::string> bytes_; // stable addresses for the values' data
  std::vector<hearth_value> values_;
};

// Column names of a row, as JSON and back.
Poco::JSON::Array::Ptr names_to_json(const char *const *names, std::uint32_t count);
class NamesCopy {
public:
  explicit NamesCopy(const Poco::JSON::Array &json);
  NamesCopy(const NamesCopy &) = delete;
  NamesCopy &operator=(const NamesCopy &) = delete;
  const char *const *data() const { return pointers_.data(); }

private:
  std::deque<std::string> names_;
  std::vector<const char *> pointers_;
};

// An event as a publisher hands it in: struct_size, flags, occurred_at_ms, and type,
// subject and payload when the struct is large enough to hold them and they are not NULL.
// Or a delivered event, with source and sequence too (`delivered`).
Poco::JSON::Object::Ptr event_to_json(const hearth_event &event, bool delivered);

// An event read back from JSON; `view()` points into this object. Absent strings are NULL.
class EventCopy {
public:
  explicit EventCopy(const Poco::JSON::Object &json);
  EventCopy(const EventCopy &) = delete;
  EventCopy &operator=(const EventCopy &) = delete;
  const hearth_event &view() const { return view_; }

private:
  std::string type_, subject_, source_, payload_;
  hearth_event view_{};
};

// `count` migrations (`migrations` may be NULL, and so may each element) and back: each as
// JSON null or {struct_size, version, description, sql, sql_postgresql} with NULL
// strings left out and sql_postgresql only when struct_size covers it.
Poco::JSON::Array::Ptr migrations_to_json(const hearth_migration *const *migrations, std::uint32_t count);
class MigrationsCopy {
public:
  explicit MigrationsCopy(const Poco::JSON::Array &json);
  MigrationsCopy(const MigrationsCopy &) = delete;
  MigrationsCopy &operator=(const MigrationsCopy &) = delete;
  const hearth_migration *const *data() const { return pointers_.data(); }
  std::uint32_t size() const { return static_cast<std::uint32_t>(pointers_.size()); }

private:
  std::deque<std::string> texts_;
  std::deque<hearth_migration> migrations_;
  std::vector<const hearth_migration *> pointers_;
};

} // namespace hearth::isolation
