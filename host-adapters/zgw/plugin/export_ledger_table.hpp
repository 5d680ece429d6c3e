// The ZGW plugin's memory of exports: table hearth_zgw_export in the runtime's store (the
// plugin's own migration), one row per case with the urls of the zaak, status and rol
// created for it. Each recorded step writes its NEN 7513 audit entry (event "export") in
// the same transaction, so data that left Hearth is never unaccounted for.
// Since 0.2 also the outbox of exports that failed for good (table
// hearth_zgw_export_outbox): one row per case with the step, the tries, the last status
// and the reason, state "failed" until a later request for the case completes it
// ("resolved"). Part of the hearth_zgw plugin. Since 0.1.
#pragma once

#include <string>

#include <hearth/audit.h>
#include <hearth/plugin.hpp>

#include "zaak_export.hpp"

namespace hearth::adapters::zgw {

// The migrations of the plugin's table, for host->storage_migrate().
const std::vector<hearth_migration> &export_ledger_migrations();

// ExportLedger on the runtime's store. Thread-safe (each call is one statement or one
// transaction); lives no longer than the plugin's init..deinit.
class ExportLedgerTable final : public ExportLedger {
public:
  // Borrows everything; `organisation` is the exporting actor's organisation.
  ExportLedgerTable(hearth::Host host, const hearth_audit_extension *audit, std::string organisation);

  std::optional<ExportProgress> load(const std::string &case_id) override;
  void record(const CaseExportRequest &request, ExportStep step, const ExportProgress &progress) override;

  // Records (or updates) the case's outbox row as "failed" with the failure's step, tries,
  // status and reason, and the request's pseudonymous fields as JSON so the export can be
  // sent again. One statement. Since 0.2.
  void record_failure(const CaseExportRequest &request, const ExportFailure &failure);
  // Marks the case's outbox row, if any, "resolved" (its export is complete). Since 0.2.
  void resolve(const std::string &case_id);

private:
  hearth::Host host_;
  const hearth_audit_extension *audit_;
  std::string organisation_;
};

} // namespace hearth::adapters::zgw
