// The plugin the isolation benchmark calls: "echo" returns its arguments; "select" and
// "select_100" read rows through the storage service. Built twice with different ids, so that one runtime can hold it in-process
// and isolated at once.
#include <hearth/plugin.hpp>

#ifndef BENCH_ECHO_ID
#define BENCH_ECHO_ID "nl.hearth.bench.echo"
#endif

namespace {

const hearth_plugin_descriptor descriptor{sizeof(hearth_plugin_descriptor), HEARTH_PLUGIN_KIND_OTHER,
                                          BENCH_ECHO_ID, "Echo (benchmark)", "Hearth benchmarks", "0.0.1",
                                          "Answers an operation with its arguments", nullptr, nullptr};

// "select" runs one statement through storage_execute and reads its one row; "select_100"
// reads 100 rows (a round trip per row when isolated). Both answer the sum they read.
class EchoPlugin : public hearth::Plugin {
public:
  void init(hearth::Host host) override { host_ = host; }
  bool offers_operations() const override { return true; }
  std::string call(const hearth_actor &, std::string_view operation, std::string_view args) override {
    if (operation == "echo") {
      return std::string(args);
    }
    if (operation == "select" || operation == "select_100") {
      const std::int64_t rows = operation == "select" ? 1 : 100;
      std::int64_t sum = 0;
      host_.execute("WITH RECURSIVE counter(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM counter WHERE i < ?) "
                    "SELECT i FROM counter",
                    {rows}, [&](const hearth::RowView &row) {
                      sum += row.int64(0);
                      return true;
                    });
      return std::to_string(sum);
    }
    throw hearth::Error(HEARTH_ERROR_NOT_FOUND, "unknown operation '" + std::string(operation) + "'");
  }

private:
  hearth::Host host_;
};

} // namespace

HEARTH_DEFINE_PLUGIN(EchoPlugin, descriptor)
