#include "csv_adapter/csv_reader.hpp"

namespace hearth::adapters::csv {
namespace {

// Reads one record starting at `at`; advances `at` past its line end.
bool read_record(std::string_view text, std::size_t &at, char delimiter, std::vector<std::string> &fields,
                 std::string &problem) {
  fields.assign(1, std::string());
  bool quoted = false;
  bool field_started_quoted = false;
  while (at < text.size()) {
    const char c = text[at];
    if (quoted) {
      if (c == '"') {
        if (at + 1 < text.size() && text[at + 1] == '"') {
          fields.back() += '"';
          at += 2;
          continue;
        }
        quoted = false;
        ++at;
        continue;
      }
      fields.back() += c;
      ++at;
      continue;
    }
    if (c == '"' && fields.back().empty() && !field_started_quoted) {
      quoted = true;
      field_started_quoted = true;
      ++at;
      continue;
    }
    if (c == delimiter) {
      fields.emplace_back();
      field_started_quoted = false;
      ++at;
      continue;
    }
    if (c == '\r' || c == '\n') {
      at += (c == '\r' && at + 1 < text.size() && text[at + 1] == '\n') ? 2 : 1;
      return true;
    }
    if (c == '"') {
      problem = "has a quote inside an unquoted field";
    }
    fields.back() += c;
    ++at;
  }
  if (quoted) {
    problem = "has an unterminated quote";
  }
  return true;
}

} // namespace

CsvTable read_csv(std::string_view text, char delimiter) {
  CsvTable table;
  std::size_t at = 0;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") {
    at = 3;
  }
  std::vector<std::string> fields;
  std::uint32_t index = 0;
  bool have_header = false;
  while (at < text.size()) {
    const std::size_t start = at;
    std::string problem;
    read_record(text, at, delimiter, fields, problem);
    if (fields.size() == 1 && fields[0].empty() && problem.empty()) {
      continue; // an empty line
    }
    if (!have_header) {
      if (!problem.empty()) {
        table.problem = "the header row " + problem;
        return table;
      }
      table.header = fields;
      have_header = true;
      continue;
    }
    CsvRow row;
    row.index = index++;
    row.raw.assign(text.substr(start, at - start));
    if (problem.empty() && fields.size() != table.header.size()) {
      problem = "has " + std::to_string(fields.size()) + " fields, the header has " + std::to_string(table.header.size());
    }
    row.problem = problem;
    if (problem.empty()) {
      row.fields = std::move(fields);
    }
    table.rows.push_back(std::move(row));
  }
  if (!have_header) {
    table.problem = "has no header row";
  }
  return table;
}

} // namespace hearth::adapters::csv
