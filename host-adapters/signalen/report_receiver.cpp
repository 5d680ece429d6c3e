#include "report_receiver.hpp"

#include <charconv>
#include <sstream>
#include <stdexcept>

#include <Poco/JSON/Object.h>

#include "adapter_common/json_fields.hpp"

namespace hearth::adapters::signalen {
namespace {

std::string key_name(const std::string &key) { return std::string("plugin.") + kSignalenPluginId + "." + key; }

[[noreturn]] void fail(const std::string &key, const std::string &reason) {
  throw std::invalid_argument(key_name(key) + ": " + reason);
}

std::string optional(const SettingReader &read, const std::string &key, const std::string &fallback = {}) {
  const auto value = read(key);
  return value && !value->empty() ? *value : fallback;
}

std::string required(const SettingReader &read, const std::string &key) {
  std::string value = optional(read, key);
  if (value.empty()) {
    fail(key, "is required when the adapter is enabled");
  }
  return value;
}

bool boolean(const SettingReader &read, const std::string &key, bool fallback) {
  const std::string text = optional(read, key, fallback ? "true" : "false");
  if (text != "true" && text != "false") {
    fail(key, "must be true or false");
  }
  return text == "true";
}

std::size_t positive_number(const SettingReader &read, const std::string &key, std::size_t fallback) {
  const std::string text = optional(read, key);
  if (text.empty()) {
    return fallback;
  }
  std::size_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value == 0) {
    fail(key, "is not a positive whole number");
  }
  return value;
}

std::string json(const Poco::JSON::Object &object) {
  std::ostringstream out;
  object.stringify(out);
  return out.str();
}

ReportAnswer detail(int status, const std::string &text) {
  Poco::JSON::Object body;
  body.set("detail", text);
  return {status, json(body), std::nullopt};
}

// True when `given` equals `expected`, in time independent of where they differ.
bool same_secret(std::string_view given, std::string_view expected) {
  unsigned difference = given.size() == expected.size() ? 0u : 1u;
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const char g = i < given.size() ? given[i] : '\0';
    difference |= static_cast<unsigned>(static_cast<unsigned char>(g) ^ static_cast<unsigned char>(expected[i]));
  }
  return difference == 0 && !expected.empty();
}

} // namespace

SignalenSettings read_signalen_settings(const SettingReader &read) {
  SignalenSettings settings;
  settings.enabled = boolean(read, "enabled", false);
  if (!settings.enabled) {
    return settings;
  }
  settings.organisation = required(read, "organisation");
  settings.webhook_path = optional(read, "webhook_path", settings.webhook_path);
  if (settings.webhook_path.front() != '/') {
    fail("webhook_path", "must start with '/'");
  }
  settings.webhook_authorization = required(read, "webhook_authorization");
  settings.max_body_bytes = positive_number(read, "max_body_bytes", settings.max_body_bytes);
  settings.context.source = optional(read, "source", "signalen:" + settings.organisation);
  settings.context.purpose = optional(read, "purpose", "nuisance-handling");
  settings.context.max_document_bytes = settings.max_body_bytes;
  settings.context.max_future_skew_ms = 5LL * 60LL * 1000LL;
  if (const auto basis = read("legal_basis"); basis && !basis->empty()) {
    settings.context.legal_bases["nuisance"] = *basis;
  }
  settings.context.settings["signalen.categories"] = required(read, "categories");
  settings.context.settings["signalen.reporter_key"] = required(read, "reporter_key");
  try {
    settings.rules = read_report_rules(settings.context);
  } catch (const std::invalid_argument &e) {
    throw std::invalid_argument(key_name("") + std::string(e.what()).substr(std::string("signalen.").size()));
  }
  settings.channel.endpoint = optional(read, "status_endpoint");
  settings.status_enabled = !settings.channel.endpoint.empty();
  if (settings.status_enabled) {
    settings.channel.authorization = required(read, "status_authorization");
    settings.channel.timeout = std::chrono::milliseconds(positive_number(read, "timeout_ms", 10000));
  }
  settings.acknowledge = boolean(read, "acknowledge", true);
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
    return {refusal, json(refused), std::nullopt};
  }
  if (summary.rejected > 0) {
    return detail(422, summary.problems.empty() ? std::string("the signal was refused") : summary.problems.front());
  }
  const OwnedSignal &signal = batch.signals.front();
  ReportAnswer answer;
  Poco::JSON::Object counts;
  counts.set("accepted", summary.accepted);
  counts.set("duplicates", summary.duplicates);
  answer.body = json(counts);
  const std::string prefix = "signalen:";
  answer.stored = StoredReport{signal.external_id,
                               signal.external_id.rfind(prefix, 0) == 0 ? signal.external_id.substr(prefix.size()) : "",
                               signal.tenancy_id, signal.reporter_user, summary.accepted == 1};
  return answer;
}

} // namespace hearth::adapters::signalen
