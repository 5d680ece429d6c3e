// Retrying outbound calls to another system: which answers are worth another try, how long
// to wait before it (bounded exponential back-off, honouring Retry-After), and the policy's
// settings. Used by the ZGW case export and the VERA write-back outbox, so that both give
// up on the same answers and wait in the same way. Part of hearth_adapter_common.
// Since 0.2.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

namespace hearth::adapters {

// True for an HTTP status that may succeed when sent again unchanged: 408 (timeout), 425
// (too early), 429 (too many requests) and every 5xx. Any other status (2xx, 3xx, the
// remaining 4xx) is not transient. A status of 0 or less (no answer) is transient: the
// caller decides beforehand whether its transport failure was one (see outbound_http).
bool is_transient_status(int status);

// How often and how patiently to try one call.
struct RetryPolicy {
  std::uint32_t attempts = 1;                   // tries in all, at least 1 (1: no retry)
  std::chrono::milliseconds base_delay{1000};   // the wait before the second try
  std::chrono::milliseconds max_delay{30000};   // no wait is longer than this

  // The wait before try number `next_attempt` (2 for the first retry): base_delay doubled
  // for each earlier retry (base, 2*base, 4*base, ...), and at least `retry_after` when
  // the other side asked for it; never more than max_delay, never negative.
  std::chrono::milliseconds delay_before(std::uint32_t next_attempt,
                                         std::optional<std::chrono::milliseconds> retry_after = std::nullopt) const;
};

// Reads a Retry-After header (RFC 9110): a number of seconds ("120", at most a year) or an
// HTTP date in the IMF-fixdate form ("Wed, 21 Oct 2026 07:28:00 GMT"), the latter relative
// to `now_ms` (Unix epoch ms); a date in the past is a wait of 0. nullopt for an empty,
// negative or unreadable value.
std::optional<std::chrono::milliseconds> parse_retry_after(std::string_view value, std::int64_t now_ms);

} // namespace hearth::adapters
