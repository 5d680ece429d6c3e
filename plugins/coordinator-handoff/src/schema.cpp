#include "schema.hpp"

namespace hearth::handoff {
namespace {

// Version 1: cases with their single accountable owner, the ownership history, offers,
// the timeline, the escalation history and the processed-event ledger. The owner
// invariant lives here twice: NOT NULL / CHECK on the case row, and a partial unique index
// that allows one current ownership row per case.
constexpr const char *kCases =
    "CREATE TABLE ch_case ("
    " id TEXT PRIMARY KEY,"
    " tenancy_id TEXT NOT NULL,"
    " unit_id TEXT NOT NULL,"
    " neighbourhood_code TEXT NOT NULL,"
    " state TEXT NOT NULL,"
    " level INTEGER NOT NULL CHECK (level >= 0),"
    " owner_user TEXT NOT NULL CHECK (owner_user <> ''),"
    " owner_org TEXT NOT NULL CHECK (owner_org <> ''),"
    " owner_role TEXT NOT NULL CHECK (owner_role <> ''),"
    " owner_since_ms BIGINT NOT NULL,"
    " mandate_user TEXT,"
    " mandate_org TEXT,"
    " legal_basis TEXT NOT NULL,"
    " care_basis TEXT,"
    " opened_ms BIGINT NOT NULL,"
    " closed_ms BIGINT,"
    " is_open INTEGER NOT NULL CHECK (is_open IN (0, 1)),"
    " last_activity_ms BIGINT NOT NULL,"
    " last_level_change_ms BIGINT NOT NULL,"
    " last_nuisance_escalation_ms BIGINT NOT NULL,"
    " row_version BIGINT NOT NULL);"
    "CREATE UNIQUE INDEX ch_case_one_open_per_tenancy ON ch_case (tenancy_id) WHERE is_open = 1;"
    "CREATE INDEX ch_case_owner ON ch_case (owner_user);"
    "CREATE INDEX ch_case_neighbourhood ON ch_case (neighbourhood_code, is_open);"
    "CREATE TABLE ch_ownership ("
    " case_id TEXT NOT NULL REFERENCES ch_case (id),"
    " seq INTEGER NOT NULL,"
    " owner_user TEXT NOT NULL CHECK (owner_user <> ''),"
    " owner_org TEXT NOT NULL CHECK (owner_org <> ''),"
    " owner_role TEXT NOT NULL,"
    " from_ms BIGINT NOT NULL,"
    " until_ms BIGINT,"
    " how TEXT NOT NULL,"
    " PRIMARY KEY (case_id, seq));"
    "CREATE UNIQUE INDEX ch_ownership_one_current ON ch_ownership (case_id) WHERE until_ms IS NULL;"
    "CREATE TABLE ch_offer ("
    " id TEXT PRIMARY KEY,"
    " case_id TEXT NOT NULL REFERENCES ch_case (id),"
    " from_user TEXT NOT NULL,"
    " from_org TEXT NOT NULL,"
    " to_user TEXT,"
    " to_org TEXT NOT NULL,"
    " to_role TEXT NOT NULL,"
    " reason TEXT NOT NULL,"
    " summary TEXT NOT NULL,"
    " status TEXT NOT NULL,"
    " created_ms BIGINT NOT NULL,"
    " deadline_ms BIGINT NOT NULL,"
    " escalated_ms BIGINT,"
    " answered_ms BIGINT,"
    " answered_by TEXT,"
    " answer_reason TEXT);"
    "CREATE UNIQUE INDEX ch_offer_one_open_per_case ON ch_offer (case_id) WHERE status = 'offered';"
    "CREATE INDEX ch_offer_to ON ch_offer (to_org, status);"
    "CREATE TABLE ch_escalation ("
    " case_id TEXT NOT NULL REFERENCES ch_case (id),"
    " seq INTEGER NOT NULL,"
    " from_level INTEGER NOT NULL,"
    " to_level INTEGER NOT NULL,"
    " trigger_name TEXT NOT NULL,"
    " at_ms BIGINT NOT NULL,"
    " by_user TEXT NOT NULL,"
    " PRIMARY KEY (case_id, seq));"
    "CREATE TABLE ch_decision ("
    " id TEXT PRIMARY KEY,"
    " case_id TEXT NOT NULL REFERENCES ch_case (id),"
    " kind TEXT NOT NULL,"
    " decided_by TEXT NOT NULL,"
    " decided_org TEXT NOT NULL,"
    " reason TEXT NOT NULL,"
    " at_ms BIGINT NOT NULL);"
    "CREATE TABLE ch_processed_event ("
    " event_key TEXT PRIMARY KEY,"
    " at_ms BIGINT NOT NULL)";

// The timeline needs an ordering key that is unique across instances: an identity column.
constexpr const char *kTimelineSqlite =
    "CREATE TABLE ch_timeline ("
    " seq INTEGER PRIMARY KEY AUTOINCREMENT,"
    " case_id TEXT NOT NULL REFERENCES ch_case (id),"
    " at_ms BIGINT NOT NULL,"
    " kind TEXT NOT NULL,"
    " data_class TEXT NOT NULL,"
    " actor_user TEXT NOT NULL,"
    " actor_org TEXT NOT NULL,"
    " actor_role TEXT NOT NULL,"
    " text TEXT NOT NULL,"
    " progress INTEGER NOT NULL);"
    "CREATE INDEX ch_timeline_case ON ch_timeline (case_id, seq)";
constexpr const char *kTimelinePostgresql =
    "CREATE TABLE ch_timeline ("
    " seq BIGSERIAL PRIMARY KEY,"
    " case_id TEXT NOT NULL REFERENCES ch_case (id),"
    " at_ms BIGINT NOT NULL,"
    " kind TEXT NOT NULL,"
    " data_class TEXT NOT NULL,"
    " actor_user TEXT NOT NULL,"
    " actor_org TEXT NOT NULL,"
    " actor_role TEXT NOT NULL,"
    " text TEXT NOT NULL,"
    " progress INTEGER NOT NULL);"
    "CREATE INDEX ch_timeline_case ON ch_timeline (case_id, seq)";

// Version 3: the tenant's plan, actions, support network and consults.
constexpr const char *kPlan =
    "CREATE TABLE ch_plan ("
    " case_id TEXT PRIMARY KEY REFERENCES ch_case (id),"
    " needs TEXT NOT NULL,"
    " offers TEXT NOT NULL,"
    " housing_wishes TEXT NOT NULL,"
    " in_words_of TEXT NOT NULL,"
    " updated_ms BIGINT NOT NULL,"
    " updated_by TEXT NOT NULL);"
    "CREATE TABLE ch_action ("
    " id TEXT PRIMARY KEY,"
    " case_id TEXT NOT NULL REFERENCES ch_case (id),"
    " description TEXT NOT NULL,"
    " owner_user TEXT NOT NULL CHECK (owner_user <> ''),"
    " owner_org TEXT NOT NULL,"
    " due_date TEXT NOT NULL,"
    " status TEXT NOT NULL,"
    " binding INTEGER NOT NULL,"
    " created_ms BIGINT NOT NULL,"
    " created_by TEXT NOT NULL,"
    " done_ms BIGINT);"
    "CREATE INDEX ch_action_case ON ch_action (case_id);"
    "CREATE TABLE ch_network ("
    " id TEXT PRIMARY KEY,"
    " case_id TEXT NOT NULL REFERENCES ch_case (id),"
    " kind TEXT NOT NULL,"
    " relation TEXT NOT NULL,"
    " member_user TEXT,"
    " member_org TEXT,"
    " member_role TEXT,"
    " buddy INTEGER NOT NULL,"
    " consent TEXT NOT NULL,"
    " consent_basis TEXT NOT NULL,"
    " consent_on TEXT NOT NULL,"
    " visibility TEXT NOT NULL,"
    " updated_ms BIGINT NOT NULL);"
    "CREATE INDEX ch_network_case ON ch_network (case_id);"
    "CREATE TABLE ch_consult ("
    " id TEXT PRIMARY KEY,"
    " case_id TEXT NOT NULL REFERENCES ch_case (id),"
    " expertise TEXT NOT NULL,"
    " consultant_user TEXT NOT NULL,"
    " consultant_org TEXT NOT NULL,"
    " question TEXT NOT NULL,"
    " answer TEXT,"
    " status TEXT NOT NULL,"
    " requested_by TEXT NOT NULL,"
    " requested_ms BIGINT NOT NULL,"
    " answer_by_ms BIGINT NOT NULL,"
    " answered_ms BIGINT,"
    " escalated_to TEXT,"
    " escalated_ms BIGINT);"
    "CREATE INDEX ch_consult_case ON ch_consult (case_id);"
    "CREATE INDEX ch_consult_consultant ON ch_consult (consultant_user, status)";

// Version 4: places, reservations, placements and neighbours' reports.
constexpr const char *kPlaces =
    "CREATE TABLE ch_place ("
    " id TEXT PRIMARY KEY,"
    " kind TEXT NOT NULL,"
    " capacity INTEGER NOT NULL CHECK (capacity > 0),"
    " row_version BIGINT NOT NULL);"
    "CREATE TABLE ch_reservation ("
    " id TEXT PRIMARY KEY,"
    " place_id TEXT NOT NULL REFERENCES ch_place (id),"
    " case_id TEXT NOT NULL REFERENCES ch_case (id),"
    " from_day TEXT NOT NULL,"
    " until_day TEXT NOT NULL,"
    " status TEXT NOT NULL,"
    " created_ms BIGINT NOT NULL,"
    " created_by TEXT NOT NULL,"
    " changed_ms BIGINT NOT NULL,"
    " CHECK (from_day < until_day));"
    "CREATE INDEX ch_reservation_place ON ch_reservation (place_id, status);"
    "CREATE TABLE ch_placement ("
    " id TEXT PRIMARY KEY,"
    " unit_id TEXT NOT NULL,"
    " tenancy_id TEXT NOT NULL,"
    " placed_on TEXT NOT NULL,"
    " vulnerable INTEGER NOT NULL,"
    " recorded_by TEXT NOT NULL,"
    " recorded_ms BIGINT NOT NULL);"
    "CREATE INDEX ch_placement_unit ON ch_placement (unit_id);"
    "CREATE TABLE ch_report ("
    " signal_seq BIGINT PRIMARY KEY,"
    " id TEXT NOT NULL UNIQUE,"
    " tenancy_id TEXT NOT NULL,"
    " reporter_user TEXT NOT NULL,"
    " case_id TEXT,"
    " status TEXT NOT NULL,"
    " received_ms BIGINT NOT NULL,"
    " next_update_by_ms BIGINT NOT NULL,"
    " updated_ms BIGINT NOT NULL,"
    " closed_ms BIGINT);"
    "CREATE INDEX ch_report_reporter ON ch_report (reporter_user);"
    "CREATE INDEX ch_report_tenancy ON ch_report (tenancy_id, status)";

// Version 5: what a neighbour wrote when filing a report through report.file (nuisance
// data, shown only to the reporter and the consultant of the tenancy), with the category
// they chose and a fingerprint of their request, so that a repeated request with the same
// idempotency key is recognised and a different one refused.
constexpr const char *kReportTexts =
    "CREATE TABLE ch_report_text ("
    " signal_seq BIGINT PRIMARY KEY,"
    " reporter_user TEXT NOT NULL,"
    " category TEXT NOT NULL,"
    " description TEXT NOT NULL,"
    " request_sha256 TEXT NOT NULL,"
    " filed_ms BIGINT NOT NULL)";

// Version 6: which case an accepted early-warning flag opened or raised, and the cases
// whose escalation ladder stopped because the flag they were opened from was withdrawn
// before a coordinator took them up (flag_withdrawal.hpp).
constexpr const char *kFlagCases =
    "CREATE TABLE ch_flag_case ("
    " flag_id TEXT NOT NULL,"
    " case_id TEXT NOT NULL REFERENCES ch_case (id),"
    " opened INTEGER NOT NULL CHECK (opened IN (0, 1)),"
    " at_ms BIGINT NOT NULL,"
    " PRIMARY KEY (flag_id, case_id));"
    "CREATE INDEX ch_flag_case_case ON ch_flag_case (case_id);"
    "CREATE TABLE ch_ladder_stop ("
    " case_id TEXT PRIMARY KEY REFERENCES ch_case (id),"
    " flag_id TEXT NOT NULL,"
    " stopped_ms BIGINT NOT NULL)";

hearth_migration migration(uint32_t version, const char *description, const char *sql,
                           const char *sql_postgresql = nullptr) {
  hearth_migration m{};
  m.struct_size = sizeof m;
  m.version = version;
  m.description = description;
  m.sql = sql;
  m.sql_postgresql = sql_postgresql;
  return m;
}

} // namespace

const std::vector<hearth_migration> &migrations() {
  static const std::vector<hearth_migration> all{
      migration(1, "cases, ownership, offers, escalations, decisions, processed events", kCases),
      migration(2, "the case timeline", kTimelineSqlite, kTimelinePostgresql),
      migration(3, "plans, actions, support network, consults", kPlan),
      migration(4, "places, reservations, placements, neighbours' reports", kPlaces),
      migration(5, "the texts neighbours file with their reports", kReportTexts),
      migration(6, "cases opened or raised by early-warning flags; stopped ladders", kFlagCases),
  };
  return all;
}

} // namespace hearth::handoff
