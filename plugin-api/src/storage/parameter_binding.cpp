#include "storage/parameter_binding.hpp"

#include <charconv>
#include <cmath>

namespace hearth::storage {

// bytea's hex input format: "\x" followed by two hex digits per byte.
std::string bytea_hex(const Blob &blob) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string text = "\\x";
  text.reserve(2 + blob.bytes.size() * 2);
  for (const std::uint8_t byte : blob.bytes) {
    text += digits[byte >> 4];
    text += digits[byte & 0x0f];
  }
  return text;
}

// The shortest decimal text that reads back as exactly `real`, in PostgreSQL's spelling
// for infinities and NaN.
std::string exact_decimal(double real) {
  if (std::isnan(real)) {
    return "NaN";
  }
  if (std::isinf(real)) {
    return real > 0 ? "Infinity" : "-Infinity";
  }
  char buffer[64];
  const auto written = std::to_chars(buffer, buffer + sizeof buffer, real);
  return std::string(buffer, written.ptr);
}

BoundParameters::BoundParameters(soci::session &session, Backend backend,
                                 std::span<const Value> params)
    : session_(session), backend_(backend), params_(params) {}

bool BoundParameters::is_inline(std::size_t index) const {
  if (backend_ != Backend::sqlite || index >= params_.size()) {
    return false;
  }
  const auto *blob = std::get_if<Blob>(&params_[index]);
  return blob != nullptr && blob->bytes.empty();
}

std::string BoundParameters::placeholder_for(std::size_t index) const {
  if (is_inline(index)) {
    return "x''";
  }
  std::size_t bound_before = 0;
  for (std::size_t i = 0; i < index && i < params_.size(); ++i) {
    bound_before += is_inline(i) ? 0 : 1;
  }
  return ":p" + std::to_string(bound_before + 1);
}

void BoundParameters::bind_to(soci::statement &statement) {
  for (std::size_t index = 0; index < params_.size(); ++index) {
    if (is_inline(index)) {
      continue;
    }
    const Value &value = params_[index];
    if (std::holds_alternative<std::monostate>(value)) {
      statement.exchange(soci::use(integers_.emplace_back(0), indicators_.emplace_back(soci::i_null)));
    } else if (const auto *integer = std::get_if<std::int64_t>(&value)) {
      statement.exchange(soci::use(integers_.emplace_back(*integer)));
    } else if (const auto *real = std::get_if<double>(&value)) {
      if (backend_ == Backend::postgresql) {
        statement.exchange(soci::use(texts_.emplace_back(exact_decimal(*real))));
      } else {
        statement.exchange(soci::use(reals_.emplace_back(*real)));
      }
    } else if (const auto *text = std::get_if<std::string>(&value)) {
      statement.exchange(soci::use(texts_.emplace_back(*text)));
    } else if (const auto *blob = std::get_if<Blob>(&value)) {
      if (backend_ == Backend::postgresql) {
        statement.exchange(soci::use(texts_.emplace_back(bytea_hex(*blob))));
      } else {
        auto &bound = *blobs_.emplace_back(std::make_unique<soci::blob>(session_));
        bound.write(0, reinterpret_cast<const char *>(blob->bytes.data()), blob->bytes.size());
        statement.exchange(soci::use(bound));
      }
    }
  }
}

} // namespace hearth::storage
