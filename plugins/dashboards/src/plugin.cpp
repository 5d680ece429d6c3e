// The dashboards plugin ("nl.hearth.dashboards"): a page per persona, the risk badge for
// CRM screens, and sign-in by CRM token or (demo mode only) by persona. It keeps no
// records: every read and change goes to the plugin or view that holds the data, with
// the signed-in person's actor (nl.hearth.calls/1, nl.hearth.data/1).
#include <atomic>
#include <memory>

#include <hearth/calls.h>
#include <hearth/credentials.h>
#include <hearth/data_service.h>
#include <hearth/http.h>
#include <hearth/plugin.hpp>

#include "dashboard.hpp"
#include "runtime_backend.hpp"
#include "settings.hpp"
#include "view.hpp"

namespace hearth::dashboards {
namespace {

const char *const kFeatures[] = {"nl.hearth.dashboards.pages/1", "nl.hearth.dashboards.risk-badge/1", nullptr};
// The risk badge reads through the early-warning plugin's typed flag lookup, which the
// runtime hands only to a plugin that declares it as a dependency (hearth/calls.h).
const char *const kDependencies[] = {"nl.hearth.early-warning", nullptr};

const hearth_plugin_descriptor kDescriptor{sizeof(hearth_plugin_descriptor),
                                           HEARTH_PLUGIN_KIND_DASHBOARD,
                                           "nl.hearth.dashboards",
                                           "Dashboards",
                                           "Hearth",
                                           "0.1.0",
                                           "A page per persona, the risk badge for CRM screens, sign-in by CRM token.",
                                           kFeatures,
                                           kDependencies};

class Dashboards : public Plugin {
public:
  void init(Host host) override {
    const hearth_host *c_host = host.c_host();
    host_ = c_host;
    const auto refuse = [&](const std::string &why) {
      host.log_error("not started: " + why);
      return Error(HEARTH_ERROR_INVALID_ARGUMENT, why);
    };
    Settings settings;
    try {
      settings = read_settings([&](const std::string &key) -> std::optional<std::string> {
        const auto value = host.config(key.c_str());
        return value ? std::optional<std::string>(std::string(*value)) : std::nullopt;
      });
    } catch (const std::invalid_argument &e) {
      throw refuse(e.what());
    }
    const auto *http = static_cast<const hearth_http_extension *>(c_host->get_extension(c_host, HEARTH_HTTP_EXTENSION_ID));
    if (http == nullptr) {
      throw Error(HEARTH_ERROR_UNSUPPORTED, "needs the runtime's HTTP extension (nl.hearth.http/1, ABI 1.1)");
    }
    const auto *calls = static_cast<const hearth_calls_extension *>(c_host->get_extension(c_host, HEARTH_CALLS_EXTENSION_ID));
    const auto *data = static_cast<const hearth_data_extension *>(c_host->get_extension(c_host, HEARTH_DATA_EXTENSION_ID));
    const auto *credentials =
        static_cast<const hearth_credentials_extension *>(c_host->get_extension(c_host, HEARTH_CREDENTIALS_EXTENSION_ID));
    if (calls == nullptr || credentials == nullptr) {
      host.log_warn("the runtime offers no nl.hearth.calls/1 or nl.hearth.credentials/1 (ABI 1.2): pages cannot "
                    "read data and token sign-in is refused");
    }
    const char *mode = c_host->config_get(c_host, "runtime.mode");
    const bool demo_mode = mode != nullptr && std::string(mode) == "demo";

    ViewRegistry registry;
    register_consultant_views(registry);
    register_admin_views(registry);
    register_care_views(registry);
    register_coordinator_views(registry);
    register_tenant_views(registry);
    register_neighbour_views(registry);
    register_auditor_views(registry);

    backend_ = std::make_unique<RuntimeBackend>(c_host, calls, data);
    try {
      dashboard_ = std::make_unique<Dashboard>(settings, std::move(registry), *backend_, c_host, credentials, demo_mode);
    } catch (const std::invalid_argument &e) {
      throw refuse(e.what()); // a badge_* setting
    }

    add_route(host, http, "GET", "/dashboard/*", &Dashboards::on_dashboard);
    add_route(host, http, "POST", "/dashboard/*", &Dashboards::on_dashboard);
    add_route(host, http, "GET", "/widgets/*", &Dashboards::on_widget);
    running_ = true;
    host.log_info(std::string("dashboards ready") + (demo_mode && settings.demo_sign_in ? " (demo sign-in on)" : ""));
  }

  void deinit() noexcept override {
    running_ = false;
    if (dashboard_ != nullptr) {
      dashboard_->close_badge_readers(); // writes the badge's pending audit entries
    }
  }

private:
  void add_route(const Host &host, const hearth_http_extension *http, const char *method, const char *pattern,
                 hearth_http_handler handler) {
    char *error = nullptr;
    const std::int32_t status = http->add_route(host.c_host(), method, pattern, handler, this, &error);
    const std::string message = error != nullptr ? error : "";
    host.c_host()->free(error);
    if (status != HEARTH_OK) {
      throw Error(status, std::string("cannot route ") + method + " " + pattern + ": " + message);
    }
  }

  static std::int32_t on_dashboard(void *user_data, const hearth_http_request *request,
                                   const hearth_http_response *response) {
    auto *self = static_cast<Dashboards *>(user_data);
    return guard(self->backend_host(), "dashboard request", [&] {
      if (!self->running_) {
        return static_cast<std::int32_t>(HEARTH_ERROR_STATE);
      }
      self->dashboard_->handle_dashboard(*request, *response);
      return static_cast<std::int32_t>(HEARTH_OK);
    });
  }

  static std::int32_t on_widget(void *user_data, const hearth_http_request *request,
                                const hearth_http_response *response) {
    auto *self = static_cast<Dashboards *>(user_data);
    return guard(self->backend_host(), "widget request", [&] {
      if (!self->running_) {
        return static_cast<std::int32_t>(HEARTH_ERROR_STATE);
      }
      self->dashboard_->handle_widget(*request, *response);
      return static_cast<std::int32_t>(HEARTH_OK);
    });
  }

  const hearth_host *backend_host() const { return host_; }

  const hearth_host *host_ = nullptr;

  std::unique_ptr<RuntimeBackend> backend_;
  std::unique_ptr<Dashboard> dashboard_;
  std::atomic<bool> running_{false};
};

} // namespace
} // namespace hearth::dashboards

HEARTH_DEFINE_PLUGIN(hearth::dashboards::Dashboards, hearth::dashboards::kDescriptor)
