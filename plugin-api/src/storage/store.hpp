// The runtime's store: one SOCI connection (pool) to SQLite or PostgreSQL, shared by the
// runtime and, through the host-services table, by every plugin.
//
// Plugins write portable SQL with `?` placeholders; the store rewrites them for SOCI,
// binds typed values, and runs each plugin's versioned migrations once per store.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace hearth::storage {

// The database under a store.
enum class Backend { sqlite, postgresql };

// How to reach the store. For SQLite `target` is a file path (":memory:" for tests);
// for PostgreSQL it is a libpq connection string ("host=... port=... dbname=..."; SOCI
// 4.0.3 re-parses it and mis-reads some quoted values that contain spaces, such as
// application_name='a b' at the end, so keep quoted values free of spaces).
struct StoreOptions {
  Backend backend = Backend::sqlite;
  std::string target;
  std::size_t pool_size = 4; // PostgreSQL connections; SQLite: readers besides the one writer
  // How long to wait for the database: SQLite's busy timeout (another process holds the
  // write lock), and on PostgreSQL the wait for a free pooled connection.
  int busy_timeout_ms = 5000;
};

// Bytes, stored as BLOB on SQLite and BYTEA on PostgreSQL.
struct Blob {
  std::vector<std::uint8_t> bytes;
  bool operator==(const Blob &) const = default;
};

// One value: NULL, integer, real, text or bytes.
// Reading rows: SQLite gives each cell's own storage class. PostgreSQL integer and boolean
// columns read as int64, float4/float8 as double, numeric as int64 when it is a whole
// number that fits (SUM of integers) and double otherwise, bytea as Blob, any other type
// as its text. On PostgreSQL a Blob parameter becomes bytea where the SQL expects bytea
// (a bytea column, CAST(? AS BYTEA)); elsewhere the server sees it as text.
using Value = std::variant<std::monostate, std::int64_t, double, std::string, Blob>;

// One result row: values and their column names (lower case), borrowed for the callback.
struct Row {
  std::span<const Value> values;
  std::span<const std::string> names;
};
// Receives one row; returns false to stop reading rows.
using RowCallback = std::function<bool(const Row &)>;

// One versioned schema change of one owner (see Store::migrate).
struct Migration {
  std::uint32_t version = 0;                 // 1, 2, 3 ...; never reused
  std::string description;                   // one line, recorded with the migration
  std::string sql;                           // statements separated by ';'
  std::optional<std::string> sql_postgresql; // used instead of `sql` on PostgreSQL
};

// Why a storage call failed. `kind` maps to a hearth_status at the C boundary.
class StorageError : public std::runtime_error {
public:
  enum class Kind { invalid_argument, conflict, version, io };
  // An error of `kind`; `message` must be safe to log (no personal data, no password).
  StorageError(Kind kind, const std::string &message) : std::runtime_error(message), kind_(kind) {}
  // What kind of failure this is.
  Kind kind() const noexcept { return kind_; }

private:
  Kind kind_;
};

// A statement prepared once (placeholders rewritten, the database's parse and plan done
// once) and run many times with new parameters. Made by Store::prepare().
//
// Valid only inside the Store::transaction() that prepared it, on the thread that prepared
// it: run() refuses (StorageError(invalid_argument)) when that transaction has ended or
// when another thread or another transaction calls it. Destroy it before the transaction
// ends (on PostgreSQL that also frees the server's prepared statement; destroyed later,
// or after a failed statement, the server frees it only when the connection closes).
// Each run binds its own parameters, so a parameter's type may change between runs.
class PreparedStatement {
public:
  virtual ~PreparedStatement() = default;

  // Runs the statement with `?` placeholders bound to `params` in order; rows go to
  // `on_row` as with Store::execute. Returns the rows the statement inserted, updated or
  // deleted (0 for an INSERT ... ON CONFLICT DO NOTHING that skipped its row; for a
  // SELECT, 0 on SQLite and the rows returned on PostgreSQL). Throws as Store::execute
  // does (invalid_argument for a wrong number of parameters, conflict on a unique
  // violation, io otherwise), and a failure dooms the transaction as there.
  virtual std::uint64_t run(std::span<const Value> params, const RowCallback &on_row = nullptr) = 0;

  // SQLite only: the rowid of the last row inserted on this transaction's connection
  // (sqlite3_last_insert_rowid), i.e. an INTEGER PRIMARY KEY of the row the last run
  // inserted when run() returned 1. Throws StorageError(invalid_argument) on PostgreSQL:
  // use RETURNING there.
  virtual std::int64_t last_insert_rowid() const = 0;
};

// Thread-safe. A transaction belongs to the thread that opened it: calls from that thread
// (execute, nested transaction) join it; other threads wait (SQLite: one connection, so
// transactions run one after another) or use another pooled connection (PostgreSQL).
class Store {
public:
  // Opens (and for SQLite creates) the store. SQLite runs in WAL mode with
  // synchronous=FULL and foreign keys on. Throws StorageError(io) naming the target
  // (never a password) when it cannot be opened.
  static std::unique_ptr<Store> open(const StoreOptions &options);
  // Closes the connections; no transaction may be running.
  virtual ~Store() = default;

  // Which database this store runs on.
  virtual Backend backend() const noexcept = 0;

  // Runs one statement with `?` placeholders bound to `params` in order (a `?` inside a
  // literal, a quoted identifier or a comment is not a placeholder). Rows go to `on_row`
  // when it is set; an exception from `on_row` passes through. Throws
  // StorageError(invalid_argument) when the SQL holds more than one statement or when the
  // number of placeholders and parameters differ, StorageError(conflict) on a unique-constraint
  // violation, StorageError(io) otherwise; the message names the statement's first words,
  // never the parameter values (they may be personal data).
  virtual void execute(std::string_view sql, std::span<const Value> params = {},
                       const RowCallback &on_row = nullptr) = 0;

  // Prepares one statement (`?` placeholders, as for execute) for many runs inside the
  // current transaction of the calling thread (see PreparedStatement). Throws
  // StorageError(invalid_argument) outside a transaction or when the SQL holds more than
  // one statement; StorageError(io) when the database cannot prepare it (which dooms the
  // transaction).
  virtual std::unique_ptr<PreparedStatement> prepare(std::string_view sql) = 0;

  // Runs `work` in one transaction; commits when it returns, rolls back when it throws
  // (and rethrows). Nested calls on the same thread join the outer transaction; an inner
  // throw rolls back the whole outer one. A failure inside (a statement or a nested
  // transaction throwing) dooms the transaction even when the work catches it: it then
  // rolls back and throws StorageError(io) instead of committing.
  virtual void transaction(const std::function<void()> &work) = 0;

  // True when the calling thread holds a session of this store: it is inside
  // transaction() or inside a row callback of execute(), and its storage calls run on that
  // session (and join its transaction). A thread that holds one must not wait for another
  // thread's storage work: on SQLite that thread needs the session this one holds.
  virtual bool thread_holds_session() const noexcept = 0;

  // Applies, in ascending version, the migrations of `owner` (a plugin id, or
  // "nl.hearth.runtime") not yet recorded in the table hearth_schema_migrations, each in
  // its own transaction. Throws StorageError(version) when an applied migration's SQL
  // checksum changed, or when versions repeat; StorageError(io) when a statement fails
  // (naming owner and version), leaving earlier migrations applied. The checksum is the
  // SHA-256 of the SQL that runs on this backend. Safe when several processes migrate the
  // same database at once.
  virtual void migrate(std::string_view owner, std::span<const Migration> migrations) = 0;
};

} // namespace hearth::storage
