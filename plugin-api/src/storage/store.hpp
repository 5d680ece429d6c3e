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

enum class Backend { sqlite, postgresql };

// How to reach the store. For SQLite `target` is a file path (":memory:" for tests);
// for PostgreSQL it is a libpq connection string ("host=... port=... dbname=...").
struct StoreOptions {
  Backend backend = Backend::sqlite;
  std::string target;
  std::size_t pool_size = 4; // PostgreSQL connections; SQLite uses one writer
  int busy_timeout_ms = 5000;
};

struct Blob {
  std::vector<std::uint8_t> bytes;
  bool operator==(const Blob &) const = default;
};

// One value: NULL, integer, real, text or bytes.
using Value = std::variant<std::monostate, std::int64_t, double, std::string, Blob>;

// One result row: values and their column names (lower case), borrowed for the callback.
struct Row {
  std::span<const Value> values;
  std::span<const std::string> names;
};
// Return false to stop reading rows.
using RowCallback = std::function<bool(const Row &)>;

struct Migration {
  std::uint32_t version = 0;
  std::string description;
  std::string sql;                           // statements separated by ';'
  std::optional<std::string> sql_postgresql; // used instead of `sql` on PostgreSQL
};

// Why a storage call failed. `kind` maps to a hearth_status at the C boundary.
class StorageError : public std::runtime_error {
public:
  enum class Kind { invalid_argument, conflict, version, io };
  StorageError(Kind kind, const std::string &message) : std::runtime_error(message), kind_(kind) {}
  Kind kind() const noexcept { return kind_; }

private:
  Kind kind_;
};

// Thread-safe. A transaction belongs to the thread that opened it: calls from that thread
// (execute, nested transaction) join it; other threads wait or use another connection.
class Store {
public:
  // Opens (and for SQLite creates) the store. SQLite runs in WAL mode with
  // synchronous=FULL and foreign keys on. Throws StorageError(io) naming the target
  // (never a password) when it cannot be opened.
  static std::unique_ptr<Store> open(const StoreOptions &options);
  virtual ~Store() = default;

  virtual Backend backend() const noexcept = 0;

  // Runs one statement with `?` placeholders bound to `params` in order. Rows go to
  // `on_row` when it is set. Throws StorageError(invalid_argument) when the number of
  // placeholders and parameters differ, StorageError(conflict) on a unique-constraint
  // violation, StorageError(io) otherwise; the message names the statement's first words,
  // never the parameter values (they may be personal data).
  virtual void execute(std::string_view sql, std::span<const Value> params = {},
                       const RowCallback &on_row = nullptr) = 0;

  // Runs `work` in one transaction; commits when it returns, rolls back when it throws
  // (and rethrows). Nested calls on the same thread join the outer transaction; an inner
  // throw rolls back the whole outer one.
  virtual void transaction(const std::function<void()> &work) = 0;

  // Applies, in ascending version, the migrations of `owner` (a plugin id, or
  // "nl.hearth.runtime") not yet recorded in the table hearth_schema_migrations, each in
  // its own transaction. Throws StorageError(version) when an applied migration's SQL
  // checksum changed, or when versions repeat; StorageError(io) when a statement fails
  // (naming owner and version), leaving earlier migrations applied.
  virtual void migrate(std::string_view owner, std::span<const Migration> migrations) = 0;
};

} // namespace hearth::storage
