// The plugin the isolation benchmark calls: one operation, "echo", that returns its
// arguments. Built twice with different ids, so that one runtime can hold it in-process
// and isolated at once.
#include <hearth/plugin.hpp>

#ifndef BENCH_ECHO_ID
#define BENCH_ECHO_ID "nl.hearth.bench.echo"
#endif

namespace {

const hearth_plugin_descriptor descriptor{sizeof(hearth_plugin_descriptor), HEARTH_PLUGIN_KIND_OTHER,
                                          BENCH_ECHO_ID, "Echo (benchmark)", "Hearth benchmarks", "0.0.1",
                                          "Answers an operation with its arguments", nullptr, nullptr};

class EchoPlugin : public hearth::Plugin {
public:
  void init(hearth::Host) override {}
  bool offers_operations() const override { return true; }
  std::string call(const hearth_actor &, std::string_view operation, std::string_view args) override {
    if (operation != "echo") {
      throw hearth::Error(HEARTH_ERROR_NOT_FOUND, "unknown operation '" + std::string(operation) + "'");
    }
    return std::string(args);
  }
};

} // namespace

HEARTH_DEFINE_PLUGIN(EchoPlugin, descriptor)
