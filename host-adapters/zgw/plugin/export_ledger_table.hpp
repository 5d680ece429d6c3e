// The ZGW plugin's memory of exports: table hearth_zgw_export in the runtime's store (the
// plugin's own migration), one row per case with the urls of the zaak, status and rol
// created for it. Each recorded step writes its NEN 7513 audit entry (event "export") in
// the same transaction, so data that left Hearth is never unaccounted for.
// Since 0.2 also the outbox of exports that failed (table hearth_zgw_export_outbox): one
// row per case with the step, the tries, the last status, the reason and the request.
// States: "pending" (since 0.3: re-sent automatically; column `resends` counts the
// automatic re-sends since the last request), "failed" (given up: a dead letter was
// written; only a new request for the case resumes it) and "resolved" (the export
// completed later). Part of the hearth_zgw plugin. Since 0.1.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

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

  // Records (or updates) the case's outbox row after an export asked for by a request
  // failed: state "pending" when `resend` (automatic re-sends are on; since 0.3) else
  // "failed", the failure's step, tries, status and reason, the request's pseudonymous
  // fields as JSON so the export can be sent again, `resends` back to 0. One statement.
  // Since 0.2.
  void record_failure(const CaseExportRequest &request, const ExportFailure &failure, bool resend);
  // Marks the case's outbox row, if any, "resolved" (its export is complete). Since 0.2.
  void resolve(const std::string &case_id);

  // A row waiting for an automatic re-send (since 0.3).
  struct PendingExport {
    std::string case_id;
    std::string request_json; // as record_failure() stored it
    std::uint32_t resends = 0;
  };
  // Up to `limit` "pending" rows, the longest-waiting first. Since 0.3.
  std::vector<PendingExport> pending(std::size_t limit);
  // Reads a row's stored request back. Throws std::invalid_argument("request: ...") when
  // it is not what record_failure() writes. Since 0.3.
  static CaseExportRequest request_of(const PendingExport &row);
  // Records that an automatic re-send of the case failed. Stopped by a shutdown
  // (failure.interrupted()): only the reason changes, the row stays pending and the try
  // is not counted. Otherwise `resends` and `failures` grow by one, and when `resends`
  // reaches `max_resends` the row becomes "failed"; returns true then (the caller writes
  // the dead letter). One transaction. Since 0.3.
  bool record_resend_failure(const std::string &case_id, const ExportFailure &failure, std::uint32_t max_resends);
  // Gives a pending row up at once ("failed", `reason`): its request cannot be read back.
  // Since 0.3.
  void give_up(const std::string &case_id, const std::string &reason);

private:
  hearth::Host host_;
  const hearth_audit_extension *audit_;
  std::string organisation_;
};

} // namespace hearth::adapters::zgw
