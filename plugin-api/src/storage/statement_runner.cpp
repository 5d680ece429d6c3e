#include "storage/statement_runner.hpp"

#include "storage/error_mapping.hpp"
#include "storage/parameter_binding.hpp"
#include "storage/result_reading.hpp"
#include "storage/sql_text.hpp"

namespace hearth::storage {

void run_statement(soci::session &session, Backend backend, std::string_view sql,
                   std::span<const Value> params, const RowCallback &on_row) {
  const std::string statement_name = "`" + sql_text::first_words(sql) + " ...`";
  if (sql_text::split_statements(sql).size() > 1) {
    throw StorageError(StorageError::Kind::invalid_argument,
                       statement_name + " holds more than one statement; execute runs one");
  }
  BoundParameters bound(session, backend, params);
  const sql_text::RewrittenSql rewritten = sql_text::rewrite_placeholders(
      sql, [&bound](std::size_t index) { return bound.placeholder_for(index); });
  if (rewritten.placeholder_count != params.size()) {
    throw StorageError(StorageError::Kind::invalid_argument,
                       statement_name + " expects " + std::to_string(rewritten.placeholder_count) +
                           " parameter(s) but " + std::to_string(params.size()) +
                           " were given");
  }

  soci::statement statement(session);
  bool has_row = false;
  try {
    bound.bind_to(statement);
    statement.alloc();
    // One-time queries: PostgreSQL runs them with PQexecParams instead of creating a named
    // prepared statement on the server for every call.
    statement.prepare(rewritten.sql, soci::details::st_one_time_query);
    statement.define_and_bind();
    has_row = statement.execute(true);
  } catch (const soci::soci_error &error) {
    throw statement_error(error, sql, params);
  }

  if (!on_row) {
    return;
  }
  if (backend == Backend::sqlite) {
    read_sqlite_rows(statement, has_row, on_row, sql, params);
  } else {
    read_postgresql_rows(statement, on_row);
  }
}

} // namespace hearth::storage
