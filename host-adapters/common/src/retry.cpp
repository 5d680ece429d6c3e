#include "adapter_common/retry.hpp"

#include <algorithm>
#include <charconv>
#include <string>

#include <Poco/DateTime.h>
#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/DateTimeParser.h>
#include <Poco/String.h>

namespace hearth::adapters {

bool is_transient_status(int status) {
  return status <= 0 || status == 408 || status == 425 || status == 429 || status >= 500;
}

std::chrono::milliseconds RetryPolicy::delay_before(std::uint32_t next_attempt,
                                                    std::optional<std::chrono::milliseconds> retry_after) const {
  using std::chrono::milliseconds;
  const milliseconds cap = std::max(max_delay, milliseconds(0));
  milliseconds wait = std::clamp(base_delay, milliseconds(0), cap);
  for (std::uint32_t retry = 2; retry < next_attempt && wait < cap; ++retry) {
    wait = std::min(wait * 2, cap);
  }
  if (retry_after && *retry_after > wait) {
    wait = std::min(*retry_after, cap);
  }
  return wait;
}

std::optional<std::chrono::milliseconds> parse_retry_after(std::string_view value, std::int64_t now_ms) {
  const std::string text = Poco::trim(std::string(value));
  if (text.empty()) {
    return std::nullopt;
  }
  if (std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    std::int64_t seconds = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), seconds);
    if (error != std::errc() || end != text.data() + text.size() || seconds > 365LL * 24 * 3600) {
      return std::nullopt;
    }
    return std::chrono::milliseconds(seconds * 1000);
  }
  // Only the IMF-fixdate senders must use ("Wed, 21 Oct 2026 07:28:00 GMT"): Poco's parser
  // alone is lenient, so the value must also read back exactly as written.
  Poco::DateTime at;
  int zone = 0;
  if (!Poco::DateTimeParser::tryParse(Poco::DateTimeFormat::HTTP_FORMAT, text, at, zone) || zone != 0 ||
      Poco::DateTimeFormatter::format(at, Poco::DateTimeFormat::HTTP_FORMAT) != text) {
    return std::nullopt;
  }
  const std::int64_t at_ms = at.timestamp().epochMicroseconds() / 1000 - static_cast<std::int64_t>(zone) * 1000;
  return std::chrono::milliseconds(std::max<std::int64_t>(0, at_ms - now_ms));
}

} // namespace hearth::adapters
