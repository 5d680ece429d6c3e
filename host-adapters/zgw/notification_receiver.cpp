#include "notification_receiver.hpp"


#include <Poco/JSON/Object.h>

#include "adapter_common/input_checks.hpp"
#include "adapter_common/json_fields.hpp"
#include "adapter_common/plugin_support.hpp"
#include "zgw_notification.hpp"

namespace hearth::adapters::zgw {
namespace {

WebhookAnswer detail(int status, const std::string &text) {
  Poco::JSON::Object body;
  body.set("detail", text);
  return {status, json_text(body)};
}

WebhookAnswer counts(std::uint64_t accepted, std::uint64_t duplicates, std::uint64_t ignored) {
  Poco::JSON::Object body;
  body.set("accepted", accepted);
  body.set("duplicates", duplicates);
  body.set("ignored", ignored);
  return {200, json_text(body)};
}

} // namespace


NotificationReceiver::NotificationReceiver(const ZgwSettings &settings, const ZakenClient &client, IngestTarget &target)
    : settings_(settings), client_(client), target_(target) {}

WebhookAnswer NotificationReceiver::refuse(int status, const ParsedBatch &batch) const {
  IngestOptions options;
  options.all_or_nothing = true;
  try {
    ingest_batch(target_, batch, options); // records the dead letter
  } catch (const IngestFailure &) {
    // The refusal stands even when its dead letter could not be stored.
  }
  const Rejection &rejection = batch.rejections.front();
  Poco::JSON::Object body;
  body.set("field", rejection.field);
  body.set("reason", rejection.reason);
  return {status, json_text(body)};
}

WebhookAnswer NotificationReceiver::receive(const char *authorization, std::string_view body, std::int64_t now_ms) const {
  if (authorization == nullptr || !same_secret(authorization, settings_.webhook_authorization)) {
    return detail(401, "the Authorization header does not match the subscription");
  }
  ParseContext context = settings_.context;
  context.now_ms = now_ms;
  ParsedBatch batch;
  batch.source = context.source;
  batch.items = 1;
  if (body.size() > settings_.max_body_bytes) {
    batch.reject(0, "document", "is larger than the limit of " + std::to_string(settings_.max_body_bytes) + " bytes",
                 std::string(body.substr(0, 4096)));
    return refuse(413, batch);
  }
  Notification notification;
  try {
    notification = parse_notification(body, now_ms, context.max_future_skew_ms);
  } catch (const FieldProblem &problem) {
    batch.reject(0, problem.field(), problem.reason(), std::string(body));
    return refuse(400, batch);
  }
  if (!concerns_zaak_content(notification)) {
    return counts(0, 0, 1);
  }
  if (!client_.owns(notification.hoofd_object)) {
    batch.reject(0, "Message.hoofdObject", "is not under the configured Zaken API", std::string(body));
    return refuse(400, batch);
  }
  if (const auto zaaktype = notification.kenmerken.find("zaaktype");
      zaaktype != notification.kenmerken.end() && settings_.mapping.zaaktypes.count(zaaktype->second) == 0) {
    return counts(0, 0, 1); // not a zaaktype Hearth maps: no need to read the zaak
  }
  std::string zaak_text;
  try {
    zaak_text = client_.get(notification.hoofd_object);
  } catch (const ZakenApiError &e) {
    if (e.http_status() == 404 || e.http_status() == 410) {
      batch.reject(0, "Message.hoofdObject", "names a zaak the Zaken API does not have", std::string(body));
      return refuse(422, batch);
    }
    return detail(502, std::string("the Zaken API could not be read: ") + e.what());
  }
  try {
    auto outcome = read_zaak(parse_json_document(zaak_text), "Zaak", settings_.mapping, context);
    if (!outcome.signal) {
      return counts(0, 0, 1);
    }
    batch.signals.push_back(std::move(*outcome.signal));
  } catch (const FieldProblem &problem) {
    batch.reject(0, problem.field(), problem.reason(), zaak_text);
    return refuse(422, batch);
  }
  IngestOptions options;
  options.all_or_nothing = true;
  IngestSummary summary;
  try {
    summary = ingest_batch(target_, batch, options);
  } catch (const IngestFailure &failure) {
    if (failure.status() == HEARTH_ERROR_DENIED) {
      // Sending it again will not help: the site's policy does not let the adapter store it.
      return detail(422, std::string("the policy refuses this signal: ") + failure.what());
    }
    return detail(503, std::string("the signal could not be stored: ") + failure.what());
  }
  if (summary.rejected > 0) {
    return detail(422, summary.problems.empty() ? std::string("the signal was refused") : summary.problems.front());
  }
  return counts(summary.accepted, summary.duplicates, 0);
}

} // namespace hearth::adapters::zgw
