// Status updates to the reporter, through the channel Signalen uses (its API: the report's
// status, which Signalen mails to the reporter). The text is one of a few fixed
// sentences, so an update can never carry anything about the tenant, the unit or the
// people working on it. Part of hearth_adapter_signalen. Since 0.1.
#pragma once

#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>

namespace hearth::adapters::signalen {

// The states Hearth reports back.
enum class ReportState { received, in_progress, handled };

// "ontvangen" / "in_behandeling" / "afgehandeld" -> the state; nullopt for anything else.
std::optional<ReportState> report_state_from(const std::string &name);
// The name used in operations and the plugin's table.
std::string report_state_name(ReportState state);

// The body PATCHed to Signalen for `state`, e.g.
// {"status":{"state":"b","text":"Uw melding is in behandeling."}} (Signalen's state codes:
// i = in afwachting van behandeling, b = in behandeling, o = afgehandeld).
std::string status_update_body(ReportState state);

// Where updates go.
struct StatusChannel {
  std::string endpoint;      // Signalen's signals collection, e.g. "https://api.../signals/v1/private/signals"
  std::string authorization; // the Authorization header value Signalen expects
  std::chrono::milliseconds timeout{10000};
};

// The update could not be delivered (transport, or a status other than 2xx). The message
// names the status, never a body.
class StatusUpdateError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

// PATCHes status_update_body(state) to <endpoint>/<signalen_id>. Throws StatusUpdateError.
// [any-thread] blocks up to about twice the timeout.
void send_status_update(const StatusChannel &channel, const std::string &signalen_id, ReportState state);

} // namespace hearth::adapters::signalen
