// Statements prepared once on one session's native connection and run many times: the
// sqlite3_stmt of the SOCI SQLite session, or a named server-side prepared statement on
// the PGconn of the SOCI PostgreSQL session. SOCI 4.0 binds every SQLite parameter as
// text and cannot bind a Value whose type changes between runs, so the prepared path
// binds natively; it keeps the store's rules (placeholders, NULL, reals, blobs, error
// mapping) of run_statement().
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string_view>

#include <soci/soci.h>

#include "storage/store.hpp"

namespace hearth::storage {

// One prepared statement on one session; not thread-safe, no transaction checks (the
// store's PreparedStatement adds those).
class NativeStatement {
public:
  virtual ~NativeStatement() = default;
  // Binds `params`, runs, passes rows to `on_row`; returns the rows changed.
  virtual std::uint64_t run(std::span<const Value> params, const RowCallback &on_row) = 0;
  // sqlite3_last_insert_rowid on SQLite; throws StorageError(invalid_argument) on PostgreSQL.
  virtual std::int64_t last_insert_rowid() const = 0;
  // Frees the server's prepared statement now (PostgreSQL; only while the connection is
  // usable by this thread). Idempotent; the destructor of a statement never released
  // leaves it to the connection's close.
  virtual void release() noexcept = 0;
};

// Prepares `sql` (one statement, `?` placeholders) on `session`. Throws StorageError as
// Store::prepare documents.
std::unique_ptr<NativeStatement> prepare_native(soci::session &session, Backend backend, std::string_view sql);

} // namespace hearth::storage
