// What the adapters that run as plugins (ZGW, Signalen, Wgs, VERA) all do the same way
// against the public ABI: find the runtime's extensions, read their configuration section,
// register a webhook route, write an audit entry, answer an HTTP request with JSON. Part of
// hearth_adapter_common. Since 0.2.
#pragma once

#include <cstdint>
#include <string>

#include <Poco/JSON/Object.h>

#include <hearth/audit.h>
#include <hearth/data_service.h>
#include <hearth/http.h>
#include <hearth/plugin.hpp>

#include "adapter_common/settings_section.hpp"

namespace hearth::adapters {

// The extension table `id` of the runtime, or null when the runtime does not offer it.
template <class Table> const Table *find_extension(const hearth_host *host, const char *id) {
  return static_cast<const Table *>(host->get_extension(host, id));
}

// The extensions an adapter with a webhook needs (ABI 1.1): data, audit and http.
struct WebhookExtensions {
  const hearth_data_extension *data = nullptr;
  const hearth_audit_extension *audit = nullptr;
  const hearth_http_extension *http = nullptr;
};

// Finds the three; throws hearth::Error(HEARTH_ERROR_UNSUPPORTED, "this runtime lacks
// nl.hearth.data/1, nl.hearth.audit/1 or nl.hearth.http/1 (ABI 1.1)") when one is absent.
// [host-thread] from init().
WebhookExtensions require_webhook_extensions(const hearth_host *host);

// The adapter itself as an actor: role "system", `user` (e.g. "adapter:zgw"), the
// organisation and the access point. Borrows the three strings: they must outlive every
// use of the returned struct (keep them in the plugin's settings).
hearth_actor system_actor(const char *user, const std::string &organisation, const char *access_point);

// Reads keys of the plugin's own configuration section through host->config_get ("" and
// absent keys are both nullopt for SettingsSection). The host is borrowed.
SettingReader host_setting_reader(const hearth_host *host);

// Registers `handler` for POST `path` on the runtime's HTTP server with `user_data`.
// Throws hearth::Error(<status>, "<setting>: <the runtime's reason>") when the runtime
// refuses the route (a taken or malformed path). [host-thread] from init().
void add_post_route(const hearth_host *host, const hearth_http_extension *http, const std::string &path,
                    hearth_http_handler handler, void *user_data, const std::string &setting);

// Writes one audit entry (`event` one of HEARTH_ACTION_*, `objects` the comma-separated
// objects, `purpose`) for `actor` through the audit extension; inside a
// host->storage_transaction() it joins the transaction. Throws hearth::Error(<status>,
// "<what>: <the runtime's reason>") when refused. [any-thread]
void record_audit(const hearth_host *host, const hearth_audit_extension *audit, const hearth_actor &actor,
                  const char *event, const std::string &objects, const std::string &purpose, const std::string &what);

// Answers an HTTP request with `status` and `body` as application/json. [HTTP worker]
void write_json_answer(const hearth_http_response *response, int status, const std::string &body);

// The object as compact JSON text.
std::string json_text(const Poco::JSON::Object &object);

} // namespace hearth::adapters
