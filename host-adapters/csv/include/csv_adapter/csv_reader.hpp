// Reads CSV text (RFC 4180: quoted fields with doubled quotes, CRLF or LF, a chosen
// delimiter; a UTF-8 byte-order mark is skipped) into a header and rows. A malformed row
// is reported with its index and reading goes on with the next line. Since 0.1.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace hearth::adapters::csv {

struct CsvRow {
  std::uint32_t index = 0;         // data row number, from 0 (the header is not counted)
  std::vector<std::string> fields; // when problem is empty
  std::string problem;             // "has 3 fields, the header has 5", "has an unterminated quote"
  std::string raw;                 // the row's text, for the dead letter's hash only
};

struct CsvTable {
  std::vector<std::string> header; // empty (with `problem` set) when there is none
  std::string problem;             // about the whole input
  std::vector<CsvRow> rows;
};

// Parses `text` with `delimiter`. Empty lines are skipped.
CsvTable read_csv(std::string_view text, char delimiter);

} // namespace hearth::adapters::csv
