#include "audit/audit_rows.hpp"

namespace hearth::audit::rows {
namespace {

using storage::StorageError;
using storage::Value;

// The integer in `value`, or a StorageError naming `column`.
std::int64_t integer(const Value &value, const char *column) {
  if (const auto *number = std::get_if<std::int64_t>(&value)) {
    return *number;
  }
  throw StorageError(StorageError::Kind::io,
                     std::string(table) + "." + column + " does not hold an integer");
}

// The text in `value`, or a StorageError naming `column`.
std::string text(const Value &value, const char *column) {
  if (const auto *string = std::get_if<std::string>(&value)) {
    return *string;
  }
  throw StorageError(StorageError::Kind::io,
                     std::string(table) + "." + column + " does not hold text");
}

} // namespace

StoredEntry stored_from_row(const storage::Row &row) {
  if (row.values.size() != 14) {
    throw StorageError(StorageError::Kind::io, std::string(table) + ": unexpected columns");
  }
  const auto &v = row.values;
  StoredEntry stored;
  AuditEntry &entry = stored.entry;
  entry.sequence = static_cast<std::uint64_t>(integer(v[0], "sequence"));
  entry.at_ms = integer(v[1], "at_ms");
  entry.event = text(v[2], "event");
  entry.user = text(v[3], "user_id");
  entry.on_behalf_of = text(v[4], "on_behalf_of");
  entry.organisation = text(v[5], "organisation");
  entry.role = text(v[6], "role");
  entry.access_point = text(v[7], "access_point");
  entry.objects = text(v[8], "objects");
  entry.emergency = integer(v[9], "emergency") != 0;
  entry.purpose = text(v[10], "purpose");
  entry.outcome = text(v[11], "outcome");
  stored.prev_hash = text(v[12], "prev_hash");
  stored.hash = text(v[13], "hash");
  return stored;
}

bool objects_contain(std::string_view objects, std::string_view object_id) {
  if (object_id.empty()) {
    return false;
  }
  std::size_t start = 0;
  while (start <= objects.size()) {
    const auto comma = objects.find(',', start);
    const auto end = comma == std::string_view::npos ? objects.size() : comma;
    if (objects.substr(start, end - start) == object_id) {
      return true;
    }
    start = end + 1;
  }
  return false;
}

std::string objects_like_pattern(std::string_view object_id) {
  std::string pattern = "%,";
  for (const char c : object_id) {
    if (c == '%' || c == '_' || c == '\\') {
      pattern += '\\';
    }
    pattern += c;
  }
  pattern += ",%";
  return pattern;
}

} // namespace hearth::audit::rows
