// The Signalen plugin ("nl.hearth.adapter.signalen", hearth_signalen.so) in a real runtime
// on SQLite and PostgreSQL, over real HTTP on loopback: a report pushed to the webhook is
// linked to the unit's tenancy and stored with its reporter; the reporter is told through
// Signalen (a loopback endpoint) how it is handled, in words that reveal nothing about the
// tenant; only those who may see the tenancy can send such an update.
#include <filesystem>
#include <fstream>
#include <sstream>

#include <Poco/DigestEngine.h>
#include <Poco/JSON/Parser.h>
#include <Poco/SHA2Engine.h>

#include "../../http/http_test_client.hpp"
#include "capture_server.hpp"
#include "data_fixture.hpp"
#include "status_update.hpp"

namespace hearth::test {
namespace {

constexpr std::int64_t kNow = 1'795'000'000'000; // 2026-11-18
const std::string kSignalenToken = "signalen-token-for-tests-0123456789";
const std::string kCrmKey = "crm-key-for-tests-0123456789abcdef";
constexpr const char *kWebhook = "/webhooks/signalen/signals";
constexpr const char *kPlugin = "nl.hearth.adapter.signalen";

std::int64_t fixed_clock(void *) { return kNow; }

std::string sha256_hex(const std::string &text) {
  Poco::SHA2Engine engine(Poco::SHA2Engine::SHA_256);
  engine.update(text);
  return Poco::DigestEngine::digestToHex(engine.digest());
}

std::string take(char *text) {
  std::string out = text != nullptr ? text : "";
  hearth_free(text);
  return out;
}

std::string fixture(const std::string &name) {
  std::ifstream in(*fixtures_dir() / "signalen" / name, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

class SignalenPlugin : public testing::TestWithParam<Backend> {
protected:
  void SetUp() override {
    HEARTH_REQUIRE_OR_SKIP(fixtures_dir().has_value(), "../shared/fixtures is absent");
    if (GetParam() == Backend::postgresql) {
      HEARTH_REQUIRE_OR_SKIP(postgres_url().has_value(), "HEARTH_TEST_POSTGRES is not set (scripts/start-postgres.sh)");
    }
    store_ = std::make_unique<TestStore>(GetParam());
    start();
  }

  void TearDown() override { hearth_runtime_close(runtime_); }

  void start() {
    const auto plugins = scratch_.path() / "plugins";
    std::filesystem::create_directories(plugins);
    std::filesystem::copy_file(HEARTH_SIGNALEN_PLUGIN, plugins / "hearth_signalen.so");
    {
      std::ofstream ini(scratch_.path() / "hearth.ini");
      const auto &s = store_->store();
      if (s.backend == Backend::sqlite) {
        ini << "[storage]\nbackend = sqlite\nsqlite_path = " << s.sqlite_file.string() << "\n";
      } else {
        ini << "[storage]\nbackend = postgresql\npostgresql = " << s.postgresql << "\npool_size = 2\n";
      }
      ini << "[plugins]\nbundled = false\npath = " << plugins.string() << "\n[log]\nlevel = info\n[http]\nport = 0\n"
          << "[auth]\nkeys = signalen, crm\n"
          << "[auth.key.signalen]\nsha256 = " << sha256_hex(kSignalenToken)
          << "\nuser = system:signalen\nrole = system\norganisation = gemeente:test\naccess_point = signalen\n"
          << "[auth.key.crm]\nsha256 = " << sha256_hex(kCrmKey)
          << "\nuser = system:crm\nrole = system\norganisation = corp:test\naccess_point = crm:test\n"
          << "[plugin.nl.hearth.adapter.signalen]\nenabled = true\norganisation = gemeente:test\n"
          << "source = signalen:test\nwebhook_authorization = Bearer " << kSignalenToken << "\n"
          << "categories = overig/overig=OVE, overlast-van-en-door-personen-of-groepen/*=OVE/GEL\n"
          << "reporter_key = reporter-key-for-tests-0123456789\n"
          << "status_endpoint = " << signalen_.base_url() << "/signals/v1/private/signals\n"
          << "status_authorization = Bearer signalen-api-token\ntimeout_ms = 5000\n";
    }
    char *error = nullptr;
    ASSERT_EQ(hearth_runtime_open(scratch_.path().c_str(), &runtime_, &error), HEARTH_OK) << take(error);
    ASSERT_EQ(hearth_runtime_set_clock(runtime_, &fixed_clock, nullptr), HEARTH_OK);
    ASSERT_EQ(hearth_runtime_load_plugins(runtime_, &error), HEARTH_OK) << take(error);
    const hearth_actor system = actor("system", "adapter-test", "corp:test");
    const std::string records =
        R"([{"kind":"unit","id":"U-1","street":"Amstel","house_number":"1","postcode":"1011PN","neighbourhood_code":"BU03630000"},)"
        R"({"kind":"tenancy","id":"T-1","unit_id":"U-1","start_date":"2019-04-01","portfolio_owner":"consultant-1",)"
        R"("tenant_user":"tenant-1"},)"
        R"({"kind":"unit","id":"U-3","street":"Amstel","house_number":"3","postcode":"1011PN","neighbourhood_code":"BU03630000"}])";
    ASSERT_EQ(hearth_runtime_put_records(runtime_, &system, records.c_str(), nullptr, &error), HEARTH_OK) << take(error);
    ASSERT_EQ(hearth_runtime_serve_http(runtime_, "127.0.0.1", 0, &port_, &error), HEARTH_OK) << take(error);
    // The address lookup is the runtime's view; without it nothing here can work.
    char *result = nullptr;
    const int32_t status = hearth_runtime_read(runtime_, &system, "unit.by-address",
                                               R"({"postcode":"1011PN","house_number":"1","entrance":""})", &result, &error);
    const std::string answer = take(result), reason = take(error);
    HEARTH_REQUIRE_OR_SKIP(status == HEARTH_OK, "the runtime lacks the view unit.by-address (requested in issue 4): " + reason);
  }

  HttpReply push(const std::string &body, const std::string &token) {
    return http_request(port_, "POST", kWebhook, body, {{"Authorization", "Bearer " + token}});
  }

  std::string report(const std::string &id) {
    std::string body = fixture("create_initial.json");
    return body.replace(body.find("\"text\":"), 7, "\"id\": " + id + ", \"text\":");
  }

  int32_t call(const hearth_actor &who, const std::string &args, std::string &out) {
    char *result = nullptr;
    char *error = nullptr;
    const int32_t status = hearth_runtime_call(runtime_, &who, kPlugin, "report-status", args.c_str(), &result, &error);
    const std::string answer = take(result), reason = take(error);
    out = status == HEARTH_OK ? answer : reason;
    return status;
  }

  ScratchDir scratch_;
  CaptureServer signalen_;
  std::unique_ptr<TestStore> store_;
  hearth_runtime *runtime_ = nullptr;
  uint16_t port_ = 0;
};

TEST_P(SignalenPlugin, AReportIsLinkedStoredAcknowledgedAndFollowedByItsReporter) {
  auto reply = push(report("4711"), kSignalenToken);
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(reply.body, R"({"accepted":1,"duplicates":0})");
  reply = push(report("4711"), kSignalenToken);
  EXPECT_EQ(reply.body, R"({"accepted":0,"duplicates":1})");
  // One acknowledgement, for the first arrival only.
  const auto requests = signalen_.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "PATCH");
  EXPECT_EQ(requests[0].path, "/signals/v1/private/signals/4711");
  EXPECT_EQ(requests[0].body, adapters::signalen::status_update_body(adapters::signalen::ReportState::received));

  // The consultant of the tenancy sees a nuisance signal with a reporter.
  std::string out;
  char *result = nullptr;
  const hearth_actor consultant = actor("housing_consultant", "consultant-1");
  ASSERT_EQ(hearth_runtime_read(runtime_, &consultant, "tenancy.signals", R"({"tenancy_id":"T-1"})", &result, nullptr),
            HEARTH_OK);
  out = take(result);
  EXPECT_NE(out.find("\"type\":\"OVE\""), std::string::npos) << out;
  EXPECT_EQ(out.find("melder@example.com"), std::string::npos) << out;
}

TEST_P(SignalenPlugin, StatusUpdatesRevealNothingAboutTheTenant) {
  ASSERT_EQ(push(report("4712"), kSignalenToken).status, 200);
  std::string out;
  const hearth_actor consultant = actor("housing_consultant", "consultant-1");
  ASSERT_EQ(call(consultant, R"({"report":"4712","state":"in_behandeling"})", out), HEARTH_OK) << out;
  ASSERT_EQ(call(consultant, R"({"report":"signalen:4712","state":"afgehandeld"})", out), HEARTH_OK) << out;
  const auto requests = signalen_.requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[1].body, adapters::signalen::status_update_body(adapters::signalen::ReportState::in_progress));
  EXPECT_EQ(requests[2].body, adapters::signalen::status_update_body(adapters::signalen::ReportState::handled));
  for (const auto &request : requests) {
    for (const char *secret : {"T-1", "U-1", "tenant-1", "consultant-1", "Amstel", "1011", "gemeente:test", "corp:test"}) {
      EXPECT_EQ(request.body.find(secret), std::string::npos) << secret << " in " << request.body;
      EXPECT_EQ(request.path.find(secret), std::string::npos) << secret << " in " << request.path;
    }
    EXPECT_EQ(request.headers.at("authorization"), "Bearer signalen-api-token");
  }
}

TEST_P(SignalenPlugin, OnlyThoseWhoMaySeeTheTenancyCanAnswerTheReporter) {
  ASSERT_EQ(push(report("4713"), kSignalenToken).status, 200);
  std::string out;
  EXPECT_EQ(call(actor("housing_consultant", "consultant-2"), R"({"report":"4713","state":"afgehandeld"})", out),
            HEARTH_ERROR_NOT_FOUND) << out;
  EXPECT_EQ(call(actor("tenant", "tenant-1"), R"({"report":"4713","state":"afgehandeld"})", out), HEARTH_ERROR_DENIED);
  EXPECT_EQ(call(actor("neighbour", "someone"), R"({"report":"4713","state":"afgehandeld"})", out), HEARTH_ERROR_DENIED);
  const hearth_actor consultant = actor("housing_consultant", "consultant-1");
  EXPECT_EQ(call(consultant, R"({"report":"9999","state":"afgehandeld"})", out), HEARTH_ERROR_NOT_FOUND);
  EXPECT_EQ(call(consultant, R"({"report":"4713","state":"gesloten"})", out), HEARTH_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(out.find("args.state"), std::string::npos) << out;
  EXPECT_EQ(call(consultant, R"({"state":"afgehandeld"})", out), HEARTH_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(signalen_.requests().size(), 1u); // the acknowledgement only
  signalen_.answer_with(503);
  EXPECT_EQ(call(consultant, R"({"report":"4713","state":"afgehandeld"})", out), HEARTH_ERROR_IO) << out;
}

TEST_P(SignalenPlugin, BadReportsAreRefusedNamingTheFieldAndNothingIsStored) {
  auto reply = push(report("4714"), kCrmKey); // a valid key of another system
  EXPECT_EQ(reply.status, 401);
  reply = push(fixture("signal_post.json"), kSignalenToken);
  EXPECT_EQ(reply.status, 400);
  EXPECT_EQ(reply.body,
            R"x({"field":"category.sub_category","reason":"is missing (nor are main_slug and sub_slug given)"})x");
  std::string elsewhere = report("4715");
  elsewhere.replace(elsewhere.find("\"huisnummer\": 1"), 15, "\"huisnummer\": 9");
  reply = push(elsewhere, kSignalenToken);
  EXPECT_EQ(reply.status, 400);
  EXPECT_EQ(reply.body, R"({"field":"location.address","reason":"matches no unit Hearth knows"})");
  std::string vacant = report("4716");
  vacant.replace(vacant.find("\"huisnummer\": 1"), 15, "\"huisnummer\": 3");
  reply = push(vacant, kSignalenToken);
  EXPECT_EQ(reply.body, R"({"field":"location.address","reason":"the unit has no current tenancy"})");
  reply = push("[" + report("4717") + "]", kSignalenToken);
  EXPECT_EQ(reply.status, 400);
  reply = push(std::string(70000, '{'), kSignalenToken);
  EXPECT_EQ(reply.status, 413);
  EXPECT_TRUE(signalen_.requests().empty());
  char *result = nullptr;
  const hearth_actor admin = actor("administrator", "admin-1");
  ASSERT_EQ(hearth_runtime_read(runtime_, &admin, "store.counts", "{}", &result, nullptr), HEARTH_OK);
  const auto counts = Poco::JSON::Parser().parse(take(result)).extract<Poco::JSON::Object::Ptr>();
  EXPECT_EQ(counts->getValue<int>("signal"), 0);
  EXPECT_EQ(counts->getValue<int>("dead_letter"), 5); // every refusal but the 401
}

INSTANTIATE_TEST_SUITE_P(Backends, SignalenPlugin, testing::Values(Backend::sqlite, Backend::postgresql), backend_name);

} // namespace
} // namespace hearth::test
