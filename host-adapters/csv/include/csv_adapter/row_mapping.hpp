// How a row of a CRM table or CSV export becomes a canonical signal: which column holds
// what, and which source codes mean which signal type. Read from a mapping file
// (config/adapters/csv.ini documents every key). Since 0.1.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <variant>

#include "adapter_common/adapter.hpp"
#include "adapter_common/parsed_batch.hpp"

namespace hearth::adapters::csv {

// The mapping of one source.
struct RowMapping {
  // Column names (as in the CSV header or the query's result).
  std::string external_id, tenancy_id, occurred_at, type; // required
  std::string detail, amount, severity, reporter, bsn;    // optional ("" = none)
  // Source code (the value of the `type` column, or "type/detail" when a detail column is
  // mapped and the pair is listed) -> "TYPE", "TYPE/DETAIL" or "ignore".
  std::map<std::string, std::string> codes;

  // Reads "<prefix>column.<name>" and "<prefix>codes.<code>" keys of `settings`. Throws
  // std::invalid_argument naming the key: a required column missing, a code mapped to a
  // type the product table does not hold.
  static RowMapping from_settings(const std::map<std::string, std::string> &settings, const std::string &prefix);
};

// A row that is understood but is no signal (its code maps to "ignore").
struct IgnoredRow {};

// Looks up a cell by column name; nothing when the row has no such column.
using CellLookup = std::function<std::optional<std::string>(const std::string &column)>;

// Maps one row. A refusal is a Rejection with the field named "rows[<index>].<column>".
std::variant<OwnedSignal, IgnoredRow, Rejection> map_row(const RowMapping &mapping, const CellLookup &cell,
                                                         std::uint32_t index, const ParseContext &context);

} // namespace hearth::adapters::csv
