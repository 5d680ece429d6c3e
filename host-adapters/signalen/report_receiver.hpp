// The Signalen adapter's configuration and what it does with one pushed report: check the
// Authorization header, read the report, link its address to a unit and its tenancy,
// ingest the signal (with the reporter as a neighbour who may follow it), and answer with
// an HTTP status. Part of hearth_adapter_signalen. Since 0.1.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "adapter_common/ingest_driver.hpp"
#include "adapter_common/settings_section.hpp"
#include "signalen_report.hpp"
#include "status_update.hpp"

namespace hearth::adapters::signalen {

// Section [plugin.nl.hearth.adapter.signalen]; README.md lists the keys.
struct SignalenSettings {
  bool enabled = false;
  std::string organisation;                     // the actor's organisation
  std::string webhook_path = "/webhooks/signalen/signals";
  std::string webhook_authorization;            // the exact Authorization header Signalen sends
  std::size_t max_body_bytes = 64u * 1024u;
  ParseContext context;                         // source, purpose, legal bases, signalen.* rules
  ReportRules rules;
  bool status_enabled = false;                  // true when status_endpoint is set
  StatusChannel channel;                        // status_endpoint, status_authorization
  bool acknowledge = true;                      // send "ontvangen" when a report is first stored
};

// Reads a key of the plugin's section; nullopt when absent (adapter_common).
using hearth::adapters::SettingReader;

// Reads and checks the settings; throws std::invalid_argument naming the key
// ("plugin.nl.hearth.adapter.signalen.categories: ...") and the reason.
SignalenSettings read_signalen_settings(const SettingReader &read);

// The plugin id, also the configuration section's name.
inline constexpr const char *kSignalenPluginId = "nl.hearth.adapter.signalen";

// A report stored by receive().
struct StoredReport {
  std::string external_id;
  std::string signalen_id; // "" when the report carried no id
  std::string tenancy_id;
  std::string reporter_user;
  bool new_now = false;    // false when it was stored before (a resend)
};

// The answer to send, and what was stored.
struct ReportAnswer {
  int status = 200;
  std::string body; // JSON
  std::optional<StoredReport> stored;
};

// Thread-safe when `lookup` and `target` are.
class ReportReceiver {
public:
  // Borrows `settings` and `target`.
  ReportReceiver(const SignalenSettings &settings, AddressLookup lookup, IngestTarget &target);

  // Handles one pushed report (a JSON object). Answers:
  //   401 wrong or missing Authorization; 413 over max_body_bytes; 400 a report that is
  //   not valid, or whose address matches no unit with a current tenancy (field named;
  //   a dead letter); 422 the runtime refused the signal; 503 lookup or storage failed;
  //   200 {"accepted","duplicates"} otherwise. Bodies never repeat input values.
  ReportAnswer receive(const char *authorization, std::string_view body, std::int64_t now_ms) const;

private:
  const SignalenSettings &settings_;
  AddressLookup lookup_;
  IngestTarget &target_;
};

} // namespace hearth::adapters::signalen
