// What the VERA adapter sends back to a corporation's back office: an accepted risk flag
// as a VERA Signalering, a coordinated case (export requested) as a VERA Zaak. Pure: builds
// the message from the event's payload; delivery (outbox, retries) is the plugin's.
// Since 0.1.
//
// The events read (their payloads are defined by the plugins that publish them):
//   "nl.hearth.flag.accepted/1" (plugins/early-warning, hearth/early_warning.h):
//     {"flag_id","tenancy_id","level","score","rule_set_version","rule_set_sha256",
//      "decided_at_ms"}; level 1 green, 2 amber, 3 red (a name is accepted too).
//   "nl.hearth.flag.withdrawn/1" (the same plugin, when a revision takes an acceptance back):
//     {"flag_id","tenancy_id","status","level","score","rule_set_version","rule_set_sha256",
//      "decision","decided_at_ms"}.
//   "nl.hearth.case.export-requested/1" (plugins/coordinator-handoff, docs/handoff.md):
//     {"case_id","target","tenancy_id","unit_id","state","is_open","level","opened_ms",
//      "closed_ms","coordinator":{"user","organisation","vera_role"},"legal_basis",
//      "purpose","requested_ms",...}; only target "vera" is for this adapter.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace hearth::adapters::vera {

inline constexpr const char *kFlagAcceptedEvent = "nl.hearth.flag.accepted/1";
inline constexpr const char *kFlagWithdrawnEvent = "nl.hearth.flag.withdrawn/1";
inline constexpr const char *kCaseExportRequestedEvent = "nl.hearth.case.export-requested/1";

// The idExtern prefix of what Hearth itself sends: the parser ignores Signaleringen and
// Zaken carrying it, so that a back office echoing them does not loop them back in.
inline constexpr std::string_view kOwnIdPrefix = "hearth-";

// One message for the back office.
struct OutboundMessage {
  std::string key;           // idempotency key, stable for the event: "flag:<id>", "case:<id>:<requested_ms>"
  std::string resource;      // the VERA path segment: "signaleringen" or "zaken"
  std::string body;          // the VERA message (JSON)
  std::string audit_objects; // what the export discloses, for the audit log: "tenancy:T-1,flag:9"
  std::string purpose;       // the purpose or legal basis the audit entry records
  std::string supersedes;    // a message key this one makes moot: not to be sent if still waiting
};

// The Signalering for an accepted flag. Throws std::invalid_argument naming the payload
// field at fault ("flag.accepted payload: tenancy_id is missing").
OutboundMessage signalering_for_flag(std::string_view payload_json);

// The Signalering that ends an accepted flag's (same idExtern) when a person takes the
// acceptance back: status VER (Vervallen), einddatum the revision's time. Its idempotency
// key carries the decision number ("flag:<id>:withdrawn:<n>"), so each withdrawal is sent
// once. Throws std::invalid_argument naming the payload field at fault. Since 0.2.
OutboundMessage signalering_for_withdrawn_flag(std::string_view payload_json);

// The Zaak for a case export; nothing when the export is for another target (ZGW).
// Throws std::invalid_argument naming the payload field at fault.
std::optional<OutboundMessage> zaak_for_case_export(std::string_view payload_json);

// An instant as VERA's date-time ("2024-03-01T09:30:00Z", UTC, whole seconds).
std::string vera_date_time(std::int64_t epoch_ms);

} // namespace hearth::adapters::vera
