// The Store implementation over SOCI, for both backends.
#pragma once

#include <memory>

#include "storage/session_source.hpp"
#include "storage/store.hpp"

namespace hearth::storage {

struct ThreadScope; // a thread's session of one store (soci_store.cpp)

// A Store whose statements run on sessions lent by a SessionSource. A thread that is
// inside transaction() (or inside a row callback of execute()) keeps its session, and
// every storage call it makes joins that session and transaction. A query (SELECT) outside
// both runs on a reader session (SessionSource::acquire_reader); a write or transaction
// from a row callback of such a query takes the writer session.
//
// A failure inside a transaction dooms it: when a statement or a nested transaction
// throws, the outermost transaction rolls back even if the work caught the exception
// (PostgreSQL would refuse further statements after an error anyway; this gives SQLite
// the same rule), and then throws StorageError(io).
class SociStore final : public Store {
public:
  // Takes over `sessions`, opened for `backend`.
  SociStore(Backend backend, std::unique_ptr<SessionSource> sessions);

  Backend backend() const noexcept override { return backend_; }
  void execute(std::string_view sql, std::span<const Value> params,
               const RowCallback &on_row) override;
  std::unique_ptr<PreparedStatement> prepare(std::string_view sql) override;
  void transaction(const std::function<void()> &work) override;
  bool thread_holds_session() const noexcept override;
  void migrate(std::string_view owner, std::span<const Migration> migrations) override;

private:
  // Runs one statement on the session of `scope`: through its kept statements when it has
  // them (SQLite), else prepared for this call.
  void run(const ThreadScope &scope, std::string_view sql, std::span<const Value> params, const RowCallback &on_row);

  Backend backend_;
  std::unique_ptr<SessionSource> sessions_;
};

} // namespace hearth::storage
