// Where a store gets a SOCI session from: the single SQLite session (one writer) or the
// PostgreSQL connection pool.
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
  // Lends `session`; `give_back` runs when the lease ends.
  SessionLease(soci::session &session, std::function<void()> give_back)
      : session_(&session), give_back_(std::move(give_back)) {}
  SessionLease(SessionLease &&other) noexcept
      : session_(other.session_), give_back_(std::exchange(other.give_back_, nullptr)) {}
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

private:
  soci::session *session_;
  std::function<void()> give_back_;
};

// Lends sessions of one store to threads.
class SessionSource {
public:
  virtual ~SessionSource() = default;

  // Waits for a session and lends it to the calling thread. SQLite has one session, so
  // this serialises every statement and transaction of the store; PostgreSQL lends one
  // pooled connection per caller. Throws StorageError(io) when none frees up in time.
  virtual SessionLease acquire() = 0;

  // The statement that opens a transaction: "BEGIN IMMEDIATE" on SQLite (takes the write
  // lock at once, so two processes never deadlock upgrading read locks), "BEGIN" on
  // PostgreSQL.
  virtual std::string_view begin_statement() const = 0;

  // The statements kept prepared for the session(s) of this source, or nullptr when
  // statements are prepared per call (PostgreSQL runs them as one-time queries). Used only
  // by the thread holding a lease. [lease holder]
  virtual StatementCache *statement_cache() noexcept { return nullptr; }
};

// Opens `options.target` as a SQLite file (created when missing) with WAL,
// synchronous=FULL, foreign keys on and the busy timeout. Throws StorageError(io) naming
// the target when it cannot.
std::unique_ptr<SessionSource> open_sqlite_sessions(const StoreOptions &options);

// Opens `options.pool_size` connections to the PostgreSQL server `options.target`.
// Throws StorageError(io) naming the target (password masked) when it cannot.
std::unique_ptr<SessionSource> open_postgresql_sessions(const StoreOptions &options);

} // namespace hearth::storage
