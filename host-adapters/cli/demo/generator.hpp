// The demo generator: a synthetic neighbourhood, deterministic for its seed.
#pragma once

#include <cstdint>

#include "demo/demo_data.hpp"

namespace hearth::demo {

// The largest number of tenancies one run generates.
constexpr std::uint32_t max_demo_tenancies = 1'000'000;

// Generates `tenancies` units with one tenancy each, their households, their signal
// histories (sorted by time, then source and external id) and their outcomes. The layout
// comes from std::mt19937_64 seeded with `seed`; each tenancy's story from its own engine
// seeded from `seed` and its index. The same arguments give the same data on every
// platform. `tenancies` must be 1 .. max_demo_tenancies.
DemoNeighbourhood generate_neighbourhood(std::uint32_t tenancies, std::uint64_t seed);

} // namespace hearth::demo
