// Laying out buildings, entrances, streets and neighbourhoods.
#include "demo/layout.hpp"

#include <algorithm>

#include "demo/demo_random.hpp"

namespace hearth::demo {

namespace {

// How far (in unit indices) a reporting neighbour may live.
constexpr std::int64_t neighbour_reach = 4;

} // namespace

Layout lay_out_units(std::uint64_t seed, std::uint32_t count) {
  DemoRandom random(seed);
  Layout layout;
  layout.units.reserve(count);
  const auto &areas = neighbourhoods();
  // The next free house number per neighbourhood and street.
  std::vector<std::vector<std::uint32_t>> next_number;
  for (const auto &area : areas) {
    next_number.emplace_back(area.streets.size(), 1U);
  }
  while (layout.units.size() < count) {
    const auto area = static_cast<std::uint16_t>(random.below(areas.size()));
    const auto street = static_cast<std::uint16_t>(random.below(areas[area].streets.size()));
    const std::uint64_t shape = random.below(100);
    std::uint32_t size = 1;
    std::uint32_t entrances = 0;
    if (shape >= 35 && shape < 80) {
      size = static_cast<std::uint32_t>(random.between(6, 16));
      entrances = static_cast<std::uint32_t>(random.between(1, 2));
    } else if (shape >= 80) {
      size = static_cast<std::uint32_t>(random.between(20, 48));
      entrances = static_cast<std::uint32_t>(random.between(1, 3));
    }
    std::uint32_t &number = next_number[area][street];
    const auto building = static_cast<std::uint32_t>(layout.building_first.size());
    const auto first = static_cast<std::uint32_t>(layout.units.size());
    size = std::min<std::uint32_t>(size, count - first);
    for (std::uint32_t flat = 0; flat < size; ++flat) {
      DemoUnit unit;
      unit.building = building;
      unit.neighbourhood = area;
      unit.street = street;
      unit.number = number;
      if (entrances != 0) {
        unit.addition = static_cast<std::uint16_t>(flat + 1);
        unit.entrance = static_cast<char>('A' + flat * entrances / size);
      }
      layout.units.push_back(unit);
    }
    layout.building_first.push_back(first);
    layout.building_size.push_back(size);
    number += 2;
  }
  return layout;
}

std::vector<std::uint32_t> neighbours_of(const Layout &layout, std::uint32_t index) {
  const DemoUnit &unit = layout.units[index];
  const bool flats = unit.entrance != 0;
  std::int64_t low = static_cast<std::int64_t>(index) - neighbour_reach;
  std::int64_t high = static_cast<std::int64_t>(index) + neighbour_reach;
  if (flats) {
    low = std::max<std::int64_t>(low, layout.building_first[unit.building]);
    high = std::min<std::int64_t>(high, layout.building_first[unit.building] +
                                            layout.building_size[unit.building] - 1);
  }
  low = std::max<std::int64_t>(low, 0);
  high = std::min<std::int64_t>(high, static_cast<std::int64_t>(layout.units.size()) - 1);
  std::vector<std::uint32_t> found;
  for (std::int64_t other = low; other <= high; ++other) {
    if (other != index && (flats || layout.units[static_cast<std::size_t>(other)].entrance == 0)) {
      found.push_back(static_cast<std::uint32_t>(other));
    }
  }
  // A house among flats: the units next to it in the layout are the nearest neighbours.
  if (found.empty() && index > 0) {
    found.push_back(index - 1);
  }
  if (found.empty() && index + 1 < layout.units.size()) {
    found.push_back(index + 1);
  }
  return found;
}

} // namespace hearth::demo
