#include "plugin/schema.hpp"

namespace hearth::early_warning {

const std::vector<hearth_migration> &migrations() {
  static const std::vector<hearth_migration> list = {
      {sizeof(hearth_migration), 1, "early-warning: rule sets and flags",
       // Every rule set a flag was made under, by hash: a flag recomputes from its own.
       "CREATE TABLE ew_rule_set ("
       " sha256 TEXT PRIMARY KEY,"
       " version TEXT NOT NULL,"
       " name TEXT NOT NULL,"
       " source_text TEXT NOT NULL,"
       " first_used_at_ms BIGINT NOT NULL);"
       "CREATE UNIQUE INDEX ew_rule_set_version ON ew_rule_set (name, version);"
       // A flag: advice on one tenancy, raised by one signal under one rule set, with
       // everything needed to recompute and explain it, and the person's decision on it.
       "CREATE TABLE ew_flag ("
       " id TEXT PRIMARY KEY,"
       " tenancy_id TEXT NOT NULL,"
       " trigger_seq BIGINT NOT NULL,"
       " rule_set_sha256 TEXT NOT NULL REFERENCES ew_rule_set (sha256),"
       " rule_set_version TEXT NOT NULL,"
       " score BIGINT NOT NULL,"
       " level TEXT NOT NULL,"
       " evaluated_at_ms BIGINT NOT NULL,"
       " raised_at_ms BIGINT NOT NULL,"
       " neighbourhood_code TEXT NOT NULL,"
       " inputs_json TEXT NOT NULL,"
       " contributions_json TEXT NOT NULL,"
       " status TEXT NOT NULL,"
       " decided_level TEXT,"
       " decided_by TEXT,"
       " decided_on_behalf_of TEXT,"
       " decided_role TEXT,"
       " decided_organisation TEXT,"
       " decided_at_ms BIGINT,"
       " decision_reason TEXT);"
       "CREATE INDEX ew_flag_tenancy ON ew_flag (tenancy_id, trigger_seq);"
       "CREATE INDEX ew_flag_status ON ew_flag (status)",
       nullptr},
      {sizeof(hearth_migration), 2, "early-warning: every decision on a flag, revisions included",
       // Every decision on a flag, numbered 1, 2, ... per flag; the highest is the current
       // one (ew_flag's decided_* columns copy it). A revision adds a row, never changes one.
       "CREATE TABLE ew_flag_decision ("
       " flag_id TEXT NOT NULL,"
       " decision_no INTEGER NOT NULL,"
       " status TEXT NOT NULL,"
       " decided_level TEXT NOT NULL,"
       " decided_by TEXT NOT NULL,"
       " decided_on_behalf_of TEXT,"
       " decided_role TEXT NOT NULL,"
       " decided_organisation TEXT NOT NULL,"
       " decided_at_ms BIGINT NOT NULL,"
       " reason TEXT NOT NULL,"
       " PRIMARY KEY (flag_id, decision_no));"
       // The decisions made before revisions existed become each flag's first.
       "INSERT INTO ew_flag_decision (flag_id, decision_no, status, decided_level, decided_by, decided_on_behalf_of,"
       " decided_role, decided_organisation, decided_at_ms, reason)"
       " SELECT id, 1, status, COALESCE(decided_level, ''), COALESCE(decided_by, ''), decided_on_behalf_of,"
       " COALESCE(decided_role, ''), COALESCE(decided_organisation, ''), COALESCE(decided_at_ms, 0),"
       " COALESCE(decision_reason, '') FROM ew_flag WHERE status <> 'proposed'",
       nullptr},
      {sizeof(hearth_migration), 3, "early-warning: a count of the changes to flags and decisions",
       // One row, counted up in the same transaction as every write of a flag or a
       // decision: readers that keep what they read (flags.portfolio) see that it changed.
       "CREATE TABLE ew_flag_change ("
       " id INTEGER PRIMARY KEY,"
       " changes BIGINT NOT NULL);"
       "INSERT INTO ew_flag_change (id, changes) VALUES (1, 0)",
       nullptr},
  };
  return list;
}

} // namespace hearth::early_warning
