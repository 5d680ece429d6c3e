// Checkpoints a SQLite database's write-ahead log on a thread of its own, so that the
// commit that fills the log does not copy it into the database file itself.
//
// SQLite's default: the commit that brings the WAL to 1000 pages runs the checkpoint on
// the committing connection, inside that commit. With one writer connection shared by the
// whole store that stalled every other request for as long as the checkpoint took (copying
// ~4 MB and syncing the database file): 1 % of the consultant view's page loads took
// 7 ms instead of 1 (docs/benchmarks.md, "Session 8"). Here the writer only asks; a
// second connection checkpoints in PASSIVE mode, which never blocks the writer or readers.
#pragma once

#include <condition_variable>
#include <mutex>
#include <thread>

#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include "storage/store.hpp"

namespace hearth::storage {

// Moves a WAL database's committed pages into the database file off the writer's thread.
// Thread-safe; made and destroyed by the store's session source.
class WalCheckpointer {
public:
  // The WAL size (pages) at which a commit asks for a checkpoint (SQLite's default
  // auto-checkpoint size).
  static constexpr int ask_at_pages = 1000;
  // The WAL size at which the committing connection checkpoints itself after all (the
  // checkpointer fell behind, e.g. a long-running reader kept it from finishing).
  static constexpr int checkpoint_inline_at_pages = 16 * ask_at_pages;

  // Opens a connection of its own to the WAL database `options.target` and takes over
  // checkpointing from `writer`, which must stay open until this is destroyed. Throws
  // StorageError(io) when the connection cannot be opened.
  WalCheckpointer(const StoreOptions &options, soci::session &writer);
  WalCheckpointer(const WalCheckpointer &) = delete;
  WalCheckpointer &operator=(const WalCheckpointer &) = delete;
  // Gives checkpointing back to `writer` (SQLite's default) and stops the thread.
  ~WalCheckpointer();

private:
  // SQLite's WAL hook on the writer: after each commit, with the WAL's size in pages.
  static int after_commit(void *self, sqlite_api::sqlite3 *connection, const char *database, int pages);
  // The thread: waits for a request, checkpoints, until stopped.
  void run();

  soci::session own_;
  sqlite_api::sqlite3 *writer_; // the writer's connection
  std::mutex mutex_;
  std::condition_variable asked_;
  bool requested_ = false;
  bool stopping_ = false;
  std::thread thread_; // last: starts after everything above exists
};

} // namespace hearth::storage
