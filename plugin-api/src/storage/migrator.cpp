#include "storage/migrator.hpp"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <map>
#include <vector>

#include <Poco/DigestEngine.h>
#include <Poco/SHA2Engine.h>

#include "storage/sql_text.hpp"

namespace hearth::storage {
namespace {

constexpr std::string_view create_table_sql =
    "CREATE TABLE IF NOT EXISTS hearth_schema_migrations ("
    "owner TEXT NOT NULL, version BIGINT NOT NULL, description TEXT NOT NULL, "
    "checksum TEXT NOT NULL, applied_at_ms BIGINT NOT NULL, PRIMARY KEY (owner, version))";

// Names the advisory lock that guards creating the migrations table.
constexpr std::string_view table_lock_name = "hearth_schema_migrations";

// A 64-bit PostgreSQL advisory-lock key for `name`: the first 8 bytes of its SHA-256.
std::int64_t advisory_lock_key(std::string_view name) {
  Poco::SHA2Engine engine(Poco::SHA2Engine::SHA_256);
  engine.update(std::string("hearth.migrate/").append(name));
  const Poco::DigestEngine::Digest &digest = engine.digest();
  std::uint64_t key = 0;
  for (std::size_t i = 0; i < sizeof key; ++i) {
    key = (key << 8) | digest[i];
  }
  std::int64_t signed_key = 0;
  std::memcpy(&signed_key, &key, sizeof key);
  return signed_key;
}

// Inside a transaction on PostgreSQL: waits for, then holds until the transaction ends,
// the advisory lock named `name`. Nothing on SQLite, whose BEGIN IMMEDIATE already holds
// the database's write lock.
void lock_for_transaction(Store &store, std::string_view name) {
  if (store.backend() == Backend::postgresql) {
    const Value key[] = {advisory_lock_key(name)};
    store.execute("SELECT pg_advisory_xact_lock(CAST(? AS BIGINT))", key);
  }
}

// The checksums of the migrations of `owner` already applied, by version.
std::map<std::int64_t, std::string> applied_checksums(Store &store, std::string_view owner) {
  std::map<std::int64_t, std::string> applied;
  const Value params[] = {std::string(owner)};
  store.execute("SELECT version, checksum FROM hearth_schema_migrations WHERE owner = ?", params,
                [&applied](const Row &row) {
                  applied[std::get<std::int64_t>(row.values[0])] =
                      std::get<std::string>(row.values[1]);
                  return true;
                });
  return applied;
}

// The SQL of `migration` that runs on `backend`.
const std::string &sql_for(const Migration &migration, Backend backend) {
  if (backend == Backend::postgresql && migration.sql_postgresql.has_value()) {
    return *migration.sql_postgresql;
  }
  return migration.sql;
}

// "migration <owner> version <n>", for messages.
std::string migration_name(std::string_view owner, std::uint32_t version) {
  return "migration " + std::string(owner) + " version " + std::to_string(version);
}

// Throws StorageError(version) when `migration` was applied with another checksum.
void check_unchanged(const std::map<std::int64_t, std::string> &applied, std::string_view owner,
                     const Migration &migration, const std::string &checksum) {
  const auto found = applied.find(migration.version);
  if (found != applied.end() && found->second != checksum) {
    throw StorageError(StorageError::Kind::version,
                       migration_name(owner, migration.version) +
                           " was changed after it was applied (checksum " + found->second +
                           " recorded, " + checksum + " now)");
  }
}

// The migrations in ascending version; throws StorageError(version) when a version
// repeats or is 0.
std::vector<const Migration *> in_version_order(std::string_view owner,
                                                std::span<const Migration> migrations) {
  std::vector<const Migration *> ordered;
  for (const Migration &migration : migrations) {
    if (migration.version == 0) {
      throw StorageError(StorageError::Kind::version,
                         "migrations of " + std::string(owner) + " must start at version 1");
    }
    ordered.push_back(&migration);
  }
  std::sort(ordered.begin(), ordered.end(),
            [](const Migration *a, const Migration *b) { return a->version < b->version; });
  const auto repeated = std::adjacent_find(
      ordered.begin(), ordered.end(),
      [](const Migration *a, const Migration *b) { return a->version == b->version; });
  if (repeated != ordered.end()) {
    throw StorageError(StorageError::Kind::version,
                       migration_name(owner, (*repeated)->version) + " is defined twice");
  }
  return ordered;
}

// Milliseconds since the Unix epoch, for applied_at_ms.
std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Applies one migration in its own transaction unless another process got there first.
void apply_one(Store &store, std::string_view owner, const Migration &migration,
               const std::string &checksum) {
  store.transaction([&] {
    lock_for_transaction(store, owner);
    const auto applied = applied_checksums(store, owner);
    check_unchanged(applied, owner, migration, checksum);
    if (applied.contains(migration.version)) {
      return;
    }
    for (const std::string &statement : sql_text::split_statements(sql_for(migration, store.backend()))) {
      store.execute(statement);
    }
    const Value record[] = {std::string(owner), std::int64_t{migration.version},
                            migration.description, checksum, now_ms()};
    store.execute("INSERT INTO hearth_schema_migrations "
                  "(owner, version, description, checksum, applied_at_ms) VALUES (?, ?, ?, ?, ?)",
                  record);
  });
}

} // namespace

std::string sql_checksum(std::string_view sql) {
  Poco::SHA2Engine engine(Poco::SHA2Engine::SHA_256);
  engine.update(sql.data(), static_cast<unsigned>(sql.size()));
  return Poco::DigestEngine::digestToHex(engine.digest());
}

void apply_migrations(Store &store, std::string_view owner, std::span<const Migration> migrations) {
  if (owner.empty()) {
    throw StorageError(StorageError::Kind::invalid_argument, "migrations need an owner");
  }
  const std::vector<const Migration *> ordered = in_version_order(owner, migrations);

  store.transaction([&store] {
    lock_for_transaction(store, table_lock_name);
    store.execute(create_table_sql);
  });

  // Refuse a changed migration before applying anything newer.
  const auto applied = applied_checksums(store, owner);
  for (const Migration *migration : ordered) {
    check_unchanged(applied, owner, *migration, sql_checksum(sql_for(*migration, store.backend())));
  }

  for (const Migration *migration : ordered) {
    if (applied.contains(migration->version)) {
      continue;
    }
    const std::string checksum = sql_checksum(sql_for(*migration, store.backend()));
    try {
      apply_one(store, owner, *migration, checksum);
    } catch (const StorageError &error) {
      if (error.kind() == StorageError::Kind::version) {
        throw;
      }
      throw StorageError(StorageError::Kind::io, migration_name(owner, migration->version) + " (" +
                                                     migration->description + ") failed: " +
                                                     error.what());
    }
  }
}

} // namespace hearth::storage
