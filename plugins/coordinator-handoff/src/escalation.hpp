// The escalation ladder at work: changing a case's level, and the triggers that do it on
// the runtime clock (stalled case, unanswered offer, overdue consult, stable case) or on
// events (repeated nuisance, an accepted red flag). Deterministic: evaluated when
// escalation.tick runs or an event arrives, never on a thread of its own.
#pragma once

#include <cstdint>
#include <string>

#include "case_store.hpp"

namespace hearth::handoff {

// Moves the locked case `row` to `to_level` (clamped to the ladder), recording the change,
// its trigger and reason on the timeline and in the history, and joining or releasing the
// mandate holder. Audited as an update by ctx.actor(). Returns false when the level stays.
bool change_level(OperationContext &ctx, CaseRow &row, int to_level, const std::string &trigger,
                  const std::string &reason);

// What one evaluation did.
struct TimerCounts {
  int cases_checked = 0;
  int raised = 0;
  int lowered = 0;
  int offers_escalated = 0;
  int consults_overdue = 0;
};

// Evaluates the time triggers of every open case whose ladder runs (flag_withdrawal.hpp),
// each case in its own transaction (so a failure in one leaves the others evaluated).
// Safe to run concurrently and on several instances: each case is evaluated under its row
// lock.
TimerCounts run_timers(OperationContext &ctx);

// After an accepted signal of a nuisance type: raises the tenancy's open case when the
// repeated-nuisance trigger fires (not while its ladder is stopped, flag_withdrawal.hpp).
// `event_key` makes it idempotent (replays, instances).
void on_nuisance_signal(OperationContext &ctx, const std::string &tenancy_id, const std::string &event_key);

// After an accepted early-warning flag: raises the open case, or opens one with the intake
// owner when configured, and records which case flag `flag_id` ("" when the event named
// none) opened or raised. A case whose ladder had stopped runs again. Idempotent on
// `event_key`.
void on_red_flag(OperationContext &ctx, const std::string &tenancy_id, const std::string &flag_level,
                 const std::string &flag_id, const std::string &event_key);

// Records `event_key` in the processed-event ledger; false when it was there already.
bool first_time(const OperationContext &ctx, const std::string &event_key);

} // namespace hearth::handoff
