// Reading the rows of an executed SOCI statement as Values.
//
// SOCI 4.0's dynamic rows (soci::row) type a SQLite column by its declared type, so an
// INTEGER column is read as a 32-bit int (truncating int64 values) and every expression
// (count(*), a+b) as text; on PostgreSQL bytea comes back as hex text indistinguishable
// from text. So SOCI prepares, binds, executes and steps the statement, and these readers
// take each cell's real type and value from the native result SOCI holds: the
// sqlite3_stmt of soci::sqlite3_statement_backend and the PGresult of
// soci::postgresql_statement_backend.
#pragma once

#include <span>
#include <string_view>

#include <libpq-fe.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include "storage/store.hpp"

namespace hearth::storage {

// Passes the rows of `statement` (SQLite; already executed, `has_row` being what
// execute() returned) to `on_row` until it returns false or the rows run out. Steps with
// SOCI's backend; a failing step throws StorageError naming `sql` (values of `params`
// masked).
void read_sqlite_rows(soci::statement &statement, bool has_row, const RowCallback &on_row,
                      std::string_view sql, std::span<const Value> params);

// Passes the rows of `statement` (PostgreSQL; already executed, whole result fetched) to
// `on_row` until it returns false or the rows run out. Integer and boolean columns become
// int64; float4/float8 become double; numeric becomes int64 when it is a whole number
// that fits, double otherwise; bytea becomes a Blob; everything else is text.
void read_postgresql_rows(soci::statement &statement, const RowCallback &on_row);

// The value of column `column` of the current row of `native`, by its storage class.
Value sqlite_cell(sqlite_api::sqlite3_stmt *native, int column);

// Passes the rows of a PostgreSQL result (text format) to `on_row` as
// read_postgresql_rows does.
void read_postgresql_result(const PGresult *result, const RowCallback &on_row);

} // namespace hearth::storage
