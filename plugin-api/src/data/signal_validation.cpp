#include "data/signal_validation.hpp"

#include <cstddef>
#include <cstring>

#include "privacy/bsn.hpp"

namespace hearth::data {
namespace {

constexpr std::size_t kMaxIdLength = 128;
constexpr std::int64_t kMaxAmountCents = 100'000'000'00LL; // one hundred million euros

// The ABI 1.0 signal reaches through reporter_user.
constexpr std::uint32_t kMinimumSignalSize = offsetof(hearth_signal, reporter_user) + sizeof(const char *);

// Checks an identifier-like text field. Returns an empty reason when fine.
std::string check_id(const char *value, bool required) {
  if (value == nullptr || *value == '\0') {
    return required ? "is missing" : "";
  }
  const std::size_t length = std::strlen(value);
  if (length > kMaxIdLength) {
    return "is longer than " + std::to_string(kMaxIdLength) + " characters";
  }
  for (std::size_t i = 0; i < length; ++i) {
    const auto c = static_cast<unsigned char>(value[i]);
    if (c < 0x20 || c == 0x7f) {
      return "contains a control character";
    }
  }
  // Identifiers are pseudonymous references; a citizen service number is never one.
  if (privacy::bsn_is_valid(value)) {
    return "looks like a BSN; use the source system's pseudonymous id";
  }
  return "";
}

} // namespace

std::variant<CanonicalSignal, FieldError> validate_signal(const hearth_signal *signal, std::uint32_t index,
                                                          const ValidationRules &rules, std::int64_t now_ms) {
  // Names the field only on the way out: a valid signal builds no text.
  auto error = [&](const char *field, std::string reason) {
    std::string at = "signals[" + std::to_string(index) + "]";
    if (field[0] != '\0') {
      at.append(".").append(field);
    }
    return FieldError{std::move(at), std::move(reason)};
  };
  if (signal == nullptr) {
    return error("", "is NULL");
  }
  if (signal->struct_size < kMinimumSignalSize) {
    return error("struct_size", "is smaller than the ABI 1.0 signal (" + std::to_string(kMinimumSignalSize) + ")");
  }
  const std::pair<const char *, const char *> required_ids[] = {
      {"source", signal->source}, {"external_id", signal->external_id}, {"tenancy_id", signal->tenancy_id}};
  for (const auto &[field, value] : required_ids) {
    if (auto reason = check_id(value, true); !reason.empty()) {
      return error(field, reason);
    }
  }
  if (auto reason = check_id(signal->reporter_user, false); !reason.empty()) {
    return error("reporter_user", reason);
  }
  if (signal->type == nullptr || *signal->type == '\0') {
    return error("type", "is missing");
  }
  const char *detail = signal->detail != nullptr ? signal->detail : "";
  const SignalType *type = find_signal_type(signal->type, detail);
  if (type == nullptr) {
    return find_signal_type(signal->type, "") == nullptr
               ? error("type", "is not a known signal type (see docs/data.md)")
               : error("detail", "is not a known detail of this signal type (see docs/data.md)");
  }
  if (signal->occurred_at_ms < rules.earliest_ms) {
    return error("occurred_at_ms", "is missing or before 2000-01-01");
  }
  if (signal->occurred_at_ms > now_ms + rules.max_future_skew_ms) {
    return error("occurred_at_ms", "is more than a day in the future");
  }
  if (signal->amount_cents < 0 || signal->amount_cents > kMaxAmountCents) {
    return error("amount_cents", "must be between 0 and 10,000,000,000");
  }
  if (signal->amount_cents != 0 && std::strcmp(type->data_class, "finance") != 0) {
    return error("amount_cents", "is only allowed on finance signals");
  }
  if (signal->severity < 0 || signal->severity > 5) {
    return error("severity", "must be between 0 and 5");
  }
  if (signal->legal_basis == nullptr || *signal->legal_basis == '\0') {
    return error("legal_basis", "is missing: every shared record carries its legal basis");
  }
  if (!rules.legal_bases.contains(signal->legal_basis)) {
    return error("legal_basis", "is not one of the configured bases (data.legal_bases)");
  }
  if (signal->purpose == nullptr || *signal->purpose == '\0') {
    return error("purpose", "is missing");
  }
  if (!rules.purposes.contains(signal->purpose)) {
    return error("purpose", "is not one of the configured purposes (data.purposes)");
  }
  CanonicalSignal out;
  out.source = signal->source;
  out.external_id = signal->external_id;
  out.type = type->type;
  out.detail = type->detail;
  out.tenancy_id = signal->tenancy_id;
  out.legal_basis = signal->legal_basis;
  out.purpose = signal->purpose;
  out.reporter_user = signal->reporter_user != nullptr ? std::string_view(signal->reporter_user) : std::string_view();
  out.occurred_at_ms = signal->occurred_at_ms;
  out.amount_cents = signal->amount_cents;
  out.severity = signal->severity;
  out.type_entry = type;
  return out;
}

} // namespace hearth::data
