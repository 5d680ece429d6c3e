// A plugin that runs in a hearth-plugin-host child process of its own (`isolation =
// process`): the runtime's side of it. Starts the child and runs init() there, forwards
// operations and queries with a time limit, answers the child's log, config_get, clock,
// storage, bus and metrics requests through the plugin's own host table (so they behave
// exactly as for an in-process plugin: same checks, same tables, same event source,
// same metric labels), delivers the
// events the child subscribed to, watches the child's resident memory, and after a crash,
// a timeout or too much memory restarts the child with exponential backoff — until too
// many failures in the crash window mark the plugin failed for good.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <exception>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include <Poco/JSON/Object.h>
#include <spdlog/logger.h>

#include "hearth/actor.h"
#include "hearth/host_services.h"
#include "isolation/settings.hpp"
#include "loader/module_loader.hpp"

namespace hearth::metrics {
class Registry;
}

namespace hearth::isolation {

class ChildProcess;

class IsolatedPlugin {
public:
  // `parent_host` is the plugin's host table in the runtime (a loader::PluginContext's):
  // the child's log, config_get, clock, storage and bus requests go through it, so they
  // behave exactly as for an in-process plugin. It, `metrics` (may be null) and `logger`
  // must outlive this object. Starts nothing yet.
  IsolatedPlugin(std::filesystem::path module, loader::DescriptorCopy descriptor, IsolationSettings settings,
                 const hearth_host *parent_host, metrics::Registry *metrics, std::shared_ptr<spdlog::logger> logger);
  // Stops the child (see stop()).
  ~IsolatedPlugin();
  IsolatedPlugin(const IsolatedPlugin &) = delete;
  IsolatedPlugin &operator=(const IsolatedPlugin &) = delete;

  // Starts the child and runs the plugin's init() in it. Returns HEARTH_OK, or the status
  // and, in `failure`, why ("init() returned status -6: ...", "the plugin host crashed
  // while starting: signal 11 (Segmentation fault)"). A failed first start is not retried.
  // [host-thread]
  std::int32_t start(std::string &failure);

  // Runs `operation` for `actor` in the child. Returns the plugin's status and text; or,
  // with a message naming the plugin in `answer`: HEARTH_ERROR_PLUGIN when the child
  // crashed or used too much memory during the call, HEARTH_ERROR_TIMEOUT when it did not
  // answer within call_timeout (it is killed), HEARTH_ERROR_STATE while it waits for its
  // restart, after it was marked failed or stopped, or when other calls kept it busy too
  // long; HEARTH_ERROR_NOT_FOUND with `has_handler` false when the plugin offers no
  // operations. Calls are serialised: one at a time per plugin. [any-thread]
  std::int32_t call(const hearth_actor &actor, const std::string &operation, const std::string &args_json,
                    std::string &answer, bool &has_handler);

  // Answers query `name` like call() does an operation; `has_handler` false when the
  // plugin answers no queries. [any-thread]
  std::int32_t query(const std::string &name, const std::string &args_json, std::string &answer,
                     bool &has_handler);

  // Ends the bus subscription that delivers events to the child (waiting for a delivery
  // in progress), runs deinit() in the child, waits up to stop_timeout for it to end, then
  // kills it. Later calls fail with HEARTH_ERROR_STATE. Safe to call twice. [host-thread]
  void stop();

  // What listings show of it.
  struct Health {
    bool failed = false;        // marked failed: too many failures in the crash window
    std::string message;        // the last failure and what follows ("...; restarting in 100 ms"); "" when none
    std::uint64_t restarts = 0; // children started after the first
    std::uint64_t failures = 0; // crashes, timeouts and memory overruns
  };
  Health health() const; // [any-thread]

  const std::string &plugin_id() const { return descriptor_.id; }

private:
  enum class Failure { crash, timeout, memory, protocol, start };
  // The outcome of one request to the child.
  struct Exchange {
    std::int32_t status = 0;
    std::string text;
    bool has_handler = true;
  };

  // Where a nested request to the child (a row, a transaction's work) belongs: the
  // child's storage request `ask_id`.
  struct NestedTarget {
    IsolatedPlugin *self;
    std::int64_t ask_id;
  };

  std::int32_t request(Poco::JSON::Object::Ptr message, const std::string &what, std::string &answer,
                       bool &has_handler);
  void note_success();
  void drop_child(bool remember_subscriptions);
  Poco::JSON::Object::Ptr await_result(std::int64_t id);
  std::int32_t ask_child(Poco::JSON::Object::Ptr request);
  void answer_storage(const std::string &type, const Poco::JSON::Object &frame, Poco::JSON::Object &answer);
  void answer_bus(const std::string &type, const Poco::JSON::Object &frame, Poco::JSON::Object &answer);
  void answer_metrics(const Poco::JSON::Object &frame, Poco::JSON::Object &answer);
  static int32_t forward_row(void *user_data, const hearth_value *columns, const char *const *names,
                             uint32_t count);
  static int32_t forward_work(void *user_data);
  static int32_t on_bus_events(void *user_data, const hearth_event *const *events, uint32_t count);
  void deliver_events(const hearth_event *const *events, uint32_t count);
  bool wants_any(const hearth_event *const *events, uint32_t count) const;
  bool ensure_running(std::int32_t &status, std::string &answer);
  std::int32_t start_child(std::string &failure, Failure &kind);
  bool exchange(Poco::JSON::Object::Ptr message, std::chrono::milliseconds timeout, const std::string &what,
                Exchange &out, std::string &failure, Failure &kind);
  void answer_child(const Poco::JSON::Object &frame);
  bool memory_exceeded(std::string &what) const;
  std::string record_failure(Failure kind, const std::string &what);
  void count(const std::string &metric, const std::string &extra_labels);

  const std::filesystem::path module_;
  const loader::DescriptorCopy descriptor_;
  const IsolationSettings settings_;
  const hearth_host *const parent_host_;
  metrics::Registry *const metrics_;
  const std::shared_ptr<spdlog::logger> logger_;

  // Held by whoever talks to the child: start, calls, restarts, stop.
  std::timed_mutex call_mutex_;
  std::unique_ptr<ChildProcess> child_; // [call_mutex_] null while not running
  std::int64_t next_request_id_ = 0;    // [call_mutex_]
  std::chrono::steady_clock::time_point deadline_{}; // [call_mutex_] of the request in flight
  // [call_mutex_] A failure met while the runtime's storage code ran a row or a
  // transaction's work for the child; rethrown once that code returned.
  std::exception_ptr pending_failure_;

  // The child's bus subscriptions, kept here: the runtime's bus has one subscription ("*")
  // for this plugin whose callback delivers to the child the events these match.
  mutable std::mutex subscriptions_mutex_;
  std::map<std::uint64_t, std::string> subscriptions_; // [subscriptions_mutex_] id -> event type
  // [subscriptions_mutex_] Event types a crashed child had subscribed to: such an event
  // starts the child again (its init() subscribes anew) when its restart is due.
  std::set<std::string> lost_subscriptions_;
  std::uint64_t next_subscription_ = 1; // [subscriptions_mutex_]
  std::uint64_t bus_subscription_ = 0;  // [subscriptions_mutex_] the "*" subscription; 0 while none

  mutable std::mutex state_mutex_;
  bool stopped_ = false;                                     // [state_mutex_]
  bool failed_ = false;                                      // [state_mutex_]
  std::string message_;                                      // [state_mutex_]
  std::uint64_t restarts_ = 0, failures_ = 0;                // [state_mutex_]
  std::uint32_t consecutive_failures_ = 0;                   // [state_mutex_] since the last good call
  std::deque<std::chrono::steady_clock::time_point> recent_failures_; // [state_mutex_] within crash_window
  std::chrono::steady_clock::time_point restart_at_{};       // [state_mutex_]
};

} // namespace hearth::isolation
