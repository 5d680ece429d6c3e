// The ZGW adapter as a plugin ("nl.hearth.adapter.zgw"): a webhook for the Notificaties
// API on the runtime's HTTP server, signals from the zaken it points to through the data
// extension, and the export of coordinated cases as zaken when the event
// "nl.hearth.case.export-requested/1" arrives; since 0.3 one thread re-sends the export
// outbox's pending rows when the plugin starts and every export_resend_interval_ms.
// Idle unless `enabled = true` in its section. host-adapters/zgw/README.md describes
// configuration and behaviour.
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>

#include <hearth/audit.h>
#include <hearth/data_service.h>
#include <hearth/http.h>
#include <hearth/plugin.hpp>

#include "adapter_common/json_fields.hpp"
#include "adapter_common/plugin_support.hpp"
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

class ZgwPlugin : public hearth::Plugin {
public:
  void init(hearth::Host host) override {
    host_ = host;
    const hearth_host *c = host.c_host();
    try {
      settings_ = read_zgw_settings(host_setting_reader(c));
    } catch (const std::invalid_argument &e) {
      throw hearth::Error(HEARTH_ERROR_INVALID_ARGUMENT, e.what());
    }
    if (!settings_.enabled) {
      host.log_info("idle: set enabled = true in [plugin.nl.hearth.adapter.zgw] to receive notifications");
      return;
    }
    const WebhookExtensions extensions = require_webhook_extensions(c);
    data_ = extensions.data;
    audit_ = extensions.audit;
    actor_ = system_actor("adapter:zgw", settings_.organisation, "zgw:notificaties");
    try {
      client_ = std::make_unique<ZakenClient>(settings_.zaken, [c] { return c->clock_now_ms(c); });
    } catch (const std::invalid_argument &e) {
      throw hearth::Error(HEARTH_ERROR_INVALID_ARGUMENT, e.what()); // names zaken_ca_file
    }
    target_ = std::make_unique<PluginTarget>(c, data_, &actor_);
    receiver_ = std::make_unique<NotificationReceiver>(settings_, *client_, *target_);

    add_post_route(c, extensions.http, settings_.webhook_path, &ZgwPlugin::on_webhook, this, "webhook_path");
    if (settings_.export_enabled) {
      host.migrate(export_ledger_migrations());
      ledger_ = std::make_unique<ExportLedgerTable>(host, audit_, settings_.organisation);
      const std::int32_t subscribed = c->bus_subscribe(c, kExportRequestedEvent, &ZgwPlugin::on_export_requests, this,
                                                       &subscription_);
      if (subscribed != HEARTH_OK) {
        throw hearth::Error(subscribed, "subscribing to " + std::string(kExportRequestedEvent) + " failed");
      }
      subscribed_ = true;
      if (settings_.resend_enabled()) {
        // Last in init(): nothing after it can fail, so deinit() always joins it.
        resender_ = std::thread([this] { resend_loop(); });
      }
    }
    host.log_info("receiving notifications on " + settings_.webhook_path +
                  (settings_.export_enabled ? "; exporting cases as zaken" : ""));
  }

  ~ZgwPlugin() override { stop(); }

  void deinit() noexcept override { stop(); }

private:
  // Ends waits between tries (their outbox rows say so), the re-send thread and the
  // subscription. Safe to call twice. [host-thread]
  void stop() noexcept {
    {
      std::lock_guard lock(stop_mutex_);
      stopping_ = true;
      stop_.notify_all();
    }
    if (resender_.joinable()) {
      resender_.join(); // returns once a running call has answered or timed out
    }
    if (subscribed_) {
      host_.c_host()->bus_unsubscribe(host_.c_host(), subscription_);
      subscribed_ = false;
    }
  }

  bool stopping() {
    std::lock_guard lock(stop_mutex_);
    return stopping_;
  }

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
      write_json_answer(response, answer.status, answer.body);
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
        try {
          const auto outcome = export_case(request, settings_.export_settings, *client_, *ledger_, host_.now_ms(),
                                           settings_.export_retry,
                                           [this](std::chrono::milliseconds delay) { return wait_before_retry(delay); });
          ledger_->resolve(request.case_id);
          host_.log_info(outcome.already_complete
                             ? std::string("case export: already exported, nothing sent")
                             : "case export: " + std::to_string(outcome.created) + " created, " +
                                   std::to_string(outcome.adopted) + " found on the Zaken API");
        } catch (const ExportFailure &failure) {
          // The outbox row keeps the reason and the request. With re-sends on it is
          // "pending" and sent again by the re-send thread; otherwise it is given up with a
          // dead letter. Either way a new request for the case resumes after the last
          // recorded step.
          const bool resend = settings_.resend_enabled();
          // The outbox row and its dead letter are written together or not at all.
          host_.transaction([&] {
            ledger_->record_failure(request, failure, resend);
            if (!resend) {
              dead_letter(event_payload(event), step_name(failure.step()), failure.reason());
            }
          });
          if (resend) {
            host_.log_warn("case export failed, kept in the outbox for a re-send: " + failure.reason());
          } else {
            host_.log_warn("case export failed, kept in the outbox (a new request resumes it): " + failure.reason());
          }
        }
      } catch (const FieldProblem &problem) {
        dead_letter(event_payload(event), problem.field(), problem.reason());
        host_.log_warn(std::string("case export refused: ") + problem.what());
      }
      return static_cast<std::int32_t>(HEARTH_OK);
    });
  }

  // The wait between two tries of an export step; false when the plugin is stopping.
  bool wait_before_retry(std::chrono::milliseconds delay) {
    std::unique_lock lock(stop_mutex_);
    return !stop_.wait_for(lock, delay, [this] { return stopping_; });
  }

  // The re-send thread: a round over the pending rows at once, then one every
  // export_resend_interval_ms, until the plugin stops.
  void resend_loop() {
    for (;;) {
      hearth::guard(host_.c_host(), "zgw export re-send", [&] {
        resend_pending();
        return static_cast<std::int32_t>(HEARTH_OK);
      });
      std::unique_lock lock(stop_mutex_);
      if (stop_.wait_for(lock, settings_.export_resend_interval, [this] { return stopping_; })) {
        return;
      }
    }
  }

  // One round: every pending row is exported again like a request would be (the ledger's
  // steps are skipped, the rest looked up before anything is created), one export at a
  // time with those of the bus.
  void resend_pending() {
    constexpr std::size_t kBatch = 50;
    int resolved = 0, still_pending = 0, given_up = 0;
    for (const auto &row : ledger_->pending(kBatch)) {
      if (stopping()) {
        break;
      }
      std::lock_guard lock(export_mutex_);
      if (stopping()) {
        break;
      }
      CaseExportRequest request;
      try {
        request = ExportLedgerTable::request_of(row);
      } catch (const std::invalid_argument &e) {
        // Cannot be sent again: given up at once, with its dead letter in the same
        // transaction.
        host_.transaction([&] {
          ledger_->give_up(row.case_id, e.what());
          dead_letter(row.request_json, "request", e.what());
        });
        ++given_up;
        continue;
      }
      try {
        export_case(request, settings_.export_settings, *client_, *ledger_, host_.now_ms(), settings_.export_retry,
                    [this](std::chrono::milliseconds delay) { return wait_before_retry(delay); });
        ledger_->resolve(request.case_id);
        ++resolved;
      } catch (const ExportFailure &failure) {
        bool gave_up = false;
        host_.transaction([&] {
          gave_up = ledger_->record_resend_failure(row.case_id, failure, settings_.export_resend_attempts);
          if (gave_up) {
            dead_letter(row.request_json, step_name(failure.step()), failure.reason());
          }
        });
        if (gave_up) {
          host_.log_warn("case export given up after " + std::to_string(settings_.export_resend_attempts) +
                         " re-send(s): " + failure.reason());
          ++given_up;
        } else {
          ++still_pending;
        }
      }
    }
    if (resolved + still_pending + given_up > 0) {
      host_.log_info("export outbox re-sent: " + std::to_string(resolved) + " completed, " +
                     std::to_string(still_pending) + " still pending, " + std::to_string(given_up) + " given up");
    }
  }

  static std::string event_payload(const hearth_event &event) { return event.payload != nullptr ? event.payload : ""; }

  // A dead letter for an export request that was refused or failed for good: the field
  // (or step) and the reason, with the payload's hash only.
  void dead_letter(const std::string &payload, const std::string &field, const std::string &reason) {
    Rejection rejection;
    rejection.field = field;
    rejection.reason = reason;
    rejection.payload = payload;
    std::string error;
    if (target_->dead_letter(settings_.context.source + ":export", rejection, error) != HEARTH_OK) {
      host_.log_error("case export: the dead letter was refused: " + error);
    }
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
  std::mutex stop_mutex_;
  std::condition_variable stop_;
  bool stopping_ = false;
  std::uint64_t subscription_ = 0;
  bool subscribed_ = false;
  std::thread resender_; // the outbox's re-send thread, when resend_enabled()
};

} // namespace
} // namespace hearth::adapters::zgw

HEARTH_DEFINE_PLUGIN(hearth::adapters::zgw::ZgwPlugin, hearth::adapters::zgw::kDescriptor)
