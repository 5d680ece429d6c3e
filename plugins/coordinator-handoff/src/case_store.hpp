// Cases in the store: loading (and locking) a case, what the policy service is told about
// it, who its members are, the timeline, and the one place where ownership changes — with
// the owner invariant checked before the transaction may commit.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "json_args.hpp"
#include "operation_context.hpp"

namespace hearth::handoff {

// One row of ch_case.
struct CaseRow {
  std::string id, tenancy_id, unit_id, neighbourhood_code, state;
  int level = 0;
  Person owner;
  std::int64_t owner_since_ms = 0;
  std::optional<std::string> mandate_user, mandate_org;
  std::string legal_basis;
  std::optional<std::string> care_basis;
  std::int64_t opened_ms = 0;
  std::optional<std::int64_t> closed_ms;
  bool is_open = true;
  std::int64_t last_activity_ms = 0, last_level_change_ms = 0, last_nuisance_escalation_ms = 0;
};

// A professional in the case's support network whose consent is given.
struct NetworkAccess {
  std::string user, organisation, role;
  std::set<std::string> visibility; // "plan", "timeline", "network"
};

// A case as one operation sees it: the row, the tenancy's facts and the network.
struct CaseView {
  CaseRow row;
  RecordFacts facts;
  std::vector<NetworkAccess> network;

  // "case:<id>,tenancy:<tenancy>": the audit objects.
  std::string objects() const;
};

// The part of a case an operation touches, for network members' visibility.
enum class Section { summary, plan, timeline, network };

// The message for a case that is missing or hidden from the actor (the same for both).
inline const std::string kNoSuchCase = "case_id: no case with this id";

// Reads case `id`; with `lock`, first takes the case's row lock for the rest of the
// transaction (an UPDATE of its row_version), so concurrent writers queue behind it.
std::optional<CaseRow> load_case(const Database &db, const std::string &id, bool lock);
// The open case of a tenancy, if any.
std::optional<std::string> open_case_of_tenancy(const Database &db, const std::string &tenancy_id);
// Builds the view of a loaded case: tenancy facts from the core tables, members, network.
CaseView view_case(const OperationContext &ctx, CaseRow row);

// Loads case `id` (locked when `lock`) and checks that the actor may do `action` on
// `data_class` with it, and — for someone who reaches the case only through the support
// network — that the tenant let them see `section`. A missing case throws
// Error(NOT_FOUND, kNoSuchCase); a refused one throws Hidden with the same message.
CaseView access_case(const OperationContext &ctx, const std::string &id, const char *action,
                     const char *data_class, Section section, bool lock);

// True when the actor is the case's owner (same user and organisation).
bool is_owner(const Actor &actor, const CaseRow &row);
// True when the actor is the case's mandate holder and the case is at the mandate level.
bool is_mandate_holder(const OperationContext &ctx, const CaseRow &row);
// True when the actor is a member: owner, mandate holder or a consenting network professional.
bool is_member(const OperationContext &ctx, const CaseView &view);

// Appends a timeline entry. `progress` entries reset the stalled-case timer.
void append_timeline(const OperationContext &ctx, const std::string &case_id, const std::string &kind,
                     const std::string &data_class, const std::string &text, bool progress);
// Records activity on a case: updates last_activity_ms.
void touch_case(const OperationContext &ctx, const std::string &case_id);

// Makes `next` the owner of the (locked) case `row` from now on; `how` is "opened",
// "handoff", "mandate". Ends the current ownership row, starts the next, updates the case,
// then checks the owner invariant (throws Error(INTERNAL) so that everything rolls back).
void change_owner(const OperationContext &ctx, CaseRow &row, const Person &next, const std::string &how);
// Inserts the first ownership row of a new case.
void start_ownership(const OperationContext &ctx, const CaseRow &row);
// The owner invariant for one case: exactly one current ownership row, and it names the
// owner on the case row; the history has no gaps or overlaps. Throws Error(INTERNAL).
void check_owner_invariant(const Database &db, const std::string &case_id);

// True when a case is stalled at `now_ms`: open, in one of the ladder's stalled states
// (ladder.ini up.stalled_case.states) and without progress (`last_activity_ms`) for at least
// handoff.ini's [cases] stalled_after_calendar_days calendar days. The one rule behind the
// case answers' "stalled", metrics.neighbourhood's stalled_cases and the dashboards. Pure.
bool is_stalled(const HandoffConfig &config, bool is_open, const std::string &state, std::int64_t last_activity_ms,
                std::int64_t now_ms);

// The case summary as JSON (state, level, owner, mandate holder, open offer, "stalled"...).
Poco::JSON::Object::Ptr case_json(const OperationContext &ctx, const CaseView &view);

} // namespace hearth::handoff
