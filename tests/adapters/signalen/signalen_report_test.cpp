// The Signalen report reader on the real request bodies in ../shared/fixtures/signalen and on
// every kind of bad input; the reporter pseudonym; and the status updates sent back, which
// are fixed sentences and nothing else.
#include <fstream>
#include <sstream>

#include <Poco/JSON/Parser.h>

#include <gtest/gtest.h>

#include <hearth/status.h>

#include "capture_server.hpp"
#include "report_receiver.hpp"
#include "signalen_report.hpp"
#include "status_update.hpp"
#include "test_environment.hpp"

namespace hearth::test {
namespace {

using namespace adapters;
using namespace adapters::signalen;

constexpr std::int64_t kNow = 1'795'000'000'000; // 2026-11-18
const std::string kKey = "reporter-key-for-tests-0123456789";

std::string fixture(const std::string &name) {
  std::ifstream in(*fixtures_dir() / "signalen" / name, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

ParseContext context() {
  ParseContext c;
  c.source = "signalen:amsterdam";
  c.now_ms = kNow;
  c.max_future_skew_ms = 5 * 60 * 1000;
  c.purpose = "nuisance-handling";
  c.settings["signalen.categories"] = "overig/overig=OVE, overlast-van-en-door-personen-of-groepen/*=OVE/GEL";
  c.settings["signalen.reporter_key"] = kKey;
  return c;
}

// The units the tests know: Amstel 1 (1011PN) with tenancy T-1; Amstel 3 without one.
std::optional<UnitMatch> units(const ReportAddress &address) {
  if (address.postcode == "1011PN" && address.huisnummer == 1 && address.entrance().empty()) {
    return UnitMatch{"U-1", "T-1"};
  }
  if (address.postcode == "1011PN" && address.huisnummer == 3) {
    return UnitMatch{"U-3", ""};
  }
  return std::nullopt;
}

ParsedBatch parse(const std::string &document) { return parse_signalen_reports(document, context(), &units); }

std::string with(std::string text, const std::string &from, const std::string &to) {
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return at == std::string::npos ? text : text.replace(at, from.size(), to);
}

class SignalenReports : public testing::Test {
protected:
  void SetUp() override { HEARTH_REQUIRE_OR_SKIP(fixtures_dir().has_value(), "../shared/fixtures is absent"); }
};

TEST_F(SignalenReports, TheFixtureReportsBecomeNuisanceSignalsOfTheUnitsTenancy) {
  for (const char *name : {"create_initial.json", "create_initial_public.json"}) {
    const auto batch = parse(fixture(name));
    ASSERT_TRUE(batch.rejections.empty()) << name << ": " << batch.rejections.front().message();
    ASSERT_EQ(batch.signals.size(), 1u) << name;
    const auto &s = batch.signals.front();
    EXPECT_EQ(s.source, "signalen:amsterdam");
    EXPECT_EQ(s.type, "OVE");
    EXPECT_EQ(s.detail, "");
    EXPECT_EQ(s.tenancy_id, "T-1");
    EXPECT_EQ(s.legal_basis, "avg-6-1-e");
    EXPECT_EQ(s.purpose, "nuisance-handling");
    EXPECT_EQ(s.occurred_at_ms, 1'529'328'647'604); // 2018-06-18T13:30:47.604Z
    EXPECT_EQ(s.external_id.rfind("sha256:", 0), 0u) << s.external_id;
    EXPECT_EQ(s.reporter_user.rfind("signalen-melder:", 0), 0u) << s.reporter_user;
    // Nothing of the reporter's contact details is in the signal.
    for (const std::string &field : {s.external_id, s.reporter_user, s.tenancy_id, s.source}) {
      EXPECT_EQ(field.find("melder@example.com"), std::string::npos);
      EXPECT_EQ(field.find("0123456789"), std::string::npos);
    }
  }
  // Both bodies are the same report: the same key, the same reporter.
  EXPECT_EQ(parse(fixture("create_initial.json")).signals[0].external_id,
            parse(fixture("create_initial_public.json")).signals[0].external_id);
}

TEST_F(SignalenReports, AReportWithSignalensIdIsKeyedByIt) {
  const auto batch = parse(with(fixture("create_initial.json"), "\"text\":", "\"id\": 4711, \"text\":"));
  ASSERT_EQ(batch.signals.size(), 1u);
  EXPECT_EQ(batch.signals[0].external_id, "signalen:4711");
}

TEST_F(SignalenReports, AFixtureWithCategoryNamesInsteadOfSlugsIsRefusedNamingTheField) {
  const auto batch = parse(fixture("signal_post.json"));
  ASSERT_EQ(batch.rejections.size(), 1u);
  EXPECT_EQ(batch.rejections[0].message(), "category.sub_category: is missing (nor are main_slug and sub_slug given)");
  EXPECT_TRUE(batch.signals.empty());
}

TEST_F(SignalenReports, EveryBadInputKindNamesTheField) {
  const std::string good = fixture("create_initial.json");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"{\"text\": ", "document: is not well-formed JSON"},
      {with(good, "Luidruchtige", "Luidruchtig\xC0\xAF"), "document: is not valid UTF-8"},
      {"[1]", "document[0]: must be an object"},
      {with(good, "\"text\": \"Luidruchtige vergadering\",", ""), "text: is missing"},
      {with(good, "\"huisnummer\": 1,", "\"huisnummer\": \"1\","), "location.address.huisnummer: must be a whole number"},
      {with(good, "\"huisnummer\": 1,", "\"huisnummer\": -4,"), "location.address.huisnummer: must be between 1 and 99999"},
      {with(good, "\"postcode\": \"1011PN\",", ""), "location.address.postcode: is missing"},
      {with(good, "1011PN", "10111PN"), "location.address.postcode: is not a Dutch postcode (1234AB)"},
      {with(good, "\"address\": {", "\"address\": 7, \"x\": {"), "location.address: must be an object"},
      {with(good, "sub_categories/overig", "sub_categories/fietswrak"),
       "category: is not a category this adapter maps (signalen.categories)"},
      {with(good, "/signals/v1/public/terms/categories/overig/sub_categories/overig", "overig"),
       "category.sub_category: is not a Signalen category URL"},
      {with(good, "\"incident_date_start\": \"2018-06-18T13:30:47.604472Z\"", "\"incident_date_start\": \"2030-01-01T00:00:00Z\""),
       "incident_date_start: is in the future"},
      {with(good, "\"incident_date_start\": \"2018-06-18T13:30:47.604472Z\"", "\"incident_date_start\": \"gisteren\""),
       "incident_date_start: is not an ISO 8601 date or date-time"},
      {with(good, "\"sharing_allowed\": true", "\"sharing_allowed\": \"ja\""), "reporter.sharing_allowed: must be true or false"},
      {with(good, "\"text\":", "\"id\": -3, \"text\":"), "id: must be a positive whole number"},
      {with(good, "\"text\":", "\"id\": \"4711\", \"text\":"), "id: must be a whole number"},
      {with(good, "\"huisnummer\": 1,", "\"huisnummer\": 2,"), "location.address: matches no unit Hearth knows"},
      {with(good, "\"huisnummer\": 1,", "\"huisnummer\": 3,"), "location.address: the unit has no current tenancy"},
  };
  for (const auto &[document, expected] : cases) {
    const auto batch = parse(document);
    ASSERT_EQ(batch.rejections.size(), 1u) << expected;
    EXPECT_EQ(batch.rejections[0].message(), expected);
    EXPECT_TRUE(batch.signals.empty()) << expected;
    EXPECT_EQ(batch.rejections[0].message().find("melder@example.com"), std::string::npos);
  }
}

TEST_F(SignalenReports, AnOversizeDocumentIsRefusedWhole) {
  auto c = context();
  c.max_document_bytes = 512;
  const auto batch = parse_document(signalen_adapter(), fixture("create_initial.json"), c);
  ASSERT_EQ(batch.rejections.size(), 1u);
  EXPECT_EQ(batch.rejections[0].message(), "document: is larger than the limit of 512 bytes");
}

TEST_F(SignalenReports, FileImportWithoutALookupRefusesToGuessTheUnit) {
  const auto batch = parse_signalen_document(fixture("create_initial.json"), context());
  ASSERT_EQ(batch.rejections.size(), 1u);
  EXPECT_EQ(batch.rejections[0].message(), "location.address: cannot be linked to a unit here: no address lookup is available");
}

TEST_F(SignalenReports, FileImportLooksAddressesUpThroughTheRuntimesView) {
  auto c = context();
  std::vector<std::string> asked;
  c.read = [&](const std::string &view, const std::string &args, std::string &answer) -> std::int32_t {
    asked.push_back(view + " " + args);
    answer = R"({"unit_id":"U-1","tenancy_id":"T-1"})";
    return HEARTH_OK;
  };
  auto batch = parse_signalen_document(fixture("create_initial.json"), c);
  ASSERT_EQ(batch.signals.size(), 1u);
  EXPECT_EQ(batch.signals[0].tenancy_id, "T-1");
  ASSERT_EQ(asked.size(), 1u);
  EXPECT_EQ(asked[0], R"(unit.by-address {"entrance":"","house_number":"1","postcode":"1011PN"})");
  c.read = [](const std::string &, const std::string &, std::string &answer) -> std::int32_t {
    answer = "unit at that address: not found";
    return HEARTH_ERROR_NOT_FOUND;
  };
  batch = parse_signalen_document(fixture("create_initial.json"), c);
  ASSERT_EQ(batch.rejections.size(), 1u);
  EXPECT_EQ(batch.rejections[0].message(), "location.address: matches no unit Hearth knows");
  c.read = [](const std::string &, const std::string &, std::string &answer) -> std::int32_t {
    answer = "storage is down";
    return HEARTH_ERROR_IO;
  };
  batch = parse_signalen_document(fixture("create_initial.json"), c);
  ASSERT_EQ(batch.rejections.size(), 1u);
  EXPECT_EQ(batch.rejections[0].message(), "location.address: could not be looked up: view unit.by-address: storage is down");
}

TEST(SignalenRules, TheSettingsAreChecked) {
  auto c = context();
  c.settings["signalen.categories"] = "overig/overig=SCH";
  EXPECT_THROW(read_report_rules(c), std::invalid_argument); // a report is no rent debt
  c.settings["signalen.categories"] = "overig=OVE";
  EXPECT_THROW(read_report_rules(c), std::invalid_argument);
  c.settings["signalen.categories"] = "";
  EXPECT_THROW(read_report_rules(c), std::invalid_argument);
  c = context();
  c.settings["signalen.reporter_key"] = "short";
  EXPECT_THROW(read_report_rules(c), std::invalid_argument);
  c = context();
  c.settings["signalen.categories"] = "a/b=ONE/OND";
  const auto rules = read_report_rules(c);
  EXPECT_EQ(rules.categories.at("a/b"), "ONE/OND");
}

TEST(SignalenReporter, OneNeighbourSharingTheirAddressKeepsOneId) {
  const auto a = reporter_pseudonym(kKey, "Melder@Example.com ", true, "signalen:1");
  const auto b = reporter_pseudonym(kKey, "melder@example.com", true, "signalen:2");
  EXPECT_EQ(a, b);
  EXPECT_EQ(a.size(), std::string("signalen-melder:").size() + 32);
  EXPECT_NE(a, reporter_pseudonym("another-key-0123456789abcdef", "melder@example.com", true, "signalen:1"));
  // Without permission to share, each report has its own reporter id.
  const auto c = reporter_pseudonym(kKey, "melder@example.com", false, "signalen:1");
  const auto d = reporter_pseudonym(kKey, "melder@example.com", false, "signalen:2");
  EXPECT_NE(c, d);
  EXPECT_EQ(c.rfind("signalen-melding:", 0), 0u);
  EXPECT_EQ(reporter_pseudonym(kKey, "", true, "signalen:1"), c);
}

// ---- status updates ----------------------------------------------------------------------

TEST(SignalenStatus, TheBodyIsAFixedSentencePerState) {
  EXPECT_EQ(status_update_body(ReportState::received), R"({"status":{"state":"i","text":"Uw melding is ontvangen."}})");
  EXPECT_EQ(status_update_body(ReportState::in_progress),
            R"({"status":{"state":"b","text":"Uw melding is in behandeling."}})");
  EXPECT_EQ(status_update_body(ReportState::handled),
            R"({"status":{"state":"o","text":"Uw melding is afgehandeld. Dank u wel voor het melden."}})");
  EXPECT_EQ(report_state_from("in_behandeling"), ReportState::in_progress);
  EXPECT_FALSE(report_state_from("gesloten").has_value());
}

TEST(SignalenStatus, AnUpdateIsPatchedToTheReportWithTheChannelsAuthorization) {
  CaptureServer signalen;
  const StatusChannel channel{signalen.base_url() + "/signals/v1/private/signals/", "Bearer signalen-token",
                              std::chrono::milliseconds(5000)};
  send_status_update(channel, "4711", ReportState::in_progress);
  const auto requests = signalen.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "PATCH");
  EXPECT_EQ(requests[0].path, "/signals/v1/private/signals/4711");
  EXPECT_EQ(requests[0].headers.at("authorization"), "Bearer signalen-token");
  EXPECT_EQ(requests[0].body, status_update_body(ReportState::in_progress));
}

TEST(SignalenStatus, ARefusalOrNoAnswerIsAnError) {
  CaptureServer signalen;
  signalen.answer_with(500);
  const StatusChannel channel{signalen.base_url() + "/signals", "Bearer t", std::chrono::milliseconds(5000)};
  try {
    send_status_update(channel, "1", ReportState::handled);
    ADD_FAILURE();
  } catch (const StatusUpdateError &e) {
    EXPECT_EQ(std::string(e.what()), "PATCH signal status: Signalen answered 500");
  }
  const StatusChannel nowhere{"http://127.0.0.1:1/signals", "Bearer t", std::chrono::milliseconds(2000)};
  EXPECT_THROW(send_status_update(nowhere, "1", ReportState::handled), StatusUpdateError);
  const StatusChannel bad{"ftp://example.test/signals", "Bearer t", std::chrono::milliseconds(2000)};
  EXPECT_THROW(send_status_update(bad, "1", ReportState::handled), StatusUpdateError);
}

} // namespace
} // namespace hearth::test
