// hearth_ingest_bench: durable batched ingestion through hearth_runtime_ingest() against
// a plain SOCI prepared-statement insert loop of the same rows into the same schema, on
// SQLite (WAL, synchronous=FULL) and, when HEARTH_TEST_POSTGRES is set, on PostgreSQL.
// Each iteration stores one batch of 10,000 signals in one transaction; items_per_second
// is rows per second of wall-clock time, and the end of the run prints each loop as a
// fraction of the plain loop. One more loop locates the cost (see docs/benchmarks.md):
// store_execute_insert (the plain INSERT through Store::execute).
//
// Environment: HEARTH_BENCH_BATCHES (iterations per benchmark, default 10),
// HEARTH_BENCH_DIR (where SQLite files go, default /tmp), HEARTH_TEST_POSTGRES.
#include <chrono>
#include <cstdlib>
#include <functional>
#include <string>

#include <benchmark/benchmark.h>

#include <hearth/host.h>

#include "bench_database.hpp"
#include "plain_soci_loop.hpp"
#include "ratio_reporter.hpp"
#include "signal_rows.hpp"
#include "store_execute_loop.hpp"

namespace hearth::bench {
namespace {

// The wall clock in Unix epoch milliseconds, the received_at the plain loops write.
std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Iterations per benchmark, from HEARTH_BENCH_BATCHES.
benchmark::IterationCount batches_per_run() {
  const char *text = std::getenv("HEARTH_BENCH_BATCHES");
  const long long value = text != nullptr ? std::atoll(text) : 0;
  return value > 0 ? value : 10;
}

// Runs `insert(batch)` once per iteration on fresh signals (built untimed) and reports
// rows per second.
void run_batches(benchmark::State &state, const std::function<void(const SignalBatch &)> &insert) {
  std::uint64_t next_id = 0;
  for (auto _ : state) {
    state.PauseTiming();
    const SignalBatch batch(next_id, kBatchSize);
    next_id += kBatchSize;
    state.ResumeTiming();
    insert(batch);
  }
  state.SetItemsProcessed(state.iterations() * kBatchSize);
}

// The baseline: PlainSociLoop.
void plain_soci_insert(benchmark::State &state, storage::Backend backend) {
  BenchDatabase database(backend, "plain");
  PlainSociLoop loop(database);
  run_batches(state, [&](const SignalBatch &batch) { loop.insert(batch, now_ms()); });
}

// The product path: hearth_runtime_ingest() on the runtime's own store.
void runtime_ingest(benchmark::State &state, storage::Backend backend) {
  BenchDatabase database(backend, "ingest");
  hearth_runtime *runtime = nullptr;
  char *error = nullptr;
  if (hearth_runtime_open(database.config_dir().c_str(), &runtime, &error) != HEARTH_OK) {
    state.SkipWithError(error != nullptr ? error : "hearth_runtime_open failed");
    hearth_free(error);
    return;
  }
  hearth_actor actor{};
  actor.struct_size = sizeof actor;
  actor.user = "adapter-bench";
  actor.role = HEARTH_ROLE_SYSTEM;
  actor.organisation = "corp:bench";
  actor.access_point = "bench";
  run_batches(state, [&](const SignalBatch &batch) {
    hearth_ingest_result result{};
    result.struct_size = sizeof result;
    char *message = nullptr;
    const std::int32_t status =
        hearth_runtime_ingest(runtime, &actor, batch.pointers(), batch.size(), &result, &message);
    if (status != HEARTH_OK || result.accepted != batch.size()) {
      state.SkipWithError(message != nullptr ? message : "not every signal was accepted");
    }
    hearth_free(message);
  });
  hearth_runtime_close(runtime);
}

// Diagnostic: StoreExecuteLoop.
void store_execute_insert(benchmark::State &state, storage::Backend backend) {
  BenchDatabase database(backend, "store");
  StoreExecuteLoop loop(database);
  run_batches(state, [&](const SignalBatch &batch) { loop.insert(batch, now_ms()); });
}

// Registers every loop on `backend`, the baseline first.
void register_all(storage::Backend backend) {
  const std::string database = backend == storage::Backend::sqlite ? "sqlite" : "postgresql";
  const std::pair<const char *, void (*)(benchmark::State &, storage::Backend)> loops[] = {
      {"plain_soci_insert", plain_soci_insert},
      {"runtime_ingest", runtime_ingest},
      {"store_execute_insert", store_execute_insert},
  };
  for (const auto &[name, function] : loops) {
    benchmark::RegisterBenchmark((std::string(name) + "/" + database).c_str(), function, backend)
        ->Iterations(batches_per_run())
        ->UseRealTime()
        ->Unit(benchmark::kMillisecond);
  }
}

} // namespace
} // namespace hearth::bench

int main(int argc, char **argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) {
    return 1;
  }
  hearth::bench::register_all(hearth::storage::Backend::sqlite);
  if (!hearth::bench::postgres_url().empty()) {
    hearth::bench::register_all(hearth::storage::Backend::postgresql);
  }
  hearth::bench::RatioReporter reporter("plain_soci_insert");
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  return 0;
}
