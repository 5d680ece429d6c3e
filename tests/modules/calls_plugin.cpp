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

const hearth_plugin_descriptor descriptor{sizeof(hearth_plugin_descriptor), HEARTH_PLUGIN_KIND_OTHER,
                                          "nl.hearth.test.calls", "Calls test plugin", "Hearth tests",
                                          "0.0.1", "Exercises the 1.2 services", nullptr, nullptr};

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
};

} // namespace

HEARTH_DEFINE_PLUGIN(CallsPlugin, descriptor)
