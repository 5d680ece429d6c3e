// The child side of `isolation = process`: serves one loaded plugin module over the socket
// to the runtime (frames of isolation/frame.hpp, messages of isolation/protocol.hpp). The
// plugin gets a hearth_host table whose log, config_get and clock_now_ms travel to the
// runtime; the bus, storage and extensions are not available in a child (UNSUPPORTED /
// NULL; docs/integrators/isolation.md).
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include <Poco/JSON/Object.h>

#include "hearth/host_services.h"
#include "loader/module_loader.hpp"

namespace hearth::plugin_host {

class PluginServer {
public:
  // Serves `module` (accepted by the loader; borrowed for the server's life) on `socket`.
  PluginServer(int socket, loader::AcceptedModule &module);
  PluginServer(const PluginServer &) = delete;
  PluginServer &operator=(const PluginServer &) = delete;

  // Answers the runtime's init, call, query and deinit requests until deinit or the end of
  // the stream (then runs deinit() when init() succeeded). Returns the process's exit
  // status: 0, or 2 when the runtime broke the protocol. [main thread]
  int run();

private:
  Poco::JSON::Object::Ptr handle(const Poco::JSON::Object &request);
  Poco::JSON::Object::Ptr run_init();
  Poco::JSON::Object::Ptr run_call(const Poco::JSON::Object &request);
  Poco::JSON::Object::Ptr run_query(const Poco::JSON::Object &request);
  const void *factory(const char *factory_id);
  void send(const Poco::JSON::Object &frame);
  // Sends a request to the runtime and returns its answer's "value". Exits the process
  // when the runtime is gone. [any thread of the plugin, while it works on a request]
  Poco::Dynamic::Var ask(Poco::JSON::Object &request);

  static PluginServer &from(const hearth_host *host);
  static void log(const hearth_host *host, int32_t level, const char *message);
  static const char *config_get(const hearth_host *host, const char *key);
  static int64_t clock_now_ms(const hearth_host *host);
  static int32_t bus_publish(const hearth_host *host, const hearth_event *event, char **error);
  static int32_t bus_subscribe(const hearth_host *host, const char *event_type, hearth_event_callback callback,
                               void *user_data, uint64_t *subscription);
  static int32_t bus_unsubscribe(const hearth_host *host, uint64_t subscription);
  static int32_t storage_migrate(const hearth_host *host, const hearth_migration *const *migrations,
                                 uint32_t count, char **error);
  static int32_t storage_execute(const hearth_host *host, const char *sql, const hearth_value *params,
                                 uint32_t count, hearth_row_callback on_row, void *user_data, char **error);
  static int32_t storage_transaction(const hearth_host *host, hearth_transaction_fn work, void *user_data,
                                     char **error);
  static const void *get_extension(const hearth_host *host, const char *extension_id);

  const int socket_;
  loader::AcceptedModule &module_;
  hearth_host table_{};
  bool initialised_ = false;
  std::mutex write_mutex_;   // one frame at a time on the socket
  std::mutex ask_mutex_;     // one request to the runtime at a time
  std::int64_t next_ask_id_ = 0;
  std::mutex problem_mutex_;
  std::string last_problem_; // the last warning the plugin logged, for a failed init()
  std::mutex config_mutex_;
  // Values handed out by config_get; never changed once inserted, so pointers stay valid.
  std::map<std::string, std::optional<std::string>> config_cache_;
};

} // namespace hearth::plugin_host
