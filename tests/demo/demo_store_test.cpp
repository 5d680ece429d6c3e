// The demo loader against a real runtime on a scratch SQLite store: every generated
// signal passes the runtime's validation, reruns are idempotent, and failures surface.
#include <string>

#include <gtest/gtest.h>

#include <hearth/host.h>

#include "demo/civil_date.hpp"
#include "demo/demo_loader.hpp"
#include "demo/demo_runtime.hpp"
#include "demo/generator.hpp"
#include "demo/signal_batch.hpp"
#include "demo/store_counts.hpp"
#include "demo_scratch.hpp"

namespace {

using namespace hearth::demo;
using hearth::test::DemoScratchConfig;

// A clock frozen at 2023-01-01, for the test of signals after the runtime's clock.
std::int64_t frozen_clock(void *) { return day_number(2023, 1, 1) * ms_per_day; }

// The system actor the loader uses.
hearth_actor system_actor() {
  hearth_actor actor{};
  actor.struct_size = sizeof actor;
  actor.user = "demo-test";
  actor.role = HEARTH_ROLE_SYSTEM;
  actor.organisation = "hearth:demo";
  actor.access_point = "test";
  return actor;
}

TEST(DemoStore, EverySignalPassesValidationAndCountsMatch) {
  DemoScratchConfig config;
  DemoRuntime runtime(config.dir());
  const DemoNeighbourhood neighbourhood = generate_neighbourhood(300, 3);

  // Records through the loader, then every signal batch by hand to see the result.
  LoadOptions records_only;
  DemoNeighbourhood without_signals = neighbourhood;
  without_signals.signals.clear();
  store_neighbourhood(runtime.get(), without_signals, records_only);
  const hearth_actor actor = system_actor();
  std::uint64_t accepted = 0;
  for (std::size_t begin = 0; begin < neighbourhood.signals.size(); begin += 1000) {
    const SignalBatch batch(neighbourhood, begin, begin + 1000);
    hearth_ingest_result result{};
    result.struct_size = sizeof result;
    char *error = nullptr;
    const std::int32_t status = hearth_runtime_ingest(runtime.get(), &actor, batch.pointers(), batch.size(),
                                                      &result, &error);
    const std::string message = take_error(status, error);
    ASSERT_EQ(status, HEARTH_OK) << message;
    ASSERT_EQ(result.rejected, 0U) << "signal " << begin + result.first_rejected << ": " << message;
    EXPECT_EQ(result.duplicates, 0U);
    accepted += result.accepted;
  }
  EXPECT_EQ(accepted, neighbourhood.signals.size());

  const StoreCounts counts = read_store_counts(runtime.get());
  EXPECT_EQ(counts.units, 300);
  EXPECT_EQ(counts.tenancies, 300);
  EXPECT_EQ(counts.outcomes, 300);
  EXPECT_GE(counts.persons, 300);
  EXPECT_EQ(counts.signals, static_cast<std::int64_t>(neighbourhood.signals.size()));
}

TEST(DemoStore, RerunStoresNothingNew) {
  DemoScratchConfig config;
  DemoRuntime runtime(config.dir());
  const DemoNeighbourhood neighbourhood = generate_neighbourhood(150, 11);
  std::size_t progress_calls = 0;
  LoadOptions options;
  options.signal_batch = 200;
  options.progress = [&](const LoadProgress &step) {
    ++progress_calls;
    EXPECT_LE(step.done, step.total);
  };
  const LoadSummary first = store_neighbourhood(runtime.get(), neighbourhood, options);
  EXPECT_EQ(first.accepted, neighbourhood.signals.size());
  EXPECT_EQ(first.duplicates, 0U);
  EXPECT_EQ(first.skipped_future, 0U);
  EXPECT_GT(progress_calls, neighbourhood.signals.size() / 200);

  const LoadSummary second = store_neighbourhood(runtime.get(), generate_neighbourhood(150, 11), options);
  EXPECT_EQ(second.accepted, 0U);
  EXPECT_EQ(second.duplicates, neighbourhood.signals.size());
  EXPECT_EQ(read_store_counts(runtime.get()).signals, static_cast<std::int64_t>(neighbourhood.signals.size()));
}

TEST(DemoStore, SignalsAfterTheRuntimeClockAreNotSent) {
  DemoScratchConfig config;
  DemoRuntime runtime(config.dir());
  ASSERT_EQ(hearth_runtime_set_clock(runtime.get(), frozen_clock, nullptr), HEARTH_OK);
  const DemoNeighbourhood neighbourhood = generate_neighbourhood(200, 2);
  const LoadSummary summary = store_neighbourhood(runtime.get(), neighbourhood);
  EXPECT_GT(summary.skipped_future, 0U);
  EXPECT_GT(summary.accepted, 0U);
  EXPECT_EQ(summary.accepted + summary.skipped_future, neighbourhood.signals.size());
}

TEST(DemoStore, AStoreWithoutTheLegalBasesRefusesWithTheReason) {
  DemoScratchConfig config("[data]\nlegal_bases = avg-6-1-e\npurposes = nuisance-handling\n");
  DemoRuntime runtime(config.dir());
  try {
    store_neighbourhood(runtime.get(), generate_neighbourhood(100, 1));
    FAIL() << "the store accepted signals with an unconfigured legal basis";
  } catch (const std::runtime_error &failure) {
    const std::string message = failure.what();
    EXPECT_NE(message.find("cannot ingest signals 1 to"), std::string::npos) << message;
    EXPECT_NE(message.find("legal_basis"), std::string::npos) << message;
  }
  EXPECT_EQ(read_store_counts(runtime.get()).signals, 0);
  EXPECT_EQ(read_store_counts(runtime.get()).tenancies, 100);
}

TEST(DemoStore, OpeningAnUnusableStoreFails) {
  DemoScratchConfig config("[storage]\nbackend = nosuchdb\n");
  EXPECT_THROW(DemoRuntime runtime(config.dir()), std::runtime_error);
}

} // namespace
