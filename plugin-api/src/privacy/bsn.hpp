// The citizen service number (BSN): validation with the elfproef, masking, and finding
// BSN-shaped numbers in free text so that they never reach a log line.
#pragma once

#include <string>
#include <string_view>

namespace hearth::privacy {

// True when `text` is exactly 9 ASCII digits (8 digits are accepted with a leading zero
// added), not all zeros, and passes the elfproef: 9*d1 + 8*d2 + ... + 2*d8 - 1*d9 is
// divisible by 11. "111222333" is valid. Anything else (letters, spaces, other lengths)
// is invalid.
bool bsn_is_valid(std::string_view text);

// "*****2333"-style: all but the last 4 characters replaced by '*'; a value of 4
// characters or fewer is masked entirely. Empty input stays empty.
std::string mask_bsn(std::string_view bsn);

// Replaces every run of exactly 9 digits (not part of a longer number) that passes the
// elfproef with "[BSN]"; other text, longer or shorter numbers and 9-digit numbers that
// fail the elfproef are kept. Used on every log line (see redacting_sink.hpp).
std::string redact_bsns(std::string_view text);

} // namespace hearth::privacy
