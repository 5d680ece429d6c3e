// The plugin over HTTP: POST /api/v1/nl.hearth.coordinator-handoff/<operation> on loopback
// with API keys from [auth], end to end through a warm handoff, escalation on the moved
// clock, the plan and network, a consult, a place, placement advice, a neighbour's report,
// the timeline and the metrics; and the HTTP statuses of refusals.
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/SHA2Engine.h>
#include <Poco/StreamCopier.h>

#include "handoff_test_base.hpp"

namespace hearth::test::handoff {
namespace {

using namespace cast;

struct HttpAnswer {
  int status = 0;
  std::string body;
  Poco::JSON::Object::Ptr json() const { return Reply{HEARTH_OK, body}.json(); }
};

// The API key of a person in these tests is "key-" + their user id.
std::string key_of(const Who &who) { return "key-" + who.user; }

std::string sha256(const std::string &text) {
  Poco::SHA2Engine engine(Poco::SHA2Engine::SHA_256);
  engine.update(text);
  return Poco::DigestEngine::digestToHex(engine.digest());
}

class Http : public HandoffTest {
protected:
  std::string extra_ini() override {
    std::string ini = "[auth]\nkeys = ";
    std::string keys;
    for (const Who *who : people()) {
      ini += (who == people().front() ? "" : ", ") + who->user;
      keys += "key." + who->user + ".sha256 = " + sha256(key_of(*who)) + "\nkey." + who->user + ".user = " + who->user +
              "\nkey." + who->user + ".role = " + who->role + "\nkey." + who->user +
              ".organisation = " + who->organisation + "\n";
    }
    return ini + "\n" + keys + "[http]\nport = 0\n";
  }
  static const std::vector<const Who *> &people() {
    static const std::vector<const Who *> all{&coordinator, &coordinator_care, &coordinator_other, &consultant,
                                              &tenant,      &neighbour,        &auditor,           &system,
                                              &ggz_consultant};
    return all;
  }
  void SetUp() override {
    HandoffTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) {
      return;
    }
    char *error = nullptr;
    const int32_t status = hearth_runtime_serve_http(rt().runtime(), "127.0.0.1", 0, &port_, &error);
    const std::string message = error != nullptr ? error : "";
    hearth_free(error);
    ASSERT_EQ(status, HEARTH_OK) << message;
  }
  void TearDown() override {
    if (rt_) {
      hearth_runtime_stop_http(rt().runtime());
    }
    HandoffTest::TearDown();
  }

  HttpAnswer post(const Who *who, const std::string &operation, const std::string &body = "{}") {
    Poco::Net::HTTPClientSession session("127.0.0.1", port_);
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST,
                                   "/api/v1/nl.hearth.coordinator-handoff/" + operation, Poco::Net::HTTPMessage::HTTP_1_1);
    request.setContentType("application/json");
    request.setContentLength(static_cast<std::streamsize>(body.size()));
    if (who != nullptr) {
      request.set("X-API-KEY", key_of(*who));
    }
    session.sendRequest(request) << body;
    Poco::Net::HTTPResponse response;
    HttpAnswer answer;
    Poco::StreamCopier::copyToString(session.receiveResponse(response), answer.body);
    answer.status = static_cast<int>(response.getStatus());
    return answer;
  }
  Poco::JSON::Object::Ptr ok(const Who &who, const std::string &operation, const std::string &body = "{}") {
    const auto answer = post(&who, operation, body);
    EXPECT_EQ(answer.status, 200) << operation << ": " << answer.body;
    return answer.status == 200 ? answer.json() : Poco::JSON::Object::Ptr(new Poco::JSON::Object());
  }

  uint16_t port_ = 0;
};

TEST_P(Http, RefusalsHaveTheirHttpStatus) {
  EXPECT_EQ(post(nullptr, "case.list").status, 401);
  const std::string id = ok(coordinator, "case.open", R"({"tenancy_id":"T-1","legal_basis":"avg-6-1-e","reason":"r"})")
                             ->getValue<std::string>("case_id");
  EXPECT_EQ(post(&auditor, "case.get", R"({"case_id":")" + id + R"("})").status, 403);
  const auto hidden = post(&coordinator_other, "case.get", R"({"case_id":")" + id + R"("})");
  EXPECT_EQ(hidden.status, 404);
  EXPECT_EQ(hidden.body, post(&coordinator_other, "case.get", R"({"case_id":"case-nope"})").body);
  const auto bad = post(&coordinator, "case.open", R"({"tenancy_id":"T-2","legal_basis":"avg-6-1-e"})");
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("reason: missing"), std::string::npos) << bad.body;
  EXPECT_EQ(post(&coordinator, "case.open", R"({"tenancy_id":"T-1","legal_basis":"avg-6-1-e","reason":"r"})").status, 409);
  EXPECT_EQ(post(&coordinator, "case.unknown").status, 404);
}

TEST_P(Http, EndToEndFromReportToHandoffPlanPlaceAndMetrics) {
  // A neighbour reports noise; the coordinator opens a case and writes the plan.
  rt().ingest("noise-http-1", "OVE", "T-1", rt().clock().now(), "nb-1");
  rt().drain();
  const std::string id = ok(coordinator, "case.open", R"({"tenancy_id":"T-1","legal_basis":"avg-6-1-e","reason":"Noise and arrears"})")
                             ->getValue<std::string>("case_id");
  const std::string on_case = R"("case_id":")" + id + "\"";
  ok(coordinator, "case.transition", "{" + on_case + R"(,"transition":"start-triage","reason":"visit"})");
  ok(coordinator, "plan.update",
     "{" + on_case + R"(,"what_do_you_need":"Rest","what_can_you_offer":"Cooking for others","in_words_of":"tenant"})");
  ok(coordinator, "plan.add_action",
     "{" + on_case + R"(,"description":"Payment plan","owner_user":"hc-1","owner_organisation":"corp:woonstad","due_date":"2026-03-20"})");
  ok(coordinator, "network.add",
     "{" + on_case + R"(,"kind":"buddy","relation":"peer_expert","consent":{"status":"given","basis":"consent","on":"2026-03-02"},"may_see":["plan"]})");
  const std::string consult =
      ok(coordinator, "consult.request", "{" + on_case + R"(,"expertise":"mental-health","question":"Advice?"})")
          ->getValue<std::string>("consult_id");
  ok(ggz_consultant, "consult.answer", R"({"consult_id":")" + consult + R"(","answer":"Outreach team"})");
  ok(coordinator, "places.reserve", "{" + on_case + R"(,"place_id":"TO-WEST-1","from_date":"2026-03-09","until_date":"2026-03-16"})");
  EXPECT_EQ(ok(consultant, "placement.advice", R"({"unit_id":"U-6"})")->getValue<std::string>("advice"), "not_advised");
  // A warm handoff that is not answered in time escalates; then it is accepted.
  const std::string offer =
      ok(coordinator, "handoff.offer",
         "{" + on_case + R"(,"to_user":"coord-2","to_organisation":"care:ggz-west","to_role":"coordinator","reason":"Care leads","summary":[{"data_class":"case_plan","text":"Plan agreed"}]})")
          ->getValue<std::string>("offer_id");
  rt().clock().advance_days(3);
  EXPECT_EQ(ok(system, "escalation.tick")->getValue<int>("offers_escalated"), 1);
  EXPECT_EQ(ok(coordinator, "case.get", "{" + on_case + "}")->getValue<int>("level"), 1);
  ASSERT_EQ(ok(coordinator_care, "handoff.inbox")->getArray("offers")->size(), 1u);
  ok(coordinator_care, "handoff.accept", R"({"offer_id":")" + offer + R"("})");
  EXPECT_EQ(ok(tenant, "case.get", "{" + on_case + "}")->getObject("owner")->getValue<std::string>("user"), "coord-2");
  EXPECT_EQ(post(&coordinator, "case.get", "{" + on_case + "}").status, 404);
  // The tenant reads their plan and timeline; the neighbour the status of their report.
  EXPECT_EQ(ok(tenant, "plan.get", "{" + on_case + "}")->getValue<std::string>("what_can_you_offer"), "Cooking for others");
  EXPECT_GT(ok(tenant, "timeline.get", "{" + on_case + "}")->getArray("entries")->size(), 5u);
  const auto reports = ok(neighbour, "report.mine")->getArray("reports");
  ASSERT_EQ(reports->size(), 1u);
  EXPECT_EQ(reports->getObject(0)->getValue<std::string>("status"), "being_handled");
  const auto metrics = ok(coordinator, "metrics.neighbourhood", R"({"neighbourhood_code":"BU03630402"})");
  EXPECT_EQ(metrics->getArray("neighbourhoods")->getObject(0)->getValue<int>("open_cases"), 1);
}

HANDOFF_BACKENDS(Http);

} // namespace
} // namespace hearth::test::handoff
