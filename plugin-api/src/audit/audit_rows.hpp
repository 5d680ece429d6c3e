// How audit entries are stored in and read back from the table hearth_audit_log.
#pragma once

#include <string>

#include "audit/audit_log.hpp"

namespace hearth::audit::rows {

// The table's name.
inline constexpr const char *table = "hearth_audit_log";

// The columns select_columns lists, in order, for stored_from_row().
inline constexpr const char *select_columns =
    "sequence, at_ms, event, user_id, on_behalf_of, organisation, role, access_point, "
    "objects, emergency, purpose, outcome, prev_hash, hash";

// One stored entry with its chain fields.
struct StoredEntry {
  AuditEntry entry;
  std::string prev_hash, hash;
};

// The entry in `row` (columns as in select_columns). Throws StorageError(io) when a
// column has an unexpected type (the table was changed by hand).
StoredEntry stored_from_row(const storage::Row &row);

// True when the comma-separated `objects` holds `object_id` as one whole item.
bool objects_contain(std::string_view objects, std::string_view object_id);

// A LIKE pattern (with '\' as escape character) that matches every `objects` text holding
// `object_id`, and perhaps more (LIKE ignores case on SQLite): filter with
// objects_contain() afterwards.
std::string objects_like_pattern(std::string_view object_id);

} // namespace hearth::audit::rows
