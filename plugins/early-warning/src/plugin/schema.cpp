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
  };
  return list;
}

} // namespace hearth::early_warning
