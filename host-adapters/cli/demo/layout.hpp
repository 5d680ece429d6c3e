// Where the demo tenancies are: buildings with entrances on invented streets in a handful
// of neighbourhoods.
#pragma once

#include <cstdint>
#include <vector>

#include "demo/demo_data.hpp"

namespace hearth::demo {

// The units of a run and the buildings they stand in.
struct Layout {
  std::vector<DemoUnit> units;               // `count` units, building by building
  std::vector<std::uint32_t> building_first; // per building: index of its first unit
  std::vector<std::uint32_t> building_size;  // per building: its number of units here
};

// Lays out `count` units with the engine seeded with `seed`: row houses with their own
// door, walk-up flats and larger blocks with one to three entrances.
Layout lay_out_units(std::uint64_t seed, std::uint32_t count);

// The units that may report nuisance about unit `index`: the nearest flats of the same
// building, or for a house the nearest houses (else the units next to it). Empty only for
// a single unit. Never `index` itself.
std::vector<std::uint32_t> neighbours_of(const Layout &layout, std::uint32_t index);

} // namespace hearth::demo
