// The Signalen adapter as a plugin ("nl.hearth.adapter.signalen"): a webhook that takes
// neighbours' reports, links them to a unit's current tenancy (view "unit.by-address" of
// the data extension) and stores them as signals with the reporter as a neighbour who may
// follow them; and the operation "report-status", which tells the reporter — through
// Signalen — how their report is handled, in fixed words that reveal nothing about the
// tenant. Idle unless `enabled = true`. host-adapters/signalen/README.md has the details.
#include <memory>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <hearth/audit.h>
#include <hearth/data_service.h>
#include <hearth/http.h>
#include <hearth/plugin.hpp>
#include <hearth/policy.h>

#include "adapter_common/plugin_support.hpp"
#include "report_receiver.hpp"
#include "status_update.hpp"

namespace hearth::adapters::signalen {
namespace {

const char *const kFeatures[] = {"nl.hearth.adapter.signalen.reports", "nl.hearth.adapter.signalen.status", nullptr};

const hearth_plugin_descriptor kDescriptor{sizeof(hearth_plugin_descriptor),
                                           HEARTH_PLUGIN_KIND_ADAPTER,
                                           kSignalenPluginId,
                                           "Signalen adapter",
                                           "Hearth",
                                           "0.1.0",
                                           "Neighbours' nuisance reports from Signalen in; their status back out.",
                                           kFeatures,
                                           nullptr};

const hearth_migration kReportTable{
    sizeof(hearth_migration), 1, "signalen: reports stored and the status last sent to the reporter",
    "CREATE TABLE hearth_signalen_report ("
    " external_id TEXT PRIMARY KEY,"
    " signalen_id TEXT NOT NULL,"
    " tenancy_id TEXT NOT NULL,"
    " reporter_user TEXT NOT NULL,"
    " state TEXT NOT NULL,"
    " updated_at_ms BIGINT NOT NULL)",
    nullptr};

std::string text_arg(const Poco::JSON::Object::Ptr &args, const std::string &name) {
  if (!args->has(name) || !args->get(name).isString() || args->getValue<std::string>(name).empty()) {
    throw hearth::Error(HEARTH_ERROR_INVALID_ARGUMENT, "args." + name + ": is missing or not a text");
  }
  return args->getValue<std::string>(name);
}

class SignalenPlugin : public hearth::Plugin {
public:
  void init(hearth::Host host) override {
    host_ = host;
    const hearth_host *c = host.c_host();
    try {
      settings_ = read_signalen_settings(host_setting_reader(c));
    } catch (const std::invalid_argument &e) {
      throw hearth::Error(HEARTH_ERROR_INVALID_ARGUMENT, e.what());
    }
    if (!settings_.enabled) {
      host.log_info("idle: set enabled = true in [plugin.nl.hearth.adapter.signalen] to receive reports");
      return;
    }
    const WebhookExtensions extensions = require_webhook_extensions(c);
    data_ = extensions.data;
    audit_ = extensions.audit;
    actor_ = system_actor("adapter:signalen", settings_.organisation, "signalen:webhook");
    host.migrate({kReportTable});
    target_ = std::make_unique<PluginTarget>(c, data_, &actor_);
    lookup_context_.read = [this](const std::string &view, const std::string &args, std::string &answer) {
      return read_view(view, args, answer);
    };
    receiver_ = std::make_unique<ReportReceiver>(settings_, lookup_through(lookup_context_), *target_);
    add_post_route(c, extensions.http, settings_.webhook_path, &SignalenPlugin::on_webhook, this, "webhook_path");
    host.log_info("receiving reports on " + settings_.webhook_path);
  }

  bool offers_operations() const override { return true; }

  // "report-status" {"report":"<Signalen id or external id>","state":"in_behandeling"}
  std::string call(const hearth_actor &actor, std::string_view operation, std::string_view args_json) override {
    if (operation != "report-status") {
      throw hearth::Error(HEARTH_ERROR_NOT_FOUND, "unknown operation '" + std::string(operation) + "'");
    }
    if (!settings_.enabled) {
      throw hearth::Error(HEARTH_ERROR_NOT_FOUND, "the Signalen adapter is not enabled");
    }
    const std::string role = actor.role != nullptr ? actor.role : "";
    if (role != HEARTH_ROLE_HOUSING_CONSULTANT && role != HEARTH_ROLE_COORDINATOR) {
      throw hearth::Error(HEARTH_ERROR_DENIED, "role '" + role + "' may not report a status to a reporter");
    }
    Poco::JSON::Object::Ptr args;
    try {
      args = Poco::JSON::Parser().parse(std::string(args_json)).extract<Poco::JSON::Object::Ptr>();
    } catch (...) {
      throw hearth::Error(HEARTH_ERROR_INVALID_ARGUMENT, "args: is not a JSON object");
    }
    const std::string report = text_arg(args, "report");
    const auto state = report_state_from(text_arg(args, "state"));
    if (!state) {
      throw hearth::Error(HEARTH_ERROR_INVALID_ARGUMENT, "args.state: must be ontvangen, in_behandeling or afgehandeld");
    }
    std::optional<StoredReport> row;
    host_.execute("SELECT external_id, signalen_id, tenancy_id, reporter_user FROM hearth_signalen_report"
                  " WHERE external_id = ? OR (signalen_id = ? AND signalen_id <> '')",
                  {report, report}, [&](const hearth::RowView &r) {
                    row = StoredReport{std::string(r.text(0)), std::string(r.text(1)), std::string(r.text(2)),
                                       std::string(r.text(3)), false};
                    return false;
                  });
    // Whether the actor may see the tenancy is the runtime's policy (and is audited):
    // a report the actor may not see answers exactly like a missing one.
    if (!row || !may_see_tenancy(actor, row->tenancy_id)) {
      throw hearth::Error(HEARTH_ERROR_NOT_FOUND, "args.report: no such report");
    }
    if (row->signalen_id.empty() || !settings_.status_enabled) {
      throw hearth::Error(HEARTH_ERROR_CONFLICT, "args.report: this report cannot be answered through Signalen");
    }
    try {
      send_status_update(settings_.channel, row->signalen_id, *state);
    } catch (const StatusUpdateError &e) {
      throw hearth::Error(HEARTH_ERROR_IO, e.what());
    }
    record_state(actor, *row, *state);
    return R"({"sent":true,"state":")" + report_state_name(*state) + "\"}";
  }

private:
  // The runtime's views for the adapter's own actor (the address lookup).
  std::int32_t read_view(const std::string &view, const std::string &args, std::string &answer) {
    const hearth_host *c = host_.c_host();
    char *result = nullptr;
    char *error = nullptr;
    const std::int32_t status = data_->read(c, &actor_, view.c_str(), args.c_str(), &result, &error);
    answer = status == HEARTH_OK ? (result != nullptr ? result : "") : (error != nullptr ? error : "");
    c->free(result);
    c->free(error);
    return status;
  }

  bool may_see_tenancy(const hearth_actor &actor, const std::string &tenancy_id) {
    const std::string args = R"({"tenancy_id":")" + tenancy_id + "\"}";
    const hearth_host *c = host_.c_host();
    char *result = nullptr;
    char *error = nullptr;
    const std::int32_t status = data_->read(c, &actor, "tenancy.signals", args.c_str(), &result, &error);
    c->free(result);
    c->free(error);
    return status == HEARTH_OK;
  }

  void remember(const StoredReport &report, ReportState state) {
    host_.execute("INSERT INTO hearth_signalen_report (external_id, signalen_id, tenancy_id, reporter_user, state,"
                  " updated_at_ms) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (external_id) DO NOTHING",
                  {report.external_id, report.signalen_id, report.tenancy_id, report.reporter_user,
                   report_state_name(state), host_.now_ms()});
  }

  void record_state(const hearth_actor &actor, const StoredReport &report, ReportState state) {
    host_.transaction([&] {
      host_.execute("UPDATE hearth_signalen_report SET state = ?, updated_at_ms = ? WHERE external_id = ?",
                    {report_state_name(state), host_.now_ms(), report.external_id});
      record_audit(host_.c_host(), audit_, actor, HEARTH_ACTION_UPDATE,
                   "signal:" + report.external_id + ",tenancy:" + report.tenancy_id, "nuisance-handling",
                   "the status update's audit entry was refused");
    });
  }

  static std::int32_t on_webhook(void *user_data, const hearth_http_request *request,
                                 const hearth_http_response *response) {
    auto *self = static_cast<SignalenPlugin *>(user_data);
    return hearth::guard(self->host_.c_host(), "signalen webhook", [&] {
      const std::string_view body(request->body != nullptr ? request->body : "", request->body_size);
      const ReportAnswer answer =
          self->receiver_->receive(request->header(request, "Authorization"), body, self->host_.now_ms());
      if (answer.stored) {
        self->remember(*answer.stored, ReportState::received);
        if (answer.stored->new_now) {
          self->acknowledge(*answer.stored);
        }
      } else if (answer.status >= 400) {
        self->host_.log_warn("report answered " + std::to_string(answer.status) + ": " + answer.body);
      }
      write_json_answer(response, answer.status, answer.body);
      return static_cast<std::int32_t>(HEARTH_OK);
    });
  }

  // The reporter hears at once that the report arrived (when Signalen gave its id).
  void acknowledge(const StoredReport &report) {
    if (!settings_.status_enabled || !settings_.acknowledge || report.signalen_id.empty()) {
      return;
    }
    try {
      send_status_update(settings_.channel, report.signalen_id, ReportState::received);
    } catch (const StatusUpdateError &e) {
      host_.log_warn(std::string("acknowledging a report failed: ") + e.what());
    }
  }

  hearth::Host host_;
  SignalenSettings settings_;
  const hearth_data_extension *data_ = nullptr;
  const hearth_audit_extension *audit_ = nullptr;
  hearth_actor actor_{};
  std::unique_ptr<PluginTarget> target_;
  ParseContext lookup_context_; // only its `read`, which lookup_through() borrows
  std::unique_ptr<ReportReceiver> receiver_;
};

} // namespace
} // namespace hearth::adapters::signalen

HEARTH_DEFINE_PLUGIN(hearth::adapters::signalen::SignalenPlugin, hearth::adapters::signalen::kDescriptor)
