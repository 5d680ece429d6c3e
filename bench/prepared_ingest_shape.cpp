#include "prepared_ingest_shape.hpp"

#include <sstream>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Stringifier.h>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <hearth/host.h>

namespace hearth::bench {
namespace {

// Opens the SOCI session, with the runtime's SQLite settings on SQLite.
std::unique_ptr<soci::session> connect(const BenchDatabase &database) {
  if (database.backend() == storage::Backend::sqlite) {
    auto session = std::make_unique<soci::session>(*soci::factory_sqlite3(), database.soci_connect_string());
    *session << "PRAGMA busy_timeout = 5000";
    *session << "PRAGMA synchronous = FULL";
    *session << "PRAGMA foreign_keys = ON";
    return session;
  }
  return std::make_unique<soci::session>(*soci::factory_postgresql(), database.soci_connect_string());
}

// The event payload exactly as the ingestor writes it.
std::string event_payload(const data::CanonicalSignal &signal, long long signal_seq) {
  Poco::JSON::Object payload;
  payload.set("seq", static_cast<std::uint64_t>(signal_seq));
  payload.set("source", signal.source);
  payload.set("external_id", signal.external_id);
  payload.set("type", signal.type);
  payload.set("detail", signal.detail);
  payload.set("tenancy_id", signal.tenancy_id);
  payload.set("occurred_at_ms", signal.occurred_at_ms);
  payload.set("amount_cents", signal.amount_cents);
  payload.set("severity", signal.severity);
  payload.set("data_class", signal.type_entry->data_class);
  std::ostringstream out;
  Poco::JSON::Stringifier::condense(payload, out);
  return out.str();
}

// Reads a RETURNING statement to its end, so that SQLite no longer counts it as in
// progress (a COMMIT fails while one is) and the next execute starts afresh.
void finish(soci::statement &statement) {
  while (statement.fetch()) {
  }
}

} // namespace

PreparedIngestShape::PreparedIngestShape(const BenchDatabase &database)
    : session_(connect(database)), postgresql_(database.backend() == storage::Backend::postgresql),
      insert_signal_((session_->prepare << std::string(
                          "INSERT INTO hearth_signal (source, external_id, type, detail, tenancy_id, occurred_at_ms,"
                          " received_at_ms, amount_cents, severity, data_class, legal_basis, purpose, reporter_user)"
                          " VALUES (:source, :external_id, :type, :detail, :tenancy_id, :occurred_at_ms,"
                          " :received_at_ms, :amount_cents, :severity, :data_class, :legal_basis, :purpose, NULL)"
                          " ON CONFLICT (source, external_id) DO NOTHING RETURNING seq"),
                      soci::into(signal_seq_, signal_seq_indicator_), soci::use(source_, "source"),
                      soci::use(external_id_, "external_id"), soci::use(type_, "type"), soci::use(detail_, "detail"),
                      soci::use(tenancy_id_, "tenancy_id"), soci::use(occurred_at_ms_, "occurred_at_ms"),
                      soci::use(received_at_ms_, "received_at_ms"), soci::use(amount_cents_, "amount_cents"),
                      soci::use(severity_, "severity"), soci::use(data_class_, "data_class"),
                      soci::use(legal_basis_, "legal_basis"), soci::use(purpose_, "purpose"))),
      insert_event_((session_->prepare << std::string(
                         "INSERT INTO hearth_event_log (type, subject, source, occurred_at_ms, payload)"
                         " VALUES (:type, :subject, :source, :occurred_at_ms, :payload) RETURNING seq"),
                     soci::into(event_seq_), soci::use(event_type_, "type"), soci::use(subject_, "subject"),
                     soci::use(event_source_, "source"), soci::use(event_occurred_at_ms_, "occurred_at_ms"),
                     soci::use(payload_, "payload"))) {
  rules_.legal_bases = {"avg-6-1-e"};
  rules_.purposes = {"early-warning"};
}

std::uint32_t PreparedIngestShape::ingest(const SignalBatch &batch, std::int64_t now_ms) {
  std::vector<data::CanonicalSignal> valid;
  valid.reserve(batch.size());
  for (std::uint32_t i = 0; i < batch.size(); ++i) {
    valid.push_back(std::get<data::CanonicalSignal>(data::validate_signal(batch.pointers()[i], i, rules_, now_ms)));
  }
  std::uint32_t accepted = 0;
  soci::transaction transaction(*session_);
  if (postgresql_) {
    *session_ << "SELECT pg_advisory_xact_lock(1212503636)";
  }
  for (const auto &signal : valid) {
    source_ = signal.source;
    external_id_ = signal.external_id;
    type_ = signal.type;
    detail_ = signal.detail;
    tenancy_id_ = signal.tenancy_id;
    occurred_at_ms_ = signal.occurred_at_ms;
    received_at_ms_ = now_ms;
    amount_cents_ = signal.amount_cents;
    severity_ = signal.severity;
    data_class_ = signal.type_entry->data_class;
    legal_basis_ = signal.legal_basis;
    purpose_ = signal.purpose;
    const bool inserted = insert_signal_.execute(true) && signal_seq_indicator_ == soci::i_ok;
    finish(insert_signal_);
    if (!inserted) {
      continue;
    }
    ++accepted;
    event_type_ = HEARTH_EVENT_SIGNAL_ACCEPTED;
    subject_ = "tenancy:" + signal.tenancy_id;
    event_source_ = "host";
    event_occurred_at_ms_ = signal.occurred_at_ms;
    payload_ = event_payload(signal, signal_seq_);
    insert_event_.execute(true);
    finish(insert_event_);
  }
  transaction.commit();
  return accepted;
}

} // namespace hearth::bench
