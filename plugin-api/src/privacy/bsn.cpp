// The elfproef, masking and redaction of BSNs (see bsn.hpp).
#include "privacy/bsn.hpp"

#include <array>
#include <cstddef>

namespace hearth::privacy {
namespace {

// Weights of the BSN elfproef, first digit to last.
constexpr std::array<int, 9> kElfproefWeights{9, 8, 7, 6, 5, 4, 3, 2, -1};

// How many digits of a BSN stay visible when it is masked.
constexpr std::size_t kVisibleDigits = 4;

// The replacement written where a BSN stood in free text.
constexpr std::string_view kRedacted = "[BSN]";

// ASCII digit test that does not depend on the locale.
bool is_digit(char c) { return c >= '0' && c <= '9'; }

} // namespace

bool bsn_is_valid(std::string_view text) {
  if (text.size() != 8 && text.size() != 9) {
    return false;
  }
  for (const char c : text) {
    if (!is_digit(c)) {
      return false;
    }
  }
  // An 8-digit number is a BSN whose leading zero was dropped: its digits take weights 8..-1.
  const std::size_t offset = kElfproefWeights.size() - text.size();
  int sum = 0;
  bool all_zero = true;
  for (std::size_t i = 0; i < text.size(); ++i) {
    sum += kElfproefWeights[offset + i] * (text[i] - '0');
    all_zero = all_zero && text[i] == '0';
  }
  // Only all zeros is refused beyond the elfproef: other numbers whose sum is 0 (such as
  // 100000009) pass it, and refusing them would let them through log redaction.
  return !all_zero && sum % 11 == 0;
}

std::string mask_bsn(std::string_view bsn) {
  std::string masked(bsn);
  // A value too short to keep 4 digits back is masked entirely rather than shown whole.
  const std::size_t hidden =
      masked.size() > kVisibleDigits ? masked.size() - kVisibleDigits : masked.size();
  for (std::size_t i = 0; i < hidden; ++i) {
    masked[i] = '*';
  }
  return masked;
}

std::string redact_bsns(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    if (!is_digit(text[i])) {
      out.push_back(text[i]);
      ++i;
      continue;
    }
    // A maximal run of digits: never part of a longer number by construction.
    std::size_t end = i;
    while (end < text.size() && is_digit(text[end])) {
      ++end;
    }
    const std::string_view run = text.substr(i, end - i);
    if (run.size() == 9 && bsn_is_valid(run)) {
      out.append(kRedacted);
    } else {
      out.append(run);
    }
    i = end;
  }
  return out;
}

} // namespace hearth::privacy
