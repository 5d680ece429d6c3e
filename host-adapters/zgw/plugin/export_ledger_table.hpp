// The ZGW plugin's memory of exports: table hearth_zgw_export in the runtime's store (the
// plugin's own migration), one row per case with the urls of the zaak, status and rol
// created for it. Each recorded step writes its NEN 7513 audit entry (event "export") in
// the same transaction, so data that left Hearth is never unaccounted for.
// Part of the hearth_zgw plugin. Since 0.1.
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

private:
  hearth::Host host_;
  const hearth_audit_extension *audit_;
  std::string organisation_;
};

} // namespace hearth::adapters::zgw
