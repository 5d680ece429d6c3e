// The routes plugins add through the extension "nl.hearth.http/1" (hearth/http.h): a
// table that may change while the server runs, and the bridge from a Request to a
// plugin's C handler.
#pragma once

#include <optional>
#include <shared_mutex>
#include <string>
#include <vector>

#include "hearth/http.h"
#include "http/route_table.hpp"
#include "http/server.hpp"

namespace hearth::metrics {
class Registry;
}

namespace hearth::http {

// Raised by PluginRoutes::add() when the (method, pattern) pair is already routed.
class RouteConflict : public std::logic_error {
public:
  using std::logic_error::logic_error;
};

class PluginRoutes {
public:
  // `metrics` (may be nullptr) counts every handler call as
  // hearth_plugin_calls_total{plugin,kind="route",outcome}; it must outlive the table.
  explicit PluginRoutes(metrics::Registry *metrics = nullptr) : metrics_(metrics) {}

  // Adds a route owned by plugin `owner`. Throws std::invalid_argument naming the field for
  // an unknown method, a pattern that does not start with '/', contains "..", or is kept by
  // the runtime (see is_reserved()), and RouteConflict when the pair is taken.
  // [any-thread]
  void add(const std::string &owner, const std::string &method, const std::string &pattern,
           hearth_http_handler handler, void *user_data);

  // Removes every route of `owner`; returns once no handler of theirs is running.
  // [any-thread] blocks while a handler of any plugin runs.
  void remove_owner(const std::string &owner);

  // Answers `request` with the matching plugin handler, for `actor` (NULL when the request
  // came without credentials). nullopt when no plugin route matches the path; 405 with
  // Allow when the path matches for other methods. [any-thread]
  std::optional<Response> answer(const Request &request, const hearth_actor *actor) const;

  // True for paths the runtime keeps: /healthz, /readyz, /metrics, /plugins and /api/...
  static bool is_reserved(const std::string &pattern);

private:
  struct Entry {
    std::string owner, method, pattern;
    hearth_http_handler handler;
    void *user_data;
  };

  // Rebuilds table_ from entries_; the caller holds the lock exclusively.
  void rebuild();

  metrics::Registry *metrics_;
  mutable std::shared_mutex mutex_;
  std::vector<Entry> entries_;
  RouteTable table_; // its handlers capture the entries' handler and user_data
  // The actor of the request being answered, per thread, for the table's handlers.
  static thread_local const hearth_actor *current_actor_;
};

} // namespace hearth::http
