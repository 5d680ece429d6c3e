#include "csv_adapter/csv_adapter.hpp"

#include <stdexcept>

#include "csv_adapter/csv_reader.hpp"
#include "csv_adapter/row_mapping.hpp"

namespace hearth::adapters::csv {
namespace {

char delimiter_of(const ParseContext &context) {
  const std::string value = context.setting("csv.delimiter").value_or(",");
  if (value == "tab" || value == "\\t") {
    return '\t';
  }
  if (value.size() != 1 || value[0] == '"' || value[0] == '\n' || value[0] == '\r') {
    throw std::invalid_argument("csv.delimiter: must be one character (or \"tab\"), not a quote or line end");
  }
  return value[0];
}

} // namespace

ParsedBatch parse_csv_document(std::string_view document, const ParseContext &context) {
  const RowMapping mapping = RowMapping::from_settings(context.settings, "csv.");
  const char delimiter = delimiter_of(context);
  ParsedBatch batch;
  batch.source = context.source;
  const CsvTable table = read_csv(document, delimiter);
  if (!table.problem.empty()) {
    batch.items = 1;
    batch.reject(0, "document", table.problem, std::string(document.substr(0, 4096)));
    return batch;
  }
  for (const CsvRow &row : table.rows) {
    ++batch.items;
    if (!row.problem.empty()) {
      batch.reject(row.index, "rows[" + std::to_string(row.index) + "]", row.problem, row.raw);
      continue;
    }
    const CellLookup cell = [&](const std::string &column) -> std::optional<std::string> {
      for (std::size_t i = 0; i < table.header.size(); ++i) {
        if (table.header[i] == column) {
          return row.fields[i];
        }
      }
      return std::nullopt;
    };
    auto mapped = map_row(mapping, cell, row.index, context);
    if (auto *signal = std::get_if<OwnedSignal>(&mapped)) {
      batch.signals.push_back(std::move(*signal));
    } else if (auto *rejection = std::get_if<Rejection>(&mapped)) {
      rejection->payload = row.raw;
      batch.rejections.push_back(std::move(*rejection));
    } else {
      ++batch.ignored;
    }
  }
  return batch;
}

const Adapter &csv_adapter() {
  static const Adapter adapter{"csv", "CSV exports, mapped by [csv] of config/adapters/csv.ini", parse_csv_document,
                               nullptr};
  return adapter;
}

// A CRM source is a mapping file, not a document: parse_document is never given one.
ParsedBatch refuse_crm_document(std::string_view, const ParseContext &context) {
  ParsedBatch batch;
  batch.source = context.source;
  batch.items = 1;
  batch.reject(0, "document", "a CRM source is read from its mapping file (hearth ingest --adapter crm SOURCE.ini)");
  return batch;
}

const Adapter &crm_adapter() {
  static const Adapter adapter{"crm", "a CRM database through SOCI, incremental by a watermark (FILE: the mapping)",
                               refuse_crm_document, parse_crm_source};
  return adapter;
}

} // namespace hearth::adapters::csv
