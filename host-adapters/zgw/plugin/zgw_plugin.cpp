// The ZGW adapter as a plugin ("nl.hearth.adapter.zgw"): a webhook for the Notificaties
// API on the runtime's HTTP server, signals from the zaken it points to through the data
// extension, and the export of coordinated cases as zaken when the event
// "nl.hearth.case.export-requested/1" arrives. Idle unless `enabled = true` in its
// section. host-adapters/zgw/README.md describes configuration and behaviour.
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>

#include <hearth/audit.h>
#include <hearth/data_service.h>
#include <hearth/http.h>
#include <hearth/plugin.hpp>

#include "adapter_common/json_fields.hpp"
#include "export_ledger_table.hpp"
#include "notification_receiver.hpp"
#include "zaak_export.hpp"
#include "zgw_settings.hpp"

namespace hearth::adapters::zgw {
namespace {

const char *const kFeatures[] = {"nl.hearth.adapter.zgw.notifications", "nl.hearth.adapter.zgw.case-export", nullptr};

const hearth_plugin_descriptor kDescriptor{sizeof(hearth_plugin_descriptor),
                                           HEARTH_PLUGIN_KIND_ADAPTER,
                                           kZgwPluginId,
                                           "ZGW adapter",
                                           "Hearth",
                                           "0.1.0",
                                           "Signals from municipal zaken (Notificaties + Zaken API); cases out as zaken.",
                                           kFeatures,
                                           nullptr};

template <class Table> const Table *extension(const hearth_host *host, const char *id) {
  return static_cast<const Table *>(host->get_extension(host, id));
}

class ZgwPlugin : public hearth::Plugin {
public:
  void init(hearth::Host host) override {
    host_ = host;
    const hearth_host *c = host.c_host();
    try {
      settings_ = read_zgw_settings([c](const std::string &key) -> std::optional<std::string> {
        const char *value = c->config_get(c, key.c_str());
        return value != nullptr ? std::optional<std::string>(value) : std::nullopt;
      });
    } catch (const std::invalid_argument &e) {
      throw hearth::Error(HEARTH_ERROR_INVALID_ARGUMENT, e.what());
    }
    if (!settings_.enabled) {
      host.log_info("idle: set enabled = true in [plugin.nl.hearth.adapter.zgw] to receive notifications");
      return;
    }
    data_ = extension<hearth_data_extension>(c, HEARTH_DATA_EXTENSION_ID);
    audit_ = extension<hearth_audit_extension>(c, HEARTH_AUDIT_EXTENSION_ID);
    const auto *http = extension<hearth_http_extension>(c, HEARTH_HTTP_EXTENSION_ID);
    if (data_ == nullptr || audit_ == nullptr || http == nullptr) {
      throw hearth::Error(HEARTH_ERROR_UNSUPPORTED,
                          "this runtime lacks nl.hearth.data/1, nl.hearth.audit/1 or nl.hearth.http/1 (ABI 1.1)");
    }
    actor_ = hearth_actor{};
    actor_.struct_size = sizeof actor_;
    actor_.user = "adapter:zgw";
    actor_.role = HEARTH_ROLE_SYSTEM;
    actor_.organisation = settings_.organisation.c_str();
    actor_.access_point = "zgw:notificaties";
    client_ = std::make_unique<ZakenClient>(settings_.zaken, [c] { return c->clock_now_ms(c); });
    target_ = std::make_unique<PluginTarget>(c, data_, &actor_);
    receiver_ = std::make_unique<NotificationReceiver>(settings_, *client_, *target_);

    char *error = nullptr;
    const std::int32_t routed = http->add_route(c, "POST", settings_.webhook_path.c_str(), &ZgwPlugin::on_webhook, this, &error);
    const std::string reason = error != nullptr ? error : "";
    c->free(error);
    if (routed != HEARTH_OK) {
      throw hearth::Error(routed, "webhook_path: " + reason);
    }
    if (settings_.export_enabled) {
      host.migrate(export_ledger_migrations());
      ledger_ = std::make_unique<ExportLedgerTable>(host, audit_, settings_.organisation);
      const std::int32_t subscribed = c->bus_subscribe(c, kExportRequestedEvent, &ZgwPlugin::on_export_requests, this,
                                                       &subscription_);
      if (subscribed != HEARTH_OK) {
        throw hearth::Error(subscribed, "subscribing to " + std::string(kExportRequestedEvent) + " failed");
      }
      subscribed_ = true;
    }
    host.log_info("receiving notifications on " + settings_.webhook_path +
                  (settings_.export_enabled ? "; exporting cases as zaken" : ""));
  }

  void deinit() noexcept override {
    if (subscribed_) {
      host_.c_host()->bus_unsubscribe(host_.c_host(), subscription_);
      subscribed_ = false;
    }
  }

private:
  static std::int32_t on_webhook(void *user_data, const hearth_http_request *request,
                                 const hearth_http_response *response) {
    auto *self = static_cast<ZgwPlugin *>(user_data);
    return hearth::guard(self->host_.c_host(), "zgw webhook", [&] {
      const std::string_view body(request->body != nullptr ? request->body : "", request->body_size);
      const WebhookAnswer answer =
          self->receiver_->receive(request->header(request, "Authorization"), body, self->host_.now_ms());
      if (answer.status >= 400) {
        self->host_.log_warn("notification answered " + std::to_string(answer.status) + ": " + answer.body);
      }
      response->set_status(response, answer.status);
      response->set_header(response, "Content-Type", "application/json");
      response->write(response, answer.body.data(), answer.body.size());
      return static_cast<std::int32_t>(HEARTH_OK);
    });
  }

  static std::int32_t on_export_requests(void *user_data, const hearth_event *const *events, std::uint32_t count) {
    auto *self = static_cast<ZgwPlugin *>(user_data);
    for (std::uint32_t i = 0; i < count; ++i) {
      self->export_one(*events[i]);
    }
    return HEARTH_OK;
  }

  void export_one(const hearth_event &event) noexcept {
    hearth::guard(host_.c_host(), "zgw case export", [&] {
      try {
        const auto request = parse_export_request(event.payload != nullptr ? event.payload : "", host_.now_ms());
        if (!request.for_zgw()) {
          return static_cast<std::int32_t>(HEARTH_OK); // another adapter's export (VERA)
        }
        std::lock_guard lock(export_mutex_);
        const auto outcome = export_case(request, settings_.export_settings, *client_, *ledger_, host_.now_ms());
        host_.log_info(outcome.already_complete
                           ? std::string("case export: already exported, nothing sent")
                           : "case export: " + std::to_string(outcome.created) + " created, " +
                                 std::to_string(outcome.adopted) + " found on the Zaken API");
      } catch (const FieldProblem &problem) {
        host_.log_warn(std::string("case export refused: ") + problem.what());
      } catch (const ZakenApiError &e) {
        host_.log_warn(std::string("case export incomplete (a new request resumes it): ") + e.what());
      }
      return static_cast<std::int32_t>(HEARTH_OK);
    });
  }

  hearth::Host host_;
  ZgwSettings settings_;
  const hearth_data_extension *data_ = nullptr;
  const hearth_audit_extension *audit_ = nullptr;
  hearth_actor actor_{};
  std::unique_ptr<ZakenClient> client_;
  std::unique_ptr<PluginTarget> target_;
  std::unique_ptr<NotificationReceiver> receiver_;
  std::unique_ptr<ExportLedgerTable> ledger_;
  std::mutex export_mutex_;
  std::uint64_t subscription_ = 0;
  bool subscribed_ = false;
};

} // namespace
} // namespace hearth::adapters::zgw

HEARTH_DEFINE_PLUGIN(hearth::adapters::zgw::ZgwPlugin, hearth::adapters::zgw::kDescriptor)
