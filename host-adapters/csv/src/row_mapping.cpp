#include "csv_adapter/row_mapping.hpp"

#include <charconv>
#include <stdexcept>

#include "adapter_common/input_checks.hpp"
#include "adapter_common/signal_classes.hpp"

namespace hearth::adapters::csv {
namespace {

// Splits "TYPE/DETAIL" into its parts.
std::pair<std::string, std::string> split_code(const std::string &mapped) {
  const auto slash = mapped.find('/');
  if (slash == std::string::npos) {
    return {mapped, ""};
  }
  return {mapped.substr(0, slash), mapped.substr(slash + 1)};
}

} // namespace

RowMapping RowMapping::from_settings(const std::map<std::string, std::string> &settings, const std::string &prefix) {
  RowMapping mapping;
  auto column = [&](const char *name, bool required) {
    const auto found = settings.find(prefix + "column." + name);
    if (found == settings.end() || found->second.empty()) {
      if (required) {
        throw std::invalid_argument(prefix + "column." + name + ": is missing (the column holding " + name + ")");
      }
      return std::string();
    }
    return found->second;
  };
  mapping.external_id = column("external_id", true);
  mapping.tenancy_id = column("tenancy_id", true);
  mapping.occurred_at = column("occurred_at", true);
  mapping.type = column("type", true);
  mapping.detail = column("detail", false);
  mapping.amount = column("amount", false);
  mapping.severity = column("severity", false);
  mapping.reporter = column("reporter", false);
  mapping.bsn = column("bsn", false);
  const std::string codes = prefix + "codes.";
  for (const auto &[key, value] : settings) {
    if (key.rfind(codes, 0) != 0) {
      continue;
    }
    if (value != "ignore") {
      const auto [type, detail] = split_code(value);
      if (signal_data_class(type, detail).empty()) {
        throw std::invalid_argument(key + ": '" + value + "' is not a signal type of the product table (docs/data.md)");
      }
    }
    mapping.codes[key.substr(codes.size())] = value;
  }
  if (mapping.codes.empty()) {
    throw std::invalid_argument(prefix + "codes: maps no source code to a signal type");
  }
  return mapping;
}

std::variant<OwnedSignal, IgnoredRow, Rejection> map_row(const RowMapping &mapping, const CellLookup &cell,
                                                         std::uint32_t index, const ParseContext &context) {
  const std::string at = "rows[" + std::to_string(index) + "].";
  auto refuse = [&](const std::string &column, std::string reason) {
    return Rejection{index, at + column, std::move(reason), {}};
  };
  auto required = [&](const std::string &column, std::string &out) -> std::optional<Rejection> {
    const auto value = cell(column);
    if (!value) {
      return refuse(column, "is not a column of the input");
    }
    if (value->empty()) {
      return refuse(column, "is empty");
    }
    if (!is_valid_utf8(*value)) {
      return refuse(column, "is not valid UTF-8");
    }
    out = *value;
    return std::nullopt;
  };
  std::string id, tenancy, occurred, code;
  for (auto [column, out] : {std::pair{&mapping.external_id, &id}, std::pair{&mapping.tenancy_id, &tenancy},
                             std::pair{&mapping.occurred_at, &occurred}, std::pair{&mapping.type, &code}}) {
    if (auto problem = required(*column, *out)) {
      return *problem;
    }
  }
  auto optional = [&](const std::string &column) -> std::variant<std::string, Rejection> {
    if (column.empty()) {
      return std::string();
    }
    const auto value = cell(column);
    if (!value) {
      return refuse(column, "is not a column of the input");
    }
    if (!is_valid_utf8(*value)) {
      return refuse(column, "is not valid UTF-8");
    }
    return *value;
  };
  auto detail = optional(mapping.detail);
  if (auto *problem = std::get_if<Rejection>(&detail)) {
    return *problem;
  }
  std::string key = code;
  if (!std::get<std::string>(detail).empty() && mapping.codes.count(code + "/" + std::get<std::string>(detail)) != 0) {
    key = code + "/" + std::get<std::string>(detail);
  }
  const auto mapped = mapping.codes.find(key);
  if (mapped == mapping.codes.end()) {
    return refuse(mapping.type, "is not a code of the mapping ([codes])");
  }
  if (mapped->second == "ignore") {
    return IgnoredRow{};
  }
  auto bsn = optional(mapping.bsn);
  if (auto *problem = std::get_if<Rejection>(&bsn)) {
    return *problem;
  }
  if (!std::get<std::string>(bsn).empty()) {
    if (auto failure = check_bsn(std::get<std::string>(bsn))) {
      return refuse(mapping.bsn, failure->reason);
    }
  }
  auto when = parse_iso_time(occurred);
  if (auto *failure = std::get_if<CheckFailure>(&when)) {
    return refuse(mapping.occurred_at, failure->reason);
  }
  if (auto failure = check_not_future(std::get<std::int64_t>(when), context.now_ms, context.max_future_skew_ms)) {
    return refuse(mapping.occurred_at, failure->reason);
  }
  const auto [type, type_detail] = split_code(mapped->second);
  const std::string data_class = signal_data_class(type, type_detail);
  OwnedSignal signal;
  signal.source = context.source;
  signal.external_id = id;
  signal.type = type;
  signal.detail = type_detail;
  signal.tenancy_id = tenancy;
  signal.occurred_at_ms = std::get<std::int64_t>(when);
  signal.legal_basis = context.legal_basis_for(data_class);
  signal.purpose = context.purpose;
  auto amount = optional(mapping.amount);
  if (auto *problem = std::get_if<Rejection>(&amount)) {
    return *problem;
  }
  if (!std::get<std::string>(amount).empty()) {
    if (data_class != "finance") {
      return refuse(mapping.amount, "is only allowed on finance signals");
    }
    auto cents = euros_text_to_cents(std::get<std::string>(amount));
    if (auto *failure = std::get_if<CheckFailure>(&cents)) {
      return refuse(mapping.amount, failure->reason);
    }
    signal.amount_cents = std::get<std::int64_t>(cents);
  }
  auto severity = optional(mapping.severity);
  if (auto *problem = std::get_if<Rejection>(&severity)) {
    return *problem;
  }
  if (const auto &text = std::get<std::string>(severity); !text.empty()) {
    int value = -1;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size() || value < 1 || value > 5) {
      return refuse(mapping.severity, "must be a whole number from 1 to 5");
    }
    signal.severity = value;
  }
  auto reporter = optional(mapping.reporter);
  if (auto *problem = std::get_if<Rejection>(&reporter)) {
    return *problem;
  }
  signal.reporter_user = std::get<std::string>(reporter);
  return signal;
}

} // namespace hearth::adapters::csv
