// The Wgs plugin ("nl.hearth.adapter.wgs", hearth_wgs.so) in a real runtime on SQLite and
// PostgreSQL: the early warning is refused, naming the missing precondition, until every
// precondition is recorded; then exactly the contact details and the amount reach the
// municipality (a loopback endpoint), once; and only a consultant who may see the tenancy
// can do any of it.
#include <filesystem>
#include <fstream>

#include <Poco/JSON/Parser.h>

#include "capture_server.hpp"
#include "data_fixture.hpp"

namespace hearth::test {
namespace {

constexpr std::int64_t kNow = 1'795'000'000'000; // 2026-11-18
constexpr const char *kPlugin = "nl.hearth.adapter.wgs";
const std::string kWarning =
    R"({"tenancy_id":"T-1","amount_cents":123456,"arrears_since":"2026-08-01","contact":{"name":"J. Jansen",)"
    R"("street":"Amstel","house_number":"1","postcode":"1011 PN","city":"Amsterdam","phone":"0201234567"}})";

std::int64_t fixed_clock(void *) { return kNow; }

std::string take(char *text) {
  std::string out = text != nullptr ? text : "";
  hearth_free(text);
  return out;
}

class WgsPlugin : public testing::TestWithParam<Backend> {
protected:
  void SetUp() override {
    if (GetParam() == Backend::postgresql) {
      HEARTH_REQUIRE_OR_SKIP(postgres_url().has_value(), "HEARTH_TEST_POSTGRES is not set (scripts/start-postgres.sh)");
    }
    store_ = std::make_unique<TestStore>(GetParam());
    const auto plugins = scratch_.path() / "plugins";
    std::filesystem::create_directories(plugins);
    std::filesystem::copy_file(HEARTH_WGS_PLUGIN, plugins / "hearth_wgs.so");
    {
      std::ofstream ini(scratch_.path() / "hearth.ini");
      const auto &s = store_->store();
      if (s.backend == Backend::sqlite) {
        ini << "[storage]\nbackend = sqlite\nsqlite_path = " << s.sqlite_file.string() << "\n";
      } else {
        ini << "[storage]\nbackend = postgresql\npostgresql = " << s.postgresql << "\npool_size = 2\n";
      }
      ini << "[plugins]\nbundled = false\npath = " << plugins.string() << "\n[log]\nlevel = info\n"
          << "[plugin.nl.hearth.adapter.wgs]\nenabled = true\nmunicipality_endpoint = " << municipality_.base_url()
          << "/vroegsignalering/v1/signalen\nmunicipality_authorization = Bearer gemeente-token\n";
    }
    char *error = nullptr;
    ASSERT_EQ(hearth_runtime_open(scratch_.path().c_str(), &runtime_, &error), HEARTH_OK) << take(error);
    ASSERT_EQ(hearth_runtime_set_clock(runtime_, &fixed_clock, nullptr), HEARTH_OK);
    ASSERT_EQ(hearth_runtime_load_plugins(runtime_, &error), HEARTH_OK) << take(error);
    const hearth_actor system = actor("system", "adapter-test", "corp:test");
    const std::string records =
        R"([{"kind":"unit","id":"U-1","street":"Amstel","house_number":"1","neighbourhood_code":"BU03630000"},)"
        R"({"kind":"tenancy","id":"T-1","unit_id":"U-1","start_date":"2019-04-01","portfolio_owner":"consultant-1"}])";
    ASSERT_EQ(hearth_runtime_put_records(runtime_, &system, records.c_str(), nullptr, &error), HEARTH_OK) << take(error);
  }

  void TearDown() override { hearth_runtime_close(runtime_); }

  int32_t call(const std::string &operation, const std::string &args, std::string &out,
               const hearth_actor &who = actor("housing_consultant", "consultant-1")) {
    char *result = nullptr;
    char *error = nullptr;
    const int32_t status = hearth_runtime_call(runtime_, &who, kPlugin, operation.c_str(), args.c_str(), &result, &error);
    const std::string answer = take(result), reason = take(error);
    out = status == HEARTH_OK ? answer : reason;
    return status;
  }

  void record(const std::string &kind, const std::string &date, const std::string &channel = "") {
    std::string out;
    const std::string args = R"({"tenancy_id":"T-1","kind":")" + kind + R"(","date":")" + date + "\"" +
                             (channel.empty() ? "" : R"(,"channel":")" + channel + "\"") + "}";
    ASSERT_EQ(call("record-precondition", args, out), HEARTH_OK) << out;
  }

  ScratchDir scratch_;
  CaptureServer municipality_;
  std::unique_ptr<TestStore> store_;
  hearth_runtime *runtime_ = nullptr;
};

TEST_P(WgsPlugin, RefusedNamingEachMissingPreconditionThenSentOnce) {
  std::string out;
  EXPECT_EQ(call("send-early-warning", kWarning, out), HEARTH_ERROR_CONFLICT);
  EXPECT_EQ(out, "precondition 'written_reminder' is not recorded for these arrears");
  record("written_reminder", "2026-09-01");
  EXPECT_EQ(call("send-early-warning", kWarning, out), HEARTH_ERROR_CONFLICT);
  EXPECT_EQ(out, "precondition 'contact_attempt' is not recorded for these arrears");
  record("contact_attempt", "2026-09-04", "huisbezoek");
  EXPECT_EQ(call("send-early-warning", kWarning, out), HEARTH_ERROR_CONFLICT);
  EXPECT_EQ(out, "precondition 'debt_help_pointer' is not recorded for these arrears");
  EXPECT_TRUE(municipality_.requests().empty());

  record("debt_help_pointer", "2026-09-04");
  ASSERT_EQ(call("send-early-warning", kWarning, out), HEARTH_OK) << out;
  EXPECT_EQ(out, R"({"sent":true})");
  ASSERT_EQ(call("send-early-warning", kWarning, out), HEARTH_OK) << out;
  EXPECT_EQ(out, R"({"sent":false,"already_sent":true})");

  const auto requests = municipality_.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[0].path, "/vroegsignalering/v1/signalen");
  EXPECT_EQ(requests[0].headers.at("authorization"), "Bearer gemeente-token");
  EXPECT_EQ(requests[0].headers.at("idempotency-key").size(), 64u);
  EXPECT_EQ(requests[0].body,
            R"({"bedrag_cents":123456,"contact":{"huisnummer":"1","naam":"J. Jansen","postcode":"1011 PN",)"
            R"("straat":"Amstel","telefoon":"0201234567","woonplaats":"Amsterdam"},"ontstaan_op":"2026-08-01",)"
            R"("signaaldatum":"2026-11-18","soort":"huurachterstand"})");
  EXPECT_EQ(requests[0].body.find("T-1"), std::string::npos);

  ASSERT_EQ(call("preconditions", R"({"tenancy_id":"T-1"})", out), HEARTH_OK) << out;
  EXPECT_EQ(out, R"({"preconditions":[{"date":"2026-09-01","kind":"written_reminder"},)"
                 R"({"channel":"huisbezoek","date":"2026-09-04","kind":"contact_attempt"},)"
                 R"({"date":"2026-09-04","kind":"debt_help_pointer"}]})");
}

TEST_P(WgsPlugin, AnObjectionStopsTheWarning) {
  record("written_reminder", "2026-09-01");
  record("contact_attempt", "2026-09-04", "telefoon");
  record("debt_help_pointer", "2026-09-04");
  record("objection", "2026-09-10");
  std::string out;
  EXPECT_EQ(call("send-early-warning", kWarning, out), HEARTH_ERROR_CONFLICT);
  EXPECT_EQ(out, "precondition 'no_objection' is not met: the tenant objected on 2026-09-10");
  EXPECT_TRUE(municipality_.requests().empty());
}

TEST_P(WgsPlugin, OnlyAConsultantWhoMaySeeTheTenancyActs) {
  std::string out;
  EXPECT_EQ(call("send-early-warning", kWarning, out, actor("coordinator", "coord-1")), HEARTH_ERROR_DENIED);
  EXPECT_EQ(call("record-precondition", R"({"tenancy_id":"T-1","kind":"objection","date":"2026-09-10"})", out,
                 actor("housing_consultant", "consultant-2")),
            HEARTH_ERROR_NOT_FOUND);
  EXPECT_EQ(call("preconditions", R"({"tenancy_id":"T-404"})", out), HEARTH_ERROR_NOT_FOUND);
  EXPECT_EQ(call("unknown", "{}", out), HEARTH_ERROR_NOT_FOUND);
}

TEST_P(WgsPlugin, BadArgumentsNameTheFieldAndSendNothing) {
  std::string out;
  std::string negative = kWarning;
  negative.replace(negative.find("123456"), 6, "-1");
  EXPECT_EQ(call("send-early-warning", negative, out), HEARTH_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(out, "args.amount_cents: is negative");
  std::string bsn = kWarning;
  bsn.replace(bsn.find("\"city\""), 6, R"("bsn":"111222333","city")");
  EXPECT_EQ(call("send-early-warning", bsn, out), HEARTH_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(out, "args.contact.bsn: is not sent: the Wgs lets only contact details and the amount go");
  EXPECT_EQ(call("record-precondition", R"({"tenancy_id":"T-1","kind":"written_reminder","date":"2027-01-01"})", out),
            HEARTH_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(out, "args.date: is in the future");
  EXPECT_EQ(call("send-early-warning", "[1,2]", out), HEARTH_ERROR_INVALID_ARGUMENT);
  EXPECT_TRUE(municipality_.requests().empty());
}

TEST_P(WgsPlugin, AnUnreachableMunicipalityIsAnErrorAndNothingIsRemembered) {
  record("written_reminder", "2026-09-01");
  record("contact_attempt", "2026-09-04", "brief");
  record("debt_help_pointer", "2026-09-04");
  municipality_.answer_with(503);
  std::string out;
  EXPECT_EQ(call("send-early-warning", kWarning, out), HEARTH_ERROR_IO);
  EXPECT_EQ(out, "the municipality answered 503");
  municipality_.answer_with(201);
  ASSERT_EQ(call("send-early-warning", kWarning, out), HEARTH_OK) << out;
  EXPECT_EQ(out, R"({"sent":true})");
  EXPECT_EQ(municipality_.requests().size(), 2u);
}

INSTANTIATE_TEST_SUITE_P(Backends, WgsPlugin, testing::Values(Backend::sqlite, Backend::postgresql), backend_name);

} // namespace
} // namespace hearth::test
