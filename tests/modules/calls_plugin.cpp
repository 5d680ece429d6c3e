// A test plugin for the 1.2 services: calls to other plugins' operations
// (hearth/calls.h), credential checks (hearth/credentials.h), the runtime's mode and the
// runtime's read views. Its operations (each answers {"status": N, "text": "..."} with
// what the service returned):
//   relay      {plugin, operation, args?}   calls plugin/operation as the caller's actor
//   relay-as   {plugin, operation, user}    the same with the actor's user replaced ("" = none)
//   relay-raw  {plugin, operation, raw}     passes `raw` unparsed as args_json
//   whois      {credential}                  asks the credential service
//   read       {view, args?}                 the data extension's read() as the caller
//   mode       {}                            config_get("runtime.mode")
#include <sstream>
#include <string>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include <hearth/calls.h>
#include <hearth/credentials.h>
#include <hearth/data_service.h>
#include <hearth/plugin.hpp>

namespace {

// It depends on the services plugin, so it may take that plugin's typed factory; built
// with TEST_NO_DEPENDENCY (as test_calls_free) it declares none and may not.
#ifdef TEST_NO_DEPENDENCY
const char *const *const dependencies = nullptr;
constexpr const char *kId = "nl.hearth.test.calls-free";
#else
const char *const dependencies[] = {"nl.hearth.test.services", nullptr};
constexpr const char *kId = "nl.hearth.test.calls";
#endif
const hearth_plugin_descriptor descriptor{sizeof(hearth_plugin_descriptor), HEARTH_PLUGIN_KIND_OTHER,
                                          kId, "Calls test plugin", "Hearth tests",
                                          "0.0.1", "Exercises the 1.2 services", nullptr, dependencies};

// The services plugin's typed table (tests/modules/service_plugin.cpp).
struct TypedTable {
  uint32_t struct_size;
  int32_t (*twice)(int32_t);
};

void append(void *user_data, const char *data, uint64_t size) {
  static_cast<std::string *>(user_data)->append(data, size);
}

std::string answer(int32_t status, const std::string &text) {
  Poco::JSON::Object out;
  out.set("status", status);
  out.set("text", text);
  std::ostringstream stream;
  Poco::JSON::Stringifier::condense(out, stream);
  return stream.str();
}

class CallsPlugin : public hearth::Plugin {
public:
  void init(hearth::Host host) override {
    host_ = host;
    const hearth_host *c = host.c_host();
    calls_ = static_cast<const hearth_calls_extension *>(c->get_extension(c, HEARTH_CALLS_EXTENSION_ID));
    credentials_ =
        static_cast<const hearth_credentials_extension *>(c->get_extension(c, HEARTH_CREDENTIALS_EXTENSION_ID));
    data_ = static_cast<const hearth_data_extension *>(c->get_extension(c, HEARTH_DATA_EXTENSION_ID));
    if (calls_ == nullptr || credentials_ == nullptr || data_ == nullptr) {
      throw hearth::Error(HEARTH_ERROR_UNSUPPORTED, "a 1.2 extension is missing");
    }
    // Other plugins are not reachable while plugins are being started.
    const hearth_actor system{sizeof(hearth_actor), 0, "calls-test", HEARTH_ROLE_SYSTEM, "hearth", nullptr, "test"};
    std::string ignored;
    hearth_text_sink sink{sizeof(hearth_text_sink), 0, &ignored, &append};
    init_call_status_ = calls_->call(c, &system, "nl.hearth.test.services", "whoami", "{}", &sink);
    init_factory_null_ = calls_->factory(c, "nl.hearth.test.services", "nl.hearth.test.typed/1") == nullptr;
  }

  bool offers_operations() const override { return true; }

  std::string call(const hearth_actor &actor, std::string_view operation, std::string_view args_text) override {
    const auto args = Poco::JSON::Parser().parse(std::string(args_text)).extract<Poco::JSON::Object::Ptr>();
    const auto text = [&](const char *name) { return args->optValue<std::string>(name, ""); };
    std::string out;
    hearth_text_sink sink{sizeof(hearth_text_sink), 0, &out, &append};
    if (operation == "relay" || operation == "relay-as" || operation == "relay-raw") {
      hearth_actor as = actor;
      const std::string user = text("user");
      if (operation == "relay-as") as.user = user.empty() ? nullptr : user.c_str();
      std::string forwarded = "{}";
      if (operation == "relay-raw") {
        forwarded = text("raw");
      } else if (args->has("args")) {
        std::ostringstream stream;
        Poco::JSON::Stringifier::condense(args->get("args"), stream);
        forwarded = stream.str();
      }
      const int32_t status = calls_->call(host_.c_host(), &as, text("plugin").c_str(), text("operation").c_str(),
                                          forwarded.c_str(), &sink);
      return answer(status, out);
    }
    if (operation == "whois") {
      const int32_t status = credentials_->authenticate(host_.c_host(), text("credential").c_str(), &sink);
      return answer(status, out);
    }
    if (operation == "read") {
      std::string view_args = "{}";
      if (args->has("args")) {
        std::ostringstream stream;
        Poco::JSON::Stringifier::condense(args->get("args"), stream);
        view_args = stream.str();
      }
      char *result = nullptr;
      char *error = nullptr;
      const int32_t status =
          data_->read(host_.c_host(), &actor, text("view").c_str(), view_args.c_str(), &result, &error);
      const std::string reply = status == HEARTH_OK ? (result != nullptr ? result : "") : (error != nullptr ? error : "");
      host_.c_host()->free(result);
      host_.c_host()->free(error);
      return answer(status, reply);
    }
    if (operation == "factory") {
      const void *table = calls_->factory(host_.c_host(), text("plugin").c_str(), text("factory").c_str());
      if (table == nullptr) return answer(HEARTH_OK, "null");
      const auto *typed = static_cast<const TypedTable *>(table);
      return answer(HEARTH_OK, "twice(21)=" + std::to_string(typed->twice(21)));
    }
    if (operation == "init-results") {
      return answer(init_call_status_, init_factory_null_ ? "factory null" : "factory set");
    }
    if (operation == "mode") {
      const auto mode = host_.config("runtime.mode");
      return answer(HEARTH_OK, mode ? std::string(*mode) : std::string("(none)"));
    }
    throw hearth::Error(HEARTH_ERROR_NOT_FOUND, "unknown operation '" + std::string(operation) + "'");
  }

private:
  hearth::Host host_;
  const hearth_calls_extension *calls_ = nullptr;
  const hearth_credentials_extension *credentials_ = nullptr;
  const hearth_data_extension *data_ = nullptr;
  int32_t init_call_status_ = HEARTH_OK;
  bool init_factory_null_ = false;
};

} // namespace

HEARTH_DEFINE_PLUGIN(CallsPlugin, descriptor)
