#include "storage/wal_checkpointer.hpp"

#include <string>

#include "storage/error_mapping.hpp"
#include "storage/statement_runner.hpp"

namespace hearth::storage {

WalCheckpointer::WalCheckpointer(const StoreOptions &options, soci::session &writer)
    : writer_(static_cast<soci::sqlite3_session_backend *>(writer.get_backend())->conn_) {
  try {
    own_.open(*soci::factory_sqlite3(), "db=\"" + options.target + "\"");
  } catch (const soci::soci_error &error) {
    throw open_error(Backend::sqlite, options.target, error.get_error_message());
  }
  run_statement(own_, Backend::sqlite, "PRAGMA busy_timeout = " + std::to_string(options.busy_timeout_ms), {},
                nullptr);
  // Replaces SQLite's own auto-checkpoint hook on the writer.
  sqlite_api::sqlite3_wal_hook(writer_, &WalCheckpointer::after_commit, this);
  thread_ = std::thread([this] { run(); });
}

WalCheckpointer::~WalCheckpointer() {
  // The writer checkpoints itself again from its next commit (no commit runs now: the
  // store is closing).
  sqlite_api::sqlite3_wal_autocheckpoint(writer_, ask_at_pages);
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  asked_.notify_one();
  thread_.join();
}

int WalCheckpointer::after_commit(void *self, sqlite_api::sqlite3 *connection, const char *database,
                                  int pages) {
  if (pages >= checkpoint_inline_at_pages) {
    // Failures (SQLITE_BUSY while another checkpoint runs) leave the pages for the next
    // commit; the commit itself has succeeded either way.
    sqlite_api::sqlite3_wal_checkpoint_v2(connection, database, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    return SQLITE_OK;
  }
  if (pages >= ask_at_pages) {
    auto *checkpointer = static_cast<WalCheckpointer *>(self);
    {
      std::lock_guard lock(checkpointer->mutex_);
      checkpointer->requested_ = true;
    }
    checkpointer->asked_.notify_one();
  }
  return SQLITE_OK;
}

void WalCheckpointer::run() {
  std::unique_lock lock(mutex_);
  while (true) {
    asked_.wait(lock, [this] { return requested_ || stopping_; });
    if (stopping_) {
      return;
    }
    requested_ = false;
    lock.unlock();
    try {
      // PASSIVE: copies what no reader still needs and never waits for the writer or
      // readers; what it leaves, the next request takes.
      run_statement(own_, Backend::sqlite, "PRAGMA wal_checkpoint(PASSIVE)", {}, nullptr);
    } catch (const StorageError &) {
      // The database was busy (another process checkpointing): the next commit asks again.
    }
    lock.lock();
  }
}

} // namespace hearth::storage
