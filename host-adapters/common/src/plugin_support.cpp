#include "adapter_common/plugin_support.hpp"

#include <sstream>

#include <hearth/actor.h>

namespace hearth::adapters {

WebhookExtensions require_webhook_extensions(const hearth_host *host) {
  WebhookExtensions found;
  found.data = find_extension<hearth_data_extension>(host, HEARTH_DATA_EXTENSION_ID);
  found.audit = find_extension<hearth_audit_extension>(host, HEARTH_AUDIT_EXTENSION_ID);
  found.http = find_extension<hearth_http_extension>(host, HEARTH_HTTP_EXTENSION_ID);
  if (found.data == nullptr || found.audit == nullptr || found.http == nullptr) {
    throw hearth::Error(HEARTH_ERROR_UNSUPPORTED,
                        "this runtime lacks nl.hearth.data/1, nl.hearth.audit/1 or nl.hearth.http/1 (ABI 1.1)");
  }
  return found;
}

hearth_actor system_actor(const char *user, const std::string &organisation, const char *access_point) {
  hearth_actor actor{};
  actor.struct_size = sizeof actor;
  actor.user = user;
  actor.role = HEARTH_ROLE_SYSTEM;
  actor.organisation = organisation.c_str();
  actor.access_point = access_point;
  return actor;
}

SettingReader host_setting_reader(const hearth_host *host) {
  return [host](const std::string &key) -> std::optional<std::string> {
    const char *value = host->config_get(host, key.c_str());
    return value != nullptr ? std::optional<std::string>(value) : std::nullopt;
  };
}

void add_post_route(const hearth_host *host, const hearth_http_extension *http, const std::string &path,
                    hearth_http_handler handler, void *user_data, const std::string &setting) {
  char *error = nullptr;
  const std::int32_t routed = http->add_route(host, "POST", path.c_str(), handler, user_data, &error);
  const std::string reason = error != nullptr ? error : "";
  host->free(error);
  if (routed != HEARTH_OK) {
    throw hearth::Error(routed, setting + ": " + reason);
  }
}

void record_audit(const hearth_host *host, const hearth_audit_extension *audit, const hearth_actor &actor,
                  const char *event, const std::string &objects, const std::string &purpose, const std::string &what) {
  hearth_audit_record entry{};
  entry.struct_size = sizeof entry;
  entry.event = event;
  entry.objects = objects.c_str();
  entry.purpose = purpose.c_str();
  char *error = nullptr;
  const std::int32_t status = audit->record(host, &actor, &entry, &error);
  const std::string reason = error != nullptr ? error : "";
  host->free(error);
  if (status != HEARTH_OK) {
    throw hearth::Error(status, what + ": " + reason);
  }
}

void write_json_answer(const hearth_http_response *response, int status, const std::string &body) {
  response->set_status(response, status);
  response->set_header(response, "Content-Type", "application/json");
  response->write(response, body.data(), body.size());
}

std::string json_text(const Poco::JSON::Object &object) {
  std::ostringstream out;
  object.stringify(out);
  return out.str();
}

} // namespace hearth::adapters
