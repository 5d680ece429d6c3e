// Reference records and reads of personal data: records are all-or-nothing with the field
// named; a BSN is checked and sealed at rest; reads follow the policy at record and field
// level, answer "not found" for what the actor may not see, and land in the audit log so
// the tenant can see who looked at their file.
#include <fstream>
#include <iterator>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "data_fixture.hpp"

namespace hearth::test {
namespace {

class RecordsAndReads : public testing::TestWithParam<Backend> {
protected:
  void SetUp() override {
    if (GetParam() == Backend::postgresql) {
      HEARTH_REQUIRE_OR_SKIP(postgres_url().has_value(), "HEARTH_TEST_POSTGRES is not set (scripts/start-postgres.sh)");
    }
    store_ = std::make_unique<TestStore>(GetParam());
    runtime_ = std::make_unique<DataRuntime>(store_->store());
    runtime_->add_tenancy("T-1", "consultant-1", "tenant-1");
    runtime_->add_tenancy("T-2", "consultant-2", "tenant-2");
    std::vector<SignalSpec> signals(3);
    signals[0].external_id = "arrears-1";
    signals[1].external_id = "noise-1";
    signals[1].type = "OVE";
    signals[1].detail = "GEL";
    signals[1].amount_cents = 0;
    signals[1].legal_basis = "avg-6-1-e";
    signals[1].purpose = "nuisance-handling";
    signals[1].reporter_user = "neighbour-1";
    signals[2] = signals[1];
    signals[2].external_id = "noise-2";
    signals[2].reporter_user = "neighbour-2";
    hearth_ingest_result result{};
    std::string error;
    ASSERT_EQ(runtime_->ingest(actor("system", "adapter"), signals, result, error), HEARTH_OK) << error;
  }

  // The number of signals `who` sees on T-1, or -1 when the read is refused.
  int visible(const hearth_actor &who, std::string *raw = nullptr) {
    std::string out;
    const int32_t status = runtime_->read(who, "tenancy.signals", R"({"tenancy_id":"T-1"})", out);
    if (raw != nullptr) *raw = out;
    if (status != HEARTH_OK) return -1;
    return static_cast<int>(Poco::JSON::Parser().parse(out).extract<Poco::JSON::Object::Ptr>()->getArray("signals")->size());
  }

  std::unique_ptr<TestStore> store_;
  std::unique_ptr<DataRuntime> runtime_;
};

TEST_P(RecordsAndReads, ConsultantSeesOwnPortfolioOnly) {
  EXPECT_EQ(visible(actor("housing_consultant", "consultant-1")), 3);
  std::string forbidden, missing;
  EXPECT_EQ(visible(actor("housing_consultant", "consultant-2"), &forbidden), -1);
  // A forbidden record answers exactly like a missing one.
  std::string out;
  EXPECT_EQ(runtime_->read(actor("housing_consultant", "consultant-2"), "tenancy.signals", R"({"tenancy_id":"T-404"})", missing),
            HEARTH_ERROR_NOT_FOUND);
  EXPECT_EQ(forbidden, "tenancy 'T-1': not found");
  EXPECT_EQ(missing, "tenancy 'T-404': not found");
}

TEST_P(RecordsAndReads, NeighbourSeesOnlyTheirOwnReport) {
  std::string raw;
  EXPECT_EQ(visible(actor("neighbour", "neighbour-1"), &raw), 1);
  EXPECT_NE(raw.find("\"type\":\"OVE\""), std::string::npos) << raw;
  EXPECT_EQ(raw.find("SCH"), std::string::npos) << "no arrears for a neighbour: " << raw;
  EXPECT_EQ(raw.find("neighbour-2"), std::string::npos) << raw;
  EXPECT_EQ(visible(actor("neighbour", "neighbour-9")), -1);
}

TEST_P(RecordsAndReads, TenantSeesOwnFileAndWhoViewedIt) {
  EXPECT_EQ(visible(actor("tenant", "tenant-1")), 3);
  EXPECT_EQ(visible(actor("tenant", "tenant-2")), -1);
  EXPECT_EQ(visible(actor("housing_consultant", "consultant-1", "corp:woonstad")), 3);

  std::string viewers;
  ASSERT_EQ(runtime_->read(actor("tenant", "tenant-1"), "audit.viewers", R"({"object":"tenancy:T-1"})", viewers), HEARTH_OK)
      << viewers;
  const auto list = Poco::JSON::Parser().parse(viewers).extract<Poco::JSON::Array::Ptr>();
  bool consultant_seen = false;
  for (std::size_t i = 0; i < list->size(); ++i) {
    const auto entry = list->getObject(static_cast<unsigned>(i));
    consultant_seen = consultant_seen || (entry->getValue<std::string>("user") == "consultant-1" &&
                                          entry->getValue<std::string>("organisation") == "corp:woonstad");
  }
  EXPECT_TRUE(consultant_seen) << viewers;
  // Another tenant may not see who viewed T-1.
  EXPECT_EQ(runtime_->read(actor("tenant", "tenant-2"), "audit.viewers", R"({"object":"tenancy:T-1"})", viewers),
            HEARTH_ERROR_NOT_FOUND);
}

TEST_P(RecordsAndReads, CareProfessionalWithoutCareRecordsSeesNothing) {
  // Care professionals read care data only; these signals are finance and nuisance.
  EXPECT_EQ(visible(actor("care_professional", "care-1")), -1);
}

TEST_P(RecordsAndReads, RecordsAreAllOrNothingAndNameTheField) {
  std::string error;
  const auto system = actor("system", "adapter");
  EXPECT_EQ(runtime_->put(system, R"([{"kind":"unit","id":"U-9","street":"Dapperstraat","house_number":"3","neighbourhood_code":"BU1"},
                                    {"kind":"tenancy","id":"T-9","unit_id":"U-9","start_date":"2020-13-01"}])",
                          error),
            HEARTH_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(error, "records[1].start_date: must be a date as YYYY-MM-DD; nothing was stored");
  std::string counts;
  ASSERT_EQ(runtime_->read(actor("administrator", "admin"), "store.counts", "{}", counts), HEARTH_OK);
  EXPECT_NE(counts.find("\"unit\":2"), std::string::npos) << "U-9 must not be stored: " << counts;

  EXPECT_EQ(runtime_->put(system, R"([{"kind":"tenancy","id":"T-8","unit_id":"U-404","start_date":"2020-01-01"}])", error),
            HEARTH_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(error.find("records[0].unit_id: names a unit Hearth does not know"), std::string::npos) << error;
  EXPECT_EQ(runtime_->put(system, R"([{"kind":"pet","id":"P-1"}])", error), HEARTH_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(error.find("records[0].kind: must be unit, tenancy, person or outcome"), std::string::npos) << error;
  EXPECT_EQ(runtime_->put(system, R"({"kind":"unit"})", error), HEARTH_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(error, "records: not a JSON array");
  EXPECT_EQ(runtime_->put(actor("neighbour", "neighbour-1"), R"([{"kind":"person","id":"P-1"}])", error),
            HEARTH_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(error.find("may not store person records"), std::string::npos) << error;
}

TEST_P(RecordsAndReads, BsnIsValidatedAndSealedAtRest) {
  std::string error;
  const auto system = actor("system", "adapter");
  EXPECT_EQ(runtime_->put(system, R"([{"kind":"person","id":"P-1","tenancy_id":"T-1","bsn":"111222334"}])", error),
            HEARTH_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(error, "records[0].bsn: fails the elfproef; nothing was stored");
  EXPECT_EQ(error.find("111222334"), std::string::npos);
  ASSERT_EQ(runtime_->put(system, R"([{"kind":"person","id":"P-1","tenancy_id":"T-1","bsn":"111222333"}])", error),
            HEARTH_OK)
      << error;
  if (GetParam() == Backend::sqlite) {
    // Nothing in the database file holds the number in clear (WAL included).
    runtime_->close();
    for (const auto &file : {store_->store().sqlite_file, std::filesystem::path(store_->store().sqlite_file.string() + "-wal")}) {
      std::ifstream in(file, std::ios::binary);
      const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      EXPECT_EQ(bytes.find("111222333"), std::string::npos) << file;
    }
  }
}

TEST_P(RecordsAndReads, PersonWithAnIdThatIsABsnIsRefused) {
  std::string error;
  EXPECT_EQ(runtime_->put(actor("system", "adapter"), R"([{"kind":"person","id":"111222333"}])", error),
            HEARTH_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(error.find("records[0].id: looks like a BSN"), std::string::npos) << error;
}

TEST_P(RecordsAndReads, UnknownViewAndBadArguments) {
  std::string out;
  const auto admin = actor("administrator", "admin");
  EXPECT_EQ(runtime_->read(admin, "everything", "{}", out), HEARTH_ERROR_NOT_FOUND);
  EXPECT_EQ(out, "what: unknown view 'everything'");
  EXPECT_EQ(runtime_->read(admin, "tenancy.signals", "{}", out), HEARTH_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(out, "args.tenancy_id: missing");
  EXPECT_EQ(runtime_->read(admin, "tenancy.signals", "[", out), HEARTH_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(out, "args: not a JSON object");
}

// Canary names (tests/privacy/scan_logs.py looks for them in every log line): bad input
// that carries them must not bring them into error messages or logs.
TEST_P(RecordsAndReads, NamesInBadInputAreNeverEchoed) {
  std::string error;
  const auto system = actor("system", "adapter");
  EXPECT_EQ(runtime_->put(system, R"([{"kind":"tenancy","id":"T-7","unit_id":"U-1","start_date":"Jansen"}])", error),
            HEARTH_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(error.find("Jansen"), std::string::npos) << error;
  EXPECT_EQ(runtime_->put(system, R"([{"kind":"El Amrani"}])", error), HEARTH_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(error.find("El Amrani"), std::string::npos) << error;
  SignalSpec named;
  named.external_id = "Yilmaz";
  named.legal_basis = "de Vries";
  hearth_ingest_result result{};
  EXPECT_EQ(runtime_->ingest(system, {named}, result, error), HEARTH_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(error.find("de Vries"), std::string::npos) << error;
  EXPECT_EQ(error.find("Yilmaz"), std::string::npos) << error;
  std::string letters;
  ASSERT_EQ(runtime_->read(actor("administrator", "admin"), "dead-letters", "{}", letters), HEARTH_OK);
  EXPECT_EQ(letters.find("Yilmaz"), std::string::npos) << letters;
}

INSTANTIATE_TEST_SUITE_P(Backends, RecordsAndReads, testing::Values(Backend::sqlite, Backend::postgresql), backend_name);

} // namespace
} // namespace hearth::test
