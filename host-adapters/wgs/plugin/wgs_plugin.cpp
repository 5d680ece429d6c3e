// The rent-arrears early warning as a plugin ("nl.hearth.adapter.wgs"). Operations, for a
// housing consultant who may see the tenancy (the runtime's policy decides, and audits):
//   record-precondition  {"tenancy_id","kind","date","channel"}  -> {"recorded":true}
//   preconditions        {"tenancy_id"}                          -> {"preconditions":[...]}
//   send-early-warning   {"tenancy_id","amount_cents","arrears_since","contact":{...}}
//                        -> {"sent":true} | {"sent":false,"already_sent":true}
//                        or HEARTH_ERROR_CONFLICT with the missing precondition named.
// Only contact details and the amount go to the municipality's endpoint (http, or https
// trusted through municipality_ca_file / municipality_verify since 0.3); each sending is
// audited as an export in the same transaction that remembers it. Idle unless enabled.
// host-adapters/wgs/README.md has the configuration.
#include <charconv>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <Poco/DateTimeFormatter.h>
#include <Poco/DigestEngine.h>
#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/SSLException.h>
#include <Poco/NullStream.h>
#include <Poco/SHA2Engine.h>
#include <Poco/StreamCopier.h>
#include <Poco/Timestamp.h>
#include <Poco/String.h>
#include <Poco/URI.h>

#include <hearth/audit.h>
#include <hearth/data_service.h>
#include <hearth/plugin.hpp>
#include <hearth/policy.h>

#include "adapter_common/json_fields.hpp"
#include "adapter_common/plugin_support.hpp"
#include "adapter_common/tls_client.hpp"
#include "wgs_early_warning.hpp"

namespace hearth::adapters::wgs {
namespace {

constexpr const char *kPluginId = "nl.hearth.adapter.wgs";

const char *const kFeatures[] = {"nl.hearth.adapter.wgs.early-warning", nullptr};

const hearth_plugin_descriptor kDescriptor{sizeof(hearth_plugin_descriptor),
                                           HEARTH_PLUGIN_KIND_ADAPTER,
                                           kPluginId,
                                           "Wgs rent-arrears early warning",
                                           "Hearth",
                                           "0.1.0",
                                           "Sends the municipality contact details and the amount of rent arrears, "
                                           "only after the legal preconditions are recorded.",
                                           kFeatures,
                                           nullptr};

const hearth_migration kTables{
    sizeof(hearth_migration), 1, "wgs: recorded preconditions and warnings sent",
    "CREATE TABLE hearth_wgs_precondition ("
    " id INTEGER PRIMARY KEY,"
    " tenancy_id TEXT NOT NULL,"
    " kind TEXT NOT NULL,"
    " on_ms BIGINT NOT NULL,"
    " channel TEXT NOT NULL,"
    " recorded_by TEXT NOT NULL,"
    " recorded_at_ms BIGINT NOT NULL);"
    "CREATE INDEX hearth_wgs_precondition_tenancy ON hearth_wgs_precondition (tenancy_id);"
    "CREATE TABLE hearth_wgs_sent ("
    " tenancy_id TEXT NOT NULL,"
    " arrears_since TEXT NOT NULL,"
    " amount_cents BIGINT NOT NULL,"
    " sent_at_ms BIGINT NOT NULL,"
    " PRIMARY KEY (tenancy_id, arrears_since))",
    "CREATE TABLE hearth_wgs_precondition ("
    " id BIGSERIAL PRIMARY KEY,"
    " tenancy_id TEXT NOT NULL,"
    " kind TEXT NOT NULL,"
    " on_ms BIGINT NOT NULL,"
    " channel TEXT NOT NULL,"
    " recorded_by TEXT NOT NULL,"
    " recorded_at_ms BIGINT NOT NULL);"
    "CREATE INDEX hearth_wgs_precondition_tenancy ON hearth_wgs_precondition (tenancy_id);"
    "CREATE TABLE hearth_wgs_sent ("
    " tenancy_id TEXT NOT NULL,"
    " arrears_since TEXT NOT NULL,"
    " amount_cents BIGINT NOT NULL,"
    " sent_at_ms BIGINT NOT NULL,"
    " PRIMARY KEY (tenancy_id, arrears_since))"};

bool is_http_url(const std::string &text) {
  try {
    const Poco::URI uri(text);
    return (Poco::icompare(uri.getScheme(), "http") == 0 || Poco::icompare(uri.getScheme(), "https") == 0) &&
           !uri.getHost().empty();
  } catch (const Poco::Exception &) {
    return false;
  }
}

std::string day_of(std::int64_t ms) {
  return Poco::DateTimeFormatter::format(Poco::Timestamp(ms * 1000), "%Y-%m-%d");
}

class WgsPlugin : public hearth::Plugin {
public:
  void init(hearth::Host host) override {
    host_ = host;
    const auto setting = [&](const char *key, const std::string &fallback = {}) {
      const char *value = host.c_host()->config_get(host.c_host(), key);
      return value != nullptr && *value != '\0' ? std::string(value) : fallback;
    };
    const std::string enabled = setting("enabled", "false");
    if (enabled != "true" && enabled != "false") {
      throw hearth::Error(HEARTH_ERROR_INVALID_ARGUMENT, "plugin.nl.hearth.adapter.wgs.enabled: must be true or false");
    }
    if (enabled != "true") {
      host.log_info("idle: set enabled = true in [plugin.nl.hearth.adapter.wgs] to send early warnings");
      return;
    }
    endpoint_ = setting("municipality_endpoint");
    authorization_ = setting("municipality_authorization");
    if (endpoint_.empty() || authorization_.empty()) {
      throw hearth::Error(HEARTH_ERROR_INVALID_ARGUMENT,
                          std::string("plugin.nl.hearth.adapter.wgs.") +
                              (endpoint_.empty() ? "municipality_endpoint" : "municipality_authorization") +
                              ": is required when the adapter is enabled");
    }
    if (!is_http_url(endpoint_)) {
      throw hearth::Error(HEARTH_ERROR_INVALID_ARGUMENT,
                          "plugin.nl.hearth.adapter.wgs.municipality_endpoint: is not an absolute http(s) URL");
    }
    try {
      const SettingReader read = host_setting_reader(host.c_host());
      tls_.settings = read_tls_client_settings(read, "municipality_ca_file", "municipality_verify",
                                               runtime_is_production(read), std::string("plugin.") + kPluginId + ".");
      if (Poco::icompare(Poco::URI(endpoint_).getScheme(), "https") == 0) {
        tls_.context = make_tls_client_context(tls_.settings);
      }
    } catch (const std::invalid_argument &e) {
      throw hearth::Error(HEARTH_ERROR_INVALID_ARGUMENT, e.what());
    }
    rules_.minimum_arrears_days = number(setting("minimum_arrears_days", "30"), "minimum_arrears_days");
    rules_.objection_period_days = number(setting("objection_period_days", "14"), "objection_period_days");
    rules_.minimum_amount_cents = number(setting("minimum_amount_cents", "1"), "minimum_amount_cents");
    const hearth_host *c = host.c_host();
    data_ = find_extension<hearth_data_extension>(c, HEARTH_DATA_EXTENSION_ID);
    audit_ = find_extension<hearth_audit_extension>(c, HEARTH_AUDIT_EXTENSION_ID);
    if (data_ == nullptr || audit_ == nullptr) {
      throw hearth::Error(HEARTH_ERROR_UNSUPPORTED, "this runtime lacks nl.hearth.data/1 or nl.hearth.audit/1 (ABI 1.1)");
    }
    host.migrate({kTables});
    enabled_ = true;
  }

  bool offers_operations() const override { return true; }

  std::string call(const hearth_actor &actor, std::string_view operation, std::string_view args_json) override {
    if (operation != "record-precondition" && operation != "preconditions" && operation != "send-early-warning") {
      throw hearth::Error(HEARTH_ERROR_NOT_FOUND, "unknown operation '" + std::string(operation) + "'");
    }
    if (!enabled_) {
      throw hearth::Error(HEARTH_ERROR_NOT_FOUND, "the Wgs adapter is not enabled");
    }
    const std::string role = actor.role != nullptr ? actor.role : "";
    if (role != HEARTH_ROLE_HOUSING_CONSULTANT) {
      throw hearth::Error(HEARTH_ERROR_DENIED, "role '" + role + "' may not handle rent-arrears early warnings");
    }
    Poco::JSON::Object::Ptr args;
    try {
      args = Poco::JSON::Parser().parse(std::string(args_json)).extract<Poco::JSON::Object::Ptr>();
    } catch (...) {
      throw hearth::Error(HEARTH_ERROR_INVALID_ARGUMENT, "args: is not a JSON object");
    }
    if (args.isNull()) {
      throw hearth::Error(HEARTH_ERROR_INVALID_ARGUMENT, "args: is not a JSON object");
    }
    try {
      if (operation == "record-precondition") {
        return record_precondition(actor, args);
      }
      if (operation == "preconditions") {
        return list_preconditions(actor, args);
      }
      return send_warning(actor, args);
    } catch (const FieldProblem &problem) {
      throw hearth::Error(HEARTH_ERROR_INVALID_ARGUMENT, problem.what());
    }
  }

private:
  static int number(const std::string &text, const char *key) {
    int value = -1;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size() || value < 0) {
      throw hearth::Error(HEARTH_ERROR_INVALID_ARGUMENT,
                          std::string("plugin.nl.hearth.adapter.wgs.") + key + ": is not a whole number >= 0");
    }
    return value;
  }

  // The runtime's policy decides whether `actor` may see the tenancy (audited); a tenancy
  // the actor may not see answers exactly like a missing one.
  void require_visible(const hearth_actor &actor, const std::string &tenancy_id) {
    Poco::JSON::Object query;
    query.set("tenancy_id", tenancy_id);
    std::ostringstream text;
    query.stringify(text);
    const hearth_host *c = host_.c_host();
    char *result = nullptr;
    char *error = nullptr;
    const std::int32_t status = data_->read(c, &actor, "tenancy.signals", text.str().c_str(), &result, &error);
    c->free(result);
    c->free(error);
    if (status != HEARTH_OK) {
      throw hearth::Error(HEARTH_ERROR_NOT_FOUND, "args.tenancy_id: no such tenancy");
    }
  }

  void audit(const hearth_actor &actor, const char *event, const std::string &objects) {
    record_audit(host_.c_host(), audit_, actor, event, objects, "debt-help", "the audit entry was refused");
  }

  std::string tenancy_arg(const Poco::JSON::Object::Ptr &args) { return JsonFields(args, "args").text("tenancy_id"); }

  std::string record_precondition(const hearth_actor &actor, const Poco::JSON::Object::Ptr &args) {
    const std::string tenancy = tenancy_arg(args);
    const Precondition p = read_precondition(args, host_.now_ms());
    require_visible(actor, tenancy);
    host_.transaction([&] {
      host_.execute("INSERT INTO hearth_wgs_precondition (tenancy_id, kind, on_ms, channel, recorded_by, recorded_at_ms)"
                    " VALUES (?, ?, ?, ?, ?, ?)",
                    {tenancy, kind_name(p.kind), p.on_ms, p.channel, std::string(actor.user), host_.now_ms()});
      audit(actor, HEARTH_ACTION_CREATE, "tenancy:" + tenancy + ",wgs-precondition:" + kind_name(p.kind));
    });
    return R"({"recorded":true})";
  }

  std::vector<Precondition> recorded(const std::string &tenancy) {
    std::vector<Precondition> out;
    host_.execute("SELECT kind, on_ms, channel FROM hearth_wgs_precondition WHERE tenancy_id = ? ORDER BY on_ms, id",
                  {tenancy}, [&](const hearth::RowView &row) {
                    if (const auto kind = kind_from(row.text(0))) {
                      out.push_back(Precondition{*kind, row.int64(1), std::string(row.text(2))});
                    }
                    return true;
                  });
    return out;
  }

  std::string list_preconditions(const hearth_actor &actor, const Poco::JSON::Object::Ptr &args) {
    const std::string tenancy = tenancy_arg(args);
    require_visible(actor, tenancy);
    Poco::JSON::Array list;
    for (const auto &p : recorded(tenancy)) {
      Poco::JSON::Object item;
      item.set("kind", kind_name(p.kind));
      item.set("date", day_of(p.on_ms));
      if (!p.channel.empty()) {
        item.set("channel", p.channel);
      }
      list.add(item);
    }
    Poco::JSON::Object answer;
    answer.set("preconditions", list);
    std::ostringstream out;
    answer.stringify(out);
    return out.str();
  }

  std::string send_warning(const hearth_actor &actor, const Poco::JSON::Object::Ptr &args) {
    const std::int64_t now = host_.now_ms();
    const WarningRequest request = read_warning_request(args, now);
    require_visible(actor, request.tenancy_id);
    bool already = false;
    host_.execute("SELECT 1 FROM hearth_wgs_sent WHERE tenancy_id = ? AND arrears_since = ?",
                  {request.tenancy_id, request.arrears_since}, [&](const hearth::RowView &) {
                    already = true;
                    return false;
                  });
    if (already) {
      return R"({"sent":false,"already_sent":true})";
    }
    const WgsDecision decision = decide(request, recorded(request.tenancy_id), rules_, now);
    if (!decision.allowed) {
      throw hearth::Error(HEARTH_ERROR_CONFLICT, decision.refusal);
    }
    std::ostringstream body;
    warning_message(request, now).stringify(body);
    post(body.str(), idempotency_key(request));
    host_.transaction([&] {
      host_.execute("INSERT INTO hearth_wgs_sent (tenancy_id, arrears_since, amount_cents, sent_at_ms) VALUES (?, ?, ?, ?)",
                    {request.tenancy_id, request.arrears_since, request.amount_cents, now});
      audit(actor, HEARTH_ACTION_EXPORT, "tenancy:" + request.tenancy_id + ",wgs-early-warning:" + request.arrears_since);
    });
    return R"({"sent":true})";
  }

  // The same for every retry of one warning, and says nothing about the tenancy.
  static std::string idempotency_key(const WarningRequest &request) {
    Poco::SHA2Engine engine(Poco::SHA2Engine::SHA_256);
    engine.update(request.tenancy_id + "|" + request.arrears_since);
    return Poco::DigestEngine::digestToHex(engine.digest());
  }

  void post(const std::string &body, const std::string &key) {
    try {
      const Poco::URI uri(endpoint_);
      std::unique_ptr<Poco::Net::HTTPClientSession> session;
      if (!tls_.context.isNull()) {
        session = std::make_unique<Poco::Net::HTTPSClientSession>(uri.getHost(), uri.getPort(), tls_.context);
      } else {
        session = std::make_unique<Poco::Net::HTTPClientSession>(uri.getHost(), uri.getPort());
      }
      session->setTimeout(Poco::Timespan(10, 0));
      Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, uri.getPathEtc(), Poco::Net::HTTPMessage::HTTP_1_1);
      request.setContentType("application/json");
      request.setContentLength(static_cast<std::streamsize>(body.size()));
      request.set("Authorization", authorization_);
      request.set("Idempotency-Key", key);
      session->sendRequest(request) << body;
      Poco::Net::HTTPResponse response;
      Poco::NullOutputStream discard;
      Poco::StreamCopier::copyStream(session->receiveResponse(response), discard);
      const int status = static_cast<int>(response.getStatus());
      if (status < 200 || status > 299) {
        throw hearth::Error(HEARTH_ERROR_IO, "the municipality answered " + std::to_string(status));
      }
    } catch (const Poco::Net::SSLException &e) {
      // Nothing was sent: the certificate is not trusted (the message names the setting).
      throw hearth::Error(HEARTH_ERROR_IO,
                          describe_refused_certificate(tls_.settings, "the municipality's", e.displayText()));
    } catch (const Poco::Exception &e) {
      throw hearth::Error(HEARTH_ERROR_IO, std::string("the municipality could not be reached: ") + e.className());
    }
  }

  hearth::Host host_;
  bool enabled_ = false;
  std::string endpoint_, authorization_;
  // municipality_ca_file / municipality_verify; the context is null for an http endpoint.
  struct {
    TlsClientSettings settings;
    Poco::Net::Context::Ptr context;
  } tls_;
  WgsRules rules_;
  const hearth_data_extension *data_ = nullptr;
  const hearth_audit_extension *audit_ = nullptr;
};

} // namespace
} // namespace hearth::adapters::wgs

HEARTH_DEFINE_PLUGIN(hearth::adapters::wgs::WgsPlugin, hearth::adapters::wgs::kDescriptor)
