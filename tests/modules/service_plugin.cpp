// A test plugin for the 1.1 services: operations (hearth/service.h), HTTP routes
// (hearth/http.h), the audit and data extensions, and a typed factory. Its operations:
//   whoami            -> the actor as JSON
//   refuse            -> HEARTH_ERROR_DENIED; "missing" -> NOT_FOUND; "clash" -> CONFLICT;
//   bad-args          -> INVALID_ARGUMENT naming the field; "explode" throws
//   audit             -> one audit entry "read" on {"object"} committed
//   audit-rolled-back -> an audit entry written inside a transaction that then fails
//   audit-count       -> how many audit entries name {"object"}
//   ingest            -> ingests one signal {"tenancy_id","external_id"} through "nl.hearth.data/1"
//   route-results     -> what init() got back from add_route() for a duplicate and a reserved path
//   count             -> adds 1 to the counter hearth_test_events_total{kind=<args.kind>}
//   bad-metric        -> the statuses of a bad name, a negative step and a "plugin" label
// Routes: GET /test/echo (actor, query, a header), POST /test/echo (the body back),
// GET /test/fail (the handler fails), GET /test/tree/* (a prefix route).
#include <cstring>
#include <string>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <hearth/audit.h>
#include <hearth/data_service.h>
#include <hearth/http.h>
#include <hearth/metrics.h>
#include <hearth/plugin.hpp>

namespace {

const hearth_plugin_descriptor descriptor{sizeof(hearth_plugin_descriptor), HEARTH_PLUGIN_KIND_OTHER,
                                          "nl.hearth.test.services", "Service test plugin", "Hearth tests",
                                          "0.0.1", "Exercises the 1.1 services", nullptr, nullptr};

// The typed factory a host fetches with hearth_runtime_plugin_factory().
struct TypedTable {
  uint32_t struct_size;
  int32_t (*twice)(int32_t);
};
int32_t twice(int32_t value) { return 2 * value; }
const TypedTable typed_table{sizeof(TypedTable), &twice};

std::string text_or_null(const char *text) {
  return text != nullptr ? "\"" + std::string(text) + "\"" : "null";
}

std::string arg(std::string_view args_json, const char *name) {
  const auto object = Poco::JSON::Parser().parse(std::string(args_json)).extract<Poco::JSON::Object::Ptr>();
  if (!object->has(name)) {
    throw hearth::Error(HEARTH_ERROR_INVALID_ARGUMENT, std::string(name) + ": missing");
  }
  return object->getValue<std::string>(name);
}

class ServicePlugin : public hearth::Plugin {
public:
  void init(hearth::Host host) override {
    host_ = host;
    const hearth_host *c = host.c_host();
    audit_ = static_cast<const hearth_audit_extension *>(c->get_extension(c, HEARTH_AUDIT_EXTENSION_ID));
    data_ = static_cast<const hearth_data_extension *>(c->get_extension(c, HEARTH_DATA_EXTENSION_ID));
    const auto *http = static_cast<const hearth_http_extension *>(c->get_extension(c, HEARTH_HTTP_EXTENSION_ID));
    metrics_ = static_cast<const hearth_metrics_extension *>(c->get_extension(c, HEARTH_METRICS_EXTENSION_ID));
    if (audit_ == nullptr || data_ == nullptr || http == nullptr || metrics_ == nullptr) {
      throw hearth::Error(HEARTH_ERROR_UNSUPPORTED, "a 1.1 extension is missing");
    }
    check(metrics_->describe(c, "hearth_test_events_total", HEARTH_METRIC_COUNTER, "Test events by kind.", nullptr));
    check(http->add_route(c, "GET", "/test/echo", &ServicePlugin::echo, this, nullptr));
    check(http->add_route(c, "POST", "/test/echo", &ServicePlugin::echo, this, nullptr));
    check(http->add_route(c, "GET", "/test/fail", &ServicePlugin::fail, this, nullptr));
    check(http->add_route(c, "GET", "/test/tree/*", &ServicePlugin::echo, this, nullptr));
    char *error = nullptr;
    duplicate_route_ = http->add_route(c, "GET", "/test/echo", &ServicePlugin::echo, this, &error);
    c->free(error);
    error = nullptr;
    reserved_route_ = http->add_route(c, "GET", "/healthz", &ServicePlugin::echo, this, &error);
    reserved_reason_ = error != nullptr ? error : "";
    c->free(error);
  }

  bool offers_operations() const override { return true; }

  std::string call(const hearth_actor &actor, std::string_view operation, std::string_view args) override {
    if (operation == "whoami") {
      return "{\"user\":" + text_or_null(actor.user) + ",\"role\":" + text_or_null(actor.role) +
             ",\"organisation\":" + text_or_null(actor.organisation) +
             ",\"on_behalf_of\":" + text_or_null(actor.on_behalf_of) +
             ",\"access_point\":" + text_or_null(actor.access_point) +
             ",\"emergency\":" + std::to_string(actor.emergency) + "}";
    }
    if (operation == "refuse") throw hearth::Error(HEARTH_ERROR_DENIED, "role may not do this");
    if (operation == "missing") throw hearth::Error(HEARTH_ERROR_NOT_FOUND, "no such record");
    if (operation == "clash") throw hearth::Error(HEARTH_ERROR_CONFLICT, "state changed meanwhile");
    if (operation == "bad-args") {
      arg(args, "needed");
      return "{}";
    }
    if (operation == "explode") throw std::runtime_error("exploded on purpose");
    if (operation == "audit") {
      record(actor, arg(args, "object"));
      return "{}";
    }
    if (operation == "audit-rolled-back") {
      const std::string object = arg(args, "object");
      try {
        host_.transaction([&] {
          record(actor, object);
          throw std::runtime_error("roll back");
        });
      } catch (const std::exception &) {
      }
      return "{}";
    }
    if (operation == "audit-count") {
      std::int64_t count = 0;
      host_.execute("SELECT COUNT(*) FROM hearth_audit_log WHERE objects = ?", {arg(args, "object")},
                    [&](const hearth::RowView &row) {
                      count = row.int64(0);
                      return true;
                    });
      return "{\"count\":" + std::to_string(count) + "}";
    }
    if (operation == "ingest") {
      const std::string tenancy = arg(args, "tenancy_id");
      const std::string external = arg(args, "external_id");
      hearth_signal signal{};
      signal.struct_size = sizeof signal;
      signal.source = "test:services";
      signal.external_id = external.c_str();
      signal.type = "OVE";
      signal.tenancy_id = tenancy.c_str();
      signal.occurred_at_ms = host_.now_ms() - 1000;
      signal.severity = 2;
      signal.legal_basis = "avg-6-1-e";
      signal.purpose = "early-warning";
      const hearth_signal *batch[] = {&signal};
      hearth_ingest_result result{};
      result.struct_size = sizeof result;
      char *error = nullptr;
      const int32_t status = data_->ingest(host_.c_host(), &actor, batch, 1, &result, &error);
      const std::string reason = error != nullptr ? error : "";
      host_.c_host()->free(error);
      if (status != HEARTH_OK) throw hearth::Error(status, reason);
      return "{\"accepted\":" + std::to_string(result.accepted) +
             ",\"duplicates\":" + std::to_string(result.duplicates) + "}";
    }
    if (operation == "count") {
      const std::string labels = "kind=" + arg(args, "kind");
      check(metrics_->add(host_.c_host(), "hearth_test_events_total", labels.c_str(), 1.0, nullptr));
      return "{}";
    }
    if (operation == "bad-metric") {
      const hearth_host *c = host_.c_host();
      char *error = nullptr;
      const int32_t bad_name = metrics_->add(c, "9 lives", nullptr, 1.0, &error);
      const std::string reason = error != nullptr ? error : "";
      c->free(error);
      const int32_t negative = metrics_->add(c, "hearth_test_events_total", nullptr, -1.0, nullptr);
      const int32_t own_label = metrics_->set(c, "hearth_test_gauge", "plugin=other", 1.0, nullptr);
      const int32_t wrong_kind = metrics_->set(c, "hearth_test_events_total", nullptr, 1.0, nullptr);
      return "{\"bad_name\":" + std::to_string(bad_name) + ",\"reason_names_field\":" +
             (reason.rfind("name:", 0) == 0 ? "true" : "false") + ",\"negative\":" + std::to_string(negative) +
             ",\"own_label\":" + std::to_string(own_label) + ",\"wrong_kind\":" + std::to_string(wrong_kind) + "}";
    }
    if (operation == "route-results") {
      return "{\"duplicate\":" + std::to_string(duplicate_route_) + ",\"reserved\":" +
             std::to_string(reserved_route_) + ",\"reserved_reason_names_pattern\":" +
             (reserved_reason_.find("pattern") != std::string::npos ? "true" : "false") + "}";
    }
    throw hearth::Error(HEARTH_ERROR_NOT_FOUND, "unknown operation '" + std::string(operation) + "'");
  }

  const void *factory(const char *id) override {
    return std::strcmp(id, "nl.hearth.test.typed/1") == 0 ? &typed_table : nullptr;
  }

private:
  static void check(int32_t status) {
    if (status != HEARTH_OK) throw hearth::Error(status, "add_route failed");
  }

  void record(const hearth_actor &actor, const std::string &object) {
    hearth_audit_record entry{sizeof(hearth_audit_record), 0, "read", object.c_str(), "early-warning"};
    char *error = nullptr;
    const int32_t status = audit_->record(host_.c_host(), &actor, &entry, &error);
    const std::string reason = error != nullptr ? error : "";
    host_.c_host()->free(error);
    if (status != HEARTH_OK) throw hearth::Error(status, reason);
  }

  static int32_t echo(void *user_data, const hearth_http_request *request, const hearth_http_response *response) {
    (void)user_data;
    const char *probe = request->header(request, "X-Probe");
    const std::string body =
        "{\"method\":\"" + std::string(request->method) + "\",\"path\":\"" + request->path +
        "\",\"query\":\"" + request->query + "\",\"user\":" +
        text_or_null(request->actor != nullptr ? request->actor->user : nullptr) +
        ",\"role\":" + text_or_null(request->actor != nullptr ? request->actor->role : nullptr) +
        ",\"probe\":" + text_or_null(probe) + ",\"body_size\":" + std::to_string(request->body_size) + "}";
    response->set_status(response, std::strcmp(request->method, "POST") == 0 ? 201 : 200);
    response->set_header(response, "Content-Type", "application/json");
    response->set_header(response, "X-Test", "yes");
    response->set_header(response, "X-Bad", "split\r\nSet-Cookie: evil=1");
    response->write(response, body.data(), body.size());
    return HEARTH_OK;
  }

  static int32_t fail(void *, const hearth_http_request *, const hearth_http_response *) {
    return HEARTH_ERROR_IO;
  }

  hearth::Host host_;
  const hearth_audit_extension *audit_ = nullptr;
  const hearth_data_extension *data_ = nullptr;
  const hearth_metrics_extension *metrics_ = nullptr;
  int32_t duplicate_route_ = 0, reserved_route_ = 0;
  std::string reserved_reason_;
};

} // namespace

HEARTH_DEFINE_PLUGIN(ServicePlugin, descriptor)
