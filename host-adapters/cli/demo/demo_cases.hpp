// Demo casework for `hearth serve`: a few coordinated cases on the freshly seeded demo
// neighbourhood, so that every persona of the dashboards has something to see.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <hearth/host.h>

namespace hearth::demo {

// What open_demo_cases() did: how many operations succeeded, and one line per failure
// (the operation and the runtime's reason; no personal data).
struct DemoCasesOutcome {
  std::size_t done = 0;
  std::vector<std::string> problems;
};

// Through the coordinator-handoff plugin's operations, as the demo's coordinator
// (coordinator-01 of gemeente:demo): opens cases for tenancy-000005 (the demo tenant),
// tenancy-000011 and tenancy-000017; writes the demo tenant's plan in their words; offers
// the case of tenancy-000011 to the demo care professional (care-01 of care:demo). Needs
// the plugins loaded. A failure of one step is reported and the rest goes on. [host-thread]
DemoCasesOutcome open_demo_cases(hearth_runtime *runtime);

} // namespace hearth::demo
