// The plugin over HTTP: POST /api/v1/nl.hearth.coordinator-handoff/<operation> on loopback
// with API keys from [auth], end to end through a warm handoff, escalation on the moved
// clock, the plan and network, a consult, a place, placement advice, a neighbour's report,
// the timeline and the metrics; the HTTP statuses of refusals; and the plugin's gauges on
// GET /metrics (hearth_open_cases per level, hearth_handoffs_waiting).
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/SHA2Engine.h>
#include <Poco/StreamCopier.h>

#include <map>
#include <sstream>

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

  HttpAnswer get(const std::string &path) {
    Poco::Net::HTTPClientSession session("127.0.0.1", port_);
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, path, Poco::Net::HTTPMessage::HTTP_1_1);
    session.sendRequest(request);
    Poco::Net::HTTPResponse response;
    HttpAnswer answer;
    Poco::StreamCopier::copyToString(session.receiveResponse(response), answer.body);
    answer.status = static_cast<int>(response.getStatus());
    return answer;
  }

  // The plugin's series on /metrics: "hearth_open_cases/level=0" or "hearth_handoffs_waiting"
  // -> value. Fails the test for a series of these names with a label other than plugin
  // and level, or of another plugin.
  std::map<std::string, double> gauges() {
    const HttpAnswer answer = get("/metrics");
    EXPECT_EQ(answer.status, 200) << answer.body;
    std::map<std::string, double> series;
    std::istringstream lines(answer.body);
    for (std::string line; std::getline(lines, line);) {
      const bool open_cases = line.rfind("hearth_open_cases{", 0) == 0;
      if (!open_cases && line.rfind("hearth_handoffs_waiting{", 0) != 0) {
        continue;
      }
      const auto open = line.find('{');
      const auto close = line.find('}');
      std::map<std::string, std::string> labels;
      std::istringstream pairs(line.substr(open + 1, close - open - 1));
      for (std::string pair; std::getline(pairs, pair, ',');) {
        const auto equals = pair.find('=');
        labels[pair.substr(0, equals)] = pair.substr(equals + 2, pair.size() - equals - 3); // unquoted
      }
      EXPECT_EQ(labels["plugin"], "nl.hearth.coordinator-handoff") << line;
      EXPECT_EQ(labels.size(), open_cases ? 2u : 1u) << line;
      const std::string key = line.substr(0, open) + (open_cases ? "/level=" + labels["level"] : "");
      series[key] = std::stod(line.substr(close + 2));
    }
    return series;
  }

  uint16_t port_ = 0;
};

TEST_P(Http, MetricsShowOpenCasesPerLevelAndWaitingHandoffs) {
  auto g = gauges();
  for (int level = 0; level <= 4; ++level) {
    EXPECT_EQ(g["hearth_open_cases/level=" + std::to_string(level)], 0.0) << level; // set at init, every rung
    EXPECT_TRUE(g.contains("hearth_open_cases/level=" + std::to_string(level))) << level;
  }
  EXPECT_TRUE(g.contains("hearth_handoffs_waiting"));
  EXPECT_EQ(g["hearth_handoffs_waiting"], 0.0);

  const auto open = [&](const std::string &tenancy) {
    return ok(coordinator, "case.open", R"({"tenancy_id":")" + tenancy + R"(","legal_basis":"avg-6-1-e","reason":"r"})")
        ->getValue<std::string>("case_id");
  };
  const std::string a = open("T-1");
  const std::string b = open("T-2");
  open("T-3");
  g = gauges();
  EXPECT_EQ(g["hearth_open_cases/level=0"], 3.0);
  ok(coordinator, "escalation.raise", R"({"case_id":")" + b + R"(","levels":2,"reason":"threats"})");
  g = gauges();
  EXPECT_EQ(g["hearth_open_cases/level=0"], 2.0);
  EXPECT_EQ(g["hearth_open_cases/level=2"], 1.0);

  // An offer waits until it is accepted or declined.
  const auto offer = [&](const std::string &id) {
    return ok(coordinator, "handoff.offer",
              R"({"case_id":")" + id + R"(","to_user":"coord-2","to_organisation":"care:ggz-west","to_role":"coordinator","reason":"r"})")
        ->getValue<std::string>("offer_id");
  };
  const std::string first = offer(a);
  const std::string second = offer(b);
  EXPECT_EQ(gauges()["hearth_handoffs_waiting"], 2.0);
  ok(coordinator_care, "handoff.accept", R"({"offer_id":")" + first + R"("})");
  EXPECT_EQ(gauges()["hearth_handoffs_waiting"], 1.0);
  ok(coordinator_care, "handoff.decline", R"({"offer_id":")" + second + R"(","reason":"full"})");
  EXPECT_EQ(gauges()["hearth_handoffs_waiting"], 0.0);
  // A refused call changes nothing.
  EXPECT_EQ(post(&coordinator, "case.open", R"({"tenancy_id":"T-1","legal_basis":"avg-6-1-e","reason":"r"})").status, 409);
  EXPECT_EQ(gauges()["hearth_open_cases/level=0"], 2.0);
  // Closing a case takes it off.
  const std::string c = text("SELECT id FROM ch_case WHERE tenancy_id = 'T-3'");
  ok(coordinator, "case.transition", R"({"case_id":")" + c + R"(","transition":"close","reason":"done"})");
  EXPECT_EQ(gauges()["hearth_open_cases/level=0"], 1.0);
  offer(b);

  // Counts, never people: no case, tenancy or user on /metrics.
  const std::string text_of_metrics = get("/metrics").body;
  for (const std::string &personal : {a, b, std::string("T-1"), std::string("coord-1"), std::string("tenant-1")}) {
    EXPECT_EQ(text_of_metrics.find(personal), std::string::npos) << personal;
  }

  // Another runtime on the same store sets the gauges from the store at its start.
  hearth_runtime_stop_http(rt().runtime());
  rt_.reset();
  rt_ = std::make_unique<HandoffRuntime>(*store_, config_dir(), extra_ini());
  char *error = nullptr;
  ASSERT_EQ(hearth_runtime_serve_http(rt().runtime(), "127.0.0.1", 0, &port_, &error), HEARTH_OK);
  hearth_free(error);
  g = gauges();
  EXPECT_EQ(g["hearth_open_cases/level=0"], 1.0);
  EXPECT_EQ(g["hearth_open_cases/level=2"], 1.0);
  EXPECT_EQ(g["hearth_handoffs_waiting"], 1.0);
}

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
