// Storage and the event bus for a plugin under `isolation = process` behave as in-process:
// the same plugin (tests/modules/isolated_store_plugin.cpp) runs each test isolated and
// in-process, on SQLite and on PostgreSQL — migrations, transactions (commit, rollback,
// nested), the row callback (and stopping it), the runtime's refusals of bad input,
// metrics, publishing (the plugin is the source), subscribing, unsubscribing, publishing and
// storing while an event is delivered. Then what only an isolated plugin can do: die or
// hang inside a transaction (nothing is written, the runtime goes on, the child restarts)
// and come back with its subscriptions, each event delivered once.
#include <atomic>
#include <chrono>
#include <memory>
#include <tuple>

#include <unistd.h>

#include "isolation_fixture.hpp"

namespace hearth::test {
namespace {

constexpr const char *kStore = "nl.test.isolated-store";
constexpr const char *kPeer = "nl.test.store-peer";
constexpr const char *kPing = "nl.test.ping/1";
constexpr const char *kPong = "nl.test.pong/1";

// A key no other test run uses: PostgreSQL keeps its tables between runs.
std::string unique(const std::string &what) {
  static std::atomic<int> counter{0};
  return what + "-" + std::to_string(::getpid()) + "-" +
         std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()) + "-" +
         std::to_string(++counter);
}

// The [storage] section for `backend`; nullopt when PostgreSQL is not configured.
std::optional<std::string> storage_section(const std::string &backend) {
  if (backend == "sqlite") {
    return std::string();
  }
  const auto url = postgres_url();
  if (!url) {
    return std::nullopt;
  }
  return "[storage]\nbackend = postgresql\npostgresql = " + *url + "\n";
}

// Runs the store plugin (isolated or not) next to its in-process peer on one backend.
class StoreHarness {
public:
  StoreHarness(const std::string &storage, bool isolated, const std::string &extra = "") {
    const std::string settings = "answer_pings = true\n" + extra;
    fixture_ = std::make_unique<IsolationFixture>(
        std::initializer_list<std::string>{"test_isolated_store", "test_store_peer"},
        storage + (isolated ? isolated_section(kStore, settings) : "[plugin." + std::string(kStore) + "]\n" + settings));
    fixture_->open_and_load();
  }

  Answer call(const std::string &plugin, const std::string &operation, const std::string &args = "{}") {
    return fixture_->call(plugin, operation, args);
  }
  Answer store(const std::string &operation, const std::string &args = "{}") { return call(kStore, operation, args); }

  std::int64_t count(const std::string &batch, const std::string &plugin = kStore) {
    const Answer counted = call(plugin, "count", R"({"batch":")" + batch + R"("})");
    EXPECT_EQ(counted.status, HEARTH_OK) << counted.text;
    return counted.status == HEARTH_OK ? counted.json()->getValue<std::int64_t>("count") : -1;
  }

  // The events `plugin` received of `type` about `subject`.
  std::vector<Poco::JSON::Object::Ptr> seen(const std::string &plugin, const std::string &type,
                                            const std::string &subject) {
    std::vector<Poco::JSON::Object::Ptr> found;
    const Answer seen = call(plugin, "seen");
    EXPECT_EQ(seen.status, HEARTH_OK) << seen.text;
    if (seen.status != HEARTH_OK) {
      return found;
    }
    const auto events = seen.json()->getArray("events");
    for (std::size_t i = 0; i < events->size(); ++i) {
      const auto event = events->getObject(static_cast<unsigned>(i));
      if (event->getValue<std::string>("type") == type && event->getValue<std::string>("subject") == subject) {
        found.push_back(event);
      }
    }
    return found;
  }

  void publish_from_host(const std::string &type, const std::string &subject, const std::string &payload = "{}") {
    hearth_event event{};
    event.struct_size = sizeof event;
    event.type = type.c_str();
    event.subject = subject.c_str();
    event.payload = payload.c_str();
    Message error;
    ASSERT_EQ(hearth_runtime_publish(fixture_->runtime().runtime(), &event, error.out()), HEARTH_OK) << error.str();
  }

  // Waits until what was published is delivered, and what that published in turn.
  void drain() {
    for (int round = 0; round < 3; ++round) {
      ASSERT_EQ(hearth_runtime_drain(fixture_->runtime().runtime(), 60000), HEARTH_OK);
    }
  }

  int pid() {
    const Answer pid = store("pid");
    EXPECT_EQ(pid.status, HEARTH_OK) << pid.text;
    return pid.status == HEARTH_OK ? pid.json()->getValue<int>("pid") : -1;
  }

  IsolationFixture &fixture() { return *fixture_; }

private:
  std::unique_ptr<IsolationFixture> fixture_;
};

std::string items_json(int count) {
  std::string items = "[";
  for (int n = 1; n <= count; ++n) {
    items += std::string(n == 1 ? "" : ",") + R"({"n":)" + std::to_string(n) + R"(,"body":"note )" +
             std::to_string(n) + R"( é","amount":)" + std::to_string(n) + ".25}";
  }
  return items + "]";
}

std::string write_args(const std::string &batch, int count, const std::string &extra = "") {
  return R"({"batch":")" + batch + R"(","items":)" + items_json(count) + extra + "}";
}

// ---------------------------------------------------------------------------------------
// The same behaviour isolated and in-process, on both backends.

class StorageAndBus : public ::testing::TestWithParam<std::tuple<std::string, bool>> {
protected:
  void SetUp() override {
    const auto storage = storage_section(std::get<0>(GetParam()));
    HEARTH_REQUIRE_OR_SKIP(storage.has_value(), "PostgreSQL is not configured (HEARTH_TEST_POSTGRES)");
    harness_ = std::make_unique<StoreHarness>(*storage, isolated());
  }
  bool isolated() const { return std::get<1>(GetParam()); }

  std::unique_ptr<StoreHarness> harness_;
};

TEST_P(StorageAndBus, MigratesWritesInATransactionAndReadsBackThroughTheRowCallback) {
  const std::string batch = unique("rows");
  const Answer written = harness_->store("write", write_args(batch, 3));
  ASSERT_EQ(written.status, HEARTH_OK) << written.text;

  const Answer read = harness_->store("read", R"({"batch":")" + batch + R"("})");
  ASSERT_EQ(read.status, HEARTH_OK) << read.text;
  const auto rows = read.json()->getArray("rows");
  ASSERT_EQ(rows->size(), 3u) << read.text;
  for (unsigned i = 0; i < 3; ++i) {
    const auto row = rows->getObject(i);
    EXPECT_EQ(row->getValue<std::int64_t>("n"), i + 1);
    EXPECT_EQ(row->getValue<std::string>("body"), "note " + std::to_string(i + 1) + " é");
    EXPECT_DOUBLE_EQ(row->getValue<double>("amount"), i + 1.25);
    EXPECT_EQ(row->getValue<std::string>("column"), "body");
  }
  // A callback that answers "stop" ends the statement: no further rows arrive.
  const Answer first_two = harness_->store("read", R"({"batch":")" + batch + R"(","stop_after":2})");
  ASSERT_EQ(first_two.status, HEARTH_OK) << first_two.text;
  EXPECT_EQ(first_two.json()->getArray("rows")->size(), 2u) << first_two.text;
  EXPECT_EQ(harness_->count(batch), 3);
}

TEST_P(StorageAndBus, AWorkThatFailsRollsBackEverythingItWrote) {
  const std::string batch = unique("rollback");
  const Answer refused = harness_->store("write", write_args(batch, 3, R"(,"fail_after":2)"));
  EXPECT_EQ(refused.status, HEARTH_ERROR_CONFLICT) << refused.text;
  EXPECT_TRUE(contains(refused.text, "item 2 refused on purpose")) << refused.text;
  EXPECT_EQ(harness_->count(batch), 0) << "the two rows written before the refusal were rolled back";
}

TEST_P(StorageAndBus, NestedTransactionsJoinTheOuterOne) {
  const std::string committed = unique("nested");
  ASSERT_EQ(harness_->store("write", write_args(committed, 3, R"(,"nested":true)")).status, HEARTH_OK);
  EXPECT_EQ(harness_->count(committed), 3);
  // Inner transactions that committed are undone when the outer one rolls back.
  const std::string rolled_back = unique("nested-rollback");
  const Answer refused = harness_->store("write", write_args(rolled_back, 3, R"(,"nested":true,"fail_after":2)"));
  EXPECT_EQ(refused.status, HEARTH_ERROR_CONFLICT) << refused.text;
  EXPECT_EQ(harness_->count(rolled_back), 0);
}

TEST_P(StorageAndBus, BadInputIsRefusedWithTheRuntimesOwnWords) {
  const Answer answer = harness_->store("bad_calls");
  ASSERT_EQ(answer.status, HEARTH_OK) << answer.text;
  const auto json = answer.json();
  EXPECT_EQ(json->getValue<int>("missing_type"), HEARTH_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(json->getValue<std::string>("missing_type_error"), "event.type: missing");
  EXPECT_EQ(json->getValue<int>("text_without_data"), HEARTH_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(json->getValue<std::string>("text_without_data_error"), "params[0]: TEXT value without data");
  EXPECT_NE(json->getValue<int>("bad_sql_status"), HEARTH_OK);
  EXPECT_TRUE(json->getValue<bool>("bad_sql_has_error"));
  EXPECT_EQ(json->getValue<int>("null_work"), HEARTH_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(json->getValue<std::string>("null_work_error"), "work: missing");
  // The metrics extension is forwarded (the others stay in the runtime).
  EXPECT_EQ(json->getValue<std::string>("extension"), "set");
}

TEST_P(StorageAndBus, MetricsCarryThePluginsLabel) {
  const Answer counted = harness_->store("metrics", R"({"add":2.5,"level":7})");
  ASSERT_EQ(counted.status, HEARTH_OK) << counted.text;
  EXPECT_EQ(counted.json()->getValue<int>("bad_name"), HEARTH_ERROR_INVALID_ARGUMENT);
  EXPECT_TRUE(contains(counted.json()->getValue<std::string>("bad_name_error"), "name")) << counted.text;
  ASSERT_EQ(harness_->store("metrics", R"({"add":1,"level":3})").status, HEARTH_OK);
  const std::string text = harness_->fixture().get("/metrics").body;
  EXPECT_TRUE(contains(text, R"(hearth_store_test_total{kind="test",plugin="nl.test.isolated-store"} 3.5)")) << text;
  EXPECT_TRUE(contains(text, R"(hearth_store_test_level{plugin="nl.test.isolated-store"} 3)")) << text;
}

TEST_P(StorageAndBus, PublishedEventsReachOtherSubscribersWithThePluginAsSource) {
  const std::string subject = unique("pong");
  const Answer published =
      harness_->store("publish", R"({"type":"nl.test.pong/1","subject":")" + subject + R"(","payload":"{\"k\":1}"})");
  ASSERT_EQ(published.status, HEARTH_OK) << published.text;
  harness_->drain();
  const auto at_peer = harness_->seen(kPeer, kPong, subject);
  ASSERT_EQ(at_peer.size(), 1u);
  EXPECT_EQ(at_peer[0]->getValue<std::string>("source"), kStore);
  EXPECT_EQ(at_peer[0]->getValue<std::string>("payload"), R"({"k":1})");
  // A subscriber to what it publishes itself receives it too.
  EXPECT_EQ(harness_->seen(kStore, kPong, subject).size(), 1u);
}

TEST_P(StorageAndBus, ReceivesItsEventsAndPublishesAndStoresWhileHandlingThem) {
  const std::string subject = unique("ping");
  harness_->publish_from_host(kPing, subject);
  harness_->drain();
  const auto pings = harness_->seen(kStore, kPing, subject);
  ASSERT_EQ(pings.size(), 1u);
  EXPECT_EQ(pings[0]->getValue<std::string>("source"), "host");
  // Stored while handling it, and answered with a pong that the peer received.
  EXPECT_EQ(harness_->count("event:" + subject), 1);
  const auto pongs = harness_->seen(kPeer, kPong, subject);
  ASSERT_EQ(pongs.size(), 1u);
  EXPECT_EQ(pongs[0]->getValue<std::string>("source"), kStore);
  // The peer (it does not answer pings) got the ping and stored it in its own table.
  EXPECT_EQ(harness_->seen(kPeer, kPing, subject).size(), 1u);
  EXPECT_EQ(harness_->count("event:" + subject, kPeer), 1);
}

TEST_P(StorageAndBus, AnEndedSubscriptionReceivesNothingMore) {
  const Answer ended = harness_->store("unsubscribe");
  ASSERT_EQ(ended.status, HEARTH_OK) << ended.text;
  EXPECT_EQ(ended.json()->getValue<int>("status"), HEARTH_OK);
  EXPECT_EQ(ended.json()->getValue<int>("again"), HEARTH_ERROR_NOT_FOUND);
  const std::string subject = unique("unsubscribed");
  harness_->publish_from_host(kPing, subject);
  harness_->publish_from_host(kPong, subject);
  harness_->drain();
  EXPECT_TRUE(harness_->seen(kStore, kPing, subject).empty());
  EXPECT_EQ(harness_->count("event:" + subject), 0);
  EXPECT_EQ(harness_->seen(kStore, kPong, subject).size(), 1u) << "the other subscription goes on";
  EXPECT_EQ(harness_->seen(kPeer, kPing, subject).size(), 1u);
}

TEST_P(StorageAndBus, AThreadOfThePluginsOwnUsesStorageBetweenCalls) {
  const std::string batch = unique("thread");
  ASSERT_EQ(harness_->store("start_background", R"({"batch":")" + batch + R"("})").status, HEARTH_OK);
  // Isolated, the thread's requests are answered while the runtime has this call out.
  const Answer joined = harness_->store("join_background");
  ASSERT_EQ(joined.status, HEARTH_OK) << joined.text;
  EXPECT_EQ(joined.json()->getValue<int>("status"), HEARTH_OK);
  EXPECT_EQ(harness_->count(batch), 1);
}

INSTANTIATE_TEST_SUITE_P(Backends, StorageAndBus,
                         ::testing::Combine(::testing::Values("sqlite", "postgresql"), ::testing::Bool()),
                         [](const auto &info) {
                           return std::get<0>(info.param) + (std::get<1>(info.param) ? "_isolated" : "_in_process");
                         });

// ---------------------------------------------------------------------------------------
// What only a child can do: die or hang halfway.

class IsolatedStorageFailures : public ::testing::TestWithParam<std::string> {
protected:
  void SetUp() override {
    storage_ = storage_section(GetParam());
    HEARTH_REQUIRE_OR_SKIP(storage_.has_value(), "PostgreSQL is not configured (HEARTH_TEST_POSTGRES)");
  }
  std::optional<std::string> storage_;
};

TEST_P(IsolatedStorageFailures, AChildKilledInsideATransactionLeavesNothingWritten) {
  StoreHarness harness(*storage_, true, "restart_delay_ms = 0\n");
  const int first_pid = harness.pid();
  const std::string batch = unique("crash");
  const Answer crashed = harness.store("crash_in_transaction", R"({"batch":")" + batch + R"("})");
  EXPECT_EQ(crashed.status, HEARTH_ERROR_PLUGIN) << crashed.text;
  EXPECT_TRUE(contains(crashed.text, "plugin nl.test.isolated-store crashed: ")) << crashed.text;
  // The runtime goes on: the peer reads and writes the same store.
  const std::string peer_batch = unique("peer");
  ASSERT_EQ(harness.call(kPeer, "write", write_args(peer_batch, 2)).status, HEARTH_OK);
  EXPECT_EQ(harness.count(peer_batch, kPeer), 2);
  // The next call restarts the child (init() migrates again: already applied), and the
  // row of the dead transaction is not there.
  EXPECT_EQ(harness.count(batch), 0);
  EXPECT_NE(harness.pid(), first_pid);
  const std::string after = unique("after-crash");
  ASSERT_EQ(harness.store("write", write_args(after, 2)).status, HEARTH_OK);
  EXPECT_EQ(harness.count(after), 2);
}

TEST_P(IsolatedStorageFailures, AChildHungInsideATransactionIsStoppedAndItsWorkRolledBack) {
  StoreHarness harness(*storage_, true, "restart_delay_ms = 0\ncall_timeout_ms = 1000\n");
  const std::string batch = unique("hang");
  const Answer hung = harness.store("hang_in_transaction", R"({"batch":")" + batch + R"("})");
  EXPECT_EQ(hung.status, HEARTH_ERROR_TIMEOUT) << hung.text;
  EXPECT_TRUE(contains(hung.text, "did not answer operation 'hang_in_transaction' within 1000 ms")) << hung.text;
  EXPECT_EQ(harness.count(batch), 0);
  // The store is free again: the peer writes.
  const std::string peer_batch = unique("peer");
  ASSERT_EQ(harness.call(kPeer, "write", write_args(peer_batch, 1)).status, HEARTH_OK);
  EXPECT_EQ(harness.count(peer_batch, kPeer), 1);
}

TEST_P(IsolatedStorageFailures, ARestartedChildSubscribesAgainAndGetsEachEventOnce) {
  StoreHarness harness(*storage_, true, "restart_delay_ms = 0\n");
  const int first_pid = harness.pid();
  const Answer crashed = harness.store("crash_in_transaction", R"({"batch":")" + unique("crash") + R"("})");
  ASSERT_EQ(crashed.status, HEARTH_ERROR_PLUGIN) << crashed.text;

  // An event it had subscribed to starts the child again; its init() subscribes anew and
  // the event is delivered to the new subscription only.
  const std::string subject = unique("after-restart");
  harness.publish_from_host(kPing, subject);
  harness.drain();
  EXPECT_EQ(harness.count("event:" + subject), 1);
  EXPECT_NE(harness.pid(), first_pid);
  const auto pings = harness.seen(kStore, kPing, subject);
  EXPECT_EQ(pings.size(), 1u);
  EXPECT_EQ(harness.seen(kPeer, kPong, subject).size(), 1u);

  // And so are later ones.
  const std::string later = unique("later");
  harness.publish_from_host(kPing, later);
  harness.drain();
  EXPECT_EQ(harness.seen(kStore, kPing, later).size(), 1u);
  EXPECT_EQ(harness.count("event:" + later), 1);
}

TEST_P(IsolatedStorageFailures, ARestartByACallAlsoLeavesOneSubscription) {
  StoreHarness harness(*storage_, true, "restart_delay_ms = 0\n");
  ASSERT_EQ(harness.store("crash_in_transaction", R"({"batch":")" + unique("crash") + R"("})").status,
            HEARTH_ERROR_PLUGIN);
  harness.pid(); // restarts the child
  const std::string subject = unique("after-call");
  harness.publish_from_host(kPing, subject);
  harness.drain();
  EXPECT_EQ(harness.seen(kStore, kPing, subject).size(), 1u);
  EXPECT_EQ(harness.count("event:" + subject), 1);
}

TEST_P(IsolatedStorageFailures, ACrashWhileHandlingAnEventIsAFailureLikeACrashInACall) {
  StoreHarness harness(*storage_, true, "restart_delay_ms = 0\nmay_crash = true\n");
  const std::string subject = unique("crash-event");
  harness.publish_from_host(kPing, subject, R"({"crash":true})");
  harness.drain();
  const auto listed = harness.fixture().listing(kStore);
  ASSERT_TRUE(listed);
  EXPECT_EQ(listed->getValue<std::string>("state"), "active");
  EXPECT_TRUE(contains(listed->optValue<std::string>("message", ""),
                       "plugin nl.test.isolated-store crashed: "))
      << listed->optValue<std::string>("message", "");
  const std::string metrics = harness.fixture().get("/metrics").body;
  EXPECT_TRUE(contains(metrics, R"(hearth_plugin_failures_total{plugin="nl.test.isolated-store",reason="crash"} 1)"))
      << metrics;
  // Nothing of it was stored; the peer still got its ping; the next ping restarts the child.
  EXPECT_EQ(harness.seen(kPeer, kPing, subject).size(), 1u);
  const std::string next = unique("next");
  harness.publish_from_host(kPing, next);
  harness.drain();
  EXPECT_EQ(harness.seen(kStore, kPing, next).size(), 1u);
  EXPECT_EQ(harness.count("event:" + subject), 0);
  EXPECT_EQ(harness.count("event:" + next), 1);
}

INSTANTIATE_TEST_SUITE_P(Backends, IsolatedStorageFailures, ::testing::Values("sqlite", "postgresql"));

} // namespace
} // namespace hearth::test
