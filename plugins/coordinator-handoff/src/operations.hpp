// The plugin's operations (service factory "nl.hearth.service/1"): each has a name, the
// NEN 7513 action its refusal is audited under, and a handler. Each *_operations.cpp file
// contributes one area; service.cpp dispatches.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "json_args.hpp"
#include "operation_context.hpp"

namespace hearth::handoff {

// Runs one operation for ctx.actor() with `args` and returns the JSON answer. Throws
// hearth::Error (status and one-line reason) or Hidden.
using Handler = std::function<std::string(OperationContext &ctx, const Args &args)>;

struct Operation {
  std::string name;   // "case.open"
  const char *action; // HEARTH_ACTION_*: what a refusal is audited as
  Handler handler;
};

// Each appends the operations of one area (its *_operations.cpp) to `out`.
void add_case_operations(std::vector<Operation> &out);
void add_handoff_operations(std::vector<Operation> &out);
void add_escalation_operations(std::vector<Operation> &out);
void add_plan_operations(std::vector<Operation> &out);
void add_network_operations(std::vector<Operation> &out);
void add_consult_operations(std::vector<Operation> &out);
void add_place_operations(std::vector<Operation> &out);
void add_placement_operations(std::vector<Operation> &out);
void add_report_operations(std::vector<Operation> &out);
void add_timeline_operations(std::vector<Operation> &out);
void add_metrics_operations(std::vector<Operation> &out);

// Every operation, in a stable order.
const std::vector<Operation> &all_operations();

// Opens a case for `tenancy_id` owned by `owner` (used by case.open and by an accepted red
// flag). Inside the caller's transaction. With `check_policy` the actor must be allowed to
// create case data for the tenancy (the plugin's own rules, e.g. a red flag, skip it).
// Throws Error(NOT_FOUND) for an unknown tenancy (Hidden for one the actor may not reach),
// Error(CONFLICT) when the tenancy has an open case. Returns the new case id.
std::string open_case(OperationContext &ctx, const std::string &tenancy_id, const Person &owner,
                      const std::string &legal_basis, const std::optional<std::string> &care_basis,
                      const std::string &reason, bool check_policy);

// The event types this plugin publishes (docs/handoff.md, "Events").
inline constexpr const char *kEventCaseChanged = "nl.hearth.case.changed/1";
inline constexpr const char *kEventExportRequested = "nl.hearth.case.export-requested/1";

// Queues kEventCaseChanged for a case: {"case_id","tenancy_id","change",...}.
void queue_case_changed(OperationContext &ctx, const std::string &case_id, const std::string &tenancy_id,
                        const std::string &change);

} // namespace hearth::handoff
