// One running Hearth: configuration, log, clock, store, event bus, plugins and HTTP
// server, wired together. host.h's hearth_runtime is a thin C shell around this class.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "hearth/event.h"
#include "loader/plugin_registry.hpp"
#include "metrics/metrics.hpp"
#include "runtime/clock.hpp"
#include "runtime/config.hpp"
#include "runtime/event_bus.hpp"
#include "runtime/services.hpp"
#include "policy/policy.hpp"

namespace hearth::storage {
class Store;
}
namespace hearth::http {
class Server;
class PluginRoutes;
struct Request;
struct Response;
}
namespace hearth::auth {
class Authenticator;
}
namespace hearth::audit {
class AuditLog;
}
namespace hearth::privacy {
class FieldCipher;
}
namespace hearth::data {
class EventLogFollower;
class Ingestor;
class RecordStore;
class Reader;
class RetentionService;
class DeadLetterRecorder;
}

namespace hearth::runtime {

class Runtime {
public:
  // Reads the configuration and opens the store. Throws ConfigError or StorageError
  // naming the key or target at fault.
  static std::unique_ptr<Runtime> open(const std::optional<std::filesystem::path> &config_dir);
  ~Runtime();
  Runtime(const Runtime &) = delete;
  Runtime &operator=(const Runtime &) = delete;

  // Loads the bundled plugins (unless plugins.bundled is false) and those in plugins.path.
  void load_plugins();
  // Loads one module; returns the summary of its record.
  loader::PluginRegistry::Summary load_plugin(const std::filesystem::path &path);
  std::vector<loader::PluginRegistry::Summary> plugins() const { return registry_->summaries(); }
  // The plugin list as a JSON array.
  std::string plugins_json() const;
  // The configuration as {"entries":[{"key","value"}]}, every secret (keys, passwords,
  // connection strings) shown as "(set)". For administrators (read view "runtime.settings").
  std::string settings_json() const;

  std::uint64_t publish(const hearth_event &event) { return bus_->publish(event, "host"); }
  // Waits until every event committed to the log and every event published before the
  // call has been delivered on this instance's bus.
  bool drain(std::chrono::milliseconds timeout);

  // The data core (see data/): ingestion of signals, reference records, audited reads.
  data::Ingestor &ingestor() { return *ingestor_; }
  data::RecordStore &records() { return *records_; }
  data::Reader &reader() { return *reader_; }
  // Purge by the [retention] periods and erasure requests (administrator only).
  data::RetentionService &retention() { return *retention_; }
  audit::AuditLog &audit() { return *audit_; }
  data::DeadLetterRecorder &dead_letters() { return *dead_letters_; }
  // What /metrics serves.
  metrics::Registry &metrics() { return *metrics_; }
  // /readyz: the store answers and no plugin failed. Sets `detail` to a JSON object.
  bool ready(std::string &detail) const;
  const policy::Policy &policy() const { return policy_; }
  std::int32_t query(const std::string &plugin_id, const std::string &name,
                     const std::string &args_json, std::string &answer) const {
    return registry_->query(plugin_id, name, args_json, answer);
  }

  // Runs a plugin's operation (hearth/service.h) for `actor` (checked by the caller).
  std::int32_t call(const std::string &plugin_id, const hearth_actor &actor,
                    const std::string &operation, const std::string &args_json,
                    std::string &answer) const {
    return registry_->call(plugin_id, actor, operation, args_json, answer);
  }
  // A plugin's typed factory table, or nullptr.
  const void *plugin_factory(const std::string &plugin_id, const std::string &factory_id) const {
    return registry_->factory(plugin_id, factory_id);
  }

  Clock &clock() { return clock_; }
  const Config &config() const { return config_; }
  storage::Store &store() { return *store_; }

  // Starts the HTTP server; empty address / zero port take the configuration's.
  // Returns the bound port.
  std::uint16_t serve_http(const std::string &address, std::uint16_t port);
  void stop_http();

  // The folders plugins are loaded from, in order.
  std::vector<std::filesystem::path> plugin_folders() const;
  // Where the bundled plugins live: lib/hearth/plugins beside libhearth (or the program).
  static std::filesystem::path bundled_plugin_folder();

private:
  explicit Runtime(Config config);

  // POST /api/v1/<plugin id>/<operation>: an authenticated call of a plugin's operation.
  http::Response answer_api_call(const http::Request &request) const;
  // Every other path: the plugins' routes, with the caller authenticated first.
  http::Response answer_plugin_route(const http::Request &request) const;
  // /metrics: the registry in the Prometheus text format, plugin states refreshed.
  http::Response answer_metrics() const;
  // Counts an answered request by a route label that never holds ids.
  void observe_request(const http::Request &request, int status, double seconds) const;
  // The request counters' and latency histograms' series, resolved on first use: by route
  // (own paths, /api/v1, plugin, unknown), method (7 and "other") and status class.
  static constexpr std::size_t request_routes = 7, request_methods = 8, status_classes = 5;
  mutable std::array<std::atomic<metrics::Registry::SeriesHandle>,
                     request_routes * request_methods * status_classes>
      request_counters_{};
  mutable std::array<std::atomic<metrics::Registry::SeriesHandle>, request_routes> request_latencies_{};

  Config config_;
  std::shared_ptr<spdlog::logger> logger_;
  Clock clock_;
  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<EventBus> bus_;
  policy::Policy policy_;
  std::unique_ptr<audit::AuditLog> audit_;
  std::unique_ptr<privacy::FieldCipher> cipher_;
  std::unique_ptr<data::EventLogFollower> follower_;
  std::unique_ptr<data::Ingestor> ingestor_;
  std::unique_ptr<data::RecordStore> records_;
  std::unique_ptr<data::Reader> reader_;
  std::unique_ptr<data::RetentionService> retention_;
  std::unique_ptr<data::DeadLetterRecorder> dead_letters_;
  Services services_;
  std::unique_ptr<metrics::Registry> metrics_;
  std::unique_ptr<http::PluginRoutes> plugin_routes_;
  std::unique_ptr<auth::Authenticator> authenticator_;
  std::unique_ptr<loader::PluginRegistry> registry_;
  std::unique_ptr<http::Server> http_;
};

} // namespace hearth::runtime
