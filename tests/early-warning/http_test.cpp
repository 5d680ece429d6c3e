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

#include "ew_runtime.hpp"

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

class EarlyWarningHttp : public testing::TestWithParam<Backend> {
protected:
  void SetUp() override {
    if (GetParam() == Backend::postgresql) {
      HEARTH_REQUIRE_OR_SKIP(postgres_url().has_value(), "HEARTH_TEST_POSTGRES is not set (scripts/start-postgres.sh)");
    }
    store_ = std::make_unique<TestStore>(GetParam());
    runtime_ = std::make_unique<EwRuntime>(store_->store(), "", auth_section());
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

  static std::string error_of(const Reply &reply) {
    return Poco::JSON::Parser().parse(reply.body).extract<Poco::JSON::Object::Ptr>()->getValue<std::string>("error");
  }

  std::unique_ptr<TestStore> store_;
  std::unique_ptr<EwRuntime> runtime_;
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

INSTANTIATE_TEST_SUITE_P(Backends, EarlyWarningHttp, testing::Values(Backend::sqlite, Backend::postgresql),
                         backend_name);
