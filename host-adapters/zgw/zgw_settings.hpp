// The ZGW adapter's configuration, section [plugin.nl.hearth.adapter.zgw] of hearth.ini
// (every key also from the environment, e.g. HEARTH_PLUGIN_NL_HEARTH_ADAPTER_ZGW_SECRET).
// host-adapters/zgw/README.md lists the keys with examples. Part of hearth_adapter_zgw.
// Since 0.1.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>

#include "adapter_common/adapter.hpp"
#include "adapter_common/settings_section.hpp"
#include "zaak_export.hpp"
#include "zaken_client.hpp"
#include "zgw_zaak.hpp"

namespace hearth::adapters::zgw {

// Everything the plugin needs, checked.
struct ZgwSettings {
  bool enabled = false;                 // enabled = true; otherwise the plugin stays idle
  std::string organisation;             // the actor's organisation, e.g. "gemeente:0363"
  std::string webhook_path = "/webhooks/zgw/notificaties";
  std::string webhook_authorization;    // the exact Authorization header the NRC sends
  std::size_t max_body_bytes = 64u * 1024u;
  ZakenApiSettings zaken;               // zaken_api, client_id, secret, user_id, ...,
                                        // zaken_ca_file, zaken_verify (since 0.3)
  ParseContext context;                 // source, purpose, legal bases, zgw.* mapping
  ZaakMapping mapping;                  // from zaaktypes and tenancy_bron
  bool export_enabled = false;          // true when export_zaaktype is set
  ExportSettings export_settings;       // export_* keys
  // export_retry_attempts (tries per step, 1..100, default 5), export_retry_base_ms (default
  // 1000), export_retry_max_ms (default 30000, at least the base). Since 0.2.
  RetryPolicy export_retry{5, std::chrono::milliseconds(1000), std::chrono::milliseconds(30000)};
  // The automatic re-send of the export outbox (since 0.3): export_resend_interval_ms is
  // the wait between two rounds over the outbox's pending rows (the first round runs when
  // the plugin starts; 0..86400000, default 300000; 0 = off: a failed export waits for a
  // new request),
  // export_resend_attempts how many automatic re-sends a row gets before it is given up
  // with a dead letter (1..100000, default 144: twelve hours at the default interval).
  std::chrono::milliseconds export_resend_interval{300000};
  std::uint32_t export_resend_attempts = 144;
  bool resend_enabled() const { return export_enabled && export_resend_interval.count() > 0; }
};

// Reads a key of the plugin's section; nullopt when absent (adapter_common).
using hearth::adapters::SettingReader;

// Reads and checks the settings. Throws std::invalid_argument naming the key
// ("plugin.nl.hearth.adapter.zgw.zaken_api: ...") and the reason: a required key missing
// when enabled (organisation, webhook_authorization, zaken_api, client_id, secret), a
// number that is not one, a bad zaaktype mapping, incomplete export settings, an
// export_retry_max_ms below export_retry_base_ms, a zaken_ca_file that is not a readable
// file, a zaken_verify other than strict, relaxed or none, or none when runtime.mode is
// production, an export_resend_interval_ms that is not a whole number, or above a day, an
// export_resend_attempts outside 1..100000 (since 0.3).
ZgwSettings read_zgw_settings(const SettingReader &read);

// The plugin id, also the configuration section's name.
inline constexpr const char *kZgwPluginId = "nl.hearth.adapter.zgw";

} // namespace hearth::adapters::zgw
