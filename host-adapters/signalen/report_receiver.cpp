#include "report_receiver.hpp"

#include <stdexcept>

#include <Poco/JSON/Object.h>

#include "adapter_common/input_checks.hpp"
#include "adapter_common/json_fields.hpp"
#include "adapter_common/plugin_support.hpp"

namespace hearth::adapters::signalen {
namespace {

ReportAnswer detail(int status, const std::string &text) {
  Poco::JSON::Object body;
  body.set("detail", text);
  return {status, json_text(body), std::nullopt};
}

} // namespace

SignalenSettings read_signalen_settings(const SettingReader &read) {
  const SettingsSection section(kSignalenPluginId, read);
  SignalenSettings settings;
  settings.enabled = section.boolean("enabled", false);
  if (!settings.enabled) {
    return settings;
  }
  settings.organisation = section.required("organisation");
  settings.webhook_path = section.optional("webhook_path", settings.webhook_path);
  if (settings.webhook_path.front() != '/') {
    section.fail("webhook_path", "must start with '/'");
  }
  settings.webhook_authorization = section.required("webhook_authorization");
  settings.max_body_bytes = section.positive_number("max_body_bytes", settings.max_body_bytes, false);
  settings.context.source = section.optional("source", "signalen:" + settings.organisation);
  settings.context.purpose = section.optional("purpose", "nuisance-handling");
  settings.context.max_document_bytes = settings.max_body_bytes;
  settings.context.max_future_skew_ms = 5LL * 60LL * 1000LL;
  if (const auto basis = read("legal_basis"); basis && !basis->empty()) {
    settings.context.legal_bases["nuisance"] = *basis;
  }
  settings.context.settings["signalen.categories"] = section.required("categories");
  settings.context.settings["signalen.reporter_key"] = section.required("reporter_key");
  try {
    settings.rules = read_report_rules(settings.context);
  } catch (const std::invalid_argument &e) {
    throw std::invalid_argument(section.key_name("") + std::string(e.what()).substr(std::string("signalen.").size()));
  }
  settings.channel.endpoint = section.optional("status_endpoint");
  settings.status_enabled = !settings.channel.endpoint.empty();
  if (settings.status_enabled) {
    settings.channel.authorization = section.required("status_authorization");
    settings.channel.timeout = std::chrono::milliseconds(section.positive_number("timeout_ms", 10000, false));
  }
  settings.acknowledge = section.boolean("acknowledge", true);
  return settings;
}

ReportReceiver::ReportReceiver(const SignalenSettings &settings, AddressLookup lookup, IngestTarget &target)
    : settings_(settings), lookup_(std::move(lookup)), target_(target) {}

ReportAnswer ReportReceiver::receive(const char *authorization, std::string_view body, std::int64_t now_ms) const {
  if (authorization == nullptr || !same_secret(authorization, settings_.webhook_authorization)) {
    return detail(401, "the Authorization header does not match");
  }
  ParseContext context = settings_.context;
  context.now_ms = now_ms;
  ParsedBatch batch;
  int refusal = 400;
  if (body.size() > settings_.max_body_bytes) {
    batch.source = context.source;
    batch.items = 1;
    batch.reject(0, "document", "is larger than the limit of " + std::to_string(settings_.max_body_bytes) + " bytes",
                 std::string(body.substr(0, 4096)));
    refusal = 413;
  } else if (!body.empty() && body.front() == '[') {
    batch.source = context.source;
    batch.items = 1;
    batch.reject(0, "document", "must be one report (an object), not a list", std::string(body));
  } else {
    try {
      batch = parse_signalen_reports(body, context, lookup_);
    } catch (const std::exception &e) {
      return detail(503, std::string("the address could not be looked up: ") + e.what());
    }
  }
  IngestOptions options;
  options.all_or_nothing = true;
  IngestSummary summary;
  try {
    summary = ingest_batch(target_, batch, options); // dead letters for parser refusals
  } catch (const IngestFailure &failure) {
    if (!batch.rejections.empty()) {
      summary.rejected = 1; // the refusal stands even without its dead letter
    } else {
      return detail(failure.status() == HEARTH_ERROR_DENIED ? 403 : 503,
                    std::string("the report could not be stored: ") + failure.what());
    }
  }
  if (!batch.rejections.empty()) {
    Poco::JSON::Object refused;
    refused.set("field", batch.rejections.front().field);
    refused.set("reason", batch.rejections.front().reason);
    return {refusal, json_text(refused), std::nullopt};
  }
  if (summary.rejected > 0) {
    return detail(422, summary.problems.empty() ? std::string("the signal was refused") : summary.problems.front());
  }
  const OwnedSignal &signal = batch.signals.front();
  ReportAnswer answer;
  Poco::JSON::Object counts;
  counts.set("accepted", summary.accepted);
  counts.set("duplicates", summary.duplicates);
  answer.body = json_text(counts);
  const std::string prefix = "signalen:";
  answer.stored = StoredReport{signal.external_id,
                               signal.external_id.rfind(prefix, 0) == 0 ? signal.external_id.substr(prefix.size()) : "",
                               signal.tenancy_id, signal.reporter_user, summary.accepted == 1};
  return answer;
}

} // namespace hearth::adapters::signalen
