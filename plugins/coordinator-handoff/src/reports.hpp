// Neighbours' reports: a nuisance signal that carries a reporter becomes a report whose
// status the neighbour can follow (received, being handled, next update by, closed). What
// the neighbour reads is about their report only, never about the tenant or the case.
#pragma once

#include <cstdint>
#include <string>

#include "operation_context.hpp"

namespace hearth::handoff {

// Records the report for accepted signal `signal_seq` (idempotent), linked to the
// tenancy's open case when there is one. Inside the caller's transaction; the signal's
// reporter is read from the core table. Does nothing for a signal without a reporter or
// one already recorded. True when this call recorded (and audited) the report.
bool record_report(OperationContext &ctx, std::int64_t signal_seq);

} // namespace hearth::handoff
