#include "plugin/core_data.hpp"

namespace hearth::early_warning {
namespace {

SignalInput input_of(const RowView &row, std::uint32_t first) {
  SignalInput input;
  input.seq = static_cast<std::uint64_t>(integer_at(row, first));
  input.type = std::string(row.text(first + 1));
  input.detail = std::string(row.text(first + 2));
  input.occurred_at_ms = integer_at(row, first + 3);
  input.amount_cents = integer_at(row, first + 4);
  input.severity = static_cast<std::int32_t>(integer_at(row, first + 5));
  return input;
}

} // namespace

std::int64_t integer_at(const RowView &row, std::uint32_t column) {
  const hearth_value &value = row.columns[column];
  switch (value.type) {
  case HEARTH_VALUE_INT64: return value.int64;
  case HEARTH_VALUE_DOUBLE: return static_cast<std::int64_t>(value.real);
  case HEARTH_VALUE_TEXT: return std::stoll(std::string(row.text(column)));
  default: return 0;
  }
}

void for_each_signal(const Host &host, std::uint64_t after, const std::function<void(const SignalRow &)> &each) {
  host.execute("SELECT tenancy_id, seq, type, detail, occurred_at_ms, amount_cents, severity FROM hearth_signal"
               " WHERE seq > ? ORDER BY seq",
               {static_cast<std::int64_t>(after)}, [&](const RowView &row) {
                 each(SignalRow{row.text(0), input_of(row, 1)});
                 return true;
               });
}

void for_each_tenancy(const Host &host, const std::function<void(std::string_view, std::string_view)> &each) {
  host.execute("SELECT t.id, u.neighbourhood_code FROM hearth_tenancy t JOIN hearth_unit u ON u.id = t.unit_id"
               " ORDER BY t.id",
               {}, [&](const RowView &row) {
                 each(row.text(0), row.text(1));
                 return true;
               });
}

std::optional<std::string> neighbourhood_of(const Host &host, const std::string &tenancy_id) {
  std::optional<std::string> code;
  host.execute("SELECT u.neighbourhood_code FROM hearth_tenancy t JOIN hearth_unit u ON u.id = t.unit_id"
               " WHERE t.id = ?",
               {tenancy_id}, [&](const RowView &row) {
                 code = std::string(row.text(0));
                 return false;
               });
  return code;
}

std::vector<SignalInput> signals_of(const Host &host, const std::string &tenancy_id, std::uint64_t up_to_seq) {
  std::vector<SignalInput> inputs;
  host.execute("SELECT seq, type, detail, occurred_at_ms, amount_cents, severity FROM hearth_signal"
               " WHERE tenancy_id = ? AND seq <= ? ORDER BY seq",
               {tenancy_id, static_cast<std::int64_t>(up_to_seq)}, [&](const RowView &row) {
                 inputs.push_back(input_of(row, 0));
                 return true;
               });
  return inputs;
}

std::vector<OutcomeRow> outcomes(const Host &host) {
  std::vector<OutcomeRow> rows;
  host.execute("SELECT tenancy_id, outcome, decided_on FROM hearth_outcome ORDER BY tenancy_id", {},
               [&](const RowView &row) {
                 rows.push_back({std::string(row.text(0)), std::string(row.text(1)), std::string(row.text(2))});
                 return true;
               });
  return rows;
}

} // namespace hearth::early_warning
