// Ingesting signals through host.h on SQLite and PostgreSQL: accepted batches are stored,
// audited and published once after commit; retries are duplicates; one bad signal
// rejects the whole batch, names the field and leaves a dead letter without personal data.
#include <chrono>
#include <thread>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "data_fixture.hpp"

namespace hearth::test {
namespace {

class Ingestion : public testing::TestWithParam<Backend> {
protected:
  void SetUp() override {
    if (GetParam() == Backend::postgresql) {
      HEARTH_REQUIRE_OR_SKIP(postgres_url().has_value(), "HEARTH_TEST_POSTGRES is not set (scripts/start-postgres.sh)");
    }
    store_ = std::make_unique<TestStore>(GetParam());
    runtime_ = std::make_unique<DataRuntime>(store_->store(), std::vector<std::string>{"test_signal_listener"});
    runtime_->add_tenancy("T-1", "consultant-1", "tenant-1");
  }

  std::vector<SignalSpec> batch(int count, const std::string &prefix = "s") const {
    std::vector<SignalSpec> signals(static_cast<std::size_t>(count));
    for (int i = 0; i < count; ++i) {
      signals[static_cast<std::size_t>(i)].external_id = prefix + std::to_string(i);
      signals[static_cast<std::size_t>(i)].occurred_at_ms += i * 1000;
    }
    return signals;
  }

  std::string seen() {
    EXPECT_EQ(hearth_runtime_drain(runtime_->runtime(), 20000), HEARTH_OK);
    std::string out;
    EXPECT_EQ(runtime_->query("nl.hearth.test.signal-listener", "seen", out), HEARTH_OK) << out;
    return out;
  }

  Poco::JSON::Object::Ptr counts() {
    std::string out;
    EXPECT_EQ(runtime_->read(actor("administrator", "admin-1"), "store.counts", "{}", out), HEARTH_OK) << out;
    return Poco::JSON::Parser().parse(out).extract<Poco::JSON::Object::Ptr>();
  }

  const hearth_actor system_ = actor("system", "adapter-vera", "corp:test");
  std::unique_ptr<TestStore> store_;
  std::unique_ptr<DataRuntime> runtime_;
};

TEST_P(Ingestion, AcceptedBatchIsStoredAuditedAndPublishedOnceAfterCommit) {
  hearth_ingest_result result{};
  std::string error;
  ASSERT_EQ(runtime_->ingest(system_, batch(3), result, error), HEARTH_OK) << error;
  EXPECT_EQ(result.accepted, 3u);
  EXPECT_EQ(result.duplicates, 0u);
  EXPECT_EQ(result.rejected, 0u);
  EXPECT_GT(result.first_sequence, 0u);
  EXPECT_EQ(result.last_sequence, result.first_sequence + 2);
  const auto c = counts();
  EXPECT_EQ(c->getValue<int>("signal"), 3);
  EXPECT_EQ(c->getValue<int>("event_log"), 3);
  EXPECT_EQ(c->getValue<int>("dead_letter"), 0);

  const auto published = Poco::JSON::Parser().parse(seen()).extract<Poco::JSON::Array::Ptr>();
  ASSERT_EQ(published->size(), 3u);

  std::string verify;
  ASSERT_EQ(runtime_->read(actor("auditor", "auditor-1"), "audit.verify", "{}", verify), HEARTH_OK) << verify;
  EXPECT_NE(verify.find("\"intact\":true"), std::string::npos) << verify;
}

TEST_P(Ingestion, AReopenedRuntimeReplaysTheLogToPluginsAsSoonAsTheyAreLoaded) {
  hearth_ingest_result result{};
  std::string error;
  ASSERT_EQ(runtime_->ingest(system_, batch(3), result, error), HEARTH_OK) << error;
  runtime_->close();
  // A poll interval far longer than the wait below: only the resume after loading the
  // plugins can deliver the replay in time.
  runtime_ = std::make_unique<DataRuntime>(store_->store(), std::vector<std::string>{"test_signal_listener"},
                                           "[events]\nstart = beginning\npoll_ms = 60000\n");
  std::size_t received = 0;
  for (int attempt = 0; attempt < 200 && received < 3; ++attempt) {
    std::string out;
    ASSERT_EQ(runtime_->query("nl.hearth.test.signal-listener", "seen", out), HEARTH_OK) << out;
    received = Poco::JSON::Parser().parse(out).extract<Poco::JSON::Array::Ptr>()->size();
    if (received < 3) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(received, 3u) << "the replay did not reach the plugin loaded after the follower started";
}

TEST_P(Ingestion, RetryOfTheSameBatchIsAllDuplicatesAndPublishesNothingNew) {
  hearth_ingest_result result{};
  std::string error;
  ASSERT_EQ(runtime_->ingest(system_, batch(5), result, error), HEARTH_OK) << error;
  ASSERT_EQ(runtime_->ingest(system_, batch(5), result, error), HEARTH_OK) << error;
  EXPECT_EQ(result.accepted, 0u);
  EXPECT_EQ(result.duplicates, 5u);
  // A batch mixing old and new stores only the new ones.
  auto mixed = batch(7);
  ASSERT_EQ(runtime_->ingest(system_, mixed, result, error), HEARTH_OK) << error;
  EXPECT_EQ(result.accepted, 2u);
  EXPECT_EQ(result.duplicates, 5u);
  EXPECT_EQ(counts()->getValue<int>("signal"), 7);
  EXPECT_EQ(Poco::JSON::Parser().parse(seen()).extract<Poco::JSON::Array::Ptr>()->size(), 7u);
}

TEST_P(Ingestion, SameKeyTwiceInOneBatchIsStoredOnce) {
  auto signals = batch(2);
  signals[1].external_id = signals[0].external_id;
  hearth_ingest_result result{};
  std::string error;
  ASSERT_EQ(runtime_->ingest(system_, signals, result, error), HEARTH_OK) << error;
  EXPECT_EQ(result.accepted, 1u);
  EXPECT_EQ(result.duplicates, 1u);
}

struct BadSignal {
  const char *name;
  void (*spoil)(SignalSpec &);
  const char *expected; // the field and reason the error must name
};

const BadSignal kBadSignals[] = {
    {"missing_external_id", [](SignalSpec &s) { s.external_id.clear(); }, "signals[1].external_id: is missing"},
    {"bsn_as_id", [](SignalSpec &s) { s.external_id = "111222333"; }, "signals[1].external_id: looks like a BSN"},
    {"unknown_type", [](SignalSpec &s) { s.type = "ZZZ"; }, "signals[1].type: is not a known signal type"},
    {"unknown_detail", [](SignalSpec &s) { s.detail = "ZZZ"; }, "signals[1].detail: is not a known detail"},
    {"future", [](SignalSpec &s) { s.occurred_at_ms = 4'102'444'800'000; }, "signals[1].occurred_at_ms: is more than a day in the future"},
    {"ancient", [](SignalSpec &s) { s.occurred_at_ms = 0; }, "signals[1].occurred_at_ms: is missing or before 2000-01-01"},
    {"negative_amount", [](SignalSpec &s) { s.amount_cents = -1; }, "signals[1].amount_cents: must be between"},
    {"amount_on_nuisance", [](SignalSpec &s) { s.type = "OVE"; s.detail = "GEL"; s.legal_basis = "avg-6-1-e"; }, "signals[1].amount_cents: is only allowed on finance signals"},
    {"severity", [](SignalSpec &s) { s.severity = 9; }, "signals[1].severity: must be between 0 and 5"},
    {"no_legal_basis", [](SignalSpec &s) { s.legal_basis.clear(); }, "signals[1].legal_basis: is missing"},
    {"unknown_legal_basis", [](SignalSpec &s) { s.legal_basis = "because"; }, "signals[1].legal_basis: is not one of the configured bases"},
    {"unknown_purpose", [](SignalSpec &s) { s.purpose = "marketing"; }, "signals[1].purpose: is not one of the configured purposes"},
    {"unknown_tenancy", [](SignalSpec &s) { s.tenancy_id = "T-404"; }, "signals[1].tenancy_id: names a tenancy Hearth does not know"},
};

TEST_P(Ingestion, OneBadSignalRejectsTheWholeBatchNamingTheField) {
  for (const auto &bad : kBadSignals) {
    SCOPED_TRACE(bad.name);
    auto signals = batch(3, std::string(bad.name) + "-");
    bad.spoil(signals[1]);
    hearth_ingest_result result{};
    std::string error;
    EXPECT_EQ(runtime_->ingest(system_, signals, result, error), HEARTH_ERROR_INVALID_ARGUMENT);
    EXPECT_NE(error.find(bad.expected), std::string::npos) << error;
    EXPECT_NE(error.find("nothing of the batch was stored"), std::string::npos) << error;
    EXPECT_EQ(result.accepted, 0u);
    EXPECT_EQ(result.rejected, 1u);
    EXPECT_EQ(result.first_rejected, 1u);
  }
  const auto c = counts();
  EXPECT_EQ(c->getValue<int>("signal"), 0) << "nothing of a rejected batch may be stored";
  EXPECT_EQ(c->getValue<int>("event_log"), 0);
  EXPECT_EQ(c->getValue<int>("dead_letter"), static_cast<int>(std::size(kBadSignals)));
  EXPECT_EQ(seen(), "[]");
}

TEST_P(Ingestion, DeadLetterKeepsReasonAndHashButNoPersonalData) {
  auto signals = batch(2);
  signals[0].external_id = "111222333"; // a BSN where an id belongs
  signals[1].reporter_user = "neighbour-7";
  signals[1].legal_basis = "because";
  hearth_ingest_result result{};
  std::string error;
  ASSERT_EQ(runtime_->ingest(system_, signals, result, error), HEARTH_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(result.rejected, 2u);
  EXPECT_NE(error.find("(and 1 more rejected)"), std::string::npos) << error;
  EXPECT_EQ(error.find("111222333"), std::string::npos) << "the error must not echo the value: " << error;

  std::string letters;
  ASSERT_EQ(runtime_->read(actor("administrator", "admin-1"), "dead-letters", "{}", letters), HEARTH_OK) << letters;
  const auto items = Poco::JSON::Parser().parse(letters).extract<Poco::JSON::Array::Ptr>();
  ASSERT_EQ(items->size(), 2u) << letters;
  EXPECT_EQ(letters.find("111222333"), std::string::npos) << letters;
  EXPECT_EQ(letters.find("neighbour-7"), std::string::npos) << letters;
  for (std::size_t i = 0; i < items->size(); ++i) {
    const auto item = items->getObject(static_cast<unsigned>(i));
    EXPECT_EQ(item->getValue<std::string>("source"), "vera:test");
    EXPECT_EQ(item->getValue<std::string>("payload_sha256").size(), 64u);
    EXPECT_FALSE(item->getValue<std::string>("reason").empty());
  }
  // Other roles may not read dead letters.
  EXPECT_EQ(runtime_->read(actor("housing_consultant", "consultant-1"), "dead-letters", "{}", letters), HEARTH_ERROR_DENIED);
}

TEST_P(Ingestion, ActorsWithoutTheRightToCreateAreDeniedAndAudited) {
  hearth_ingest_result result{};
  std::string error;
  EXPECT_EQ(runtime_->ingest(actor("neighbour", "neighbour-1"), batch(1), result, error), HEARTH_ERROR_DENIED);
  EXPECT_NE(error.find("may not create finance data"), std::string::npos) << error;
  EXPECT_EQ(counts()->getValue<int>("signal"), 0);
  std::string viewers;
  // The denied attempt is in the audit log, and the chain is intact.
  ASSERT_EQ(runtime_->read(actor("auditor", "auditor-1"), "audit.verify", "{}", viewers), HEARTH_OK);
  EXPECT_NE(viewers.find("\"intact\":true"), std::string::npos) << viewers;
}

TEST_P(Ingestion, MissingActorFieldsAreNamed) {
  hearth_ingest_result result{};
  std::string error;
  auto nobody = actor("system", "");
  EXPECT_EQ(runtime_->ingest(nobody, batch(1), result, error), HEARTH_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(error, "actor.user: missing");
  auto no_role = actor("", "adapter");
  EXPECT_EQ(runtime_->ingest(no_role, batch(1), result, error), HEARTH_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(error, "actor.role: missing");
}

INSTANTIATE_TEST_SUITE_P(Backends, Ingestion, testing::Values(Backend::sqlite, Backend::postgresql), backend_name);

} // namespace
} // namespace hearth::test
