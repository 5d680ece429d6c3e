// VERA messages through the runtime, on SQLite and PostgreSQL: a file of every resource is
// stored (signals, tenancy and outcome records), sending it again only finds duplicates, a
// message the runtime refuses (an unknown tenancy) leaves a dead letter while the rest is
// stored, and a message the parser refuses stores nothing.
#include <gtest/gtest.h>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include "adapter_common/ingest_driver.hpp"
#include "data_fixture.hpp"
#include "vera_adapter/vera_parser.hpp"
#include "vera_messages.hpp"

namespace hearth::test::vera {
namespace {

using adapters::IngestOptions;
using adapters::IngestSummary;
using adapters::ParseContext;
using adapters::RuntimeTarget;

class VeraIngest : public testing::TestWithParam<Backend> {
protected:
  void SetUp() override {
    if (GetParam() == Backend::postgresql) {
      HEARTH_REQUIRE_OR_SKIP(postgres_url().has_value(), "HEARTH_TEST_POSTGRES is not set");
    }
    store_ = std::make_unique<TestStore>(GetParam());
    runtime_ = std::make_unique<DataRuntime>(store_->store());
    runtime_->put(R"([{"kind":"unit","id":")" + std::string(kUnit) +
                  R"(","street":"Oosterparkstraat","house_number":"12","neighbourhood_code":"BU03630402"}])");
  }

  ParseContext context() const {
    ParseContext c;
    c.source = "vera:woonstad";
    c.now_ms = hearth_runtime_now_ms(runtime_->runtime());
    return c;
  }

  IngestSummary ingest(const std::string &document, bool all_or_nothing = false) {
    const auto batch = adapters::vera::parse_vera_document(document, context());
    RuntimeTarget target(runtime_->runtime(), &system_);
    IngestOptions options;
    options.all_or_nothing = all_or_nothing;
    options.chunk_size = 2;
    return adapters::ingest_batch(target, batch, options);
  }

  Poco::JSON::Object::Ptr counts() {
    std::string out;
    EXPECT_EQ(runtime_->read(actor("administrator", "admin-1"), "store.counts", "{}", out), HEARTH_OK) << out;
    return Poco::JSON::Parser().parse(out).extract<Poco::JSON::Object::Ptr>();
  }

  // A document with one message of every resource; the contract first, so its tenancy
  // exists before the signals that name it.
  static std::string every_resource() {
    Poco::JSON::Object document;
    for (const auto &resource : adapters::vera::vera_resources()) {
      Poco::JSON::Array items;
      items.add(sample(std::string(resource.path)));
      document.set(std::string(resource.path), items);
    }
    return to_json(document);
  }

  const hearth_actor system_ = actor("system", "adapter-vera", "corp:test");
  std::unique_ptr<TestStore> store_;
  std::unique_ptr<DataRuntime> runtime_;
};

TEST_P(VeraIngest, StoresEveryResourceOnceAndFindsDuplicatesTheSecondTime) {
  const IngestSummary first = ingest(every_resource());
  EXPECT_EQ(first.items, 7u);
  EXPECT_EQ(first.accepted, 5u); // signalering, zaak, betalingsregeling, externe incasso, X-REP
  EXPECT_EQ(first.records, 2u);  // the tenancy, the notice_to_quit outcome
  EXPECT_EQ(first.rejected, 0u) << (first.problems.empty() ? "" : first.problems.front());
  auto c = counts();
  EXPECT_EQ(c->getValue<int>("signal"), 5);
  EXPECT_EQ(c->getValue<int>("tenancy"), 1);
  EXPECT_EQ(c->getValue<int>("outcome"), 1);
  EXPECT_EQ(c->getValue<int>("dead_letter"), 0);

  const IngestSummary again = ingest(every_resource());
  EXPECT_EQ(again.accepted, 0u);
  EXPECT_EQ(again.duplicates, 5u);
  EXPECT_EQ(counts()->getValue<int>("signal"), 5);
}

TEST_P(VeraIngest, EveryMappedCodeIsOneTheRuntimeAccepts) {
  // Each soort and detail the adapter can produce, through the runtime's own validation.
  runtime_->put(R"([{"kind":"tenancy","id":")" + std::string(kTenancy) + R"(","unit_id":")" + kUnit +
                R"(","start_date":"2019-04-01"}])");
  Poco::JSON::Array signals;
  int n = 0;
  for (const char *soort : {"AGR", "ONB", "ONE", "OVE", "SCH", "WAN"}) {
    for (const char *detail : {"AGS", "AMB", "BEL", "BET", "BEW", "BEZ", "BRA", "CUR", "DEU", "DRU", "FYS", "GEL", "HEN",
                               "INT", "MUT", "ONA", "OND", "PRO", "RAC", "SCH", "SEU", "VEB", "VER"}) {
      auto message = signalering("SIG-" + std::to_string(++n));
      message->getObject("soort")->set("code", soort);
      message->getObject("detailSoort")->set("code", detail);
      signals.add(message);
    }
  }
  Poco::JSON::Object document;
  document.set("signaleringen", signals);
  const IngestSummary summary = ingest(to_json(document));
  // Support needs (ONB, care data) are refused to the system role by config/policy.ini:
  // counted as denied (and audited by the runtime), every other signal stored.
  constexpr std::uint64_t kCareSignals = 23;
  EXPECT_EQ(summary.accepted, static_cast<std::uint64_t>(n) - kCareSignals);
  EXPECT_EQ(summary.denied, kCareSignals);
  EXPECT_EQ(summary.rejected, 0u) << (summary.problems.empty() ? "" : summary.problems.front());
}

TEST_P(VeraIngest, AMessageTheRuntimeRefusesLeavesADeadLetterAndTheRestIsStored) {
  runtime_->put(R"([{"kind":"tenancy","id":")" + std::string(kTenancy) + R"(","unit_id":")" + kUnit +
                R"(","start_date":"2019-04-01"}])");
  Poco::JSON::Array signals;
  signals.add(signalering("SIG-1"));
  auto elsewhere = signalering("SIG-2");
  elsewhere->getArray("extra-attributen")->getObject(0)->set("waarde", "HO-UNKNOWN");
  signals.add(elsewhere);
  signals.add(signalering("SIG-3"));
  Poco::JSON::Object document;
  document.set("signaleringen", signals);
  const IngestSummary summary = ingest(to_json(document));
  EXPECT_EQ(summary.accepted, 2u);
  EXPECT_EQ(summary.rejected, 1u);
  ASSERT_EQ(summary.problems.size(), 1u);
  EXPECT_NE(summary.problems[0].find("tenancy_id"), std::string::npos) << summary.problems[0];
  const auto c = counts();
  EXPECT_EQ(c->getValue<int>("signal"), 2);
  EXPECT_EQ(c->getValue<int>("dead_letter"), 1);
}

TEST_P(VeraIngest, APushedMessageIsAllOrNothing) {
  runtime_->put(R"([{"kind":"tenancy","id":")" + std::string(kTenancy) + R"(","unit_id":")" + kUnit +
                R"(","start_date":"2019-04-01"}])");
  Poco::JSON::Array signals;
  signals.add(signalering("SIG-1"));
  auto elsewhere = signalering("SIG-2");
  elsewhere->getArray("extra-attributen")->getObject(0)->set("waarde", "HO-UNKNOWN");
  signals.add(elsewhere);
  Poco::JSON::Object document;
  document.set("signaleringen", signals);
  const IngestSummary summary = ingest(to_json(document), true);
  EXPECT_EQ(summary.accepted, 0u);
  EXPECT_EQ(summary.rejected, 1u);
  EXPECT_EQ(summary.withheld, 1u);
  EXPECT_EQ(counts()->getValue<int>("signal"), 0);
}

TEST_P(VeraIngest, BadInputStoresNothingButADeadLetterNamingTheField) {
  runtime_->put(R"([{"kind":"tenancy","id":")" + std::string(kTenancy) + R"(","unit_id":")" + kUnit +
                R"(","start_date":"2019-04-01"}])");
  auto future = copy(signalering());
  future->set("begindatum", "2099-01-01T00:00:00Z");
  auto negative = copy(betalingsregeling());
  negative->set("saldo", -5.0);
  auto bad_bsn = copy(zaak());
  bad_bsn->getArray("rollen")->getObject(0)->getObject("relatie")->set("bsn", "123456789");
  const std::vector<std::string> documents = {
      "{\"signaleringen\":[",                                         // malformed JSON
      std::string("{\"signaleringen\":[{\"id\":\"S\xFF\"}]}"),        // invalid UTF-8
      "{\"signaleringen\":[" + to_json(future) + "]}",                // in the future
      "{\"betalingsregelingen\":[" + to_json(negative) + "]}",        // negative amount
      "{\"zaken\":[" + to_json(bad_bsn) + "]}",                       // BSN failing the elfproef
  };
  std::uint64_t recorded = 0;
  for (const auto &document : documents) {
    const IngestSummary summary = ingest(document);
    recorded += summary.dead_letters;
    EXPECT_EQ(summary.rejected, 1u);
    EXPECT_EQ(summary.accepted, 0u);
    ASSERT_EQ(summary.problems.size(), 1u);
    EXPECT_EQ(summary.problems[0].find("123456789"), std::string::npos) << summary.problems[0];
    EXPECT_EQ(summary.dead_letters, 1u); // hearth_runtime_dead_letter: field, reason, hash

  }
  const auto c = counts();
  EXPECT_EQ(c->getValue<int>("signal"), 0);
  EXPECT_EQ(c->getValue<std::uint64_t>("dead_letter"), recorded);
  EXPECT_EQ(recorded, documents.size());
  std::string letters;
  ASSERT_EQ(runtime_->read(actor("administrator", "admin-1"), "dead-letters", "{}", letters), HEARTH_OK) << letters;
  EXPECT_EQ(letters.find("123456789"), std::string::npos) << letters;
  EXPECT_NE(letters.find("zaken[0].rollen[0].relatie.bsn"), std::string::npos) << letters;
  EXPECT_NE(letters.find("fails the elfproef"), std::string::npos) << letters;
  EXPECT_NE(letters.find("\"source\":\"vera:woonstad\""), std::string::npos) << letters;
}

INSTANTIATE_TEST_SUITE_P(Backends, VeraIngest, testing::Values(Backend::sqlite, Backend::postgresql), backend_name);

} // namespace
} // namespace hearth::test::vera
