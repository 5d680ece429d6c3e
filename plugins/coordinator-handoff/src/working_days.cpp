#include "working_days.hpp"

#include <cctype>
#include <cstdio>

namespace hearth::handoff {

std::optional<Day> parse_day(const std::string &text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') {
    return std::nullopt;
  }
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (i != 4 && i != 7 && std::isdigit(static_cast<unsigned char>(text[i])) == 0) {
      return std::nullopt;
    }
  }
  const std::chrono::year_month_day date{std::chrono::year{std::stoi(text.substr(0, 4))},
                                         std::chrono::month{static_cast<unsigned>(std::stoi(text.substr(5, 2)))},
                                         std::chrono::day{static_cast<unsigned>(std::stoi(text.substr(8, 2)))}};
  if (!date.ok()) {
    return std::nullopt;
  }
  return Day{date};
}

std::string format_day(Day day) {
  const std::chrono::year_month_day date{day};
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
  return text;
}

Day day_of(std::int64_t epoch_ms) {
  std::int64_t days = epoch_ms / kMillisPerDay;
  if (epoch_ms < 0 && epoch_ms % kMillisPerDay != 0) {
    --days;
  }
  return Day{std::chrono::days{days}};
}

std::int64_t start_of(Day day) { return static_cast<std::int64_t>(day.time_since_epoch().count()) * kMillisPerDay; }

bool WorkingCalendar::is_working_day(Day day) const {
  const std::chrono::weekday weekday{day};
  if (weekday == std::chrono::Saturday || weekday == std::chrono::Sunday) {
    return false;
  }
  return !holidays_.contains(day);
}

std::int64_t WorkingCalendar::add_working_days(std::int64_t from_ms, int working_days) const {
  Day day = day_of(from_ms);
  const std::int64_t time_of_day = from_ms - start_of(day);
  for (int counted = 0; counted < working_days;) {
    day += std::chrono::days{1};
    if (is_working_day(day)) {
      ++counted;
    }
  }
  return start_of(day) + time_of_day;
}

int WorkingCalendar::working_days_between(std::int64_t from_ms, std::int64_t to_ms) const {
  if (to_ms <= from_ms) {
    return 0;
  }
  int count = 0;
  const Day last = day_of(to_ms);
  for (Day day = day_of(from_ms) + std::chrono::days{1}; day <= last; day += std::chrono::days{1}) {
    if (is_working_day(day)) {
      ++count;
    }
  }
  return count;
}

} // namespace hearth::handoff
