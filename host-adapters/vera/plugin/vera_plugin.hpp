// The VERA adapter as a plugin ("nl.hearth.adapter.vera"): VERA messages pushed over HTTP
// to the runtime's server (POST /vera/<resource>, authenticated by the runtime: X-API-KEY
// or a bearer token) are parsed and ingested for the caller; accepted risk flags and case
// exports go back to the corporation's back office as VERA Signaleringen and Zaken
// (outbox.hpp). docs/integrators/adapter-guide.md ("The VERA adapter") describes both.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <hearth/audit.h>
#include <hearth/data_service.h>
#include <hearth/http.h>
#include <hearth/plugin.hpp>

#include "outbox.hpp"
#include "plugin_settings.hpp"
#include "vera_adapter/vera_parser.hpp"

namespace hearth::adapters::vera::plugin {

inline constexpr const char *kPluginId = "nl.hearth.adapter.vera";

class VeraPlugin;

// One push route's user data: the plugin and the resource the route serves.
struct PushRoute {
  VeraPlugin *plugin;
  const VeraResource *resource;
};

class VeraPlugin : public hearth::Plugin {
public:
  void init(Host host) override;
  void deinit() noexcept override;

  // Answers one POST /vera/<resource>. [HTTP worker]
  std::int32_t handle_push(const VeraResource &resource, const hearth_http_request *request,
                           const hearth_http_response *response);
  // Queues write-backs for a batch of events. [bus worker]
  void handle_events(const hearth_event *const *events, std::uint32_t count);
  const Host &host() const { return host_; }

private:

  Host host_;
  PluginSettings settings_;
  const hearth_data_extension *data_ = nullptr;
  const hearth_audit_extension *audit_ = nullptr;
  std::vector<std::unique_ptr<PushRoute>> routes_;
  std::string organisation_;
  hearth_actor self_{}; // the plugin as the actor of its own exports
  std::unique_ptr<Outbox> outbox_;
  std::vector<std::uint64_t> subscriptions_;
};

} // namespace hearth::adapters::vera::plugin
