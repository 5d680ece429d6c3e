#include "adapter_common/input_checks.hpp"

#include <charconv>
#include <cmath>
#include <regex>

#include <Poco/DateTime.h>
#include <Poco/UTF8Encoding.h>

namespace hearth::adapters {
namespace {

constexpr std::int64_t kEarliestMs = 946684800000LL;         // 2000-01-01T00:00:00Z
constexpr std::int64_t kMaxCents = 100'000'000LL * 100LL;     // one hundred million euros

int two_digits(const std::string &text) { return std::stoi(text); }

} // namespace

bool is_valid_utf8(std::string_view text) {
  const Poco::UTF8Encoding encoding;
  const auto *bytes = reinterpret_cast<const unsigned char *>(text.data());
  std::size_t at = 0;
  while (at < text.size()) {
    if (bytes[at] < 0x80) {
      ++at;
      continue;
    }
    const int remaining = static_cast<int>(std::min<std::size_t>(text.size() - at, 4));
    const int length = encoding.sequenceLength(bytes + at, remaining);
    if (length <= 0 || length > remaining || !Poco::UTF8Encoding::isLegal(bytes + at, length)) {
      return false;
    }
    // isLegal admits the UTF-16 surrogate range (U+D800..U+DFFF) encoded in UTF-8.
    if (length == 3 && bytes[at] == 0xED && bytes[at + 1] >= 0xA0) {
      return false;
    }
    at += static_cast<std::size_t>(length);
  }
  return true;
}

bool bsn_passes_elfproef(std::string_view digits) {
  if (digits.size() != 9) {
    return false;
  }
  int sum = 0;
  for (std::size_t i = 0; i < 9; ++i) {
    if (digits[i] < '0' || digits[i] > '9') {
      return false;
    }
    const int weight = i < 8 ? static_cast<int>(9 - i) : -1;
    sum += weight * (digits[i] - '0');
  }
  return sum > 0 && sum % 11 == 0;
}

std::optional<CheckFailure> check_bsn(std::string_view text) {
  std::string digits(text);
  if (digits.size() == 8) {
    digits.insert(digits.begin(), '0');
  }
  if (digits.size() != 9 || digits.find_first_not_of("0123456789") != std::string::npos) {
    return CheckFailure{"is not 9 digits"};
  }
  if (!bsn_passes_elfproef(digits)) {
    return CheckFailure{"fails the elfproef (11-test)"};
  }
  return std::nullopt;
}

std::variant<std::int64_t, CheckFailure> parse_iso_time(std::string_view text) {
  static const std::regex shape(
      R"(^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})?)?$)");
  const CheckFailure failure{"is not an ISO 8601 date or date-time"};
  if (text.size() > 40) {
    return failure;
  }
  const std::string input(text);
  std::smatch parts;
  if (!std::regex_match(input, parts, shape)) {
    return failure;
  }
  const int year = std::stoi(parts[1].str()), month = two_digits(parts[2].str()), day = two_digits(parts[3].str());
  int hour = 0, minute = 0, second = 0, millisecond = 0;
  if (parts[4].matched) {
    hour = two_digits(parts[4].str());
    minute = two_digits(parts[5].str());
    second = two_digits(parts[6].str());
  }
  if (parts[7].matched) {
    std::string fraction = parts[7].str() + "00";
    millisecond = std::stoi(fraction.substr(0, 3));
  }
  if (!Poco::DateTime::isValid(year, month, day, hour, minute, second, millisecond)) {
    return failure;
  }
  std::int64_t offset_ms = 0;
  if (parts[8].matched && parts[8].str() != "Z") {
    std::string zone = parts[8].str();
    const int sign = zone[0] == '-' ? -1 : 1;
    zone.erase(0, 1);
    if (zone.size() == 5) {
      zone.erase(2, 1);
    }
    const int zone_hours = two_digits(zone.substr(0, 2)), zone_minutes = two_digits(zone.substr(2, 2));
    if (zone_hours > 14 || zone_minutes > 59) {
      return failure;
    }
    offset_ms = sign * (zone_hours * 3600LL + zone_minutes * 60LL) * 1000LL;
  }
  const Poco::DateTime at(year, month, day, hour, minute, second, millisecond);
  return at.timestamp().epochMicroseconds() / 1000 - offset_ms;
}

std::optional<CheckFailure> check_not_future(std::int64_t at_ms, std::int64_t now_ms, std::int64_t skew_ms) {
  if (at_ms > now_ms + skew_ms) {
    return CheckFailure{"is in the future"};
  }
  if (at_ms < kEarliestMs) {
    return CheckFailure{"is before 2000-01-01"};
  }
  return std::nullopt;
}

std::variant<std::int64_t, CheckFailure> euros_to_cents(double euros) {
  if (!std::isfinite(euros)) {
    return CheckFailure{"is not a number"};
  }
  if (euros < 0) {
    return CheckFailure{"is negative"};
  }
  const double cents = euros * 100.0;
  if (cents > static_cast<double>(kMaxCents)) {
    return CheckFailure{"is too large"};
  }
  const double rounded = std::round(cents);
  if (std::fabs(cents - rounded) > 1e-6 * std::max(1.0, cents)) {
    return CheckFailure{"has more than two decimals"};
  }
  return static_cast<std::int64_t>(rounded);
}

std::variant<std::int64_t, CheckFailure> euros_text_to_cents(std::string_view text) {
  static const std::regex shape(R"(^\s*(-?)(\d{1,12})(?:[.,](\d{1,2}))?\s*$)");
  const std::string input(text);
  std::smatch parts;
  if (!std::regex_match(input, parts, shape)) {
    static const std::regex more_decimals(R"(^\s*-?\d+[.,]\d{3,}\s*$)");
    return std::regex_match(input, more_decimals) ? CheckFailure{"has more than two decimals"}
                                                  : CheckFailure{"is not a number"};
  }
  std::int64_t whole = 0;
  const std::string whole_text = parts[2].str();
  std::from_chars(whole_text.data(), whole_text.data() + whole_text.size(), whole);
  std::string fraction = parts[3].matched ? parts[3].str() : "0";
  if (fraction.size() == 1) {
    fraction += '0';
  }
  const std::int64_t cents = whole * 100 + std::stoi(fraction);
  if (parts[1].length() > 0 && cents != 0) {
    return CheckFailure{"is negative"};
  }
  if (cents > kMaxCents) {
    return CheckFailure{"is too large"};
  }
  return cents;
}

bool same_secret(std::string_view given, std::string_view expected) {
  unsigned difference = given.size() == expected.size() ? 0u : 1u;
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const char g = i < given.size() ? given[i] : '\0';
    difference |= static_cast<unsigned>(static_cast<unsigned char>(g) ^ static_cast<unsigned char>(expected[i]));
  }
  return difference == 0 && !expected.empty();
}

} // namespace hearth::adapters
