#include "export_ledger_table.hpp"

#include <sstream>
#include <stdexcept>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <hearth/actor.h>
#include <hearth/policy.h>

#include "adapter_common/plugin_support.hpp"

namespace hearth::adapters::zgw {
namespace {

constexpr const char *kCreateTable =
    "CREATE TABLE hearth_zgw_export ("
    " case_id TEXT PRIMARY KEY,"
    " tenancy_id TEXT NOT NULL,"
    " zaak_url TEXT NOT NULL DEFAULT '',"
    " status_url TEXT NOT NULL DEFAULT '',"
    " rol_url TEXT NOT NULL DEFAULT '',"
    " updated_at_ms BIGINT NOT NULL)";

constexpr const char *kCreateOutbox =
    "CREATE TABLE hearth_zgw_export_outbox ("
    " case_id TEXT PRIMARY KEY,"
    " tenancy_id TEXT NOT NULL,"
    " state TEXT NOT NULL,"
    " step TEXT NOT NULL,"
    " attempts INTEGER NOT NULL,"
    " failures INTEGER NOT NULL,"
    " last_status INTEGER NOT NULL,"
    " reason TEXT NOT NULL,"
    " request TEXT NOT NULL,"
    " first_failed_ms BIGINT NOT NULL,"
    " updated_at_ms BIGINT NOT NULL);"
    "CREATE INDEX hearth_zgw_export_outbox_state ON hearth_zgw_export_outbox (state, updated_at_ms)";

// Since 0.3: the automatic re-sends of a pending row since the last request.
constexpr const char *kAddResends = "ALTER TABLE hearth_zgw_export_outbox ADD COLUMN resends INTEGER NOT NULL DEFAULT 0";

// The request's fields that an export sends, as JSON (pseudonymous ids and a date).
std::string request_json(const CaseExportRequest &request) {
  Poco::JSON::Object out;
  out.set("case_id", request.case_id);
  out.set("tenancy_id", request.tenancy_id);
  out.set("coordinator", request.coordinator);
  out.set("opened_on", request.opened_on);
  out.set("requested_by", request.requested_by);
  out.set("purpose", request.purpose);
  std::ostringstream text;
  out.stringify(text);
  return text.str();
}

// What left Hearth in `step`, as audit objects.
std::string exported_objects(const CaseExportRequest &request, ExportStep step) {
  switch (step) {
  case ExportStep::zaak:
    return "case:" + request.case_id + ",tenancy:" + request.tenancy_id;
  case ExportStep::status:
    return "case:" + request.case_id;
  case ExportStep::rol:
    return "case:" + request.case_id + ",user:" + request.coordinator;
  }
  return "case:" + request.case_id;
}

} // namespace

const std::vector<hearth_migration> &export_ledger_migrations() {
  static const std::vector<hearth_migration> migrations{
      {sizeof(hearth_migration), 1, "zgw: exported cases (zaak, status, rol urls)", kCreateTable, nullptr},
      {sizeof(hearth_migration), 2, "zgw: outbox of exports that failed for good", kCreateOutbox, nullptr},
      {sizeof(hearth_migration), 3, "zgw: automatic re-sends of the export outbox", kAddResends, nullptr}};
  return migrations;
}

ExportLedgerTable::ExportLedgerTable(hearth::Host host, const hearth_audit_extension *audit, std::string organisation)
    : host_(host), audit_(audit), organisation_(std::move(organisation)) {}

std::optional<ExportProgress> ExportLedgerTable::load(const std::string &case_id) {
  std::optional<ExportProgress> found;
  host_.execute("SELECT zaak_url, status_url, rol_url FROM hearth_zgw_export WHERE case_id = ?", {case_id},
                [&](const hearth::RowView &row) {
                  found = ExportProgress{std::string(row.text(0)), std::string(row.text(1)), std::string(row.text(2))};
                  return false;
                });
  return found;
}

void ExportLedgerTable::record(const CaseExportRequest &request, ExportStep step, const ExportProgress &progress) {
  const std::string objects = exported_objects(request, step);
  host_.transaction([&] {
    host_.execute("INSERT INTO hearth_zgw_export (case_id, tenancy_id, zaak_url, status_url, rol_url, updated_at_ms)"
                  " VALUES (?, ?, ?, ?, ?, ?)"
                  " ON CONFLICT (case_id) DO UPDATE SET zaak_url = excluded.zaak_url,"
                  " status_url = excluded.status_url, rol_url = excluded.rol_url,"
                  " updated_at_ms = excluded.updated_at_ms",
                  {request.case_id, request.tenancy_id, progress.zaak_url, progress.status_url, progress.rol_url,
                   host_.now_ms()});
    hearth_actor actor = system_actor("adapter:zgw", organisation_, "zgw:export");
    actor.on_behalf_of = request.requested_by.empty() ? nullptr : request.requested_by.c_str();
    record_audit(host_.c_host(), audit_, actor, HEARTH_ACTION_EXPORT, objects, request.purpose,
                 "the export's audit entry was refused");
  });
}

void ExportLedgerTable::record_failure(const CaseExportRequest &request, const ExportFailure &failure, bool resend) {
  const std::int64_t now = host_.now_ms();
  const std::string state = resend ? "pending" : "failed";
  host_.execute("INSERT INTO hearth_zgw_export_outbox (case_id, tenancy_id, state, step, attempts, failures,"
                " last_status, reason, request, first_failed_ms, updated_at_ms, resends)"
                " VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, 0)"
                " ON CONFLICT (case_id) DO UPDATE SET state = excluded.state, step = excluded.step,"
                " attempts = excluded.attempts, failures = hearth_zgw_export_outbox.failures + 1,"
                " last_status = excluded.last_status, reason = excluded.reason, request = excluded.request,"
                " updated_at_ms = excluded.updated_at_ms, resends = 0",
                {request.case_id, request.tenancy_id, state, std::string(step_name(failure.step())),
                 static_cast<std::int64_t>(failure.attempts()), static_cast<std::int64_t>(failure.http_status()),
                 failure.reason(), request_json(request), now, now});
}

std::vector<ExportLedgerTable::PendingExport> ExportLedgerTable::pending(std::size_t limit) {
  std::vector<PendingExport> rows;
  host_.execute("SELECT case_id, request, resends FROM hearth_zgw_export_outbox WHERE state = 'pending'"
                " ORDER BY updated_at_ms, case_id LIMIT " + std::to_string(limit),
                {}, [&](const hearth::RowView &row) {
                  rows.push_back(PendingExport{std::string(row.text(0)), std::string(row.text(1)),
                                               static_cast<std::uint32_t>(row.int64(2))});
                  return true;
                });
  return rows;
}

CaseExportRequest ExportLedgerTable::request_of(const PendingExport &row) {
  try {
    const auto object = Poco::JSON::Parser().parse(row.request_json).extract<Poco::JSON::Object::Ptr>();
    CaseExportRequest request;
    request.case_id = object->getValue<std::string>("case_id");
    request.tenancy_id = object->getValue<std::string>("tenancy_id");
    request.coordinator = object->getValue<std::string>("coordinator");
    request.opened_on = object->getValue<std::string>("opened_on");
    request.requested_by = object->optValue<std::string>("requested_by", "");
    request.purpose = object->optValue<std::string>("purpose", request.purpose);
    if (request.case_id != row.case_id || request.tenancy_id.empty() || request.coordinator.empty() ||
        request.opened_on.empty()) {
      throw std::invalid_argument("does not match its row");
    }
    return request;
  } catch (const std::invalid_argument &e) {
    throw std::invalid_argument(std::string("request: ") + e.what());
  } catch (const std::exception &) {
    throw std::invalid_argument("request: is not the stored export request");
  }
}

bool ExportLedgerTable::record_resend_failure(const std::string &case_id, const ExportFailure &failure,
                                              std::uint32_t max_resends) {
  const std::int64_t now = host_.now_ms();
  if (failure.interrupted()) {
    host_.execute("UPDATE hearth_zgw_export_outbox SET reason = ?, updated_at_ms = ? WHERE case_id = ?"
                  " AND state = 'pending'",
                  {failure.reason(), now, case_id});
    return false;
  }
  bool given_up = false;
  host_.transaction([&] {
    std::int64_t resends = -1;
    host_.execute("SELECT resends FROM hearth_zgw_export_outbox WHERE case_id = ? AND state = 'pending'", {case_id},
                  [&](const hearth::RowView &row) {
                    resends = row.int64(0);
                    return false;
                  });
    if (resends < 0) {
      return; // resolved or given up meanwhile
    }
    ++resends;
    given_up = resends >= static_cast<std::int64_t>(max_resends);
    host_.execute("UPDATE hearth_zgw_export_outbox SET state = ?, step = ?, attempts = ?,"
                  " failures = failures + 1, last_status = ?, reason = ?, resends = ?, updated_at_ms = ?"
                  " WHERE case_id = ?",
                  {std::string(given_up ? "failed" : "pending"), std::string(step_name(failure.step())),
                   static_cast<std::int64_t>(failure.attempts()), static_cast<std::int64_t>(failure.http_status()),
                   failure.reason(), resends, now, case_id});
  });
  return given_up;
}

void ExportLedgerTable::give_up(const std::string &case_id, const std::string &reason) {
  host_.execute("UPDATE hearth_zgw_export_outbox SET state = 'failed', failures = failures + 1, reason = ?,"
                " updated_at_ms = ? WHERE case_id = ? AND state = 'pending'",
                {reason, host_.now_ms(), case_id});
}

void ExportLedgerTable::resolve(const std::string &case_id) {
  host_.execute("UPDATE hearth_zgw_export_outbox SET state = 'resolved', updated_at_ms = ?"
                " WHERE case_id = ? AND state <> 'resolved'",
                {host_.now_ms(), case_id});
}

} // namespace hearth::adapters::zgw
