// The SQLite session source: one writer session behind a mutex, reader sessions for
// queries outside transactions (ADR 0015), and a WalCheckpointer.
#include <condition_variable>
#include <memory>
#include <mutex>
#include <vector>

#include <soci/sqlite3/soci-sqlite3.h>

#include "storage/error_mapping.hpp"
#include "storage/session_source.hpp"
#include "storage/statement_cache.hpp"
#include "storage/statement_runner.hpp"
#include "storage/wal_checkpointer.hpp"

namespace hearth::storage {
namespace {

// True for a database that lives inside its one connection (no file, no WAL, no readers).
bool in_memory(const StoreOptions &options) { return options.target.empty() || options.target == ":memory:"; }

// Opens `options.target` on `session`; throws StorageError(io) naming the target.
void open_file(soci::session &session, const StoreOptions &options) {
  if (options.target.find('"') != std::string::npos) {
    throw StorageError(StorageError::Kind::invalid_argument, "a SQLite path must not contain a double quote");
  }
  try {
    // Quoted, so that SOCI's connection-string parser keeps paths with spaces whole.
    session.open(*soci::factory_sqlite3(), "db=\"" + options.target + "\"");
  } catch (const soci::soci_error &error) {
    throw open_error(Backend::sqlite, options.target, error.get_error_message());
  }
}

// Runs one statement without parameters or rows on `session`.
void run(soci::session &session, const std::string &sql) {
  run_statement(session, Backend::sqlite, sql, {}, nullptr);
}

// A connection that only reads, with its own kept statements.
struct Reader {
  // Opens `options.target` read-only for this connection (query_only: a write through it
  // fails instead of bypassing the writer's lock order).
  explicit Reader(const StoreOptions &options) {
    open_file(session, options);
    try {
      run(session, "PRAGMA busy_timeout = " + std::to_string(options.busy_timeout_ms));
      run(session, "PRAGMA query_only = ON");
    } catch (const StorageError &error) {
      throw open_error(Backend::sqlite, options.target, error.what());
    }
  }
  soci::session session;
  StatementCache statements; // declared after session: finalized before it closes
};

// One writer connection lent to one thread at a time, and up to `pool_size` readers.
class SqliteSessions final : public SessionSource {
public:
  // Opens and configures the database file `options.target`.
  explicit SqliteSessions(const StoreOptions &options) : options_(options) {
    open_file(writer_, options);
    try {
      configure_writer();
    } catch (const StorageError &error) {
      throw open_error(Backend::sqlite, options.target, error.what());
    }
    if (!in_memory(options)) {
      checkpointer_ = std::make_unique<WalCheckpointer>(options, writer_);
      reader_limit_ = options.pool_size;
    }
  }

  SessionLease acquire() override {
    writer_mutex_.lock();
    return SessionLease(writer_, &writer_statements_, [this] { writer_mutex_.unlock(); });
  }

  SessionLease acquire_reader() override {
    if (reader_limit_ == 0) {
      return acquire();
    }
    Reader *reader = nullptr;
    {
      std::unique_lock lock(readers_mutex_);
      reader_freed_.wait(lock, [this] { return !idle_readers_.empty() || readers_.size() < reader_limit_; });
      if (!idle_readers_.empty()) {
        reader = idle_readers_.back();
        idle_readers_.pop_back();
      } else {
        // Opened under the lock: rare (at most pool_size times), and a failure leaves
        // nothing behind.
        readers_.push_back(std::make_unique<Reader>(options_));
        reader = readers_.back().get();
      }
    }
    return SessionLease(reader->session, &reader->statements, [this, reader] {
      {
        std::lock_guard lock(readers_mutex_);
        idle_readers_.push_back(reader);
      }
      reader_freed_.notify_one();
    }, /*reads_only=*/true);
  }

  std::string_view begin_statement() const override { return "BEGIN IMMEDIATE"; }

private:
  // Sets the busy timeout, WAL, synchronous=FULL and foreign keys, and checks that WAL
  // took effect for a file database.
  void configure_writer() {
    run(writer_, "PRAGMA busy_timeout = " + std::to_string(options_.busy_timeout_ms));
    std::string journal_mode;
    run_statement(writer_, Backend::sqlite, "PRAGMA journal_mode = WAL", {}, [&journal_mode](const Row &row) {
      if (const auto *mode = std::get_if<std::string>(&row.values[0])) {
        journal_mode = *mode;
      }
      return false;
    });
    if (!in_memory(options_) && journal_mode != "wal") {
      throw StorageError(StorageError::Kind::io, "journal_mode stayed '" + journal_mode + "' instead of 'wal'");
    }
    run(writer_, "PRAGMA synchronous = FULL");
    run(writer_, "PRAGMA foreign_keys = ON");
  }

  const StoreOptions options_;
  soci::session writer_;
  std::mutex writer_mutex_;
  StatementCache writer_statements_; // declared after writer_: finalized before it closes
  std::unique_ptr<WalCheckpointer> checkpointer_; // file databases; stopped before writer_ closes
  std::size_t reader_limit_ = 0; // 0: queries use the writer (":memory:")
  std::mutex readers_mutex_;
  std::condition_variable reader_freed_;
  std::vector<std::unique_ptr<Reader>> readers_; // opened when first needed
  std::vector<Reader *> idle_readers_;
};

} // namespace

std::unique_ptr<SessionSource> open_sqlite_sessions(const StoreOptions &options) {
  return std::make_unique<SqliteSessions>(options);
}

} // namespace hearth::storage
