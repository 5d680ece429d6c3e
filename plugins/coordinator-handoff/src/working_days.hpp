// Dates and working days on the runtime clock. Dates are calendar days in UTC (docs/handoff.md
// says why); a working day is a day that is neither a weekend day nor a configured holiday.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <set>
#include <string>

namespace hearth::handoff {

using Day = std::chrono::sys_days;

constexpr std::int64_t kMillisPerDay = 86'400'000;

// Parses "YYYY-MM-DD" (a real calendar date); nullopt otherwise.
std::optional<Day> parse_day(const std::string &text);
// "YYYY-MM-DD".
std::string format_day(Day day);
// The UTC calendar day of a Unix-epoch millisecond instant.
Day day_of(std::int64_t epoch_ms);
// Midnight UTC of `day`, in Unix-epoch milliseconds.
std::int64_t start_of(Day day);

// Which days are working days. Immutable after construction; safe to share between threads.
class WorkingCalendar {
public:
  WorkingCalendar() = default;
  // `holidays` are days off in addition to Saturday and Sunday.
  explicit WorkingCalendar(std::set<Day> holidays) : holidays_(std::move(holidays)) {}

  // True when `day` is a weekday that is not a holiday.
  bool is_working_day(Day day) const;
  // The instant `working_days` working days after `from_ms`: the same time of day on the
  // n-th working day after from_ms's day. 0 working days gives from_ms itself.
  std::int64_t add_working_days(std::int64_t from_ms, int working_days) const;
  // The number of working days d with day_of(from_ms) < d <= day_of(to_ms); 0 when
  // to_ms <= from_ms.
  int working_days_between(std::int64_t from_ms, std::int64_t to_ms) const;

private:
  std::set<Day> holidays_;
};

} // namespace hearth::handoff
