// Running one operation (hearth/service.h): checks the actor, finds the operation, applies
// the role table (operations.ini), runs it, and turns every refusal into a hearth::Error
// with the status service.h prescribes. Refusals — of the operation or of a record — are
// audited.
#pragma once

#include <string>
#include <string_view>

#include <hearth/actor.h>

#include "operation_context.hpp"

namespace hearth::handoff {

// Runs `operation` for `actor` with the JSON object `args_json` and returns the JSON
// answer. Throws hearth::Error: INVALID_ARGUMENT (bad actor or arguments), DENIED (the
// role may not use the operation, or may not do this to a record it can see), NOT_FOUND
// (unknown operation; a record that is missing or hidden, with one message for both),
// CONFLICT (state changed or duplicate), INTERNAL/IO (a fault, logged without personal
// data). [any-thread] may block.
std::string run_operation(const Services &services, const hearth_actor &actor, std::string_view operation,
                          std::string_view args_json);

} // namespace hearth::handoff
