// The PostgreSQL session source: a soci::connection_pool.
#include <soci/connection-pool.h>
#include <soci/postgresql/soci-postgresql.h>

#include "storage/error_mapping.hpp"
#include "storage/session_source.hpp"
#include "storage/statement_runner.hpp"

namespace hearth::storage {
namespace {

// Drops the server's NOTICE messages ("table ... does not exist, skipping"), which libpq
// would otherwise print to the process's stderr.
void ignore_notice(void * /*context*/, const char * /*message*/) {}

// The libpq connection under a SOCI PostgreSQL session.
PGconn *native_connection(soci::session &session) {
  return static_cast<soci::postgresql_session_backend *>(session.get_backend())->conn_;
}

// Prepares a freshly opened connection: silences notices and asks for bytea in hex form,
// which the result reader decodes, whatever the server's default.
void configure(soci::session &session) {
  PQsetNoticeProcessor(native_connection(session), ignore_notice, nullptr);
  run_statement(session, Backend::postgresql, "SET bytea_output = 'hex'", {}, nullptr);
}

// `pool_size` connections to one server, each lent to one thread at a time.
class PostgresqlSessions final : public SessionSource {
public:
  // Opens every connection of the pool to `options.target`.
  explicit PostgresqlSessions(const StoreOptions &options)
      : target_(options.target), pool_(options.pool_size), wait_ms_(options.busy_timeout_ms),
        pool_size_(options.pool_size) {
    for (std::size_t index = 0; index < options.pool_size; ++index) {
      soci::session &session = pool_.at(index);
      try {
        session.open(*soci::factory_postgresql(), options.target);
      } catch (const soci::soci_error &error) {
        throw open_error(Backend::postgresql, options.target, error.get_error_message());
      }
      try {
        configure(session);
      } catch (const StorageError &error) {
        throw open_error(Backend::postgresql, options.target, error.what());
      }
    }
  }

  SessionLease acquire() override {
    std::size_t index = 0;
    if (!pool_.try_lease(index, wait_ms_)) {
      throw StorageError(StorageError::Kind::io,
                         "no free PostgreSQL connection within " + std::to_string(wait_ms_) +
                             " ms (pool_size " + std::to_string(pool_size_) + ")");
    }
    SessionLease lease(pool_.at(index), nullptr, [this, index] { pool_.give_back(index); });
    reconnect_if_lost(lease.session());
    return lease;
  }

  std::string_view begin_statement() const override { return "BEGIN"; }

private:
  // Opens `session` again when its connection was lost (server restart, terminated
  // backend); the statement that noticed the loss has already failed with an io error.
  void reconnect_if_lost(soci::session &session) {
    if (PQstatus(native_connection(session)) == CONNECTION_OK) {
      return;
    }
    try {
      session.reconnect();
      configure(session);
    } catch (const soci::soci_error &error) {
      throw open_error(Backend::postgresql, target_, error.get_error_message());
    } catch (const StorageError &error) {
      throw open_error(Backend::postgresql, target_, error.what());
    }
  }

  std::string target_;
  soci::connection_pool pool_;
  int wait_ms_;
  std::size_t pool_size_;
};

} // namespace

std::unique_ptr<SessionSource> open_postgresql_sessions(const StoreOptions &options) {
  if (options.pool_size == 0) {
    throw StorageError(StorageError::Kind::invalid_argument, "pool_size must be at least 1");
  }
  return std::make_unique<PostgresqlSessions>(options);
}

} // namespace hearth::storage
