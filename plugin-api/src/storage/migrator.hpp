// Versioned schema migrations, recorded in the table hearth_schema_migrations.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "storage/store.hpp"

namespace hearth::storage {

// Does what Store::migrate promises, on `store`. The checksum recorded for a migration is
// the SHA-256 of the SQL that runs on this store's backend (`sql_postgresql` when set and
// the store is PostgreSQL, `sql` otherwise). Safe against other processes migrating the
// same database: on PostgreSQL each migration's transaction holds an advisory lock keyed
// on the owner, on SQLite the transaction takes the write lock at BEGIN; under the lock
// the applied set is read again, so a migration another process just applied is skipped.
void apply_migrations(Store &store, std::string_view owner, std::span<const Migration> migrations);

// The lower-case hex SHA-256 of `sql`.
std::string sql_checksum(std::string_view sql);

} // namespace hearth::storage
