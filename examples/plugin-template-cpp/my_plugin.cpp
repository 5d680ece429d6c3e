// my_plugin.cpp — the smallest useful Hearth plugin in C++: a starting point to copy.
//
// It offers one operation, "ping" (POST /api/v1/org.example.my-plugin/ping, or
// hearth_runtime_call from an embedding program), answering {"pong":true}. hearth::Plugin
// (hearth/plugin.hpp) turns exceptions into statuses; HEARTH_DEFINE_PLUGIN defines the one
// exported symbol. For storage, events and queries see hearth/plugin.hpp and docs/abi.md.
#include <hearth/plugin.hpp>

#include <string>
#include <string_view>

namespace {

// Who we are; static data, so it outlives every call the runtime makes.
const char *const my_plugin_features[] = {"org.example.my-plugin", nullptr};
const hearth_plugin_descriptor my_plugin_descriptor = {
    sizeof(hearth_plugin_descriptor), // struct_size
    HEARTH_PLUGIN_KIND_OTHER,         // kind
    "org.example.my-plugin",          // id; also the config section [plugin.<id>]
    "My plugin",                      // name
    "Example",                        // vendor
    "1.0.0",                          // version: the plugin's own release
    "A starting point: answers the operation ping.",
    my_plugin_features, // features
    nullptr             // dependencies
};

// One instance lives from init() to deinit().
class MyPlugin final : public hearth::Plugin {
public:
  // Keeps the host's services and says so in the log. Throw to refuse to start.
  void init(hearth::Host host) override {
    host_ = host;
    host_.log_info("started");
  }

  bool offers_operations() const override { return true; }

  // "ping" answers {"pong":true}; anything else is unknown (HEARTH_ERROR_NOT_FOUND).
  std::string call(const hearth_actor & /*actor*/, std::string_view operation,
                   std::string_view /*args_json*/) override {
    if (operation == "ping") {
      return R"({"pong":true})";
    }
    throw hearth::Error(HEARTH_ERROR_NOT_FOUND, "operation: unknown (this plugin offers ping)");
  }

private:
  hearth::Host host_;
};

} // namespace

HEARTH_DEFINE_PLUGIN(MyPlugin, my_plugin_descriptor)
