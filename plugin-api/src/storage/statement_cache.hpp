// The statements of the one SQLite session of a store, kept prepared from one call to the
// next. Store::execute() runs the same few dozen SQL texts over and over (the runtime's
// reads, every plugin's queries through hearth/storage.h, the audit log's appends); SOCI
// prepares each one anew on every call, which was an eighth of a consultant page
// (docs/benchmarks.md, "Session 7"). A kept statement runs through NativeStatement, which
// keeps run_statement()'s rules (placeholders, NULL, reals, blobs, error mapping).
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include <soci/soci.h>

#include "storage/native_statement.hpp"
#include "storage/store.hpp"

namespace hearth::storage {

// Prepared statements by SQL text, for one SQLite session; used only by the thread that
// holds the session (the session's mutex serialises it), so it takes no lock itself.
class StatementCache {
public:
  // Keeps at most `capacity` statements (at least 1); when full, the idle ones are
  // finalized and prepared again on their next use.
  explicit StatementCache(std::size_t capacity = 128);
  StatementCache(const StatementCache &) = delete;
  StatementCache &operator=(const StatementCache &) = delete;
  ~StatementCache();

  // Runs `sql` (one statement, `?` placeholders) with `params` on `session`, passing rows
  // to `on_row` (may be empty), through the statement kept for that text, prepared on its
  // first use. A statement still running further up this thread's stack (a row callback
  // that runs the same text again) is not disturbed: that call gets a statement of its
  // own. Throws StorageError as Store::execute documents; a text that fails to prepare is
  // not kept. [the session's holder]
  void run(soci::session &session, std::string_view sql, std::span<const Value> params, const RowCallback &on_row);

  // Finalizes every kept statement. Call before the session closes (SQLite refuses to
  // close a connection with statements left). Not while a run() is under way. [the
  // session's holder]
  void clear() noexcept;

  // How many statements are kept (for tests).
  std::size_t size() const noexcept { return kept_.size(); }

private:
  struct Kept {
    std::unique_ptr<NativeStatement> statement;
    bool running = false;
  };
  // Finalizes the kept statements not running now.
  void drop_idle() noexcept;

  std::size_t capacity_;
  std::map<std::string, Kept, std::less<>> kept_;
};

} // namespace hearth::storage
