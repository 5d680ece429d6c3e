// The plugin's operations over real HTTP on loopback: POST
// /api/v1/nl.hearth.early-warning/<operation> with API keys from [auth]; statuses map as
// hearth/service.h says, and a forbidden tenancy answers exactly like a missing one.
#include <gtest/gtest.h>

#include <Poco/DigestEngine.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/SHA2Engine.h>
#include <Poco/StreamCopier.h>

#include <map>
#include <sstream>

#include "ew_runtime.hpp"
#include "hearth/early_warning.h"

using namespace hearth::test;
using namespace hearth::test::early_warning;

namespace {

std::string sha256_hex(const std::string &text) {
  Poco::SHA2Engine engine(Poco::SHA2Engine::SHA_256);
  engine.update(text);
  return Poco::DigestEngine::digestToHex(engine.digest());
}

// An [auth] section with one API key per person: the key is "key-<name>".
std::string auth_section() {
  struct Key {
    const char *name, *user, *role;
  };
  const Key keys[] = {{"consultant1", "consultant-1", "housing_consultant"},
                      {"consultant2", "consultant-2", "housing_consultant"},
                      {"tenant1", "tenant-1", "tenant"}};
  std::string ini = "[auth]\nkeys = consultant1, consultant2, tenant1\n";
  for (const auto &key : keys) {
    const std::string prefix = std::string("key.") + key.name + ".";
    ini += prefix + "sha256 = " + sha256_hex(std::string("key-") + key.name) + "\n" + prefix + "user = " + key.user +
           "\n" + prefix + "role = " + key.role + "\n" + prefix + "organisation = corp:test\n" + prefix +
           "access_point = crm:test\n";
  }
  return ini + "[http]\naddress = 127.0.0.1\nport = 0\n";
}

struct Reply {
  int status = 0;
  std::string body;
};

class EarlyWarningHttp : public EwTest {
protected:
  void SetUp() override {
    if (!open_runtime("", auth_section())) {
      return;
    }
    runtime_->add_tenancy("T-1", "consultant-1", "tenant-1");
    runtime_->add_tenancy("T-2", "consultant-2", "tenant-2");
    runtime_->ingest({spec("T-1", "a-1", "SCH", "DEU", 1, 300'000), spec("T-1", "a-2", "X-BTR", "VBR", 0, 1'000)});
    char *error = nullptr;
    ASSERT_EQ(hearth_runtime_serve_http(runtime_->runtime(), "127.0.0.1", 0, &port_, &error), HEARTH_OK)
        << (error != nullptr ? error : "");
    hearth_free(error);
  }

  Reply post(const std::string &operation, const std::string &body, const std::string &key) {
    Poco::Net::HTTPClientSession session("127.0.0.1", port_);
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, "/api/v1/nl.hearth.early-warning/" + operation,
                                   Poco::Net::HTTPMessage::HTTP_1_1);
    request.setContentType("application/json");
    request.setContentLength(static_cast<std::streamsize>(body.size()));
    if (!key.empty()) {
      request.set("X-API-KEY", key);
    }
    session.sendRequest(request) << body;
    Poco::Net::HTTPResponse response;
    std::istream &in = session.receiveResponse(response);
    Reply reply;
    reply.status = static_cast<int>(response.getStatus());
    Poco::StreamCopier::copyToString(in, reply.body);
    return reply;
  }

  Reply get(const std::string &path) {
    Poco::Net::HTTPClientSession session("127.0.0.1", port_);
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, path, Poco::Net::HTTPMessage::HTTP_1_1);
    session.sendRequest(request);
    Poco::Net::HTTPResponse response;
    std::istream &in = session.receiveResponse(response);
    Reply reply;
    reply.status = static_cast<int>(response.getStatus());
    Poco::StreamCopier::copyToString(in, reply.body);
    return reply;
  }

  // The hearth_flags series on /metrics: "level/status" -> value. Fails the test when a
  // series carries a label other than level, status and plugin, or another plugin's.
  std::map<std::string, double> flag_gauge() {
    const Reply reply = get("/metrics");
    EXPECT_EQ(reply.status, 200) << reply.body;
    std::map<std::string, double> series;
    std::istringstream lines(reply.body);
    for (std::string line; std::getline(lines, line);) {
      if (line.rfind("hearth_flags{", 0) != 0) {
        continue;
      }
      const auto close = line.find('}');
      std::map<std::string, std::string> labels;
      std::istringstream pairs(line.substr(13, close - 13));
      for (std::string pair; std::getline(pairs, pair, ',');) {
        const auto equals = pair.find('=');
        labels[pair.substr(0, equals)] = pair.substr(equals + 2, pair.size() - equals - 3); // unquoted
      }
      EXPECT_EQ(labels.size(), 3u) << line;
      EXPECT_EQ(labels["plugin"], "nl.hearth.early-warning") << line;
      series[labels["level"] + "/" + labels["status"]] = std::stod(line.substr(close + 2));
    }
    return series;
  }

  // The same counts as the flag board shows them through the typed lookup: every
  // tenancy's latest flag by level and status.
  std::map<std::string, double> board_counts(const std::vector<std::pair<std::string, std::string>> &tenancies) {
    static const char *const levels[] = {"none", "green", "amber", "red"};
    static const char *const statuses[] = {"none", "proposed", "accepted", "overridden", "dismissed"};
    std::map<std::string, double> counts;
    for (const char *level : {"green", "amber", "red"}) {
      for (const char *status : {"proposed", "accepted", "overridden", "dismissed"}) {
        counts[std::string(level) + "/" + status] = 0;
      }
    }
    const auto *table = static_cast<const hearth_ew_lookup_table *>(
        hearth_runtime_plugin_factory(runtime_->runtime(), HEARTH_EW_PLUGIN_ID, HEARTH_EW_LOOKUP_FACTORY_ID));
    for (const auto &[tenancy, consultant] : tenancies) {
      const auto who = person("housing_consultant", consultant.c_str());
      hearth_ew_reader *reader = nullptr;
      char *error = nullptr;
      EXPECT_EQ(table->open_reader(&who, &reader, &error), HEARTH_OK);
      table->free(error);
      hearth_ew_flag_summary summary{};
      summary.struct_size = sizeof summary;
      if (table->lookup(reader, tenancy.c_str(), &summary) == HEARTH_OK && summary.flag_status != HEARTH_EW_FLAG_NONE) {
        counts[std::string(levels[summary.flag_level]) + "/" + statuses[summary.flag_status]] += 1;
      }
      table->close_reader(reader);
    }
    return counts;
  }

  static std::string error_of(const Reply &reply) {
    return Poco::JSON::Parser().parse(reply.body).extract<Poco::JSON::Object::Ptr>()->getValue<std::string>("error");
  }

  std::uint16_t port_ = 0;
};

} // namespace

TEST_P(EarlyWarningHttp, OperationsOverHttp) {
  const auto own = post("flags.for-tenancy", R"({"tenancy_id":"T-1","lang":"en"})", "key-consultant1");
  ASSERT_EQ(own.status, 200) << own.body;
  const auto answer = Poco::JSON::Parser().parse(own.body).extract<Poco::JSON::Object::Ptr>();
  ASSERT_EQ(answer->getArray("flags")->size(), 1u);
  const std::string id = answer->getArray("flags")->getObject(0)->getValue<std::string>("id");

  // Someone else's tenancy and an unknown one: the same 404 and the same words.
  const auto forbidden = post("flags.for-tenancy", R"({"tenancy_id":"T-1"})", "key-consultant2");
  const auto missing = post("flags.for-tenancy", R"({"tenancy_id":"T-9"})", "key-consultant2");
  EXPECT_EQ(forbidden.status, 404);
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(error_of(forbidden), "tenancy 'T-1': not found");
  EXPECT_EQ(error_of(missing), "tenancy 'T-9': not found");

  // Without or with a wrong key: 401.
  EXPECT_EQ(post("flags.for-tenancy", R"({"tenancy_id":"T-1"})", "").status, 401);
  EXPECT_EQ(post("flags.for-tenancy", R"({"tenancy_id":"T-1"})", "key-nobody").status, 401);

  // Bad arguments 400, a role that may not decide 403, a decision 200, again 409.
  const std::string flag = R"({"flag_id":")" + id + R"(")";
  const auto no_reason = post("flag.decide", flag + R"(,"decision":"accept"})", "key-consultant1");
  EXPECT_EQ(no_reason.status, 400);
  EXPECT_EQ(error_of(no_reason), "args.reason: missing: every decision on a flag needs a reason");
  EXPECT_EQ(post("flag.decide", flag + R"(,"decision":"accept","reason":"ja"})", "key-tenant1").status, 403);
  EXPECT_EQ(post("flag.decide", flag + R"(,"decision":"accept","reason":"gesprek gehad"})", "key-consultant1").status,
            200);
  EXPECT_EQ(post("flag.decide", flag + R"(,"decision":"dismiss","reason":"toch niet"})", "key-consultant1").status, 409);
  EXPECT_EQ(post("flags.nothing", "{}", "key-consultant1").status, 404);

  // The tenant reads their own flag, now accepted.
  const auto tenant = post("flags.for-tenancy", R"({"tenancy_id":"T-1"})", "key-tenant1");
  ASSERT_EQ(tenant.status, 200);
  EXPECT_NE(tenant.body.find("\"status\":\"accepted\""), std::string::npos);
  const auto lines = audit_lines(store_->store(), "tenancy:T-1");
  EXPECT_NE(std::find(lines.begin(), lines.end(), "read denied consultant-2 housing_consultant"), lines.end());
}

TEST_P(EarlyWarningHttp, FlagGaugeOnMetricsFollowsTheBoard) {
  const std::vector<std::pair<std::string, std::string>> tenancies = {
      {"T-1", "consultant-1"}, {"T-2", "consultant-2"}, {"T-3", "consultant-1"}};
  runtime_->add_tenancy("T-3", "consultant-1", "tenant-3");
  // T-1 has an amber flag from the set-up; every level and status is a series, zeros too.
  auto gauge = flag_gauge();
  EXPECT_EQ(gauge.size(), 12u);
  EXPECT_EQ(gauge, board_counts(tenancies));
  EXPECT_EQ(gauge["amber/proposed"], 1);

  // More signals: T-2 escalates to red (an amber flag, then a red one: its latest counts),
  // T-3 to amber.
  runtime_->ingest({spec("T-2", "b-1", "OVE", "GEL", 59, 0, 3), spec("T-2", "b-2", "OVE", "", 30, 0, 3),
                    spec("T-2", "b-3", "SCH", "BET", 2, 145'000), spec("T-2", "b-4", "OVE", "GEL", 0, 0, 3),
                    spec("T-3", "c-1", "SCH", "DEU", 1, 300'000), spec("T-3", "c-2", "X-BTR", "VBR", 0, 1'000)});
  gauge = flag_gauge();
  EXPECT_EQ(gauge, board_counts(tenancies));
  EXPECT_EQ(gauge["amber/proposed"], 2);
  EXPECT_EQ(gauge["red/proposed"], 1);

  // Decisions move flags between series; an override counts at the level a person set.
  const auto own = post("flags.for-tenancy", R"({"tenancy_id":"T-1"})", "key-consultant1");
  const std::string id = Poco::JSON::Parser()
                             .parse(own.body)
                             .extract<Poco::JSON::Object::Ptr>()
                             ->getArray("flags")
                             ->getObject(0)
                             ->getValue<std::string>("id");
  ASSERT_EQ(post("flag.decide", R"({"flag_id":")" + id + R"(","decision":"accept","reason":"gesprek gehad"})",
                 "key-consultant1")
                .status,
            200);
  gauge = flag_gauge();
  EXPECT_EQ(gauge, board_counts(tenancies));
  EXPECT_EQ(gauge["amber/accepted"], 1);
  EXPECT_EQ(gauge["amber/proposed"], 1);
  ASSERT_EQ(post("flag.revise",
                 R"({"flag_id":")" + id + R"(","decision":"override","level":"green","reason":"regeling","revises":1})",
                 "key-consultant1")
                .status,
            200);
  gauge = flag_gauge();
  EXPECT_EQ(gauge, board_counts(tenancies));
  EXPECT_EQ(gauge["amber/accepted"], 0);
  EXPECT_EQ(gauge["green/overridden"], 1);

  // An erasure takes the tenancy's flag out of the gauge at once.
  runtime_->erase_tenancy("T-3");
  gauge = flag_gauge();
  EXPECT_EQ(gauge["amber/proposed"], 0);
  EXPECT_EQ(gauge, board_counts({{"T-1", "consultant-1"}, {"T-2", "consultant-2"}}));
}

INSTANTIATE_TEST_SUITE_P(Backends, EarlyWarningHttp, testing::Values(Backend::sqlite, Backend::postgresql),
                         backend_name);
