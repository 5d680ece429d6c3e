// The checks every adapter applies to incoming values, so that all of them refuse the same
// things with the same words: text encoding, BSN elfproef, dates, amounts. Reasons never
// repeat the value (it may be personal data). Part of hearth_adapter_common. Since 0.1.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace hearth::adapters {

// A value that failed a check: the reason, to be combined with the field's name.
struct CheckFailure {
  std::string reason;
};

// True when `text` is well-formed UTF-8 (no overlong forms, no surrogates, nothing above
// U+10FFFF). Uses Poco's UTF-8 decoder.
bool is_valid_utf8(std::string_view text);

// True when `digits` is nine digits passing the elfproef (11-test) of the Dutch citizen
// service number (BSN): 9*d1 + 8*d2 + ... + 2*d8 - 1*d9 is a positive multiple of 11.
bool bsn_passes_elfproef(std::string_view digits);

// Checks a BSN as received: nine digits (eight with a leading zero dropped are padded) that
// pass the elfproef. The failure reasons: "is not 9 digits", "fails the elfproef (11-test)".
std::optional<CheckFailure> check_bsn(std::string_view text);

// Parses an ISO 8601 calendar date "YYYY-MM-DD" (midnight UTC) or date-time
// "YYYY-MM-DDThh:mm:ss[.fff](Z|±hh:mm)" into Unix epoch milliseconds, UTC. A date-time
// without a zone is read as UTC. Failures: "is not an ISO 8601 date or date-time".
std::variant<std::int64_t, CheckFailure> parse_iso_time(std::string_view text);

// Refuses an instant later than now + skew ("is in the future") or before 2000-01-01
// ("is before 2000-01-01").
std::optional<CheckFailure> check_not_future(std::int64_t at_ms, std::int64_t now_ms, std::int64_t skew_ms);

// Converts an amount in euros (a JSON number, or text like "123.45" or "123,45") to whole
// cents, rounding half away from zero. Failures: "is negative", "is not a number",
// "is too large" (over 100 million euros), "has more than two decimals".
std::variant<std::int64_t, CheckFailure> euros_to_cents(double euros);
std::variant<std::int64_t, CheckFailure> euros_text_to_cents(std::string_view text);

// True when `given` equals `expected` (a shared secret such as a webhook's Authorization
// header), compared in time independent of where they differ; false for an empty
// `expected`. Since 0.2 (moved here from the ZGW and Signalen receivers).
bool same_secret(std::string_view given, std::string_view expected);

} // namespace hearth::adapters
