// What adapters need from the data services beyond ingestion, on SQLite and PostgreSQL:
// the view "unit.by-address" (a report names an address, not a unit) and dead letters for
// input rejected before it became a signal.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <gtest/gtest.h>

#include "test_environment.hpp"

#include "runtime_fixture.hpp"

namespace hearth::test {
namespace {

const hearth_actor kSystem{sizeof(hearth_actor), 0, "adapter-1", HEARTH_ROLE_SYSTEM, "corp:demo", nullptr,
                           "adapter:test"};
const hearth_actor kAdmin{sizeof(hearth_actor), 0, "admin-1", HEARTH_ROLE_ADMINISTRATOR, "corp:demo", nullptr,
                          "cli"};
const hearth_actor kNeighbour{sizeof(hearth_actor), 0, "nb-1", HEARTH_ROLE_NEIGHBOUR, "public", nullptr, "web"};

// 2026-06-01T12:00:00Z
int64_t fixed_clock(void *) { return 1780315200000; }

class AdapterServices : public ::testing::TestWithParam<std::string> {
protected:
  void SetUp() override {
    std::string ini;
    if (GetParam() == "postgresql") {
      const auto url = postgres_url();
      HEARTH_REQUIRE_OR_SKIP(url.has_value(), "PostgreSQL is not configured (HEARTH_TEST_POSTGRES)");
      ini = "[storage]\nbackend = postgresql\npostgresql = " + *url + "\n";
    }
    fixture_ = std::make_unique<RuntimeFixture>(std::initializer_list<std::string>{}, ini);
    fixture_->open_and_load();
    hearth_runtime_set_clock(fixture_->runtime(), &fixed_clock, nullptr);
    uint32_t stored = 0;
    Message error;
    ASSERT_EQ(hearth_runtime_put_records(
                  fixture_->runtime(), &kSystem,
                  R"([{"kind":"unit","id":"U-A1","street":"Dapperstraat","house_number":"12","postcode":"1093 BS","entrance":"A","neighbourhood_code":"BU03630402"},
                      {"kind":"unit","id":"U-A2","street":"Dapperstraat","house_number":"12","postcode":"1093BS","neighbourhood_code":"BU03630402"},
                      {"kind":"tenancy","id":"T-A0","unit_id":"U-A1","start_date":"2010-01-01","end_date":"2019-12-31"},
                      {"kind":"tenancy","id":"T-A1","unit_id":"U-A1","start_date":"2020-01-01"},
                      {"kind":"tenancy","id":"T-A9","unit_id":"U-A1","start_date":"2030-01-01"}])",
                  &stored, error.out()),
              HEARTH_OK)
        << error.str();
  }

  int32_t read(const hearth_actor &actor, const std::string &view, const std::string &args, std::string &text) {
    Message result, error;
    const int32_t status = hearth_runtime_read(fixture_->runtime(), &actor, view.c_str(), args.c_str(), result.out(),
                                               error.out());
    text = status == HEARTH_OK ? result.str() : error.str();
    return status;
  }

  std::unique_ptr<RuntimeFixture> fixture_;
};

TEST_P(AdapterServices, AnAddressFindsItsUnitAndTheTenancyRunningToday) {
  std::string text;
  ASSERT_EQ(read(kSystem, "unit.by-address", R"({"postcode":"1093bs","house_number":"12","entrance":"a"})", text),
            HEARTH_OK)
      << text;
  const auto answer = Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>();
  EXPECT_EQ(answer->getValue<std::string>("unit_id"), "U-A1");
  EXPECT_EQ(answer->getValue<std::string>("tenancy_id"), "T-A1"); // not the ended one, not the future one

  ASSERT_EQ(read(kSystem, "unit.by-address", R"({"postcode":"1093 BS","house_number":"12"})", text), HEARTH_OK)
      << text;
  const auto no_entrance = Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>();
  EXPECT_EQ(no_entrance->getValue<std::string>("unit_id"), "U-A2");
  EXPECT_TRUE(no_entrance->isNull("tenancy_id"));
}

TEST_P(AdapterServices, UnknownAddressesForbiddenRolesAndBadArgumentsAreRefused) {
  std::string text;
  EXPECT_EQ(read(kSystem, "unit.by-address", R"({"postcode":"9999ZZ","house_number":"1"})", text),
            HEARTH_ERROR_NOT_FOUND);
  // A neighbour may not search addresses: the answer equals "missing".
  EXPECT_EQ(read(kNeighbour, "unit.by-address", R"({"postcode":"1093BS","house_number":"12","entrance":"A"})", text),
            HEARTH_ERROR_NOT_FOUND);
  EXPECT_EQ(text, "unit at that address: not found");
  EXPECT_EQ(read(kSystem, "unit.by-address", R"({"house_number":"12"})", text), HEARTH_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(text, "args.postcode: missing");
  EXPECT_EQ(read(kSystem, "unit.by-address", R"({"postcode":"1093BS"})", text), HEARTH_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(text, "args.house_number: missing");
}

TEST_P(AdapterServices, RejectedInputLeavesADeadLetterWithoutThePayload) {
  const std::string payload = R"({"bsn":"111222333","naam":"J. Jansen"})";
  Message error;
  ASSERT_EQ(hearth_runtime_dead_letter(fixture_->runtime(), &kSystem, "vera:test", 3, "Signalering.soort.code",
                                       "unknown code 'XYZ'", payload.data(), payload.size(), error.out()),
            HEARTH_OK)
      << error.str();
  std::string text;
  ASSERT_EQ(read(kAdmin, "dead-letters", R"({"limit":1000})", text), HEARTH_OK) << text;
  EXPECT_NE(text.find("unknown code 'XYZ'"), std::string::npos) << text;
  EXPECT_NE(text.find("Signalering.soort.code"), std::string::npos) << text;
  EXPECT_EQ(text.find("111222333"), std::string::npos) << "the payload itself is never kept";
  EXPECT_EQ(text.find("Jansen"), std::string::npos);
  // The SHA-256 of the payload, so that the source system can find its message.
  EXPECT_NE(text.find("4afc0e6f2a8f0087cca99e6e89243a94246539cc68e03752fbeb51f010ef6338"), std::string::npos)
      << text;
}

TEST_P(AdapterServices, DeadLettersRefuseOtherRolesAndMissingArguments) {
  Message e1, e2, e3, e4;
  EXPECT_EQ(hearth_runtime_dead_letter(fixture_->runtime(), &kNeighbour, "vera:test", 0, "", "bad", "x", 1, e1.out()),
            HEARTH_ERROR_DENIED);
  EXPECT_EQ(hearth_runtime_dead_letter(fixture_->runtime(), &kSystem, "", 0, "", "bad", "x", 1, e2.out()),
            HEARTH_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(e2.str(), "source: missing");
  EXPECT_EQ(hearth_runtime_dead_letter(fixture_->runtime(), &kSystem, "vera:test", 0, "", nullptr, "x", 1, e3.out()),
            HEARTH_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(e3.str(), "reason: missing");
  EXPECT_EQ(hearth_runtime_dead_letter(fixture_->runtime(), &kSystem, "vera:test", 0, "", "bad", nullptr, 5, e4.out()),
            HEARTH_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(e4.str(), "payload: missing");
}

INSTANTIATE_TEST_SUITE_P(Backends, AdapterServices, ::testing::Values("sqlite", "postgresql"),
                         [](const auto &info) { return info.param; });

} // namespace
} // namespace hearth::test
