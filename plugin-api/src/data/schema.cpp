#include "data/schema.hpp"

#include <string>

namespace hearth::data {
namespace {

// SQLite and PostgreSQL differ only in how an auto-numbered key is written.
storage::Migration portable(std::uint32_t version, const char *description, const std::string &sql) {
  storage::Migration migration;
  migration.version = version;
  migration.description = description;
  migration.sql = sql;
  std::string pg = sql;
  for (const std::string from : {"INTEGER PRIMARY KEY AUTOINCREMENT"}) {
    for (auto at = pg.find(from); at != std::string::npos; at = pg.find(from)) {
      pg.replace(at, from.size(), "BIGSERIAL PRIMARY KEY");
    }
  }
  if (pg != sql) {
    migration.sql_postgresql = pg;
  }
  return migration;
}

// A count of the writes to hearth_tenancy, kept by the store itself in the writer's
// transaction, whoever the writer is (this runtime, another process or instance sharing
// the store, erasure, an operator's SQL). Readers that keep what they derived from tenancies
// (the early-warning plugin's portfolios) compare one number instead of re-reading the rows.
// PostgreSQL counts statements (one trigger FOR EACH STATEMENT, TRUNCATE included), SQLite
// rows; either way the number changes with every write and never goes back.
storage::Migration tenancy_change_count() {
  storage::Migration migration;
  migration.version = 4;
  migration.description = "hearth_tenancy_change: a count of the writes to hearth_tenancy";
  const std::string table = "CREATE TABLE hearth_tenancy_change ("
                            " id INTEGER PRIMARY KEY CHECK (id = 1),"
                            " changes BIGINT NOT NULL);"
                            "INSERT INTO hearth_tenancy_change (id, changes) VALUES (1, 0);";
  const std::string count = "UPDATE hearth_tenancy_change SET changes = changes + 1 WHERE id = 1;";
  migration.sql = table;
  for (const char *event : {"INSERT", "UPDATE", "DELETE"}) {
    migration.sql += std::string("CREATE TRIGGER hearth_tenancy_counted_") + event + " AFTER " + event +
                     " ON hearth_tenancy BEGIN " + count + " END;";
  }
  migration.sql_postgresql = table +
                             "CREATE FUNCTION hearth_count_tenancy_change() RETURNS trigger LANGUAGE plpgsql"
                             " AS $$ BEGIN " + count + " RETURN NULL; END $$;"
                             "CREATE TRIGGER hearth_tenancy_counted AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE"
                             " ON hearth_tenancy FOR EACH STATEMENT EXECUTE FUNCTION hearth_count_tenancy_change();";
  return migration;
}

} // namespace

const std::vector<storage::Migration> &core_migrations() {
  static const std::vector<storage::Migration> migrations = {
      portable(1, "canonical model: units, tenancies, persons",
               "CREATE TABLE hearth_unit ("
               " id TEXT PRIMARY KEY,"
               " bag_id TEXT,"
               " street TEXT NOT NULL,"
               " house_number TEXT NOT NULL,"
               " postcode TEXT,"
               " entrance TEXT,"
               " neighbourhood_code TEXT NOT NULL,"
               " updated_at_ms BIGINT NOT NULL);"
               "CREATE INDEX hearth_unit_neighbourhood ON hearth_unit (neighbourhood_code);"
               "CREATE TABLE hearth_tenancy ("
               " id TEXT PRIMARY KEY,"
               " unit_id TEXT NOT NULL REFERENCES hearth_unit (id),"
               " start_date TEXT NOT NULL,"
               " end_date TEXT,"
               " portfolio_owner TEXT,"
               " tenant_user TEXT,"
               " updated_at_ms BIGINT NOT NULL);"
               "CREATE INDEX hearth_tenancy_unit ON hearth_tenancy (unit_id);"
               "CREATE INDEX hearth_tenancy_portfolio ON hearth_tenancy (portfolio_owner);"
               "CREATE TABLE hearth_person ("
               " id TEXT PRIMARY KEY,"
               " tenancy_id TEXT REFERENCES hearth_tenancy (id),"
               " household_role TEXT,"
               " bsn_sealed TEXT,"
               " bsn_index TEXT,"
               " updated_at_ms BIGINT NOT NULL);"
               "CREATE INDEX hearth_person_tenancy ON hearth_person (tenancy_id);"
               "CREATE INDEX hearth_person_bsn_index ON hearth_person (bsn_index)"),
      portable(2, "signals, dead letters, event log, outcomes",
               "CREATE TABLE hearth_signal ("
               " seq INTEGER PRIMARY KEY AUTOINCREMENT,"
               " source TEXT NOT NULL,"
               " external_id TEXT NOT NULL,"
               " type TEXT NOT NULL,"
               " detail TEXT NOT NULL,"
               " tenancy_id TEXT NOT NULL REFERENCES hearth_tenancy (id),"
               " occurred_at_ms BIGINT NOT NULL,"
               " received_at_ms BIGINT NOT NULL,"
               " amount_cents BIGINT NOT NULL,"
               " severity INTEGER NOT NULL,"
               " data_class TEXT NOT NULL,"
               " legal_basis TEXT NOT NULL,"
               " purpose TEXT NOT NULL,"
               " reporter_user TEXT);"
               "CREATE UNIQUE INDEX hearth_signal_source_key ON hearth_signal (source, external_id);"
               "CREATE INDEX hearth_signal_tenancy ON hearth_signal (tenancy_id, occurred_at_ms);"
               "CREATE TABLE hearth_dead_letter ("
               " id INTEGER PRIMARY KEY AUTOINCREMENT,"
               " source TEXT NOT NULL,"
               " item_index INTEGER NOT NULL,"
               " field TEXT NOT NULL,"
               " reason TEXT NOT NULL,"
               " received_at_ms BIGINT NOT NULL,"
               " payload_sha256 TEXT NOT NULL);"
               "CREATE TABLE hearth_event_log ("
               " seq INTEGER PRIMARY KEY AUTOINCREMENT,"
               " type TEXT NOT NULL,"
               " subject TEXT NOT NULL,"
               " source TEXT NOT NULL,"
               " occurred_at_ms BIGINT NOT NULL,"
               " payload TEXT);"
               "CREATE TABLE hearth_outcome ("
               " tenancy_id TEXT PRIMARY KEY REFERENCES hearth_tenancy (id),"
               " outcome TEXT NOT NULL,"
               " decided_on TEXT NOT NULL,"
               " updated_at_ms BIGINT NOT NULL)"),
      // A signal is its own event (docs/adr/0007-signal-rows-are-the-event-log.md): the
      // followers read hearth_signal in seq order, so ingestion writes one row per signal,
      // not two. The event-log table goes (each of its rows repeated a signal row), and a
      // view of the same name shows the events as the followers publish them, without the
      // payload (which the follower writes from the signal's columns). The event type is
      // spelled out: a migration's text never changes.
      portable(3, "signal events read from hearth_signal; hearth_event_log becomes a view",
               "DROP TABLE hearth_event_log;"
               "CREATE VIEW hearth_event_log AS SELECT seq,"
               " 'nl.hearth.signal.accepted/1' AS type,"
               " 'tenancy:' || tenancy_id AS subject,"
               " 'host' AS source,"
               " occurred_at_ms"
               " FROM hearth_signal"),
      tenancy_change_count(),
  };
  return migrations;
}

} // namespace hearth::data
