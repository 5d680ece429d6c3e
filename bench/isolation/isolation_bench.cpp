// The cost of `isolation = process` per call: the same trivial operation (an echo of a
// small JSON object; a call that reads one row, or 100 rows, through storage_execute)
// through hearth_runtime_call() to a plugin loaded in-process and to the same plugin in a
// hearth-plugin-host child, in one runtime, in the same run. Prints each isolated time as
// a multiple of the in-process one.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>

#include <unistd.h>

#include <benchmark/benchmark.h>

#include <hearth/host.h>

namespace {

constexpr const char *kInProcess = "nl.hearth.bench.echo";
constexpr const char *kIsolated = "nl.hearth.bench.echo-isolated";
constexpr const char *kArgs = R"({"tenancy_id":"t-000123","kind":"OVE","severity":2})";
const hearth_actor kActor{sizeof(hearth_actor), 0, "bench-1", HEARTH_ROLE_SYSTEM, "corp:bench", nullptr, "bench"};

// One runtime for the whole run, on a scratch folder with both echo modules.
class BenchRuntime {
public:
  BenchRuntime() {
    folder_ = std::filesystem::temp_directory_path() / ("hearth-isolation-bench-" + std::to_string(::getpid()));
    const auto plugins = folder_ / "plugins";
    std::filesystem::create_directories(plugins);
    for (const char *module : {"bench_echo.so", "bench_echo_isolated.so"}) {
      std::filesystem::copy_file(std::filesystem::path(HEARTH_BENCH_MODULE_DIR) / module, plugins / module);
    }
    std::ofstream(folder_ / "hearth.ini") << "[storage]\nbackend = sqlite\nsqlite_path = " << (folder_ / "hearth.db").string()
                                          << "\n[plugins]\nbundled = false\npath = " << plugins.string()
                                          << "\n[log]\nlevel = warn\n[plugin." << kIsolated
                                          << "]\nisolation = process\n";
    char *error = nullptr;
    if (hearth_runtime_open(folder_.c_str(), &runtime_, &error) != HEARTH_OK ||
        hearth_runtime_load_plugins(runtime_, &error) != HEARTH_OK) {
      const std::string reason = error != nullptr ? error : "unknown";
      hearth_free(error);
      throw std::runtime_error("cannot open the benchmark runtime: " + reason);
    }
  }
  ~BenchRuntime() {
    hearth_runtime_close(runtime_);
    std::error_code ec;
    std::filesystem::remove_all(folder_, ec);
  }
  BenchRuntime(const BenchRuntime &) = delete;
  BenchRuntime &operator=(const BenchRuntime &) = delete;

  hearth_runtime *get() const { return runtime_; }

private:
  std::filesystem::path folder_;
  hearth_runtime *runtime_ = nullptr;
};

// Made at the first benchmark, closed by main(): a runtime must be closed before the
// library's own statics go away at exit.
std::unique_ptr<BenchRuntime> shared_runtime;

BenchRuntime &bench_runtime() {
  if (!shared_runtime) {
    shared_runtime = std::make_unique<BenchRuntime>();
  }
  return *shared_runtime;
}

void call_operation(benchmark::State &state, const char *plugin, const char *operation) {
  hearth_runtime *runtime = bench_runtime().get();
  for (auto _ : state) {
    char *result = nullptr;
    char *error = nullptr;
    const int32_t status = hearth_runtime_call(runtime, &kActor, plugin, operation, kArgs, &result, &error);
    if (status != HEARTH_OK) {
      state.SkipWithError(error != nullptr ? error : "the call failed");
      hearth_free(error);
      break;
    }
    benchmark::DoNotOptimize(result);
    hearth_free(result);
  }
  state.SetItemsProcessed(state.iterations());
}

void in_process_call(benchmark::State &state) { call_operation(state, kInProcess, "echo"); }
void isolated_call(benchmark::State &state) { call_operation(state, kIsolated, "echo"); }
// A call that runs one storage_execute with one row: isolated, the statement and its row
// are two more round trips to the child.
void in_process_select(benchmark::State &state) { call_operation(state, kInProcess, "select"); }
void isolated_select(benchmark::State &state) { call_operation(state, kIsolated, "select"); }
// The same statement with 100 rows: isolated, a round trip per row.
void in_process_select_100(benchmark::State &state) { call_operation(state, kInProcess, "select_100"); }
void isolated_select_100(benchmark::State &state) { call_operation(state, kIsolated, "select_100"); }

BENCHMARK(in_process_call)->Unit(benchmark::kMicrosecond);
BENCHMARK(isolated_call)->Unit(benchmark::kMicrosecond);
BENCHMARK(in_process_select)->Unit(benchmark::kMicrosecond);
BENCHMARK(isolated_select)->Unit(benchmark::kMicrosecond);
BENCHMARK(in_process_select_100)->Unit(benchmark::kMicrosecond);
BENCHMARK(isolated_select_100)->Unit(benchmark::kMicrosecond);

// The console output, then the isolated call's time as a multiple of the in-process one.
class RatioToInProcess : public benchmark::ConsoleReporter {
public:
  void ReportRuns(const std::vector<Run> &runs) override {
    ConsoleReporter::ReportRuns(runs);
    // One time per benchmark: a single run's, or with repetitions the mean's.
    for (const auto &run : runs) {
      if (run.error_occurred) {
        continue;
      }
      if (run.run_type == Run::RT_Iteration) {
        times_[run.run_name.function_name] = run.GetAdjustedRealTime();
      } else if (run.aggregate_name == "mean") {
        times_[run.run_name.function_name] = run.GetAdjustedRealTime();
      }
    }
  }
  void Finalize() override {
    ConsoleReporter::Finalize();
    for (const char *what : {"call", "select", "select_100"}) {
      const auto in_process = times_.find(std::string("in_process_") + what);
      const auto isolated = times_.find(std::string("isolated_") + what);
      if (in_process != times_.end() && isolated != times_.end() && in_process->second > 0) {
        std::cout << "isolated_" << what << ": " << isolated->second / in_process->second << " x the time of in_process_"
                  << what << " (same runtime, same run)\n";
      }
    }
  }

private:
  std::map<std::string, double> times_;
};

} // namespace

int main(int argc, char **argv) {
  benchmark::Initialize(&argc, argv);
  RatioToInProcess reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  shared_runtime.reset();
  benchmark::Shutdown();
  return 0;
}
