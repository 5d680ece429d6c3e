#include "database.hpp"

namespace hearth::handoff {

std::string Row::text(std::size_t i) const {
  const Value &v = values_.at(i);
  if (const auto *s = std::get_if<std::string>(&v)) {
    return *s;
  }
  if (const auto *n = std::get_if<std::int64_t>(&v)) {
    return std::to_string(*n);
  }
  if (const auto *d = std::get_if<double>(&v)) {
    return std::to_string(*d);
  }
  return "";
}

std::optional<std::string> Row::optional_text(std::size_t i) const {
  if (is_null(i)) {
    return std::nullopt;
  }
  return text(i);
}

std::int64_t Row::integer(std::size_t i) const {
  const Value &v = values_.at(i);
  if (const auto *n = std::get_if<std::int64_t>(&v)) {
    return *n;
  }
  if (const auto *d = std::get_if<double>(&v)) {
    return static_cast<std::int64_t>(*d);
  }
  if (const auto *s = std::get_if<std::string>(&v)) {
    return s->empty() ? 0 : std::stoll(*s);
  }
  return 0;
}

std::optional<std::int64_t> Row::optional_integer(std::size_t i) const {
  if (is_null(i)) {
    return std::nullopt;
  }
  return integer(i);
}

bool Row::is_null(std::size_t i) const { return std::holds_alternative<std::monostate>(values_.at(i)); }

void Database::run(const std::string &sql, const std::vector<Value> &params) const { host_.execute(sql, params); }

std::vector<Row> Database::rows(const std::string &sql, const std::vector<Value> &params) const {
  std::vector<Row> out;
  host_.execute(sql, params, [&](const RowView &view) {
    std::vector<Value> values;
    values.reserve(view.count);
    for (std::uint32_t i = 0; i < view.count; ++i) {
      const hearth_value &c = view.columns[i];
      switch (c.type) {
      case HEARTH_VALUE_INT64: values.emplace_back(c.int64); break;
      case HEARTH_VALUE_DOUBLE: values.emplace_back(c.real); break;
      case HEARTH_VALUE_TEXT:
      case HEARTH_VALUE_BLOB: values.emplace_back(std::string(view.text(i))); break;
      default: values.emplace_back(std::monostate{}); break;
      }
    }
    out.emplace_back(std::move(values));
    return true;
  });
  return out;
}

std::optional<Row> Database::row(const std::string &sql, const std::vector<Value> &params) const {
  auto all = rows(sql, params);
  if (all.empty()) {
    return std::nullopt;
  }
  return std::move(all.front());
}

std::int64_t Database::scalar(const std::string &sql, const std::vector<Value> &params) const {
  const auto first = row(sql, params);
  return first ? first->integer(0) : 0;
}

Value text_or_null(const std::optional<std::string> &text) {
  if (!text) {
    return std::monostate{};
  }
  return *text;
}

} // namespace hearth::handoff
