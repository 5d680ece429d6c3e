// The event log since schema migration 3 (docs/adr/0007-signal-rows-are-the-event-log.md),
// on SQLite and on PostgreSQL: each stored signal is its own "nl.hearth.signal.accepted/1"
// event at the signal's seq; a follower publishes it with the payload hearth/signals.h
// documents (the JSON Poco::JSON writes for the same object); the view hearth_event_log
// shows one row per signal; and a store made before migration 3, with an event-log table
// of its own, keeps every stored signal's event after the upgrade.
#include <chrono>
#include <mutex>
#include <sstream>
#include <vector>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>
#include <spdlog/logger.h>

#include "data/event_log.hpp"
#include "data/schema.hpp"
#include "data_fixture.hpp"
#include "runtime/event_bus.hpp"
#include "storage/store.hpp"

namespace hearth::test {
namespace {

using namespace std::chrono_literals;

// Opens the test store directly (hearth_core), as the runtime does.
std::unique_ptr<storage::Store> open_direct(const DataRuntime::Store &store) {
  storage::StoreOptions options;
  if (store.backend == Backend::sqlite) {
    options.backend = storage::Backend::sqlite;
    options.target = store.sqlite_file.string();
  } else {
    options.backend = storage::Backend::postgresql;
    options.target = store.postgresql;
    options.pool_size = 2;
  }
  return storage::Store::open(options);
}

// A copy of one event a bus delivered.
struct SeenEvent {
  std::string type, subject, source, payload;
  std::int64_t occurred_at_ms = 0;
};

// Collects every event the bus delivers to it.
struct Collector {
  std::mutex mutex;
  std::vector<SeenEvent> events;

  static int32_t on_events(void *user_data, const hearth_event *const *events, uint32_t count) {
    auto *self = static_cast<Collector *>(user_data);
    std::lock_guard lock(self->mutex);
    for (uint32_t i = 0; i < count; ++i) {
      self->events.push_back({events[i]->type, events[i]->subject, events[i]->source,
                              events[i]->payload != nullptr ? events[i]->payload : "(null)",
                              events[i]->occurred_at_ms});
    }
    return HEARTH_OK;
  }
};

// The payload hearth/signals.h documents for `signal` stored at `seq`, written by
// Poco::JSON (keys in alphabetical order).
std::string documented_payload(const SignalSpec &signal, std::int64_t seq, const std::string &data_class) {
  Poco::JSON::Object object;
  object.set("seq", seq);
  object.set("source", signal.source);
  object.set("external_id", signal.external_id);
  object.set("type", signal.type);
  object.set("detail", signal.detail);
  object.set("tenancy_id", signal.tenancy_id);
  object.set("occurred_at_ms", signal.occurred_at_ms);
  object.set("amount_cents", signal.amount_cents);
  object.set("severity", signal.severity);
  object.set("data_class", data_class);
  std::ostringstream out;
  Poco::JSON::Stringifier::condense(object, out);
  return out.str();
}

std::vector<std::int64_t> parse_seqs(const std::string &json) {
  const auto array = Poco::JSON::Parser().parse(json).extract<Poco::JSON::Array::Ptr>();
  std::vector<std::int64_t> seqs;
  for (std::size_t i = 0; i < array->size(); ++i) {
    seqs.push_back(array->getElement<std::int64_t>(static_cast<unsigned>(i)));
  }
  return seqs;
}

class EventLog : public testing::TestWithParam<Backend> {
protected:
  void SetUp() override {
    if (GetParam() == Backend::postgresql) {
      HEARTH_REQUIRE_OR_SKIP(postgres_url().has_value(), "HEARTH_TEST_POSTGRES is not set (scripts/start-postgres.sh)");
    }
    store_ = std::make_unique<TestStore>(GetParam());
  }

  std::unique_ptr<TestStore> store_;
};

TEST_P(EventLog, FollowerPublishesEachSignalOnceWithTheDocumentedEvent) {
  std::vector<SignalSpec> signals(3);
  signals[0].external_id = "plain-1";
  // Text that JSON writers escape: a quote, a backslash, a slash, and non-ASCII letters.
  signals[1].external_id = "quote\"back\\slash/é-ü";
  signals[1].occurred_at_ms += 1000;
  signals[2].external_id = "nuisance-1";
  signals[2].type = "OVE";
  signals[2].detail = "GEL";
  signals[2].amount_cents = 0;
  signals[2].severity = 5;
  signals[2].legal_basis = "avg-6-1-e";
  signals[2].purpose = "nuisance-handling";
  signals[2].tenancy_id = "T-2";
  hearth_ingest_result result{};
  {
    DataRuntime runtime(store_->store());
    runtime.add_tenancy("T-1", "consultant-1", "tenant-1");
    runtime.add_tenancy("T-2", "consultant-2", "tenant-2");
    std::string error;
    ASSERT_EQ(runtime.ingest(actor("system", "adapter"), signals, result, error), HEARTH_OK) << error;
    ASSERT_EQ(result.accepted, 3u);
  }

  const auto store = open_direct(store_->store());
  // The view: one row per signal, at the signal's seq.
  std::vector<std::int64_t> view_seqs;
  store->execute("SELECT seq, type, subject, source FROM hearth_event_log ORDER BY seq", {},
                 [&](const storage::Row &row) {
                   view_seqs.push_back(std::get<std::int64_t>(row.values[0]));
                   EXPECT_EQ(std::get<std::string>(row.values[1]), HEARTH_EVENT_SIGNAL_ACCEPTED);
                   EXPECT_EQ(std::get<std::string>(row.values[3]), "host");
                   return true;
                 });
  const std::vector<std::int64_t> expected_seqs = {static_cast<std::int64_t>(result.first_sequence),
                                                   static_cast<std::int64_t>(result.first_sequence) + 1,
                                                   static_cast<std::int64_t>(result.last_sequence)};
  EXPECT_EQ(view_seqs, expected_seqs);
  EXPECT_EQ(data::last_event_seq(*store), result.last_sequence);

  // A follower from the start publishes each once, in seq order, as documented.
  auto logger = std::make_shared<spdlog::logger>("event-log-test");
  runtime::EventBus bus(logger);
  Collector collector;
  bus.subscribe(HEARTH_EVENT_SIGNAL_ACCEPTED, &Collector::on_events, &collector, "test");
  {
    data::EventLogFollower follower(*store, bus, logger, {.start_after = 0, .postgresql_target = {},
                                                          .poll_interval = 50ms});
    ASSERT_TRUE(follower.wait_for(result.last_sequence, 20s));
    EXPECT_EQ(follower.position(), result.last_sequence);
  }
  ASSERT_TRUE(bus.drain(20s));
  std::lock_guard lock(collector.mutex);
  ASSERT_EQ(collector.events.size(), 3u);
  const char *data_classes[] = {"finance", "finance", "nuisance"};
  for (std::size_t i = 0; i < 3; ++i) {
    SCOPED_TRACE(i);
    const auto &event = collector.events[i];
    EXPECT_EQ(event.type, HEARTH_EVENT_SIGNAL_ACCEPTED);
    EXPECT_EQ(event.subject, "tenancy:" + signals[i].tenancy_id);
    EXPECT_EQ(event.source, "host");
    EXPECT_EQ(event.occurred_at_ms, signals[i].occurred_at_ms);
    EXPECT_EQ(event.payload, documented_payload(signals[i], expected_seqs[i], data_classes[i]));
  }
}

TEST_P(EventLog, AFollowerStartingAfterAPositionPublishesOnlyLaterSignals) {
  hearth_ingest_result first{}, second{};
  {
    DataRuntime runtime(store_->store());
    runtime.add_tenancy("T-1", "consultant-1", "tenant-1");
    std::vector<SignalSpec> early(2), late(2);
    early[0].external_id = "early-0";
    early[1].external_id = "early-1";
    late[0].external_id = "late-0";
    late[1].external_id = "late-1";
    std::string error;
    ASSERT_EQ(runtime.ingest(actor("system", "adapter"), early, first, error), HEARTH_OK) << error;
    ASSERT_EQ(runtime.ingest(actor("system", "adapter"), late, second, error), HEARTH_OK) << error;
  }
  ASSERT_GT(second.first_sequence, first.last_sequence);
  const auto store = open_direct(store_->store());
  auto logger = std::make_shared<spdlog::logger>("event-log-test");
  runtime::EventBus bus(logger);
  Collector collector;
  bus.subscribe(HEARTH_EVENT_SIGNAL_ACCEPTED, &Collector::on_events, &collector, "test");
  {
    data::EventLogFollower follower(*store, bus, logger,
                                    {.start_after = first.last_sequence, .postgresql_target = {}, .poll_interval = 50ms});
    ASSERT_TRUE(follower.wait_for(second.last_sequence, 20s));
  }
  ASSERT_TRUE(bus.drain(20s));
  std::lock_guard lock(collector.mutex);
  ASSERT_EQ(collector.events.size(), 2u);
  EXPECT_NE(collector.events[0].payload.find("\"external_id\":\"late-0\""), std::string::npos)
      << collector.events[0].payload;
  EXPECT_NE(collector.events[1].payload.find("\"external_id\":\"late-1\""), std::string::npos)
      << collector.events[1].payload;
}

TEST_P(EventLog, AStoreFromBeforeMigrationThreeKeepsEveryStoredSignalsEvent) {
  std::vector<std::int64_t> old_seqs;
  {
    // The schema as migrations 1 and 2 left it, with two signals and the event-log rows
    // the ingestor of that time wrote (event seqs of their own, signal seq in the payload).
    const auto store = open_direct(store_->store());
    const auto &all = data::core_migrations();
    ASSERT_GE(all.size(), 3u);
    store->migrate(data::kCoreSchemaOwner, std::span(all.data(), 2));
    store->transaction([&] {
      store->execute("INSERT INTO hearth_unit (id, street, house_number, neighbourhood_code, updated_at_ms)"
                     " VALUES ('U-1', 'Straat', '1', 'BU00000000', 0)");
      store->execute("INSERT INTO hearth_tenancy (id, unit_id, start_date, updated_at_ms)"
                     " VALUES ('T-1', 'U-1', '2020-01-01', 0)");
      for (const char *id : {"old-0", "old-1"}) {
        const storage::Value params[] = {std::string(id)};
        store->execute("INSERT INTO hearth_signal (source, external_id, type, detail, tenancy_id, occurred_at_ms,"
                       " received_at_ms, amount_cents, severity, data_class, legal_basis, purpose)"
                       " VALUES ('vera:test', ?, 'SCH', 'BET', 'T-1', 1700000000000, 1700000000000, 100, 0,"
                       " 'finance', 'wgs-vroegsignalering', 'early-warning') RETURNING seq",
                       params, [&](const storage::Row &row) {
                         old_seqs.push_back(std::get<std::int64_t>(row.values[0]));
                         return false;
                       });
        const storage::Value event[] = {std::string("{\"seq\":") + std::to_string(old_seqs.back()) + "}"};
        store->execute("INSERT INTO hearth_event_log (type, subject, source, occurred_at_ms, payload)"
                       " VALUES ('nl.hearth.signal.accepted/1', 'tenancy:T-1', 'host', 1700000000000, ?)",
                       event);
      }
    });
  }
  // A runtime opening it applies migration 3, replays both old signals, then the new one.
  // (A long poll: the follower reads first when drain() asks, after the listener loaded.)
  DataRuntime runtime(store_->store(), {"test_signal_listener"}, "[events]\npoll_ms = 10000\n");
  ASSERT_NE(runtime.runtime(), nullptr);
  ASSERT_EQ(hearth_runtime_drain(runtime.runtime(), 20000), HEARTH_OK);
  std::string seen;
  ASSERT_EQ(runtime.query("nl.hearth.test.signal-listener", "seen", seen), HEARTH_OK) << seen;
  EXPECT_EQ(parse_seqs(seen), old_seqs);

  std::vector<SignalSpec> fresh(1);
  fresh[0].external_id = "new-0";
  hearth_ingest_result result{};
  std::string error;
  ASSERT_EQ(runtime.ingest(actor("system", "adapter"), fresh, result, error), HEARTH_OK) << error;
  EXPECT_GT(static_cast<std::int64_t>(result.first_sequence), old_seqs.back());
  ASSERT_EQ(hearth_runtime_drain(runtime.runtime(), 20000), HEARTH_OK);
  ASSERT_EQ(runtime.query("nl.hearth.test.signal-listener", "seen", seen), HEARTH_OK) << seen;
  auto expected = old_seqs;
  expected.push_back(static_cast<std::int64_t>(result.first_sequence));
  EXPECT_EQ(parse_seqs(seen), expected);

  std::string counts;
  ASSERT_EQ(runtime.read(actor("administrator", "admin-1"), "store.counts", "{}", counts), HEARTH_OK) << counts;
  const auto count = Poco::JSON::Parser().parse(counts).extract<Poco::JSON::Object::Ptr>();
  EXPECT_EQ(count->getValue<int>("signal"), 3) << counts;
  EXPECT_EQ(count->getValue<int>("event_log"), 3) << counts;
}

INSTANTIATE_TEST_SUITE_P(Backends, EventLog, testing::Values(Backend::sqlite, Backend::postgresql), backend_name);

} // namespace
} // namespace hearth::test
