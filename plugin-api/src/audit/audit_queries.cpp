// Reading the audit log: "who viewed this file" for the tenant, and the auditor's search.
#include "audit/audit_log.hpp"
#include "audit/audit_rows.hpp"

namespace hearth::audit {
namespace {

using storage::Value;

// Runs `where` (with `params`) against the table, newest first, keeping entries that
// hold `object_id` as a whole item when it is set, up to `limit` entries.
std::vector<AuditEntry> select_entries(storage::Store &store, const std::string &where,
                                       std::vector<Value> params,
                                       const std::optional<std::string> &object_id,
                                       std::size_t limit) {
  std::vector<AuditEntry> entries;
  if (limit == 0) {
    return entries;
  }
  std::string sql = std::string("SELECT ") + rows::select_columns + " FROM " + rows::table;
  if (!where.empty()) {
    sql += " WHERE " + where;
  }
  sql += " ORDER BY sequence DESC";
  if (!object_id) {
    // Without the exact item check every row the database returns is a match.
    sql += " LIMIT ?";
    params.emplace_back(static_cast<std::int64_t>(limit));
  }
  store.execute(sql, params, [&](const storage::Row &row) {
    rows::StoredEntry stored = rows::stored_from_row(row);
    if (object_id && !rows::objects_contain(stored.entry.objects, *object_id)) {
      return true;
    }
    entries.push_back(std::move(stored.entry));
    return entries.size() < limit;
  });
  return entries;
}

// Appends "<condition>" to `where`, joined with AND.
void add_condition(std::string &where, const std::string &condition) {
  where += (where.empty() ? "" : " AND ") + condition;
}

// The condition that pre-selects rows whose objects may hold an item (the LIKE pattern
// is bound as the next parameter).
constexpr const char *objects_condition = "(',' || objects || ',') LIKE ? ESCAPE '\\'";

} // namespace

std::vector<AuditEntry> AuditLog::viewers_of(const std::string &object_id,
                                             std::size_t limit) const {
  if (object_id.empty()) {
    return {};
  }
  std::string where = "event IN ('read', 'search', 'export')";
  add_condition(where, objects_condition);
  return select_entries(store_, where, {rows::objects_like_pattern(object_id)}, object_id, limit);
}

std::vector<AuditEntry> AuditLog::search(const Filter &filter) const {
  std::string where;
  std::vector<Value> params;
  if (filter.user) {
    add_condition(where, "user_id = ?");
    params.emplace_back(*filter.user);
  }
  if (filter.event) {
    add_condition(where, "event = ?");
    params.emplace_back(*filter.event);
  }
  if (filter.from_ms) {
    add_condition(where, "at_ms >= ?");
    params.emplace_back(*filter.from_ms);
  }
  if (filter.to_ms) {
    add_condition(where, "at_ms < ?");
    params.emplace_back(*filter.to_ms);
  }
  if (filter.object_id) {
    add_condition(where, objects_condition);
    params.emplace_back(rows::objects_like_pattern(*filter.object_id));
  }
  return select_entries(store_, where, std::move(params), filter.object_id, filter.limit);
}

} // namespace hearth::audit
