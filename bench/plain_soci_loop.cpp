#include "plain_soci_loop.hpp"

#include <soci/postgresql/soci-postgresql.h>
#include <soci/sqlite3/soci-sqlite3.h>

namespace hearth::bench {
namespace {

// Opens the SOCI session, with the runtime's SQLite settings on SQLite.
std::unique_ptr<soci::session> connect(const BenchDatabase &database) {
  if (database.backend() == storage::Backend::sqlite) {
    auto session = std::make_unique<soci::session>(*soci::factory_sqlite3(), database.soci_connect_string());
    *session << "PRAGMA busy_timeout = 5000";
    *session << "PRAGMA journal_mode = WAL";
    *session << "PRAGMA synchronous = FULL";
    *session << "PRAGMA foreign_keys = ON";
    return session;
  }
  return std::make_unique<soci::session>(*soci::factory_postgresql(), database.soci_connect_string());
}

} // namespace

PlainSociLoop::PlainSociLoop(const BenchDatabase &database)
    : session_(connect(database)),
      statement_((session_->prepare << kPlainInsert, soci::use(source_, "source"),
                  soci::use(external_id_, "external_id"), soci::use(type_, "type"), soci::use(detail_, "detail"),
                  soci::use(tenancy_id_, "tenancy_id"), soci::use(occurred_at_ms_, "occurred_at_ms"),
                  soci::use(received_at_ms_, "received_at_ms"), soci::use(amount_cents_, "amount_cents"),
                  soci::use(severity_, "severity"), soci::use(data_class_, "data_class"),
                  soci::use(legal_basis_, "legal_basis"), soci::use(purpose_, "purpose"))) {}

void PlainSociLoop::insert(const SignalBatch &batch, std::int64_t now_ms) {
  soci::transaction transaction(*session_);
  for (const hearth_signal &signal : batch.signals()) {
    source_ = signal.source;
    external_id_ = signal.external_id;
    type_ = signal.type;
    detail_ = signal.detail;
    tenancy_id_ = signal.tenancy_id;
    occurred_at_ms_ = signal.occurred_at_ms;
    received_at_ms_ = now_ms;
    amount_cents_ = signal.amount_cents;
    severity_ = signal.severity;
    data_class_ = kDataClass;
    legal_basis_ = signal.legal_basis;
    purpose_ = signal.purpose;
    statement_.execute(true);
  }
  transaction.commit();
}

} // namespace hearth::bench
