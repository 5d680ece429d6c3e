// The child side of `isolation = process`: serves one loaded plugin module over the socket
// to the runtime (frames of isolation/frame.hpp, messages of isolation/protocol.hpp). The
// plugin gets a hearth_host table whose log, config_get, clock_now_ms, storage and bus
// functions travel to the runtime and are answered there by the plugin's own host table;
// rows, a transaction's work and subscribed events come back as requests and run the
// plugin's callbacks here. Of the extensions only "nl.hearth.metrics/1" is forwarded; the
// others are NULL in a child (docs/integrators/isolation.md).
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include <Poco/JSON/Object.h>

#include "hearth/host_services.h"
#include "hearth/metrics.h"
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
  Poco::JSON::Object::Ptr next_request();
  Poco::JSON::Object::Ptr handle(const Poco::JSON::Object &request);
  Poco::JSON::Object::Ptr run_init();
  Poco::JSON::Object::Ptr run_call(const Poco::JSON::Object &request);
  Poco::JSON::Object::Ptr run_query(const Poco::JSON::Object &request);
  Poco::JSON::Object::Ptr run_event(const Poco::JSON::Object &request);
  Poco::JSON::Object::Ptr run_nested(const Poco::JSON::Object &request);
  const void *factory(const char *factory_id);
  void send(const Poco::JSON::Object &frame);
  // The callbacks of a storage request in flight: the runtime sends its rows or its
  // transaction's work as "row" / "work" requests while it is answered.
  struct Pending {
    hearth_row_callback on_row = nullptr;
    hearth_transaction_fn work = nullptr;
    void *user_data = nullptr;
  };
  // Sends a request to the runtime and returns its answer frame, running the rows or work
  // of `pending` (may be null) meanwhile. Exits the process when the runtime is gone.
  // [any thread of the plugin, while it works on a request]
  Poco::JSON::Object::Ptr ask(Poco::JSON::Object &request, const Pending *pending = nullptr);
  // The answer's status, with its "error" (when there is one) copied to *error.
  static int32_t finish(const Poco::JSON::Object &answer, char **error);

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
  static int32_t metrics_describe(const hearth_host *host, const char *name, uint32_t kind, const char *help,
                                  char **error);
  static int32_t metrics_add(const hearth_host *host, const char *name, const char *labels, double delta,
                             char **error);
  static int32_t metrics_set(const hearth_host *host, const char *name, const char *labels, double value,
                             char **error);
  static int32_t forward_metric(const hearth_host *host, const char *operation, const char *name,
                                const char *labels, double value, char **error);

  const int socket_;
  loader::AcceptedModule &module_;
  hearth_host table_{};
  // "nl.hearth.metrics/1", forwarded to the runtime's; offered when the runtime offers it.
  hearth_metrics_extension metrics_table_{};
  std::mutex extension_mutex_;
  std::optional<bool> runtime_has_metrics_; // [extension_mutex_] asked once
  bool initialised_ = false;
  std::mutex write_mutex_;   // one frame at a time on the socket
  // One request to the runtime at a time; recursive, since a row or a transaction's work
  // (run while their request is answered) may make requests of its own.
  std::recursive_mutex ask_mutex_;
  std::int64_t next_ask_id_ = 0;            // [ask_mutex_]
  std::map<std::int64_t, Pending> pending_; // [ask_mutex_] by request id
  std::deque<Poco::JSON::Object::Ptr> deferred_; // [ask_mutex_] requests read by a plugin thread
  std::atomic<int> askers_waiting_{0};           // threads waiting for ask_mutex_
  // The plugin's bus subscriptions, by the id the runtime gave them.
  struct Subscription {
    hearth_event_callback callback;
    void *user_data;
  };
  std::mutex subscriptions_mutex_;
  std::condition_variable delivery_ended_;
  std::map<std::uint64_t, Subscription> subscriptions_; // [subscriptions_mutex_]
  std::uint64_t delivering_ = 0;                         // [subscriptions_mutex_] 0 when none
  std::thread::id delivering_thread_;                    // [subscriptions_mutex_]
  std::mutex problem_mutex_;
  std::string last_problem_; // the last warning the plugin logged, for a failed init()
  std::mutex config_mutex_;
  // Values handed out by config_get; never changed once inserted, so pointers stay valid.
  std::map<std::string, std::optional<std::string>> config_cache_;
};

} // namespace hearth::plugin_host
