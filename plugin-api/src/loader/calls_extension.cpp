// "nl.hearth.calls/1": a plugin runs another plugin's operation for an actor it serves.
#include <string>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "hearth/status.h"
#include "loader/host_table.hpp"
#include "loader/plugin_registry.hpp"
#include "loader/service_extensions.hpp"
#include "runtime/services.hpp"

namespace hearth::loader {
namespace {

int32_t refuse(const hearth_text_sink *result, int32_t status, const std::string &reason) {
  if (result != nullptr && result->write != nullptr) {
    result->write(result->user_data, reason.data(), reason.size());
  }
  return status;
}

bool is_set(const char *text) { return text != nullptr && *text != '\0'; }

int32_t call(const hearth_host *host, const hearth_actor *actor, const char *plugin_id,
             const char *operation, const char *args_json, const hearth_text_sink *result) {
  if (host == nullptr || result == nullptr || result->write == nullptr) {
    return HEARTH_ERROR_INVALID_ARGUMENT;
  }
  if (!is_set(plugin_id)) return refuse(result, HEARTH_ERROR_INVALID_ARGUMENT, "plugin_id: missing");
  if (!is_set(operation)) return refuse(result, HEARTH_ERROR_INVALID_ARGUMENT, "operation: missing");
  if (actor == nullptr) return refuse(result, HEARTH_ERROR_INVALID_ARGUMENT, "actor: missing");
  if (actor->struct_size < sizeof(hearth_actor)) {
    return refuse(result, HEARTH_ERROR_INVALID_ARGUMENT, "actor.struct_size: too small");
  }
  if (!is_set(actor->user)) return refuse(result, HEARTH_ERROR_INVALID_ARGUMENT, "actor.user: missing");
  if (!is_set(actor->role)) return refuse(result, HEARTH_ERROR_INVALID_ARGUMENT, "actor.role: missing");
  if (!is_set(actor->organisation)) {
    return refuse(result, HEARTH_ERROR_INVALID_ARGUMENT, "actor.organisation: missing");
  }
  if (!is_set(actor->access_point)) {
    return refuse(result, HEARTH_ERROR_INVALID_ARGUMENT, "actor.access_point: missing");
  }
  auto &context = PluginContext::from(host);
  if (PluginRegistry::busy_on_this_thread()) {
    return refuse(result, HEARTH_ERROR_STATE,
                  "plugins are being started or stopped: call other plugins after init()");
  }
  if (context.plugin_id() == plugin_id) {
    return refuse(result, HEARTH_ERROR_INVALID_ARGUMENT,
                  "plugin_id: a plugin calls its own operations directly, not through the runtime");
  }
  const std::string args = is_set(args_json) ? std::string(args_json) : std::string("{}");
  try {
    if (Poco::JSON::Parser().parse(args).type() != typeid(Poco::JSON::Object::Ptr)) {
      return refuse(result, HEARTH_ERROR_INVALID_ARGUMENT, "args_json: not a JSON object");
    }
  } catch (const Poco::Exception &) {
    return refuse(result, HEARTH_ERROR_INVALID_ARGUMENT, "args_json: not valid JSON");
  }
  const auto *registry = context.services().registry;
  if (registry == nullptr) {
    return refuse(result, HEARTH_ERROR_UNSUPPORTED, "this runtime has no plugin registry");
  }
  std::string answer;
  int32_t status = HEARTH_ERROR_PLUGIN;
  try {
    status = registry->call(plugin_id, *actor, operation, args, answer);
  } catch (const std::exception &e) {
    answer = std::string("call failed: ") + e.what();
  }
  result->write(result->user_data, answer.data(), answer.size());
  return status;
}

const void *factory(const hearth_host *host, const char *plugin_id, const char *factory_id) {
  if (host == nullptr || !is_set(plugin_id) || !is_set(factory_id) || PluginRegistry::busy_on_this_thread()) {
    return nullptr;
  }
  auto &context = PluginContext::from(host);
  const auto *registry = context.services().registry;
  if (registry == nullptr || !registry->depends_on(context.plugin_id(), plugin_id)) {
    return nullptr;
  }
  return registry->factory(plugin_id, factory_id);
}

} // namespace

const hearth_calls_extension *calls_extension() {
  static const hearth_calls_extension table{sizeof(hearth_calls_extension), 0, &call, &factory};
  return &table;
}

} // namespace hearth::loader
