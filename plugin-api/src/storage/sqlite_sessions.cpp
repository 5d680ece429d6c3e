// The SQLite session source: one soci::session behind a mutex.
#include <mutex>

#include <soci/sqlite3/soci-sqlite3.h>

#include "storage/error_mapping.hpp"
#include "storage/session_source.hpp"
#include "storage/statement_cache.hpp"
#include "storage/statement_runner.hpp"

namespace hearth::storage {
namespace {

// One SQLite connection, lent to one thread at a time.
class SqliteSessions final : public SessionSource {
public:
  // Opens and configures the database file `options.target`.
  explicit SqliteSessions(const StoreOptions &options) {
    if (options.target.find('"') != std::string::npos) {
      throw StorageError(StorageError::Kind::invalid_argument,
                         "a SQLite path must not contain a double quote");
    }
    try {
      // Quoted, so that SOCI's connection-string parser keeps paths with spaces whole.
      session_.open(*soci::factory_sqlite3(), "db=\"" + options.target + "\"");
    } catch (const soci::soci_error &error) {
      throw open_error(Backend::sqlite, options.target, error.get_error_message());
    }
    try {
      configure(options);
    } catch (const StorageError &error) {
      throw open_error(Backend::sqlite, options.target, error.what());
    }
  }

  SessionLease acquire() override {
    mutex_.lock();
    return SessionLease(session_, [this] { mutex_.unlock(); });
  }

  std::string_view begin_statement() const override { return "BEGIN IMMEDIATE"; }

  StatementCache *statement_cache() noexcept override { return &statements_; }

private:
  // Sets the busy timeout, WAL, synchronous=FULL and foreign keys, and checks that WAL
  // took effect for a file database.
  void configure(const StoreOptions &options) {
    run("PRAGMA busy_timeout = " + std::to_string(options.busy_timeout_ms));
    std::string journal_mode;
    run_statement(session_, Backend::sqlite, "PRAGMA journal_mode = WAL", {},
                  [&journal_mode](const Row &row) {
                    if (const auto *mode = std::get_if<std::string>(&row.values[0])) {
                      journal_mode = *mode;
                    }
                    return false;
                  });
    const bool in_memory = options.target.empty() || options.target == ":memory:";
    if (!in_memory && journal_mode != "wal") {
      throw StorageError(StorageError::Kind::io,
                         "journal_mode stayed '" + journal_mode + "' instead of 'wal'");
    }
    run("PRAGMA synchronous = FULL");
    run("PRAGMA foreign_keys = ON");
  }

  // Runs one statement without parameters or rows.
  void run(const std::string &sql) { run_statement(session_, Backend::sqlite, sql, {}, nullptr); }

  soci::session session_;
  std::mutex mutex_;
  StatementCache statements_; // declared after session_: finalized before it closes
};

} // namespace

std::unique_ptr<SessionSource> open_sqlite_sessions(const StoreOptions &options) {
  return std::make_unique<SqliteSessions>(options);
}

} // namespace hearth::storage
