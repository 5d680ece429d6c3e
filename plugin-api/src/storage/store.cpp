#include "storage/store.hpp"

#include "storage/session_source.hpp"
#include "storage/soci_store.hpp"

namespace hearth::storage {

std::unique_ptr<Store> Store::open(const StoreOptions &options) {
  if (options.target.empty()) {
    throw StorageError(StorageError::Kind::invalid_argument,
                       "a store needs a target (a SQLite path or a PostgreSQL connection string)");
  }
  std::unique_ptr<SessionSource> sessions = options.backend == Backend::sqlite
                                                ? open_sqlite_sessions(options)
                                                : open_postgresql_sessions(options);
  return std::make_unique<SociStore>(options.backend, std::move(sessions));
}

} // namespace hearth::storage
