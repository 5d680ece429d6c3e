// Calendar dates as days since 1970-01-01 (UTC), for the demo generator's histories.
#pragma once

#include <cstdint>
#include <string>

namespace hearth::demo {

// Milliseconds in one day.
constexpr std::int64_t ms_per_day = 86'400'000;

// The day number (days since 1970-01-01) of `year`-`month`-`day` in the Gregorian calendar.
std::int64_t day_number(int year, unsigned month, unsigned day);

// The day number as "YYYY-MM-DD".
std::string iso_date(std::int64_t day);

} // namespace hearth::demo
