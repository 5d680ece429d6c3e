#include "export_ledger_table.hpp"

#include <hearth/actor.h>
#include <hearth/policy.h>

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
      {sizeof(hearth_migration), 1, "zgw: exported cases (zaak, status, rol urls)", kCreateTable, nullptr}};
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
    hearth_actor actor{};
    actor.struct_size = sizeof actor;
    actor.user = "adapter:zgw";
    actor.role = HEARTH_ROLE_SYSTEM;
    actor.organisation = organisation_.c_str();
    actor.on_behalf_of = request.requested_by.empty() ? nullptr : request.requested_by.c_str();
    actor.access_point = "zgw:export";
    hearth_audit_record entry{};
    entry.struct_size = sizeof entry;
    entry.event = HEARTH_ACTION_EXPORT;
    entry.objects = objects.c_str();
    entry.purpose = request.purpose.c_str();
    const hearth_host *c = host_.c_host();
    char *error = nullptr;
    const std::int32_t status = audit_->record(c, &actor, &entry, &error);
    const std::string message = error != nullptr ? error : "";
    c->free(error);
    if (status != HEARTH_OK) {
      throw hearth::Error(status, "the export's audit entry was refused: " + message);
    }
  });
}

} // namespace hearth::adapters::zgw
