#include "storage/soci_store.hpp"

#include <atomic>
#include <optional>
#include <vector>

#include "storage/error_mapping.hpp"
#include "storage/migrator.hpp"
#include "storage/native_statement.hpp"
#include "storage/sql_text.hpp"
#include "storage/statement_cache.hpp"
#include "storage/statement_runner.hpp"

namespace hearth::storage {

// What one thread holds of one store: the session it was lent and whether it is inside a
// transaction on it.
struct ThreadScope {
  const SociStore *store = nullptr;
  soci::session *session = nullptr;
  StatementCache *statements = nullptr; // the session's kept statements (SQLite)
  bool reads_only = false; // a reader connection: writes and transactions need the writer
  bool in_transaction = false;
  bool doomed = false; // a failure happened inside the transaction: it must roll back
  std::uint64_t transaction_id = 0; // which transaction (unique in the process) is open
};

namespace {

// The scope of a fresh lease of `store`.
ThreadScope scope_of(const SociStore *store, const SessionLease &lease) {
  return ThreadScope{store, &lease.session(), lease.statements(), lease.reads_only()};
}

// Numbers the transactions, so that a prepared statement knows its own.
std::atomic<std::uint64_t> next_transaction_id{1};

// The scopes the current thread holds (innermost last): one per store, or two when a row
// callback of a query on a reader connection writes (the writer's scope inside the
// reader's).
thread_local std::vector<ThreadScope *> thread_scopes;

// The calling thread's innermost scope on `store`, or nullptr.
ThreadScope *find_scope(const SociStore *store) {
  for (auto scope = thread_scopes.rbegin(); scope != thread_scopes.rend(); ++scope) {
    if ((*scope)->store == store) {
      return *scope;
    }
  }
  return nullptr;
}

// Registers a scope for the calling thread for as long as it lives.
class ScopeRegistration {
public:
  // Makes `scope` visible to find_scope() on this thread.
  explicit ScopeRegistration(ThreadScope &scope) : scope_(&scope) { thread_scopes.push_back(scope_); }
  ScopeRegistration(const ScopeRegistration &) = delete;
  ScopeRegistration &operator=(const ScopeRegistration &) = delete;
  // Removes the scope again.
  ~ScopeRegistration() { std::erase(thread_scopes, scope_); }

private:
  ThreadScope *scope_;
};

// Rolls back the transaction on `session`, ignoring failures: it runs while another
// error is already on its way, or after PostgreSQL already ended the transaction.
void roll_back_quietly(soci::session &session, Backend backend) {
  try {
    run_statement(session, backend, "ROLLBACK", {}, nullptr);
  } catch (const StorageError &) {
    // The connection may be gone; the server rolls back an unfinished transaction itself.
  }
}

// A NativeStatement tied to the transaction (and thread) that prepared it.
class ScopedPreparedStatement final : public PreparedStatement {
public:
  ScopedPreparedStatement(const SociStore &store, std::uint64_t transaction_id, std::string name,
                          std::unique_ptr<NativeStatement> native)
      : store_(&store), transaction_id_(transaction_id), name_(std::move(name)), native_(std::move(native)) {}
  ~ScopedPreparedStatement() override {
    // Frees server resources only from the transaction that owns the connection.
    if (current() != nullptr) {
      native_->release();
    }
  }

  std::uint64_t run(std::span<const Value> params, const RowCallback &on_row) override {
    ThreadScope *scope = current();
    if (scope == nullptr) {
      throw StorageError(StorageError::Kind::invalid_argument,
                         "prepared statement " + name_ +
                             " used outside the transaction that prepared it; it is valid only inside that "
                             "transaction(), on the thread that prepared it");
    }
    try {
      return native_->run(params, on_row);
    } catch (...) {
      scope->doomed = true;
      throw;
    }
  }

  std::int64_t last_insert_rowid() const override { return native_->last_insert_rowid(); }

private:
  // The calling thread's scope when it is still inside the preparing transaction.
  ThreadScope *current() const {
    ThreadScope *scope = find_scope(store_);
    return scope != nullptr && scope->in_transaction && scope->transaction_id == transaction_id_ ? scope : nullptr;
  }

  const SociStore *store_;
  std::uint64_t transaction_id_;
  std::string name_;
  std::unique_ptr<NativeStatement> native_;
};

} // namespace

SociStore::SociStore(Backend backend, std::unique_ptr<SessionSource> sessions)
    : backend_(backend), sessions_(std::move(sessions)) {}

void SociStore::execute(std::string_view sql, std::span<const Value> params,
                        const RowCallback &on_row) {
  const bool query = sql_text::is_query(sql);
  ThreadScope *scope = find_scope(this);
  if (scope != nullptr && (query || !scope->reads_only)) {
    try {
      run(*scope, sql, params, on_row);
    } catch (...) {
      if (scope->in_transaction) {
        scope->doomed = true;
      }
      throw;
    }
    return;
  }
  // A query outside any session goes to a reader (ADR 0015); anything else, and a write
  // from a row callback of a reader's query, to the writer.
  SessionLease lease = query && scope == nullptr ? sessions_->acquire_reader() : sessions_->acquire();
  ThreadScope own_scope = scope_of(this, lease);
  ScopeRegistration registration(own_scope);
  run(own_scope, sql, params, on_row);
}

void SociStore::run(const ThreadScope &scope, std::string_view sql, std::span<const Value> params,
                    const RowCallback &on_row) {
  if (scope.statements != nullptr) {
    scope.statements->run(*scope.session, sql, params, on_row);
  } else {
    run_statement(*scope.session, backend_, sql, params, on_row);
  }
}

std::unique_ptr<PreparedStatement> SociStore::prepare(std::string_view sql) {
  ThreadScope *scope = find_scope(this);
  const std::string name = "`" + sql_text::first_words(sql) + " ...`";
  if (scope == nullptr || !scope->in_transaction) {
    throw StorageError(StorageError::Kind::invalid_argument,
                       "prepare " + name + " outside a transaction: prepared statements are valid only "
                       "inside transaction()");
  }
  try {
    return std::make_unique<ScopedPreparedStatement>(*this, scope->transaction_id, name,
                                                     prepare_native(*scope->session, backend_, sql));
  } catch (...) {
    scope->doomed = true;
    throw;
  }
}

void SociStore::transaction(const std::function<void()> &work) {
  ThreadScope *outer = find_scope(this);
  if (outer != nullptr && outer->in_transaction) {
    try {
      work();
    } catch (...) {
      outer->doomed = true;
      throw;
    }
    return;
  }

  // Either a fresh writer session, or (when called from a row callback of execute() on
  // the writer) the one this thread already holds.
  std::optional<SessionLease> lease;
  ThreadScope own_scope;
  std::optional<ScopeRegistration> registration;
  ThreadScope *scope = outer;
  if (scope == nullptr || scope->reads_only) {
    lease.emplace(sessions_->acquire());
    own_scope = scope_of(this, *lease);
    registration.emplace(own_scope);
    scope = &own_scope;
  }
  soci::session &session = *scope->session;

  run_statement(session, backend_, sessions_->begin_statement(), {}, nullptr);
  scope->in_transaction = true;
  scope->doomed = false;
  scope->transaction_id = next_transaction_id.fetch_add(1);
  try {
    work();
  } catch (...) {
    scope->in_transaction = false;
    roll_back_quietly(session, backend_);
    throw;
  }
  scope->in_transaction = false;
  if (scope->doomed) {
    roll_back_quietly(session, backend_);
    throw StorageError(StorageError::Kind::io,
                       "transaction rolled back: a statement or nested transaction inside it "
                       "failed and the work went on");
  }
  try {
    run_statement(session, backend_, "COMMIT", {}, nullptr);
  } catch (const StorageError &) {
    roll_back_quietly(session, backend_);
    throw;
  }
}

bool SociStore::thread_holds_session() const noexcept { return find_scope(this) != nullptr; }

void SociStore::migrate(std::string_view owner, std::span<const Migration> migrations) {
  apply_migrations(*this, owner, migrations);
}

} // namespace hearth::storage
