// The demo generator: layout, then one story per tenancy, then the signals in time order.
#include "demo/generator.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <tuple>

#include "demo/demo_random.hpp"
#include "demo/layout.hpp"
#include "demo/tenancy_story.hpp"

namespace hearth::demo {

namespace {

// Buildings per housing consultant's portfolio.
constexpr std::uint32_t buildings_per_consultant = 10;

} // namespace

DemoNeighbourhood generate_neighbourhood(std::uint32_t tenancies, std::uint64_t seed) {
  if (tenancies == 0 || tenancies > max_demo_tenancies) {
    throw std::invalid_argument("the number of tenancies must be 1 to " + std::to_string(max_demo_tenancies));
  }
  Layout layout = lay_out_units(seed, tenancies);
  DemoNeighbourhood result;
  result.seed = seed;
  result.buildings = static_cast<std::uint32_t>(layout.building_first.size());
  result.tenancies.reserve(tenancies);
  result.outcomes.reserve(tenancies);
  for (std::uint32_t index = 0; index < tenancies; ++index) {
    TenancyStory story = tell_story(derive_seed(seed, index + 1ULL), index, neighbours_of(layout, index));
    story.tenancy.consultant = 1 + layout.units[index].building / buildings_per_consultant;
    result.tenancies.push_back(story.tenancy);
    result.outcomes.push_back(story.outcome);
    result.signals.insert(result.signals.end(), story.signals.begin(), story.signals.end());
  }
  result.units = std::move(layout.units);
  // Back-office feeds deliver in time order; ties are broken by tenancy and sequence,
  // which together are unique.
  std::sort(result.signals.begin(), result.signals.end(), [](const DemoSignal &a, const DemoSignal &b) {
    return std::tie(a.occurred_at_ms, a.tenancy, a.sequence) < std::tie(b.occurred_at_ms, b.tenancy, b.sequence);
  });
  return result;
}

} // namespace hearth::demo
