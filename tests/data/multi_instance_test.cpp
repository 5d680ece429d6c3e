// Several runtime instances on one PostgreSQL: each sees every committed signal exactly
// once, in commit order, whichever instance ingested it (event log + LISTEN/NOTIFY).
#include <thread>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include "data_fixture.hpp"

namespace hearth::test {
namespace {

TEST(MultiInstance, TwoInstancesIngestingConcurrentlyEndInTheSameState) {
  HEARTH_REQUIRE_OR_SKIP(postgres_url().has_value(), "HEARTH_TEST_POSTGRES is not set (scripts/start-postgres.sh)");
  TestStore store(Backend::postgresql);
  DataRuntime first(store.store(), {"test_signal_listener"});
  DataRuntime second(store.store(), {"test_signal_listener"});
  first.add_tenancy("T-1", "consultant-1", "tenant-1");

  constexpr int kBatches = 20;
  constexpr int kPerBatch = 25;
  auto ingest_through = [&](DataRuntime &instance, const std::string &name) {
    for (int b = 0; b < kBatches; ++b) {
      std::vector<SignalSpec> signals(kPerBatch);
      for (int i = 0; i < kPerBatch; ++i) {
        signals[static_cast<std::size_t>(i)].external_id = name + "-" + std::to_string(b) + "-" + std::to_string(i);
      }
      hearth_ingest_result result{};
      std::string error;
      ASSERT_EQ(instance.ingest(actor("system", name.c_str()), signals, result, error), HEARTH_OK) << error;
      ASSERT_EQ(result.accepted, static_cast<uint32_t>(kPerBatch));
    }
  };
  std::thread a([&] { ingest_through(first, "a"); });
  std::thread b([&] { ingest_through(second, "b"); });
  a.join();
  b.join();

  ASSERT_EQ(hearth_runtime_drain(first.runtime(), 30000), HEARTH_OK);
  ASSERT_EQ(hearth_runtime_drain(second.runtime(), 30000), HEARTH_OK);
  std::string seen_first, seen_second;
  ASSERT_EQ(first.query("nl.hearth.test.signal-listener", "seen", seen_first), HEARTH_OK);
  ASSERT_EQ(second.query("nl.hearth.test.signal-listener", "seen", seen_second), HEARTH_OK);
  EXPECT_EQ(seen_first, seen_second) << "both instances must see the same events in the same order";
  // Every signal exactly once, in commit order: a signal's seq is its place in the log, so
  // the sequence numbers each instance saw only ever go up.
  const auto seen = Poco::JSON::Parser().parse(seen_first).extract<Poco::JSON::Array::Ptr>();
  EXPECT_EQ(seen->size(), static_cast<std::size_t>(2 * kBatches * kPerBatch));
  for (unsigned i = 1; i < seen->size(); ++i) {
    ASSERT_GT(seen->getElement<std::int64_t>(i), seen->getElement<std::int64_t>(i - 1)) << "at " << i;
  }
}

TEST(MultiInstance, AnInstanceStartedLaterReplaysTheLogOrStartsAtTheEnd) {
  HEARTH_REQUIRE_OR_SKIP(postgres_url().has_value(), "HEARTH_TEST_POSTGRES is not set (scripts/start-postgres.sh)");
  TestStore store(Backend::postgresql);
  {
    DataRuntime early(store.store());
    early.add_tenancy("T-1", "consultant-1", "tenant-1");
    std::vector<SignalSpec> signals(4);
    for (int i = 0; i < 4; ++i) signals[static_cast<std::size_t>(i)].external_id = "early-" + std::to_string(i);
    hearth_ingest_result result{};
    std::string error;
    ASSERT_EQ(early.ingest(actor("system", "adapter"), signals, result, error), HEARTH_OK) << error;
  }
  DataRuntime replaying(store.store(), {"test_signal_listener"});
  DataRuntime tail(store.store(), {"test_signal_listener"}, "[events]\nstart = end\n");
  ASSERT_EQ(hearth_runtime_drain(replaying.runtime(), 30000), HEARTH_OK);
  ASSERT_EQ(hearth_runtime_drain(tail.runtime(), 30000), HEARTH_OK);
  std::string replayed, tailed;
  ASSERT_EQ(replaying.query("nl.hearth.test.signal-listener", "seen", replayed), HEARTH_OK);
  ASSERT_EQ(tail.query("nl.hearth.test.signal-listener", "seen", tailed), HEARTH_OK);
  EXPECT_EQ(std::count(replayed.begin(), replayed.end(), ',') + 1, 4) << replayed;
  EXPECT_EQ(tailed, "[]");
}

} // namespace
} // namespace hearth::test
