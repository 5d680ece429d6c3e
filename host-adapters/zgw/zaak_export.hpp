// Exporting a coordinated case to the municipality as a zaak: POST /zaken, then a status
// (POST /statussen) and the coordinator's rol (POST /rollen), idempotently. Every step is
// remembered in a ledger once it succeeded; a step whose answer was lost is found again
// on the Zaken API (by the zaak's identificatie "HEARTH-<case id>", the status's
// statustype, the rol's roltype) before anything is created, so a retry never makes a
// second zaak, status or rol. Part of hearth_adapter_zgw. Since 0.1.
//
// The trigger is the event "nl.hearth.case.export-requested/1" (HEARTH_ZGW_EXPORT_EVENT),
// whose JSON payload is read by parse_export_request(); host-adapters/zgw/README.md
// documents it for publishers (the coordinator-handoff plugin).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "adapter_common/retry.hpp"
#include "zaken_client.hpp"

namespace hearth::adapters::zgw {

using hearth::adapters::RetryPolicy;

// The event type that asks for an export. Since 0.1. Published by the coordinator-handoff
// plugin's operation case.export (docs/handoff.md, "Export to ZGW or VERA").
inline constexpr const char *kExportRequestedEvent = "nl.hearth.case.export-requested/1";

// What the publisher says about the case; of its payload only these fields are read, and
// of these only the ids and the start date leave Hearth. Ids are pseudonymous.
struct CaseExportRequest {
  std::string target;       // "zgw" (or absent) for this adapter; "vera" is for another
  std::string case_id;      // required, at most 100 characters
  std::string tenancy_id;   // required, at most 40 characters (a zaak kenmerk)
  std::string coordinator;  // coordinator.user: at most 24 characters (RolMedewerker)
  std::string opened_on;    // opened_ms as the UTC date YYYY-MM-DD: the zaak's startdatum
  std::string requested_by; // requested_by.user, optional (the audit's on_behalf_of)
  std::string purpose = "case-coordination"; // purpose, optional (the audit's purpose)

  // True when the request is addressed to the ZGW adapter.
  bool for_zgw() const { return target.empty() || target == "zgw"; }
};

// Reads the event payload (docs/handoff.md):
//   {"case_id","target","tenancy_id","opened_ms","coordinator":{"user",..},
//    "requested_by":{"user",..},"purpose", ...}
// Throws FieldProblem (json_fields.hpp) naming the field: missing, wrong type, too long, a
// BSN where an id belongs, an opened_ms after `now_ms` or before 2000.
CaseExportRequest parse_export_request(std::string_view payload, std::int64_t now_ms);

// The case's short reference on the Zaken API: the case id itself when it has at most 33
// characters, otherwise the first 32 hex digits of its SHA-256 (stable, fits the zaak's
// identificatie and kenmerk limits of 40).
std::string case_reference(const std::string &case_id);

// The municipality's catalogue entries the exported zaak uses, from configuration.
struct ExportSettings {
  std::string bronorganisatie;               // RSIN of the organisation exporting (elfproef)
  std::string verantwoordelijke_organisatie; // RSIN of the municipality (elfproef)
  std::string zaaktype;                      // URL of the zaaktype in the Catalogi API
  std::string statustype;                    // URL of the statustype set at export
  std::string roltype;                       // URL of the roltype of the coordinator
  std::string tenancy_bron = "hearth:tenancy"; // kenmerk bron of the tenancy id
  std::string case_bron = "hearth:case";       // kenmerk bron of the case id

  // Throws std::invalid_argument naming the setting ("export_zaaktype: ...") when one is
  // missing, not an http(s) URL, or not an RSIN passing the elfproef.
  void check() const;
};

// What has been created so far for one case; empty strings for steps not done.
struct ExportProgress {
  std::string zaak_url;
  std::string status_url;
  std::string rol_url;
  bool complete() const { return !zaak_url.empty() && !status_url.empty() && !rol_url.empty(); }
};

// The steps of an export, as the ledger is told about them.
enum class ExportStep { zaak, status, rol };

// Where the progress of exports is remembered (the plugin's table; a map in tests).
class ExportLedger {
public:
  virtual ~ExportLedger() = default;
  // The progress recorded for `case_id`, or nullopt when none.
  virtual std::optional<ExportProgress> load(const std::string &case_id) = 0;
  // Records that `step` is done: `progress` is the whole new state. Must be durable when it
  // returns (the plugin also writes the audit entry of the data that left, in the same
  // transaction). Throws to stop the export.
  virtual void record(const CaseExportRequest &request, ExportStep step, const ExportProgress &progress) = 0;
};

// What export_case() did.
struct ExportOutcome {
  ExportProgress progress;
  int created = 0;  // resources created now
  int adopted = 0;  // resources found on the Zaken API that the ledger did not know yet
  bool already_complete = false; // nothing to do: the ledger had every step
};

// The step's name as the ledger's table and the dead letters spell it: "zaak", "status",
// "rol". Since 0.2.
const char *step_name(ExportStep step);

// Waits `delay` before the next try of a step; returns false when the export must stop
// now (the plugin is shutting down), true after the wait. Called on the exporting
// thread. Since 0.2.
using RetrySleep = std::function<bool(std::chrono::milliseconds delay)>;

// A step of the export that failed for good: the last ZakenApiError (its status, message,
// transient flag) with the step and the number of tries it had. Since 0.2.
class ExportFailure : public ZakenApiError {
public:
  ExportFailure(const ZakenApiError &last, ExportStep step, std::uint32_t attempts, bool interrupted);
  ExportStep step() const { return step_; }
  std::uint32_t attempts() const { return attempts_; }
  // True when the sleep said stop before the tries were used up.
  bool interrupted() const { return interrupted_; }
  // One line for the outbox and the dead letter: "status: POST /statussen: the Zaken API
  // answered 500 (3 attempts)". Never a body or a personal value.
  std::string reason() const;

private:
  ExportStep step_;
  std::uint32_t attempts_;
  bool interrupted_;
};

// Runs the steps not yet in `ledger` for `request`. `now_ms` dates the status. Throws
// ZakenApiError (an ExportFailure since 0.2) when a call fails (what succeeded before is
// recorded, so a new request resumes), std::invalid_argument when `settings` are
// incomplete. No retry: one try per step.
ExportOutcome export_case(const CaseExportRequest &request, const ExportSettings &settings, const ZakenClient &client,
                          ExportLedger &ledger, std::int64_t now_ms);

// The same with retries (since 0.2): a step whose call fails transiently (see
// ZakenApiError::transient(): no connection, a reset or dropped connection, 408, 425,
// 429, 5xx) is tried again, up to `retry.attempts` tries per step, after
// retry.delay_before(try, the API's Retry-After) passed to `sleep`. Every try first looks
// the resource up (zaak by identificatie, status by statustype, rol by roltype and
// coordinator) and creates it only when absent, so a try whose POST succeeded on the
// server but whose answer was lost adopts what was created instead of duplicating it. A
// failure that is not transient (400, 403, 404, an answer that is not JSON) ends the step
// at once. Throws ExportFailure after the last try, or when `sleep` returns false.
ExportOutcome export_case(const CaseExportRequest &request, const ExportSettings &settings, const ZakenClient &client,
                          ExportLedger &ledger, std::int64_t now_ms, const RetryPolicy &retry,
                          const RetrySleep &sleep);

// The bodies sent, exposed for conformance tests.
Poco::JSON::Object zaak_body(const CaseExportRequest &request, const ExportSettings &settings);
Poco::JSON::Object status_body(const std::string &zaak_url, const ExportSettings &settings, std::int64_t now_ms);
Poco::JSON::Object rol_body(const CaseExportRequest &request, const std::string &zaak_url, const ExportSettings &settings);

// The zaak identificatie for a case: "HEARTH-<case_reference(case id)>".
std::string zaak_identificatie(const std::string &case_id);

} // namespace hearth::adapters::zgw
