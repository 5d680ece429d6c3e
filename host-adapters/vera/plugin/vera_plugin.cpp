#include "vera_plugin.hpp"

#include <Poco/JSON/Object.h>

#include "adapter_common/ingest_driver.hpp"
#include "adapter_common/plugin_support.hpp"
#include "vera_adapter/vera_writeback.hpp"

namespace hearth::adapters::vera::plugin {
namespace {

const char *const kFeatures[] = {"vera-push", "vera-write-back", nullptr};

const hearth_plugin_descriptor kDescriptor = {
    sizeof(hearth_plugin_descriptor),
    HEARTH_PLUGIN_KIND_ADAPTER,
    kPluginId,
    "VERA adapter",
    "Hearth",
    "0.1.0",
    "Receives VERA messages from housing corporations and writes flags and cases back as VERA.",
    kFeatures,
    nullptr};

void write_json(const hearth_http_response *response, int status, const Poco::JSON::Object &body) {
  write_json_answer(response, status, json_text(body));
}

// A VERA Foutbericht {"code","omschrijving"}.
void write_error(const hearth_http_response *response, int status, const std::string &description) {
  Poco::JSON::Object error;
  error.set("code", std::to_string(status));
  error.set("omschrijving", description);
  write_json(response, status, error);
}

std::int32_t on_push(void *user_data, const hearth_http_request *request, const hearth_http_response *response);

std::int32_t on_events(void *user_data, const hearth_event *const *events, std::uint32_t count) {
  auto *plugin = static_cast<VeraPlugin *>(user_data);
  plugin->handle_events(events, count);
  return HEARTH_OK;
}

} // namespace

void VeraPlugin::init(Host host) {
  host_ = host;
  settings_ = PluginSettings::read(host_);
  const hearth_host *c_host = host_.c_host();
  const auto *http = find_extension<hearth_http_extension>(c_host, HEARTH_HTTP_EXTENSION_ID);
  data_ = find_extension<hearth_data_extension>(c_host, HEARTH_DATA_EXTENSION_ID);
  audit_ = find_extension<hearth_audit_extension>(c_host, HEARTH_AUDIT_EXTENSION_ID);
  if (http == nullptr || data_ == nullptr || audit_ == nullptr) {
    throw Error(HEARTH_ERROR_UNSUPPORTED, "the runtime offers no http, data or audit extension (ABI 1.1 needed)");
  }
  for (const auto &resource : vera_resources()) {
    routes_.push_back(std::make_unique<PushRoute>(PushRoute{this, &resource}));
    const std::string pattern = "/vera/" + std::string(resource.path);
    add_post_route(c_host, http, pattern, &on_push, routes_.back().get(), "route POST " + pattern);
  }
  if (!settings_.backoffice_url.empty()) {
    organisation_ = settings_.organisation;
    self_.struct_size = sizeof self_;
    self_.user = kPluginId;
    self_.role = HEARTH_ROLE_SYSTEM;
    self_.organisation = organisation_.c_str();
    self_.access_point = "plugin:nl.hearth.adapter.vera";
    outbox_ = std::make_unique<Outbox>(host_, audit_, &self_, settings_);
    for (const char *type : {kFlagAcceptedEvent, kFlagWithdrawnEvent, kCaseExportRequestedEvent}) {
      std::uint64_t subscription = 0;
      const std::int32_t status = c_host->bus_subscribe(c_host, type, &on_events, this, &subscription);
      if (status != HEARTH_OK) {
        throw Error(status, std::string("cannot subscribe to ") + type);
      }
      subscriptions_.push_back(subscription);
    }
    outbox_->start();
  }
  host_.log_info(std::string("VERA push on POST /vera/<resource>; write-back ") +
                 (settings_.backoffice_url.empty() ? "off (no backoffice_url)" : "on"));
}

void VeraPlugin::deinit() noexcept {
  for (const std::uint64_t subscription : subscriptions_) {
    host_.c_host()->bus_unsubscribe(host_.c_host(), subscription);
  }
  subscriptions_.clear();
  if (outbox_) {
    outbox_->stop();
    outbox_.reset();
  }
}

std::int32_t VeraPlugin::handle_push(const VeraResource &resource, const hearth_http_request *request,
                                     const hearth_http_response *response) {
  if (request->actor == nullptr) {
    write_error(response, 401, "credentials required: X-API-KEY or Authorization: Bearer");
    return HEARTH_OK;
  }
  PluginTarget target(host_.c_host(), data_, request->actor);
  ParseContext context = settings_.context;
  context.now_ms = host_.now_ms();
  const std::string_view body(request->body != nullptr ? request->body : "", request->body_size);
  ParsedBatch batch;
  const bool too_large = body.size() > settings_.max_body_bytes;
  if (too_large) {
    batch.source = context.source;
    batch.items = 1;
    batch.reject(0, "document", "is larger than the limit of " + std::to_string(settings_.max_body_bytes) + " bytes",
                 std::string(body.substr(0, 4096)));
  } else {
    batch = parse_vera_message(resource, body, context);
  }
  IngestOptions options;
  options.all_or_nothing = true; // one message: stored whole or not at all
  IngestSummary summary;
  try {
    summary = ingest_batch(target, batch, options);
  } catch (const IngestFailure &failure) {
    const int status = failure.status() == HEARTH_ERROR_DENIED ? 403 : 500;
    write_error(response, status, failure.status() == HEARTH_ERROR_DENIED ? failure.what() : "the message could not be stored");
    if (status == 500) {
      host_.log_error(std::string("vera push to ") + std::string(resource.path) + " failed: " + failure.what());
    }
    return HEARTH_OK;
  }
  if (summary.rejected > 0) {
    write_error(response, too_large ? 413 : 400, summary.problems.empty() ? "refused" : summary.problems.front());
    return HEARTH_OK;
  }
  Poco::JSON::Object answer;
  answer.set("accepted", summary.accepted);
  answer.set("duplicates", summary.duplicates);
  answer.set("records", summary.records);
  answer.set("ignored", summary.ignored);
  write_json(response, summary.accepted > 0 || summary.records > 0 ? 201 : 200, answer);
  return HEARTH_OK;
}

void VeraPlugin::handle_events(const hearth_event *const *events, std::uint32_t count) {
  for (std::uint32_t i = 0; i < count; ++i) {
    const hearth_event &event = *events[i];
    const std::string type = event.type != nullptr ? event.type : "";
    const std::string payload = event.payload != nullptr ? event.payload : "";
    try {
      if (type == kFlagAcceptedEvent) {
        outbox_->enqueue(signalering_for_flag(payload));
      } else if (type == kFlagWithdrawnEvent) {
        outbox_->enqueue(signalering_for_withdrawn_flag(payload));
      } else if (type == kCaseExportRequestedEvent) {
        if (const auto message = zaak_for_case_export(payload)) {
          outbox_->enqueue(*message);
        }
      }
    } catch (const std::invalid_argument &bad) {
      // A malformed event from another plugin: logged (no payload values), not retried.
      host_.log_warn(std::string("vera write-back skipped an event: ") + bad.what());
    } catch (const std::exception &failure) {
      host_.log_error(std::string("vera write-back could not queue an event: ") + failure.what());
    }
  }
}

namespace {

std::int32_t on_push(void *user_data, const hearth_http_request *request, const hearth_http_response *response) {
  const auto *route = static_cast<const PushRoute *>(user_data);
  return guard(route->plugin->host().c_host(), "vera push",
               [&] { return route->plugin->handle_push(*route->resource, request, response); });
}

} // namespace

} // namespace hearth::adapters::vera::plugin

HEARTH_DEFINE_PLUGIN(hearth::adapters::vera::plugin::VeraPlugin, hearth::adapters::vera::plugin::kDescriptor)
