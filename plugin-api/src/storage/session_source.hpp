// Where a store gets a SOCI session from: SQLite's writer session and its reader sessions,
// or the PostgreSQL connection pool.
#pragma once

#include <functional>
#include <memory>
#include <string_view>
#include <utility>

#include <soci/soci.h>

#include "storage/store.hpp"

namespace hearth::storage {
class StatementCache;
}

namespace hearth::storage {

// One session lent to one thread; gives it back when destroyed.
class SessionLease {
public:
  // Lends `session`, with the statements kept prepared for it (`statements`, or nullptr
  // when statements are prepared per call); `give_back` runs when the lease ends.
  // `reads_only`: a reader connection, which refuses writes.
  SessionLease(soci::session &session, StatementCache *statements, std::function<void()> give_back,
               bool reads_only = false)
      : session_(&session), statements_(statements), give_back_(std::move(give_back)), reads_only_(reads_only) {}
  SessionLease(SessionLease &&other) noexcept
      : session_(other.session_), statements_(other.statements_),
        give_back_(std::exchange(other.give_back_, nullptr)), reads_only_(other.reads_only_) {}
  SessionLease(const SessionLease &) = delete;
  SessionLease &operator=(const SessionLease &) = delete;
  SessionLease &operator=(SessionLease &&) = delete;
  // Gives the session back.
  ~SessionLease() {
    if (give_back_) {
      give_back_();
    }
  }

  // The lent session, usable by this thread only until the lease ends.
  soci::session &session() const { return *session_; }
  // The statements kept prepared for that session (SQLite), or nullptr (PostgreSQL runs
  // statements as one-time queries). Used only by the lease's holder.
  StatementCache *statements() const { return statements_; }
  // True for a reader connection (SQLite's, see acquire_reader()).
  bool reads_only() const { return reads_only_; }

private:
  soci::session *session_;
  StatementCache *statements_;
  std::function<void()> give_back_;
  bool reads_only_;
};

// Lends sessions of one store to threads.
class SessionSource {
public:
  virtual ~SessionSource() = default;

  // Waits for a session and lends it to the calling thread. SQLite has one session, so
  // this serialises every statement and transaction of the store; PostgreSQL lends one
  // pooled connection per caller. Throws StorageError(io) when none frees up in time.
  virtual SessionLease acquire() = 0;

  // Waits for a session that runs one query (a SELECT) outside any transaction, and lends
  // it to the calling thread. SQLite lends one of its reader connections (ADR 0015): they
  // read the last committed state while the writer connection is busy, so a query never
  // waits for another thread's transaction or commit. PostgreSQL lends a pooled
  // connection, as acquire() does. Throws StorageError(io) as acquire() does.
  virtual SessionLease acquire_reader() { return acquire(); }

  // The statement that opens a transaction: "BEGIN IMMEDIATE" on SQLite (takes the write
  // lock at once, so two processes never deadlock upgrading read locks), "BEGIN" on
  // PostgreSQL.
  virtual std::string_view begin_statement() const = 0;
};

// Opens `options.target` as a SQLite file (created when missing) with WAL,
// synchronous=FULL, foreign keys on and the busy timeout: one writer connection, and up to
// `options.pool_size` reader connections opened when first needed (none for ":memory:",
// which exists only inside its one connection). Throws StorageError(io) naming
// the target when it cannot.
std::unique_ptr<SessionSource> open_sqlite_sessions(const StoreOptions &options);

// Opens `options.pool_size` connections to the PostgreSQL server `options.target`.
// Throws StorageError(io) naming the target (password masked) when it cannot.
std::unique_ptr<SessionSource> open_postgresql_sessions(const StoreOptions &options);

} // namespace hearth::storage
