// The policy service as plugins see it: extension "nl.hearth.policy/1" (hearth/policy.h).
#pragma once

#include "hearth/policy.h"

namespace hearth::loader {

// The extension table; its check() finds the runtime's policy through the calling
// plugin's host table. Static, valid for the life of the process.
const hearth_policy_extension *policy_extension();

} // namespace hearth::loader
