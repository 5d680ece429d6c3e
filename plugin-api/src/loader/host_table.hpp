// One plugin's view of the runtime: the hearth_host table handed to its init(), with every
// function routed to the runtime's services and tagged with the plugin's id.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "hearth/host_services.h"
#include "runtime/services.hpp"

namespace hearth::loader {

class PluginContext {
public:
  PluginContext(std::string plugin_id, runtime::Services &services);
  PluginContext(const PluginContext &) = delete;
  PluginContext &operator=(const PluginContext &) = delete;

  // The table for init(); valid as long as this context lives.
  const hearth_host *host() const { return &table_; }
  const std::string &plugin_id() const { return plugin_id_; }
  runtime::Services &services() const { return services_; }
  // The context behind a table this class made.
  static PluginContext &from(const hearth_host *host);
  // The last message the plugin logged at warning level or above, "" when none: the
  // registry names it when init() fails, since a status alone says little. [any-thread]
  std::string last_problem() const;

private:
  static void log(const hearth_host *host, int32_t level, const char *message);
  static const char *config_get(const hearth_host *host, const char *key);
  static int64_t clock_now_ms(const hearth_host *host);
  static int32_t bus_publish(const hearth_host *host, const hearth_event *event, char **error);
  static int32_t bus_subscribe(const hearth_host *host, const char *event_type,
                               hearth_event_callback callback, void *user_data,
                               uint64_t *subscription);
  static int32_t bus_unsubscribe(const hearth_host *host, uint64_t subscription);
  static int32_t storage_migrate(const hearth_host *host, const hearth_migration *const *migrations,
                                 uint32_t count, char **error);
  static int32_t storage_execute(const hearth_host *host, const char *sql,
                                 const hearth_value *params, uint32_t count,
                                 hearth_row_callback on_row, void *user_data, char **error);
  static int32_t storage_transaction(const hearth_host *host, hearth_transaction_fn work,
                                     void *user_data, char **error);
  static const void *get_extension(const hearth_host *host, const char *extension_id);

  std::string plugin_id_;
  runtime::Services &services_;
  hearth_host table_{};
  std::mutex config_mutex_;
  mutable std::mutex problem_mutex_;
  std::string last_problem_;
  // Values handed out by config_get; never changed once inserted, so pointers stay valid.
  std::map<std::string, std::optional<std::string>> config_cache_;
};

} // namespace hearth::loader
