#include "storage/native_statement.hpp"

#include <atomic>
#include <algorithm>
#include <charconv>
#include <cstring>
#include <string>
#include <vector>

#include <libpq-fe.h>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include "storage/error_mapping.hpp"
#include "storage/parameter_binding.hpp"
#include "storage/result_reading.hpp"
#include "storage/sql_text.hpp"

namespace hearth::storage {
namespace {

// `sql` with its placeholders written by `placeholder(n)` (n from 1); refuses more than
// one statement.
sql_text::RewrittenSql rewrite(std::string_view sql, const std::string &statement_name,
                               std::string (*placeholder)(std::size_t)) {
  if (sql_text::split_statements(sql).size() > 1) {
    throw StorageError(StorageError::Kind::invalid_argument,
                       statement_name + " holds more than one statement; prepare takes one");
  }
  return sql_text::rewrite_placeholders(sql, [placeholder](std::size_t index) { return placeholder(index + 1); });
}

void check_count(const std::string &statement_name, std::size_t expected, std::size_t given) {
  if (expected != given) {
    throw StorageError(StorageError::Kind::invalid_argument,
                       statement_name + " expects " + std::to_string(expected) + " parameter(s) but " +
                           std::to_string(given) + " were given");
  }
}

class SqliteStatement final : public NativeStatement {
public:
  SqliteStatement(soci::session &session, std::string_view sql)
      : sql_(sql), name_("`" + sql_text::first_words(sql) + " ...`") {
    conn_ = static_cast<soci::sqlite3_session_backend *>(session.get_backend())->conn_;
    const auto rewritten =
        rewrite(sql, name_, [](std::size_t n) { return "?" + std::to_string(n); });
    placeholders_ = rewritten.placeholder_count;
    const int rc = sqlite_api::sqlite3_prepare_v2(conn_, rewritten.sql.c_str(),
                                                  static_cast<int>(rewritten.sql.size() + 1), &stmt_, nullptr);
    if (rc != SQLITE_OK) {
      const std::string message = sqlite_api::sqlite3_errmsg(conn_);
      sqlite_api::sqlite3_finalize(stmt_);
      stmt_ = nullptr;
      throw statement_error(soci::sqlite3_soci_error(message, rc), sql_, {});
    }
    read_only_ = sqlite_api::sqlite3_stmt_readonly(stmt_) != 0;
    read_column_names();
  }
  ~SqliteStatement() override { release(); }

  std::uint64_t run(std::span<const Value> params, const RowCallback &on_row) override {
    check_count(name_, placeholders_, params.size());
    sqlite_api::sqlite3_reset(stmt_);
    for (std::size_t index = 0; index < params.size(); ++index) {
      bind(static_cast<int>(index + 1), params[index], params);
    }
    bool reading = static_cast<bool>(on_row);
    int rc = sqlite_api::sqlite3_step(stmt_);
    if (rc == SQLITE_ROW && reading && !same_columns()) {
      // SQLite prepared the statement again (its tables changed shape since): so do the
      // names and number of its columns.
      read_column_names();
    }
    while (rc == SQLITE_ROW) {
      if (reading) {
        for (std::size_t column = 0; column < values_.size(); ++column) {
          values_[column] = sqlite_cell(stmt_, static_cast<int>(column));
        }
        bool go_on = false;
        try {
          go_on = on_row(Row{values_, names_});
        } catch (...) {
          sqlite_api::sqlite3_reset(stmt_);
          throw;
        }
        if (!go_on) {
          reading = false;
          if (read_only_) {
            rc = SQLITE_DONE;
            break;
          }
        }
      } else if (read_only_) {
        rc = SQLITE_DONE;
        break;
      }
      rc = sqlite_api::sqlite3_step(stmt_);
    }
    if (rc != SQLITE_DONE) {
      const int code = sqlite_api::sqlite3_extended_errcode(conn_);
      const std::string message = sqlite_api::sqlite3_errmsg(conn_);
      sqlite_api::sqlite3_reset(stmt_);
      throw statement_error(soci::sqlite3_soci_error(message, code), sql_, params);
    }
    const std::uint64_t changed =
        read_only_ ? 0 : static_cast<std::uint64_t>(sqlite_api::sqlite3_changes64(conn_));
    sqlite_api::sqlite3_reset(stmt_);
    return changed;
  }

  std::int64_t last_insert_rowid() const override {
    return static_cast<std::int64_t>(sqlite_api::sqlite3_last_insert_rowid(conn_));
  }

  void release() noexcept override {
    if (stmt_ != nullptr) {
      sqlite_api::sqlite3_finalize(stmt_);
      stmt_ = nullptr;
    }
  }

private:
  // The statement's column names, lower case, and room for one row's values.
  void read_column_names() {
    names_.clear();
    const int columns = sqlite_api::sqlite3_column_count(stmt_);
    for (int column = 0; column < columns; ++column) {
      const char *raw = sqlite_api::sqlite3_column_name(stmt_, column);
      std::string name = raw != nullptr ? raw : "";
      for (char &c : name) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      }
      names_.push_back(std::move(name));
    }
    values_.assign(names_.size(), Value{});
  }

  // True while the statement's columns are still those read_column_names() read.
  bool same_columns() const {
    const int columns = sqlite_api::sqlite3_column_count(stmt_);
    if (static_cast<std::size_t>(columns) != names_.size()) {
      return false;
    }
    for (int column = 0; column < columns; ++column) {
      const char *raw = sqlite_api::sqlite3_column_name(stmt_, column);
      const std::string &kept = names_[static_cast<std::size_t>(column)];
      if (raw == nullptr || kept.size() != std::strlen(raw) ||
          !std::equal(kept.begin(), kept.end(), raw, [](char a, char b) {
            return a == static_cast<char>(std::tolower(static_cast<unsigned char>(b)));
          })) {
        return false;
      }
    }
    return true;
  }

  void bind(int at, const Value &value, std::span<const Value> params) {
    int rc = SQLITE_OK;
    if (const auto *integer = std::get_if<std::int64_t>(&value)) {
      rc = sqlite_api::sqlite3_bind_int64(stmt_, at, *integer);
    } else if (const auto *real = std::get_if<double>(&value)) {
      rc = sqlite_api::sqlite3_bind_double(stmt_, at, *real);
    } else if (const auto *text = std::get_if<std::string>(&value)) {
      rc = sqlite_api::sqlite3_bind_text64(stmt_, at, text->data(), text->size(), SQLITE_STATIC, SQLITE_UTF8);
    } else if (const auto *blob = std::get_if<Blob>(&value)) {
      rc = blob->bytes.empty() ? sqlite_api::sqlite3_bind_zeroblob(stmt_, at, 0)
                               : sqlite_api::sqlite3_bind_blob64(stmt_, at, blob->bytes.data(), blob->bytes.size(),
                                                                 SQLITE_STATIC);
    } else {
      rc = sqlite_api::sqlite3_bind_null(stmt_, at);
    }
    if (rc != SQLITE_OK) {
      throw statement_error(soci::sqlite3_soci_error(sqlite_api::sqlite3_errmsg(conn_), rc), sql_, params);
    }
  }

  std::string sql_;
  std::string name_;
  sqlite_api::sqlite3 *conn_ = nullptr;
  sqlite_api::sqlite3_stmt *stmt_ = nullptr;
  std::size_t placeholders_ = 0;
  bool read_only_ = false;
  std::vector<std::string> names_;
  std::vector<Value> values_;
};

// Names of server-side prepared statements, unique in this process (SOCI's own are "st_N").
std::atomic<std::uint64_t> next_statement_number{1};

// The error a failed PGresult stands for (and clears it).
StorageError postgresql_error(PGresult *result, PGconn *conn, std::string_view sql, std::span<const Value> params) {
  std::string message = result != nullptr ? PQresultErrorMessage(result) : PQerrorMessage(conn);
  const char *state = result != nullptr ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  std::string sqlstate = state != nullptr && std::char_traits<char>::length(state) == 5 ? state : "XX000";
  PQclear(result);
  if (message.empty()) {
    message = "no reason given";
  }
  return statement_error(soci::postgresql_soci_error(message, sqlstate.c_str()), sql, params);
}

class PostgresqlStatement final : public NativeStatement {
public:
  PostgresqlStatement(soci::session &session, std::string_view sql)
      : sql_(sql), name_("`" + sql_text::first_words(sql) + " ...`"),
        statement_name_("hearth_ps_" + std::to_string(next_statement_number.fetch_add(1))) {
    conn_ = static_cast<soci::postgresql_session_backend *>(session.get_backend())->conn_;
    const auto rewritten =
        rewrite(sql, name_, [](std::size_t n) { return "$" + std::to_string(n); });
    placeholders_ = rewritten.placeholder_count;
    PGresult *result = PQprepare(conn_, statement_name_.c_str(), rewritten.sql.c_str(), 0, nullptr);
    if (PQresultStatus(result) != PGRES_COMMAND_OK) {
      throw postgresql_error(result, conn_, sql_, {});
    }
    PQclear(result);
    prepared_ = true;
  }
  ~PostgresqlStatement() override { release(); }

  std::uint64_t run(std::span<const Value> params, const RowCallback &on_row) override {
    check_count(name_, placeholders_, params.size());
    texts_.resize(params.size());
    pointers_.resize(params.size());
    for (std::size_t index = 0; index < params.size(); ++index) {
      const Value &value = params[index];
      std::string &text = texts_[index];
      const char *pointer = nullptr;
      if (const auto *integer = std::get_if<std::int64_t>(&value)) {
        char buffer[24];
        const auto written = std::to_chars(buffer, buffer + sizeof buffer, *integer);
        text.assign(buffer, written.ptr);
        pointer = text.c_str();
      } else if (const auto *real = std::get_if<double>(&value)) {
        text = exact_decimal(*real);
        pointer = text.c_str();
      } else if (const auto *string = std::get_if<std::string>(&value)) {
        pointer = string->c_str();
      } else if (const auto *blob = std::get_if<Blob>(&value)) {
        text = bytea_hex(*blob);
        pointer = text.c_str();
      }
      pointers_[index] = pointer;
    }
    PGresult *result = PQexecPrepared(conn_, statement_name_.c_str(), static_cast<int>(params.size()),
                                      pointers_.data(), nullptr, nullptr, 0);
    const ExecStatusType status = PQresultStatus(result);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
      throw postgresql_error(result, conn_, sql_, params);
    }
    std::uint64_t changed = 0;
    const char *tuples = PQcmdTuples(result);
    if (tuples != nullptr) {
      std::from_chars(tuples, tuples + std::char_traits<char>::length(tuples), changed);
    }
    try {
      if (on_row) {
        read_postgresql_result(result, on_row);
      }
    } catch (...) {
      PQclear(result);
      throw;
    }
    PQclear(result);
    return changed;
  }

  std::int64_t last_insert_rowid() const override {
    throw StorageError(StorageError::Kind::invalid_argument,
                       name_ + ": PostgreSQL has no last insert rowid; use RETURNING");
  }

  void release() noexcept override {
    if (!prepared_) {
      return;
    }
    prepared_ = false;
    // In a failed transaction the server refuses DEALLOCATE too; the statement then lives
    // until the connection closes.
    if (PQtransactionStatus(conn_) == PQTRANS_INERROR || PQstatus(conn_) != CONNECTION_OK) {
      return;
    }
    const std::string deallocate = "DEALLOCATE " + statement_name_;
    PQclear(PQexec(conn_, deallocate.c_str()));
  }

private:
  std::string sql_;
  std::string name_;
  std::string statement_name_;
  PGconn *conn_ = nullptr;
  std::size_t placeholders_ = 0;
  bool prepared_ = false;
  std::vector<std::string> texts_;
  std::vector<const char *> pointers_;
};

} // namespace

std::unique_ptr<NativeStatement> prepare_native(soci::session &session, Backend backend, std::string_view sql) {
  if (backend == Backend::sqlite) {
    return std::make_unique<SqliteStatement>(session, sql);
  }
  return std::make_unique<PostgresqlStatement>(session, sql);
}

} // namespace hearth::storage
