// The Wgs early warning's rules: what may be recorded as a precondition, what a request to
// send may hold (contact details and the amount, nothing else), and the decision — refused,
// naming what is missing, until every precondition is recorded and the objection period
// has passed.
#include <Poco/JSON/Parser.h>

#include <gtest/gtest.h>

#include "adapter_common/json_fields.hpp"
#include "wgs_early_warning.hpp"

namespace hearth::adapters::wgs {
namespace {

constexpr std::int64_t kDay = 24LL * 3600LL * 1000LL;
constexpr std::int64_t kNow = 1'795'000'000'000;     // 2026-11-18T11:06:40Z
constexpr std::int64_t kAug1 = 1'785'542'400'000;    // 2026-08-01
constexpr std::int64_t kSep1 = kAug1 + 31 * kDay;    // 2026-09-01

Poco::JSON::Object::Ptr object(const std::string &json) {
  return Poco::JSON::Parser().parse(json).extract<Poco::JSON::Object::Ptr>();
}

const std::string kRequest =
    R"({"tenancy_id":"T-1","amount_cents":123456,"arrears_since":"2026-08-01","contact":{"name":"J. Jansen",)"
    R"("street":"Amstel","house_number":"1","postcode":"1011 PN","city":"Amsterdam","phone":"0201234567","email":"j@example.nl"}})";

std::string with(std::string text, const std::string &from, const std::string &to) {
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return at == std::string::npos ? text : text.replace(at, from.size(), to);
}

std::string refusal_of(const std::string &json) {
  try {
    read_warning_request(object(json), kNow);
  } catch (const FieldProblem &problem) {
    return problem.what();
  }
  return "accepted";
}

std::vector<Precondition> all_preconditions() {
  return {{PreconditionKind::written_reminder, kSep1, ""},
          {PreconditionKind::contact_attempt, kSep1 + 3 * kDay, "telefoon"},
          {PreconditionKind::debt_help_pointer, kSep1 + 3 * kDay, ""}};
}

TEST(WgsRequest, ReadsContactDetailsAndTheAmount) {
  const auto r = read_warning_request(object(kRequest), kNow);
  EXPECT_EQ(r.tenancy_id, "T-1");
  EXPECT_EQ(r.amount_cents, 123456);
  EXPECT_EQ(r.arrears_since_ms, kAug1);
  EXPECT_EQ(r.contact.name, "J. Jansen");
  EXPECT_EQ(r.contact.postcode, "1011 PN");
}

TEST(WgsRequest, EveryBadInputKindNamesTheField) {
  EXPECT_EQ(refusal_of(with(kRequest, "123456", "-5")), "args.amount_cents: is negative");
  EXPECT_EQ(refusal_of(with(kRequest, "123456", "0")), "args.amount_cents: is zero: there are no arrears to report");
  EXPECT_EQ(refusal_of(with(kRequest, "123456", "12.5")), "args.amount_cents: must be a whole number");
  EXPECT_EQ(refusal_of(with(kRequest, "123456", "\"123456\"")), "args.amount_cents: must be a whole number");
  EXPECT_EQ(refusal_of(with(kRequest, "\"tenancy_id\":\"T-1\",", "")), "args.tenancy_id: is missing");
  EXPECT_EQ(refusal_of(with(kRequest, "\"T-1\"", "\"111222333\"")), "args.tenancy_id: looks like a BSN; a tenancy id is expected");
  EXPECT_EQ(refusal_of(with(kRequest, "2026-08-01", "2027-08-01")), "args.arrears_since: is in the future");
  EXPECT_EQ(refusal_of(with(kRequest, "2026-08-01", "01-08-2026")), "args.arrears_since: is not a date YYYY-MM-DD");
  EXPECT_EQ(refusal_of(with(kRequest, "\"name\":\"J. Jansen\",", "")), "args.contact.name: is missing");
  EXPECT_EQ(refusal_of(with(kRequest, "1011 PN", "1011")), "args.contact.postcode: is not a Dutch postcode (1234AB)");
  EXPECT_EQ(refusal_of(with(kRequest, "\"city\":", "\"bsn\":\"111222333\",\"city\":")),
            "args.contact.bsn: is not sent: the Wgs lets only contact details and the amount go");
  EXPECT_EQ(refusal_of(with(kRequest, "\"city\":", "\"diagnose\":\"x\",\"city\":")),
            "args.contact.diagnose: is not sent: the Wgs lets only contact details and the amount go");
  EXPECT_EQ(refusal_of(with(kRequest, "j@example.nl", "j.example.nl")), "args.contact.email: is not an e-mail address");
  EXPECT_EQ(refusal_of(with(kRequest, "\"contact\":{", "\"contact\":\"x\",\"c\":{")), "args.contact: must be an object");
}

TEST(WgsPrecondition, ReadsWhatWasDone) {
  const auto p = read_precondition(object(R"({"tenancy_id":"T-1","kind":"contact_attempt","date":"2026-09-04","channel":"huisbezoek"})"), kNow);
  EXPECT_EQ(p.kind, PreconditionKind::contact_attempt);
  EXPECT_EQ(p.on_ms, kSep1 + 3 * kDay);
  EXPECT_EQ(p.channel, "huisbezoek");
  const auto refused = [](const std::string &json) {
    try {
      read_precondition(object(json), kNow);
    } catch (const FieldProblem &problem) {
      return std::string(problem.what());
    }
    return std::string("accepted");
  };
  EXPECT_EQ(refused(R"({"kind":"phone_call","date":"2026-09-04"})"),
            "args.kind: must be written_reminder, contact_attempt, debt_help_pointer or objection");
  EXPECT_EQ(refused(R"({"kind":"contact_attempt","date":"2026-09-04"})"), "args.channel: is missing");
  EXPECT_EQ(refused(R"({"kind":"contact_attempt","date":"2026-09-04","channel":"duif"})"),
            "args.channel: must be brief, e-mail, sms, whatsapp, telefoon, huisbezoek or kaart");
  EXPECT_EQ(refused(R"({"kind":"written_reminder","date":"2026-09-04","channel":"brief"})"),
            "args.channel: is only recorded for a contact_attempt");
  EXPECT_EQ(refused(R"({"kind":"written_reminder","date":"2026-12-04"})"), "args.date: is in the future");
  EXPECT_EQ(refused(R"({"kind":"written_reminder"})"), "args.date: is missing");
}

TEST(WgsDecision, EachMissingPreconditionIsNamed) {
  const auto request = read_warning_request(object(kRequest), kNow);
  const WgsRules rules;
  EXPECT_EQ(decide(request, {}, rules, kNow).refusal, "precondition 'written_reminder' is not recorded for these arrears");
  auto recorded = all_preconditions();
  recorded.erase(recorded.begin() + 1);
  EXPECT_EQ(decide(request, recorded, rules, kNow).refusal,
            "precondition 'contact_attempt' is not recorded for these arrears");
  recorded = all_preconditions();
  recorded.pop_back();
  EXPECT_EQ(decide(request, recorded, rules, kNow).refusal,
            "precondition 'debt_help_pointer' is not recorded for these arrears");
  // A reminder about earlier arrears does not count for these.
  recorded = all_preconditions();
  recorded[0].on_ms = kAug1 - 10 * kDay;
  EXPECT_EQ(decide(request, recorded, rules, kNow).refusal,
            "precondition 'written_reminder' is not recorded for these arrears");
  const auto allowed = decide(request, all_preconditions(), rules, kNow);
  EXPECT_TRUE(allowed.allowed) << allowed.refusal;
  EXPECT_TRUE(allowed.refusal.empty());
}

TEST(WgsDecision, AnObjectionOrTheRunningObjectionPeriodStopsIt) {
  const auto request = read_warning_request(object(kRequest), kNow);
  auto recorded = all_preconditions();
  recorded.push_back({PreconditionKind::objection, kSep1 + 5 * kDay, ""});
  EXPECT_EQ(decide(request, recorded, WgsRules{}, kNow).refusal,
            "precondition 'no_objection' is not met: the tenant objected on 2026-09-06");
  recorded = all_preconditions();
  recorded[0].on_ms = kNow - 3 * kDay; // a reminder three days ago
  EXPECT_EQ(decide(request, recorded, WgsRules{}, kNow).refusal,
            "precondition 'no_objection' is not met yet: the tenant may object until 2026-11-29");
}

TEST(WgsDecision, YoungArrearsAndSmallAmountsAreRefused) {
  auto request = read_warning_request(object(with(kRequest, "2026-08-01", "2026-11-01")), kNow);
  EXPECT_EQ(decide(request, all_preconditions(), WgsRules{}, kNow).refusal,
            "the arrears are younger than 30 days (until 2026-12-01)");
  request = read_warning_request(object(kRequest), kNow);
  WgsRules rules;
  rules.minimum_amount_cents = 200000;
  EXPECT_EQ(decide(request, all_preconditions(), rules, kNow).refusal,
            "the amount is under the municipality's minimum of 200000 cents");
}

TEST(WgsMessage, OnlyContactDetailsAndTheAmountGo) {
  const auto request = read_warning_request(object(kRequest), kNow);
  std::ostringstream out;
  warning_message(request, kNow).stringify(out);
  EXPECT_EQ(out.str(),
            R"({"bedrag_cents":123456,"contact":{"email":"j@example.nl","huisnummer":"1","naam":"J. Jansen",)"
            R"("postcode":"1011 PN","straat":"Amstel","telefoon":"0201234567","woonplaats":"Amsterdam"},)"
            R"("ontstaan_op":"2026-08-01","signaaldatum":"2026-11-18","soort":"huurachterstand"})");
  EXPECT_EQ(out.str().find("T-1"), std::string::npos);
}

} // namespace
} // namespace hearth::adapters::wgs
