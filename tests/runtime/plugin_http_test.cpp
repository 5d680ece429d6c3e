// Plugins' HTTP routes and operations on the runtime's server, with the runtime's
// authentication (API keys and signed tokens from [auth]), read with a real client on
// loopback.
#include <fstream>
#include <regex>
#include <sstream>

#include <Poco/Crypto/RSAKey.h>
#include <Poco/DigestEngine.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JWT/Signer.h>
#include <Poco/JWT/Token.h>
#include <Poco/SHA2Engine.h>
#include <Poco/Timestamp.h>

#include <gtest/gtest.h>

#include "../http/http_test_client.hpp"
#include "runtime_fixture.hpp"

namespace hearth::test {
namespace {

constexpr const char *kApiKey = "crm-key-for-tests-0123456789abcdef";
constexpr const char *kSecret = "a-shared-secret-of-at-least-32-bytes!!";

std::string sha256_hex(const std::string &text) {
  Poco::SHA2Engine engine(Poco::SHA2Engine::SHA_256);
  engine.update(text);
  return Poco::DigestEngine::digestToHex(engine.digest());
}

std::string auth_ini(const std::string &jwt_lines) {
  return "[http]\nport = 0\nmax_body_bytes = 4096\n"
         "[auth]\nkeys = crm\n" +
         jwt_lines +
         "[auth.key.crm]\nsha256 = " + sha256_hex(kApiKey) +
         "\nuser = system:crm\nrole = system\norganisation = corp:demo\naccess_point = crm:viewpoint\n";
}

const std::string kHs256Lines = std::string("jwt.algorithm = HS256\njwt.hs256_secret = ") + kSecret +
                                "\njwt.issuer = crm.test\njwt.audience = hearth\njwt.max_lifetime_s = 900\n";

// A token as a CRM would issue it, `lifetime_s` from now (negative: already expired).
std::string token(long lifetime_s, const std::string &role = HEARTH_ROLE_HOUSING_CONSULTANT,
                  const std::string &issuer = "crm.test", const std::string &secret = kSecret) {
  Poco::JWT::Token t;
  t.setType("JWT");
  t.setSubject("emp-42");
  t.setIssuer(issuer);
  t.setAudience("hearth");
  t.setIssuedAt(Poco::Timestamp());
  t.setExpiration(Poco::Timestamp() + Poco::Timespan(lifetime_s, 0));
  t.payload().set("role", role);
  t.payload().set("org", std::string("corp:demo"));
  Poco::JWT::Signer signer(secret);
  return signer.sign(t, Poco::JWT::Signer::ALGO_HS256);
}

class PluginHttp : public ::testing::Test {
protected:
  void start(const std::string &ini) {
    fixture_ = std::make_unique<RuntimeFixture>(std::initializer_list<std::string>{"test_services"}, ini);
    fixture_->open_and_load();
    Message error;
    ASSERT_EQ(hearth_runtime_serve_http(fixture_->runtime(), "127.0.0.1", 0, &port_, error.out()), HEARTH_OK)
        << error.str();
  }
  HttpReply get(const std::string &target, const std::map<std::string, std::string> &headers = {}) {
    return http_request(port_, "GET", target, "", headers);
  }
  HttpReply post(const std::string &target, const std::string &body,
                 const std::map<std::string, std::string> &headers = {}) {
    return http_request(port_, "POST", target, body, headers);
  }
  static Poco::JSON::Object::Ptr json(const HttpReply &reply) {
    return Poco::JSON::Parser().parse(reply.body).extract<Poco::JSON::Object::Ptr>();
  }

  std::unique_ptr<RuntimeFixture> fixture_;
  uint16_t port_ = 0;
};

TEST_F(PluginHttp, APluginRouteAnswersWithTheRuntimesSafetyHeaders) {
  start(auth_ini(kHs256Lines));
  const auto reply = get("/test/echo?tenancy=T-1", {{"X-Probe", "p1"}});
  ASSERT_EQ(reply.status, 200) << reply.body;
  const auto body = json(reply);
  EXPECT_EQ(body->getValue<std::string>("path"), "/test/echo");
  EXPECT_EQ(body->getValue<std::string>("query"), "tenancy=T-1");
  EXPECT_EQ(body->getValue<std::string>("probe"), "p1");
  EXPECT_TRUE(body->isNull("user")); // no credentials: the handler sees no actor
  EXPECT_EQ(reply.header("Content-Type"), "application/json");
  EXPECT_EQ(reply.header("X-Test"), "yes");
  EXPECT_EQ(reply.header("X-Bad"), "");      // a header with a line break is dropped
  EXPECT_EQ(reply.header("Set-Cookie"), ""); // and cannot smuggle another header
  EXPECT_EQ(reply.header("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(reply.header("Referrer-Policy"), "no-referrer");
  // 8-4-4-4-6-6 hex groups: never nine digits in a row (the log would redact them as a BSN).
  EXPECT_TRUE(std::regex_match(reply.header("X-Request-Id"),
                               std::regex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{6}-[0-9a-f]{6}")))
      << reply.header("X-Request-Id");
}

TEST_F(PluginHttp, RoutesResolveByMethodAndPrefix) {
  start(auth_ini(kHs256Lines));
  const auto posted = post("/test/echo", "hello", {{"X-API-KEY", kApiKey}});
  EXPECT_EQ(posted.status, 201);
  EXPECT_EQ(json(posted)->getValue<int>("body_size"), 5);
  const auto deep = get("/test/tree/a/b");
  EXPECT_EQ(deep.status, 200);
  EXPECT_EQ(json(deep)->getValue<std::string>("path"), "/test/tree/a/b");
  const auto wrong_method = http_request(port_, "DELETE", "/test/echo");
  EXPECT_EQ(wrong_method.status, 405);
  EXPECT_NE(wrong_method.header("Allow").find("GET"), std::string::npos);
  EXPECT_EQ(get("/test/nothing-here").status, 404);
  EXPECT_EQ(get("/test/fail").status, 500);
  EXPECT_EQ(get("/healthz").status, 200); // the runtime's own route is not the plugin's
}

TEST_F(PluginHttp, ApiKeysAndTokensBecomeTheActor) {
  start(auth_ini(kHs256Lines));
  const auto by_key = json(get("/test/echo", {{"X-API-KEY", kApiKey}}));
  EXPECT_EQ(by_key->getValue<std::string>("user"), "system:crm");
  EXPECT_EQ(by_key->getValue<std::string>("role"), HEARTH_ROLE_SYSTEM);
  const auto by_bearer_key = json(get("/test/echo", {{"Authorization", std::string("Bearer ") + kApiKey}}));
  EXPECT_EQ(by_bearer_key->getValue<std::string>("user"), "system:crm");
  const auto by_token = json(get("/test/echo", {{"Authorization", "Bearer " + token(300)}}));
  EXPECT_EQ(by_token->getValue<std::string>("user"), "emp-42");
  EXPECT_EQ(by_token->getValue<std::string>("role"), HEARTH_ROLE_HOUSING_CONSULTANT);
}

TEST_F(PluginHttp, BadCredentialsNeverReachThePlugin) {
  start(auth_ini(kHs256Lines));
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"an unknown key", "Bearer not-a-key-we-know"},
      {"an expired token", "Bearer " + token(-600)},
      {"a token living too long", "Bearer " + token(7200)},
      {"a token of another issuer", "Bearer " + token(300, HEARTH_ROLE_HOUSING_CONSULTANT, "evil.test")},
      {"a token signed with another secret",
       "Bearer " + token(300, HEARTH_ROLE_HOUSING_CONSULTANT, "crm.test", "another-secret-that-is-32-bytes-long!")},
      {"a token with an unknown role", "Bearer " + token(300, "superuser")},
      {"another scheme", "Basic dXNlcjpwYXNz"},
      {"a mangled token", "Bearer aaa.bbb.ccc"},
  };
  for (const auto &[what, header] : cases) {
    const auto reply = get("/test/echo", {{"Authorization", header}});
    EXPECT_EQ(reply.status, 401) << what << ": " << reply.body;
    EXPECT_EQ(reply.header("WWW-Authenticate"), "Bearer") << what;
    EXPECT_EQ(reply.body.find("emp-42"), std::string::npos) << what;
  }
}

TEST_F(PluginHttp, OperationsOverHttpMapStatusesToHttpCodes) {
  start(auth_ini(kHs256Lines));
  const std::map<std::string, std::string> key{{"X-API-KEY", kApiKey}};
  const auto me = post("/api/v1/nl.hearth.test.services/whoami", "{}", key);
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(json(me)->getValue<std::string>("access_point"), "crm:viewpoint");
  EXPECT_EQ(post("/api/v1/nl.hearth.test.services/whoami", "", key).status, 200); // empty body is {}

  EXPECT_EQ(post("/api/v1/nl.hearth.test.services/refuse", "{}", key).status, 403);
  EXPECT_EQ(post("/api/v1/nl.hearth.test.services/missing", "{}", key).status, 404);
  EXPECT_EQ(post("/api/v1/nl.hearth.test.services/clash", "{}", key).status, 409);
  const auto bad = post("/api/v1/nl.hearth.test.services/bad-args", "{}", key);
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(json(bad)->getValue<std::string>("error"), "needed: missing");
  const auto exploded = post("/api/v1/nl.hearth.test.services/explode", "{}", key);
  EXPECT_EQ(exploded.status, 500);
  EXPECT_EQ(exploded.body.find("exploded on purpose"), std::string::npos) << "internals stay in the log";
  EXPECT_NE(exploded.body.find(exploded.header("X-Request-Id")), std::string::npos);
  EXPECT_EQ(post("/api/v1/nl.hearth.test.absent/whoami", "{}", key).status, 404);
  EXPECT_EQ(post("/api/v1/nl.hearth.test.services", "{}", key).status, 404);

  EXPECT_EQ(post("/api/v1/nl.hearth.test.services/whoami", "[1,2]", key).status, 400);
  EXPECT_EQ(post("/api/v1/nl.hearth.test.services/whoami", "{not json", key).status, 400);
  EXPECT_EQ(post("/api/v1/nl.hearth.test.services/whoami", std::string(8192, ' '), key).status, 413);
  EXPECT_EQ(get("/api/v1/nl.hearth.test.services/whoami", key).status, 405); // no state change on GET
  const auto anonymous = post("/api/v1/nl.hearth.test.services/whoami", "{}");
  EXPECT_EQ(anonymous.status, 401);
}

TEST_F(PluginHttp, Rs256TokensAreCheckedWithTheConfiguredPublicKey) {
  Poco::Crypto::RSAKey key(Poco::Crypto::RSAKey::KL_2048, Poco::Crypto::RSAKey::EXP_LARGE);
  ScratchDir keys;
  const auto public_pem = keys.path() / "issuer.pem";
  {
    std::ofstream out(public_pem);
    key.save(&out);
  }
  start(auth_ini("jwt.algorithm = RS256\njwt.rs256_public_key = " + public_pem.string() +
                 "\njwt.issuer = crm.test\njwt.audience = hearth\n"));
  Poco::JWT::Token t;
  t.setSubject("emp-7");
  t.setIssuer("crm.test");
  t.setAudience("hearth");
  t.setExpiration(Poco::Timestamp() + Poco::Timespan(300, 0));
  t.payload().set("role", std::string(HEARTH_ROLE_COORDINATOR));
  t.payload().set("org", std::string("gemeente:0363"));
  Poco::JWT::Signer rs_signer(Poco::SharedPtr<Poco::Crypto::RSAKey>(new Poco::Crypto::RSAKey(key)));
  const std::string signed_token = rs_signer.sign(t, Poco::JWT::Signer::ALGO_RS256);
  const auto reply = post("/api/v1/nl.hearth.test.services/whoami", "{}", {{"Authorization", "Bearer " + signed_token}});
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(json(reply)->getValue<std::string>("user"), "emp-7");
  EXPECT_EQ(json(reply)->getValue<std::string>("organisation"), "gemeente:0363");
  // An HS256 token (signed with any secret) is refused when RS256 is configured.
  EXPECT_EQ(post("/api/v1/nl.hearth.test.services/whoami", "{}", {{"Authorization", "Bearer " + token(300)}}).status,
            401);
}

TEST(PluginHttpConfig, BadAuthSettingsStopTheRuntimeNamingTheKey) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"[auth]\nkeys = crm\n[auth.key.crm]\nsha256 = 1234\nuser = u\nrole = system\norganisation = o\n",
       "auth.key.crm.sha256"},
      {"[auth]\nkeys = crm\n[auth.key.crm]\nsha256 = " + sha256_hex("k") + "\nuser = u\nrole = root\norganisation = o\n",
       "auth.key.crm.role"},
      {"[auth]\nkeys = crm\n[auth.key.crm]\nsha256 = " + sha256_hex("k") + "\nrole = system\norganisation = o\n",
       "auth.key.crm.user"},
      {"[auth]\njwt.algorithm = HS256\njwt.hs256_secret = short\njwt.issuer = x\n", "auth.jwt.hs256_secret"},
      {"[auth]\njwt.algorithm = none\n", "auth.jwt.algorithm"},
      {"[auth]\njwt.algorithm = HS256\njwt.hs256_secret = " + std::string(kSecret) + "\n", "auth.jwt.issuer"},
      {"[auth]\njwt.algorithm = RS256\njwt.rs256_public_key = does-not-exist.pem\njwt.issuer = x\n",
       "auth.jwt.rs256_public_key"},
  };
  for (const auto &[ini, key] : cases) {
    RuntimeFixture fixture({}, ini);
    EXPECT_NE(fixture.open(), HEARTH_OK) << key;
    EXPECT_NE(fixture.open_error().find(key), std::string::npos) << key << ": " << fixture.open_error();
  }
}

} // namespace
} // namespace hearth::test
