// Cases and the early-warning flags behind them (schema version 6): which case an accepted flag
// opened or raised (ch_flag_case), and what happens when a person withdraws that flag
// again (nl.hearth.flag.withdrawn/1). A case the flag opened that no coordinator has taken
// up yet — still in the lifecycle's initial state — stops escalating (ch_ladder_stop);
// a case in progress only gets a timeline entry. Closing a case stays a person's decision.
// Timeline texts name no person and no reason a person wrote. Every function runs inside
// the caller's transaction (ctx.transaction) on the plugin's own actor.
#pragma once

#include <string>

#include "case_store.hpp"

namespace hearth::handoff {

// The event type the early-warning plugin publishes when a revision takes an acceptance
// back (the latest decision is overridden or dismissed). Payload: "flag_id",
// "tenancy_id", "decision" (its number), "status" and more (docs/early-warning.md).
inline constexpr const char *kEventFlagWithdrawn = "nl.hearth.flag.withdrawn/1";

// Records that accepted flag `flag_id` opened (`opened`) or raised case `case_id`. A
// second record for the same pair keeps the first (a case opened by the flag stays so).
void link_flag_to_case(const OperationContext &ctx, const std::string &flag_id, const std::string &case_id,
                       bool opened);

// True when the escalation ladder is stopped for case `case_id`: the automatic triggers
// (time triggers, repeated nuisance) leave its level alone. Hand raises and lowers still work.
bool ladder_stopped(const OperationContext &ctx, const std::string &case_id);

// Lets the ladder run again for case `case_id` when it was stopped, with the timeline
// entry "ladder-resumed" saying `why` (no personal data). Returns true when it was stopped.
bool resume_ladder(const OperationContext &ctx, const std::string &case_id, const std::string &why);

// What a withdrawal did, for logs and tests.
struct WithdrawalCounts {
  int stopped = 0; // cases whose ladder stopped
  int noted = 0;   // cases that only got a timeline entry
};

// After nl.hearth.flag.withdrawn/1 for `flag_id` (now `status`, e.g. dismissed): each
// open case the flag opened or raised is told. One the flag opened and still in the
// initial state stops escalating (timeline "ladder-stopped"); any other gets the timeline
// entry "flag-withdrawn" only. Closed cases are left as they are. Each change is audited
// as an update. Idempotent on `event_key` (the processed-event ledger).
WithdrawalCounts on_flag_withdrawn(OperationContext &ctx, const std::string &flag_id, const std::string &status,
                                   const std::string &event_key);

} // namespace hearth::handoff
