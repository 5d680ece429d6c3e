// The audit table's migrations (owner "nl.hearth.audit").
#include "audit/audit_log.hpp"

namespace hearth::audit {

std::vector<storage::Migration> AuditLog::migrations() {
  // Identical but for the sequence column: on SQLite an INTEGER PRIMARY KEY is the rowid
  // (64-bit); PostgreSQL needs BIGINT. Every other column is portable.
  const std::string columns =
      "  at_ms BIGINT NOT NULL,\n"
      "  event TEXT NOT NULL,\n"
      "  user_id TEXT NOT NULL,\n"
      "  on_behalf_of TEXT NOT NULL,\n"
      "  organisation TEXT NOT NULL,\n"
      "  role TEXT NOT NULL,\n"
      "  access_point TEXT NOT NULL,\n"
      "  objects TEXT NOT NULL,\n"
      "  emergency INTEGER NOT NULL,\n"
      "  purpose TEXT NOT NULL,\n"
      "  outcome TEXT NOT NULL,\n"
      "  prev_hash TEXT NOT NULL,\n"
      "  hash TEXT NOT NULL\n"
      ");\n"
      "CREATE INDEX hearth_audit_log_user ON hearth_audit_log (user_id, sequence);\n"
      "CREATE INDEX hearth_audit_log_at ON hearth_audit_log (at_ms)";
  return {
      storage::Migration{
          1, "audit log: hash-chained NEN 7513 access entries",
          "CREATE TABLE hearth_audit_log (\n  sequence INTEGER PRIMARY KEY,\n" + columns,
          "CREATE TABLE hearth_audit_log (\n  sequence BIGINT PRIMARY KEY,\n" + columns},
  };
}

} // namespace hearth::audit
