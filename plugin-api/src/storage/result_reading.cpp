#include "storage/result_reading.hpp"

#include <cctype>
#include <charconv>
#include <optional>
#include <string>
#include <vector>

#include <soci/postgresql/soci-postgresql.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include "storage/error_mapping.hpp"

namespace hearth::storage {
namespace {

// PostgreSQL type OIDs (pg_type.oid, stable across versions) that need more than text.
constexpr Oid bool_oid = 16;
constexpr Oid bytea_oid = 17;
constexpr Oid int8_oid = 20;
constexpr Oid int2_oid = 21;
constexpr Oid int4_oid = 23;
constexpr Oid oid_oid = 26;
constexpr Oid float4_oid = 700;
constexpr Oid float8_oid = 701;
constexpr Oid numeric_oid = 1700;

// `name` in ASCII lower case.
std::string lower_case(std::string_view name) {
  std::string lower(name);
  for (char &c : lower) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return lower;
}

} // namespace

Value sqlite_cell(sqlite_api::sqlite3_stmt *native, int column) {
  switch (sqlite_api::sqlite3_column_type(native, column)) {
  case SQLITE_INTEGER:
    return static_cast<std::int64_t>(sqlite_api::sqlite3_column_int64(native, column));
  case SQLITE_FLOAT:
    return sqlite_api::sqlite3_column_double(native, column);
  case SQLITE_TEXT: {
    const auto *text = sqlite_api::sqlite3_column_text(native, column);
    const auto size = static_cast<std::size_t>(sqlite_api::sqlite3_column_bytes(native, column));
    return std::string(reinterpret_cast<const char *>(text), size);
  }
  case SQLITE_BLOB: {
    const auto *bytes = static_cast<const std::uint8_t *>(sqlite_api::sqlite3_column_blob(native, column));
    const auto size = static_cast<std::size_t>(sqlite_api::sqlite3_column_bytes(native, column));
    return Blob{std::vector<std::uint8_t>(bytes, bytes + size)};
  }
  default:
    return std::monostate{};
  }
}

namespace {

// The value of one digit of hex text, or -1.
int hex_digit(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

// bytea in hex output format ("\x0a1b...") as bytes. The store's sessions set
// bytea_output = 'hex'.
Blob bytea_from_hex(std::string_view text) {
  if (text.size() < 2 || text[0] != '\\' || text[1] != 'x' || text.size() % 2 != 0) {
    throw StorageError(StorageError::Kind::io, "bytea column not in hex output format");
  }
  Blob blob;
  blob.bytes.reserve((text.size() - 2) / 2);
  for (std::size_t i = 2; i < text.size(); i += 2) {
    const int high = hex_digit(text[i]);
    const int low = hex_digit(text[i + 1]);
    if (high < 0 || low < 0) {
      throw StorageError(StorageError::Kind::io, "bytea column holds invalid hex");
    }
    blob.bytes.push_back(static_cast<std::uint8_t>(high * 16 + low));
  }
  return blob;
}

// `text` as a whole int64, if it is one.
std::optional<std::int64_t> whole_int64(std::string_view text) {
  std::int64_t integer = 0;
  const auto parsed = std::from_chars(text.data(), text.data() + text.size(), integer);
  if (parsed.ec == std::errc() && parsed.ptr == text.data() + text.size()) {
    return integer;
  }
  return std::nullopt;
}

// `text` (PostgreSQL's output of a float or numeric, including "NaN" and "Infinity") as a
// double.
double real_from_text(std::string_view text) {
  double real = 0;
  const char *begin = text.data();
  if (!text.empty() && text.front() == '+') {
    ++begin;
  }
  const auto parsed = std::from_chars(begin, text.data() + text.size(), real);
  if (parsed.ec != std::errc() && parsed.ec != std::errc::result_out_of_range) {
    throw StorageError(StorageError::Kind::io, "real column holds unreadable text");
  }
  return real;
}

// The value of a PostgreSQL cell (text result format), by its column type.
Value postgresql_cell(const PGresult *result, int row, int column) {
  if (PQgetisnull(result, row, column) != 0) {
    return std::monostate{};
  }
  const std::string_view text(PQgetvalue(result, row, column),
                              static_cast<std::size_t>(PQgetlength(result, row, column)));
  switch (PQftype(result, column)) {
  case bool_oid:
    return std::int64_t{text == "t" ? 1 : 0};
  case int2_oid:
  case int4_oid:
  case int8_oid:
  case oid_oid:
    if (const auto integer = whole_int64(text)) {
      return *integer;
    }
    throw StorageError(StorageError::Kind::io, "integer column holds unreadable text");
  case numeric_oid:
    if (const auto integer = whole_int64(text)) {
      return *integer;
    }
    return real_from_text(text);
  case float4_oid:
  case float8_oid:
    return real_from_text(text);
  case bytea_oid:
    return bytea_from_hex(text);
  default:
    return std::string(text);
  }
}

} // namespace

void read_sqlite_rows(soci::statement &statement, bool has_row, const RowCallback &on_row,
                      std::string_view sql, std::span<const Value> params) {
  auto *backend = static_cast<soci::sqlite3_statement_backend *>(statement.get_backend());
  sqlite_api::sqlite3_stmt *native = backend->stmt_;
  if (!has_row || native == nullptr) {
    return;
  }
  const int column_count = sqlite_api::sqlite3_column_count(native);
  std::vector<std::string> names;
  for (int column = 0; column < column_count; ++column) {
    const char *name = sqlite_api::sqlite3_column_name(native, column);
    names.push_back(lower_case(name == nullptr ? "" : name));
  }
  std::vector<Value> values(names.size());
  while (has_row) {
    for (int column = 0; column < column_count; ++column) {
      values[static_cast<std::size_t>(column)] = sqlite_cell(native, column);
    }
    if (!on_row(Row{values, names})) {
      return;
    }
    try {
      has_row = backend->fetch(1) == soci::details::statement_backend::ef_success;
    } catch (const soci::soci_error &error) {
      throw statement_error(error, sql, params);
    }
  }
}

void read_postgresql_rows(soci::statement &statement, const RowCallback &on_row) {
  auto *backend = static_cast<soci::postgresql_statement_backend *>(statement.get_backend());
  read_postgresql_result(backend->result_.get_result(), on_row);
}

void read_postgresql_result(const PGresult *result, const RowCallback &on_row) {
  if (result == nullptr || PQnfields(result) == 0) {
    return;
  }
  const int column_count = PQnfields(result);
  std::vector<std::string> names;
  for (int column = 0; column < column_count; ++column) {
    names.push_back(lower_case(PQfname(result, column)));
  }
  std::vector<Value> values(names.size());
  const int row_count = PQntuples(result);
  for (int row = 0; row < row_count; ++row) {
    for (int column = 0; column < column_count; ++column) {
      values[static_cast<std::size_t>(column)] = postgresql_cell(result, row, column);
    }
    if (!on_row(Row{values, names})) {
      return;
    }
  }
}

} // namespace hearth::storage
