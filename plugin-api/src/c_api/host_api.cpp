// host.h: the C embedding API, a thin shell around hearth::runtime::Runtime. Every
// function catches everything: no exception crosses this boundary.
#include "hearth/host.h"

#include <sstream>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Stringifier.h>

#include "data/abi_calls.hpp"
#include "data/ingestor.hpp"
#include "data/reads.hpp"
#include "data/records.hpp"
#include "data/retention.hpp"
#include "loader/module_loader.hpp"
#include "policy/abi_actor.hpp"
#include "runtime/errors.hpp"
#include "runtime/runtime.hpp"

struct hearth_runtime {
  std::unique_ptr<hearth::runtime::Runtime> runtime;
  // Copies behind the pointers that hearth_runtime_plugin_at() hands out; replaced only
  // by calls that load plugins, as host.h promises.
  std::vector<hearth::loader::PluginRegistry::Summary> info_cache;
  std::mutex info_mutex;
};

namespace {

using hearth::runtime::set_error;
using hearth::runtime::status_from_current_exception;

int32_t missing(char **error, const char *what) {
  set_error(error, std::string(what) + ": missing");
  return HEARTH_ERROR_INVALID_ARGUMENT;
}

// Checks and copies an actor; names the first field at fault.
std::optional<hearth::policy::Actor> to_actor(const hearth_actor *actor, char **error) {
  std::string reason;
  auto out = hearth::policy::actor_from_abi(actor, reason);
  if (!out) {
    set_error(error, reason);
  }
  return out;
}

void refresh_info(hearth_runtime *rt) {
  std::lock_guard lock(rt->info_mutex);
  rt->info_cache = rt->runtime->plugins();
}

} // namespace

extern "C" {

HEARTH_API void hearth_free(void *pointer) { std::free(pointer); }

HEARTH_API const char *hearth_status_name(int32_t status) {
  switch (status) {
  case HEARTH_OK: return "HEARTH_OK";
  case HEARTH_ERROR_INVALID_ARGUMENT: return "HEARTH_ERROR_INVALID_ARGUMENT";
  case HEARTH_ERROR_NOT_FOUND: return "HEARTH_ERROR_NOT_FOUND";
  case HEARTH_ERROR_DENIED: return "HEARTH_ERROR_DENIED";
  case HEARTH_ERROR_CONFLICT: return "HEARTH_ERROR_CONFLICT";
  case HEARTH_ERROR_VERSION: return "HEARTH_ERROR_VERSION";
  case HEARTH_ERROR_IO: return "HEARTH_ERROR_IO";
  case HEARTH_ERROR_UNSUPPORTED: return "HEARTH_ERROR_UNSUPPORTED";
  case HEARTH_ERROR_PLUGIN: return "HEARTH_ERROR_PLUGIN";
  case HEARTH_ERROR_STATE: return "HEARTH_ERROR_STATE";
  case HEARTH_ERROR_TIMEOUT: return "HEARTH_ERROR_TIMEOUT";
  case HEARTH_ERROR_INTERNAL: return "HEARTH_ERROR_INTERNAL";
  default: return "HEARTH_ERROR_UNKNOWN";
  }
}

HEARTH_API void hearth_library_version(uint32_t *abi_major, uint32_t *abi_minor, const char **release) {
  if (abi_major != nullptr) *abi_major = HEARTH_ABI_MAJOR;
  if (abi_minor != nullptr) *abi_minor = HEARTH_ABI_MINOR;
  if (release != nullptr) *release = HEARTH_RELEASE_VERSION;
}

HEARTH_API int32_t hearth_runtime_open(const char *config_dir, hearth_runtime **runtime, char **error) {
  if (runtime == nullptr) {
    return missing(error, "runtime");
  }
  *runtime = nullptr;
  try {
    std::optional<std::filesystem::path> dir;
    if (config_dir != nullptr && *config_dir != '\0') {
      dir = std::filesystem::path(config_dir);
    }
    auto rt = std::make_unique<hearth_runtime>();
    rt->runtime = hearth::runtime::Runtime::open(dir);
    *runtime = rt.release();
    return HEARTH_OK;
  } catch (...) {
    return status_from_current_exception(error);
  }
}

HEARTH_API int32_t hearth_runtime_load_plugins(hearth_runtime *runtime, char **error) {
  if (runtime == nullptr) {
    return missing(error, "runtime");
  }
  try {
    runtime->runtime->load_plugins();
    refresh_info(runtime);
    return HEARTH_OK;
  } catch (...) {
    return status_from_current_exception(error);
  }
}

HEARTH_API int32_t hearth_runtime_load_plugin(hearth_runtime *runtime, const char *path, char **error) {
  if (runtime == nullptr) {
    return missing(error, "runtime");
  }
  if (path == nullptr || *path == '\0') {
    return missing(error, "path");
  }
  try {
    const auto summary = runtime->runtime->load_plugin(path);
    refresh_info(runtime);
    if (summary.state == HEARTH_PLUGIN_STATE_ACTIVE) {
      return HEARTH_OK;
    }
    set_error(error, summary.message);
    return summary.status != HEARTH_OK ? summary.status : HEARTH_ERROR_PLUGIN;
  } catch (...) {
    return status_from_current_exception(error);
  }
}

HEARTH_API uint32_t hearth_runtime_plugin_count(hearth_runtime *runtime) {
  if (runtime == nullptr) {
    return 0;
  }
  std::lock_guard lock(runtime->info_mutex);
  return static_cast<uint32_t>(runtime->info_cache.size());
}

HEARTH_API int32_t hearth_runtime_plugin_at(hearth_runtime *runtime, uint32_t index, hearth_plugin_info *info) {
  if (runtime == nullptr || info == nullptr) {
    return HEARTH_ERROR_INVALID_ARGUMENT;
  }
  if (info->struct_size < offsetof(hearth_plugin_info, message) + sizeof(const char *)) {
    return HEARTH_ERROR_INVALID_ARGUMENT;
  }
  std::lock_guard lock(runtime->info_mutex);
  if (index >= runtime->info_cache.size()) {
    return HEARTH_ERROR_NOT_FOUND;
  }
  const auto &plugin = runtime->info_cache[index];
  hearth_plugin_info out{};
  out.struct_size = info->struct_size;
  out.state = plugin.state;
  out.kind = plugin.descriptor.kind;
  out.abi_major = plugin.abi_major;
  out.abi_minor = plugin.abi_minor;
  out.id = plugin.descriptor.id.c_str();
  out.name = plugin.descriptor.name.c_str();
  out.vendor = plugin.descriptor.vendor.c_str();
  out.version = plugin.descriptor.version.c_str();
  out.path = plugin.path.c_str();
  out.message = plugin.message.c_str();
  std::memcpy(info, &out, std::min<std::size_t>(info->struct_size, sizeof out));
  return HEARTH_OK;
}

HEARTH_API int32_t hearth_runtime_plugins_json(hearth_runtime *runtime, char **json, char **error) {
  if (runtime == nullptr) {
    return missing(error, "runtime");
  }
  if (json == nullptr) {
    return missing(error, "json");
  }
  try {
    *json = hearth::runtime::copy_out(runtime->runtime->plugins_json());
    return HEARTH_OK;
  } catch (...) {
    return status_from_current_exception(error);
  }
}

HEARTH_API int32_t hearth_inspect_module(const char *path, char **report, char **error) {
  if (path == nullptr || *path == '\0') {
    return missing(error, "path");
  }
  if (report == nullptr) {
    return missing(error, "report");
  }
  try {
    auto outcome = hearth::loader::load_module(path, HEARTH_ABI_MAJOR, HEARTH_ABI_MINOR);
    if (auto *refusal = std::get_if<hearth::loader::Refusal>(&outcome)) {
      set_error(error, refusal->message);
      return refusal->status;
    }
    const auto &module = *std::get<std::unique_ptr<hearth::loader::AcceptedModule>>(outcome);
    Poco::JSON::Object object;
    object.set("file", module.path.string());
    object.set("id", module.descriptor.id);
    object.set("name", module.descriptor.name);
    object.set("vendor", module.descriptor.vendor);
    object.set("version", module.descriptor.version);
    object.set("description", module.descriptor.description);
    object.set("kind", hearth::loader::kind_name(module.descriptor.kind));
    object.set("abi", std::to_string(module.abi_major) + "." + std::to_string(module.abi_minor));
    object.set("host_abi", std::to_string(HEARTH_ABI_MAJOR) + "." + std::to_string(HEARTH_ABI_MINOR));
    Poco::JSON::Array features, dependencies;
    for (const auto &f : module.descriptor.features) features.add(f);
    for (const auto &d : module.descriptor.dependencies) dependencies.add(d);
    object.set("features", features);
    object.set("dependencies", dependencies);
    std::ostringstream out;
    Poco::JSON::Stringifier::stringify(object, out);
    *report = hearth::runtime::copy_out(out.str());
    return HEARTH_OK;
  } catch (...) {
    return status_from_current_exception(error);
  }
}

HEARTH_API int32_t hearth_runtime_publish(hearth_runtime *runtime, const hearth_event *event, char **error) {
  if (runtime == nullptr) {
    return missing(error, "runtime");
  }
  if (event == nullptr) {
    return missing(error, "event");
  }
  try {
    runtime->runtime->publish(*event);
    return HEARTH_OK;
  } catch (...) {
    return status_from_current_exception(error);
  }
}

HEARTH_API int32_t hearth_runtime_drain(hearth_runtime *runtime, uint32_t timeout_ms) {
  if (runtime == nullptr) {
    return HEARTH_ERROR_INVALID_ARGUMENT;
  }
  return runtime->runtime->drain(std::chrono::milliseconds(timeout_ms)) ? HEARTH_OK
                                                                         : HEARTH_ERROR_TIMEOUT;
}

HEARTH_API int32_t hearth_runtime_query(hearth_runtime *runtime, const char *plugin_id, const char *name,
                                        const char *args_json, char **result_json, char **error) {
  if (runtime == nullptr) return missing(error, "runtime");
  if (plugin_id == nullptr || *plugin_id == '\0') return missing(error, "plugin_id");
  if (name == nullptr || *name == '\0') return missing(error, "name");
  if (result_json == nullptr) return missing(error, "result_json");
  *result_json = nullptr;
  try {
    std::string answer;
    const int32_t status = runtime->runtime->query(plugin_id, name, args_json != nullptr ? args_json : "{}", answer);
    if (status == HEARTH_OK) {
      *result_json = hearth::runtime::copy_out(answer);
    } else {
      set_error(error, answer.empty() ? std::string("query '") + name + "' failed" : answer);
    }
    return status;
  } catch (const std::out_of_range &e) {
    set_error(error, e.what());
    return HEARTH_ERROR_NOT_FOUND;
  } catch (...) {
    return status_from_current_exception(error);
  }
}

HEARTH_API int32_t hearth_runtime_call(hearth_runtime *runtime, const hearth_actor *actor,
                                       const char *plugin_id, const char *operation,
                                       const char *args_json, char **result_json, char **error) {
  if (runtime == nullptr) return missing(error, "runtime");
  if (plugin_id == nullptr || *plugin_id == '\0') return missing(error, "plugin_id");
  if (operation == nullptr || *operation == '\0') return missing(error, "operation");
  if (result_json == nullptr) return missing(error, "result_json");
  *result_json = nullptr;
  if (!to_actor(actor, error)) return HEARTH_ERROR_INVALID_ARGUMENT;
  try {
    std::string answer;
    const int32_t status = runtime->runtime->call(plugin_id, *actor, operation,
                                                  args_json != nullptr ? args_json : "{}", answer);
    if (status == HEARTH_OK) {
      *result_json = hearth::runtime::copy_out(answer.empty() ? std::string("{}") : answer);
    } else {
      set_error(error, answer.empty() ? std::string("operation '") + operation + "' failed" : answer);
    }
    return status;
  } catch (...) {
    return status_from_current_exception(error);
  }
}

HEARTH_API const void *hearth_runtime_plugin_factory(hearth_runtime *runtime, const char *plugin_id,
                                                     const char *factory_id) {
  if (runtime == nullptr || plugin_id == nullptr || factory_id == nullptr) return nullptr;
  try {
    return runtime->runtime->plugin_factory(plugin_id, factory_id);
  } catch (...) {
    return nullptr;
  }
}

HEARTH_API int32_t hearth_runtime_ingest(hearth_runtime *runtime, const hearth_actor *actor,
                                         const hearth_signal *const *signals, uint32_t count,
                                         hearth_ingest_result *result, char **error) {
  if (runtime == nullptr) return missing(error, "runtime");
  return hearth::data::ingest_through_abi(runtime->runtime->ingestor(), &runtime->runtime->metrics(), actor,
                                          signals, count, result, error);
}

HEARTH_API int32_t hearth_runtime_put_records(hearth_runtime *runtime, const hearth_actor *actor,
                                              const char *records_json, uint32_t *stored, char **error) {
  if (runtime == nullptr) return missing(error, "runtime");
  return hearth::data::put_records_through_abi(runtime->runtime->records(), actor, records_json, stored,
                                               error);
}

HEARTH_API int32_t hearth_runtime_dead_letter(hearth_runtime *runtime, const hearth_actor *actor,
                                              const char *source, uint32_t item_index, const char *field,
                                              const char *reason, const char *payload, uint64_t payload_size,
                                              char **error) {
  if (runtime == nullptr) return missing(error, "runtime");
  return hearth::data::dead_letter_through_abi(runtime->runtime->dead_letters(), actor, source, item_index,
                                               field, reason, payload, payload_size, error);
}

HEARTH_API int32_t hearth_runtime_read(hearth_runtime *runtime, const hearth_actor *actor, const char *view,
                                       const char *args_json, char **result_json, char **error) {
  if (runtime == nullptr) return missing(error, "runtime");
  return hearth::data::read_through_abi(runtime->runtime->reader(), actor, view, args_json, result_json,
                                        error);
}

HEARTH_API int32_t hearth_runtime_command(hearth_runtime *runtime, const hearth_actor *actor, const char *command,
                                          const char *args_json, char **result_json, char **error) {
  if (runtime == nullptr) return missing(error, "runtime");
  if (command == nullptr || *command == '\0') return missing(error, "command");
  if (result_json == nullptr) return missing(error, "result_json");
  *result_json = nullptr;
  const auto who = to_actor(actor, error);
  if (!who) return HEARTH_ERROR_INVALID_ARGUMENT;
  try {
    const auto outcome =
        runtime->runtime->retention().command(*who, command, args_json != nullptr ? args_json : "{}");
    if (outcome.status == HEARTH_OK) {
      *result_json = hearth::runtime::copy_out(outcome.json);
    } else {
      set_error(error, outcome.json);
    }
    return outcome.status;
  } catch (...) {
    return status_from_current_exception(error);
  }
}

HEARTH_API int32_t hearth_runtime_set_clock(hearth_runtime *runtime, int64_t (*now)(void *user_data),
                                            void *user_data) {
  if (runtime == nullptr) {
    return HEARTH_ERROR_INVALID_ARGUMENT;
  }
  runtime->runtime->clock().set_source(now, user_data);
  return HEARTH_OK;
}

HEARTH_API int64_t hearth_runtime_now_ms(hearth_runtime *runtime) {
  return runtime != nullptr ? runtime->runtime->clock().now_ms() : 0;
}

HEARTH_API int32_t hearth_runtime_serve_http(hearth_runtime *runtime, const char *address, uint16_t port,
                                             uint16_t *bound_port, char **error) {
  if (runtime == nullptr) {
    return missing(error, "runtime");
  }
  try {
    const auto bound = runtime->runtime->serve_http(address != nullptr ? address : "", port);
    if (bound_port != nullptr) {
      *bound_port = bound;
    }
    return HEARTH_OK;
  } catch (const std::logic_error &e) {
    set_error(error, e.what());
    return HEARTH_ERROR_STATE;
  } catch (const std::runtime_error &e) {
    set_error(error, e.what());
    return HEARTH_ERROR_IO;
  } catch (...) {
    return status_from_current_exception(error);
  }
}

HEARTH_API int32_t hearth_runtime_stop_http(hearth_runtime *runtime) {
  if (runtime == nullptr) {
    return HEARTH_ERROR_INVALID_ARGUMENT;
  }
  try {
    runtime->runtime->stop_http();
    return HEARTH_OK;
  } catch (...) {
    return HEARTH_ERROR_INTERNAL;
  }
}

HEARTH_API void hearth_runtime_close(hearth_runtime *runtime) {
  try {
    delete runtime;
  } catch (...) {
    // Closing must not throw; whatever failed has been logged by the runtime.
  }
}

HEARTH_API void hearth_abi_anchor(const hearth_plugin_entry *, const hearth_plugin_descriptor *,
                                  const hearth_host *, const hearth_migration *, const hearth_event *,
                                  const hearth_value *, const hearth_query_handler *,
                                  const hearth_text_sink *, const hearth_plugin_info *, hearth_runtime *,
                                  const hearth_actor *, const hearth_signal *, const hearth_ingest_result *,
                                  const hearth_record_context *, const hearth_policy_extension *) {}

HEARTH_API void hearth_abi_anchor_1_1(const hearth_service_handler *, const hearth_audit_extension *,
                                      const hearth_audit_record *, const hearth_http_extension *,
                                      const hearth_http_request *, const hearth_http_response *,
                                      const hearth_data_extension *, const hearth_metrics_extension *) {}

HEARTH_API void hearth_abi_anchor_1_2(const hearth_calls_extension *, const hearth_credentials_extension *) {}

} // extern "C"
