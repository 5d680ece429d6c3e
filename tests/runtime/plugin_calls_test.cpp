// The 1.2 services through a real plugin: one plugin runs another's operations for an
// actor ("nl.hearth.calls/1"), asks who a credential belongs to
// ("nl.hearth.credentials/1"), reads the runtime's mode and the runtime's read views.
#include <Poco/DigestEngine.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JWT/Signer.h>
#include <Poco/JWT/Token.h>
#include <Poco/SHA2Engine.h>

#include <gtest/gtest.h>

#include "runtime_fixture.hpp"

namespace hearth::test {
namespace {

constexpr const char *kRelay = "nl.hearth.test.calls";
constexpr const char *kTarget = "nl.hearth.test.services";
constexpr const char *kApiKey = "crm-key-for-tests-0123456789abcdef";
constexpr const char *kSecret = "a-shared-secret-of-at-least-32-bytes!!";

const hearth_actor kConsultant{sizeof(hearth_actor), 0, "emp-17", HEARTH_ROLE_HOUSING_CONSULTANT,
                               "corp:demo", "emp-3", "crm:test"};
const hearth_actor kAuditor{sizeof(hearth_actor), 0, "aud-1", HEARTH_ROLE_AUDITOR, "corp:demo", nullptr,
                            "crm:test"};
const hearth_actor kAdministrator{sizeof(hearth_actor), 0, "adm-1", HEARTH_ROLE_ADMINISTRATOR, "corp:demo",
                                  nullptr, "crm:test"};

std::string sha256_hex(const std::string &text) {
  Poco::SHA2Engine engine(Poco::SHA2Engine::SHA_256);
  engine.update(text);
  return Poco::DigestEngine::digestToHex(engine.digest());
}

const std::string kAuthIni = std::string("[auth]\nkeys = crm\njwt.algorithm = HS256\njwt.hs256_secret = ") +
                             kSecret + "\njwt.issuer = crm.test\njwt.audience = hearth\n" +
                             "[auth.key.crm]\nsha256 = " + sha256_hex(kApiKey) +
                             "\nuser = system:crm\nrole = system\norganisation = corp:demo\naccess_point = crm:viewpoint\n";

std::string token(long lifetime_s, const std::string &scope, const std::string &secret = kSecret) {
  Poco::JWT::Token t;
  t.setType("JWT");
  t.setSubject("emp-42");
  t.setIssuer("crm.test");
  t.setAudience("hearth");
  t.setIssuedAt(Poco::Timestamp());
  t.setExpiration(Poco::Timestamp() + Poco::Timespan(lifetime_s, 0));
  t.payload().set("role", std::string(HEARTH_ROLE_HOUSING_CONSULTANT));
  t.payload().set("org", std::string("corp:demo"));
  if (!scope.empty()) t.payload().set("scope", scope);
  Poco::JWT::Signer signer(secret);
  return signer.sign(t, Poco::JWT::Signer::ALGO_HS256);
}

struct Reply {
  int32_t status = 0;
  std::string text;
  Poco::JSON::Object::Ptr json() const { return Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>(); }
};

class PluginCalls : public ::testing::Test {
protected:
  void SetUp() override { fixture_.open_and_load(); }

  // Runs one of the relay plugin's operations and unpacks its {"status","text"} answer.
  Reply relay(const hearth_actor &actor, const char *operation, const Poco::JSON::Object &args) {
    std::ostringstream text;
    args.stringify(text);
    Message result, error;
    const int32_t status = hearth_runtime_call(fixture_.runtime(), &actor, kRelay, operation, text.str().c_str(),
                                               result.out(), error.out());
    EXPECT_EQ(status, HEARTH_OK) << error.str();
    if (status != HEARTH_OK) return {status, error.str()};
    const auto answer = Poco::JSON::Parser().parse(result.str()).extract<Poco::JSON::Object::Ptr>();
    return {answer->getValue<int32_t>("status"), answer->getValue<std::string>("text")};
  }

  Reply call_through(const hearth_actor &actor, const std::string &plugin, const std::string &operation) {
    Poco::JSON::Object args;
    args.set("plugin", plugin);
    args.set("operation", operation);
    return relay(actor, "relay", args);
  }

  Reply whois(const std::string &credential) {
    Poco::JSON::Object args;
    args.set("credential", credential);
    return relay(kConsultant, "whois", args);
  }

  Reply read(const hearth_actor &actor, const std::string &view, const std::string &args_json = "{}") {
    Poco::JSON::Object args;
    args.set("view", view);
    args.set("args", Poco::JSON::Parser().parse(args_json));
    return relay(actor, "read", args);
  }

  RuntimeFixture fixture_{std::initializer_list<std::string>{"test_calls", "test_services"}, kAuthIni};
};

TEST_F(PluginCalls, TheCalledPluginSeesTheActorThePluginServes) {
  const auto reply = call_through(kConsultant, kTarget, "whoami");
  ASSERT_EQ(reply.status, HEARTH_OK) << reply.text;
  const auto me = reply.json();
  EXPECT_EQ(me->getValue<std::string>("user"), "emp-17");
  EXPECT_EQ(me->getValue<std::string>("role"), HEARTH_ROLE_HOUSING_CONSULTANT);
  EXPECT_EQ(me->getValue<std::string>("on_behalf_of"), "emp-3");
  EXPECT_EQ(me->getValue<std::string>("access_point"), "crm:test");
}

TEST_F(PluginCalls, RefusalsOfTheCalledPluginComeBackUnchanged) {
  auto reply = call_through(kConsultant, kTarget, "refuse");
  EXPECT_EQ(reply.status, HEARTH_ERROR_DENIED);
  EXPECT_EQ(reply.text, "role may not do this");
  reply = call_through(kConsultant, kTarget, "clash");
  EXPECT_EQ(reply.status, HEARTH_ERROR_CONFLICT);
  reply = call_through(kConsultant, kTarget, "explode");
  EXPECT_EQ(reply.status, HEARTH_ERROR_PLUGIN);
  EXPECT_NE(reply.text.find("exploded on purpose"), std::string::npos) << reply.text;
}

TEST_F(PluginCalls, AnUnknownPluginIsNotFound) {
  const auto reply = call_through(kConsultant, "nl.hearth.nobody", "whoami");
  EXPECT_EQ(reply.status, HEARTH_ERROR_NOT_FOUND);
  EXPECT_NE(reply.text.find("nl.hearth.nobody"), std::string::npos) << reply.text;
}

TEST_F(PluginCalls, APluginCannotCallItselfThroughTheRuntime) {
  const auto reply = call_through(kConsultant, kRelay, "mode");
  EXPECT_EQ(reply.status, HEARTH_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(reply.text.rfind("plugin_id:", 0), 0u) << reply.text;
}

TEST_F(PluginCalls, AnActorWithoutUserAndBadArgumentsAreRefusedNamingTheField) {
  Poco::JSON::Object as;
  as.set("plugin", kTarget);
  as.set("operation", "whoami");
  as.set("user", "");
  auto reply = relay(kConsultant, "relay-as", as);
  EXPECT_EQ(reply.status, HEARTH_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(reply.text, "actor.user: missing");

  Poco::JSON::Object raw;
  raw.set("plugin", kTarget);
  raw.set("operation", "whoami");
  raw.set("raw", "[1, 2]");
  reply = relay(kConsultant, "relay-raw", raw);
  EXPECT_EQ(reply.status, HEARTH_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(reply.text, "args_json: not a JSON object");
  raw.set("raw", "{not json");
  reply = relay(kConsultant, "relay-raw", raw);
  EXPECT_EQ(reply.status, HEARTH_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(reply.text, "args_json: not valid JSON");
}

TEST_F(PluginCalls, ASignedTokenYieldsItsActorScopeAndExpiry) {
  const auto reply = whois(token(600, "tenancy:T-1"));
  ASSERT_EQ(reply.status, HEARTH_OK) << reply.text;
  const auto who = reply.json();
  EXPECT_EQ(who->getValue<std::string>("kind"), "token");
  EXPECT_EQ(who->getValue<std::string>("user"), "emp-42");
  EXPECT_EQ(who->getValue<std::string>("role"), HEARTH_ROLE_HOUSING_CONSULTANT);
  EXPECT_EQ(who->getValue<std::string>("organisation"), "corp:demo");
  EXPECT_EQ(who->getValue<std::string>("scope"), "tenancy:T-1");
  const auto expires = who->getValue<std::int64_t>("expires_at_ms");
  const auto now = hearth_runtime_now_ms(fixture_.runtime());
  EXPECT_GT(expires, now + 500'000);
  EXPECT_LE(expires, now + 601'000);
}

TEST_F(PluginCalls, AnApiKeySaysItIsOne) {
  const auto reply = whois(kApiKey);
  ASSERT_EQ(reply.status, HEARTH_OK) << reply.text;
  EXPECT_EQ(reply.json()->getValue<std::string>("kind"), "api_key");
  EXPECT_EQ(reply.json()->getValue<std::string>("user"), "system:crm");
  EXPECT_EQ(reply.json()->getValue<std::int64_t>("expires_at_ms"), 0);
}

TEST_F(PluginCalls, BadCredentialsAreDeniedWithAReasonThatNeverRepeatsThem) {
  const std::string expired = token(-120, "");
  auto reply = whois(expired);
  EXPECT_EQ(reply.status, HEARTH_ERROR_DENIED);
  EXPECT_EQ(reply.text, "token: exp: expired");
  const std::string forged = token(600, "", "another-secret-of-at-least-32-bytes!!!");
  reply = whois(forged);
  EXPECT_EQ(reply.status, HEARTH_ERROR_DENIED);
  EXPECT_EQ(reply.text.find(forged), std::string::npos);
  EXPECT_NE(reply.text.find("signature"), std::string::npos) << reply.text;
  reply = whois("not-a-configured-key");
  EXPECT_EQ(reply.status, HEARTH_ERROR_DENIED);
  EXPECT_EQ(reply.text, "api key: not known");
  reply = whois("");
  EXPECT_EQ(reply.status, HEARTH_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(reply.text, "credential: missing");
}

TEST_F(PluginCalls, TheModeIsProductionUnlessConfigured) {
  const auto reply = relay(kConsultant, "mode", Poco::JSON::Object());
  EXPECT_EQ(reply.text, "production");
}

TEST(PluginCallsMode, DemoModeReachesPluginsAndAnUnknownModeIsRefused) {
  {
    RuntimeFixture demo(std::initializer_list<std::string>{"test_calls", "test_services"}, "[runtime]\nmode = demo\n");
    demo.open_and_load();
    Message result, error;
    ASSERT_EQ(hearth_runtime_call(demo.runtime(), &kConsultant, kRelay, "mode", "{}", result.out(), error.out()),
              HEARTH_OK)
        << error.str();
    EXPECT_NE(result.str().find("\"demo\""), std::string::npos) << result.str();
  }
  RuntimeFixture wrong({"test_calls"}, "[runtime]\nmode = testing\n");
  EXPECT_EQ(wrong.open(), HEARTH_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(wrong.open_error().find("runtime.mode"), std::string::npos) << wrong.open_error();
}

TEST_F(PluginCalls, ATypedFactoryIsHandedOutOnlyForADeclaredDependency) {
  Poco::JSON::Object args;
  args.set("plugin", kTarget);
  args.set("factory", "nl.hearth.test.typed/1");
  EXPECT_EQ(relay(kConsultant, "factory", args).text, "twice(21)=42");
  args.set("factory", "nl.hearth.test.no-such-factory/1");
  EXPECT_EQ(relay(kConsultant, "factory", args).text, "null");
}

TEST(PluginCallsFactory, APluginThatDeclaredNoDependencyGetsNoFactory) {
  RuntimeFixture fixture(std::initializer_list<std::string>{"test_calls_free", "test_services"});
  fixture.open_and_load();
  Message result, error;
  ASSERT_EQ(hearth_runtime_call(fixture.runtime(), &kConsultant, "nl.hearth.test.calls-free", "factory",
                                R"({"plugin":"nl.hearth.test.services","factory":"nl.hearth.test.typed/1"})",
                                result.out(), error.out()),
            HEARTH_OK)
      << error.str();
  EXPECT_NE(result.str().find("\"text\":\"null\""), std::string::npos) << result.str();
}

TEST_F(PluginCalls, InsideInitOtherPluginsAreNotReachable) {
  const auto reply = relay(kConsultant, "init-results", Poco::JSON::Object());
  EXPECT_EQ(reply.status, HEARTH_ERROR_STATE);
  EXPECT_EQ(reply.text, "factory null");
}

TEST_F(PluginCalls, AuditorsSearchTheAuditLogOthersMayNot) {
  // Make an entry to find: the services plugin audits a read.
  Poco::JSON::Object args;
  args.set("plugin", kTarget);
  args.set("operation", "audit");
  Poco::JSON::Object inner;
  inner.set("object", "tenancy:T-77");
  args.set("args", inner);
  ASSERT_EQ(relay(kConsultant, "relay", args).status, HEARTH_OK);

  auto reply = read(kAuditor, "audit.search", R"({"object":"tenancy:T-77"})");
  ASSERT_EQ(reply.status, HEARTH_OK) << reply.text;
  const auto entries = reply.json()->getArray("entries");
  ASSERT_EQ(entries->size(), 1u);
  const auto entry = entries->getObject(0);
  EXPECT_EQ(entry->getValue<std::string>("user"), "emp-17");
  EXPECT_EQ(entry->getValue<std::string>("event"), "read");
  EXPECT_EQ(entry->getValue<std::string>("objects"), "tenancy:T-77");

  reply = read(kConsultant, "audit.search", "{}");
  EXPECT_EQ(reply.status, HEARTH_ERROR_DENIED);
  reply = read(kAuditor, "audit.search", R"({"limit": 0})");
  EXPECT_EQ(reply.status, HEARTH_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(reply.text, "args.limit: must be 1 to 1000");
  reply = read(kAuditor, "audit.search", R"({"user": 7})");
  EXPECT_EQ(reply.status, HEARTH_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(reply.text, "args.user: not a string");

  // The refused search is itself on record.
  reply = read(kAuditor, "audit.search", R"({"user":"emp-17","object":"audit-log"})");
  ASSERT_EQ(reply.status, HEARTH_OK) << reply.text;
  ASSERT_EQ(reply.json()->getArray("entries")->size(), 1u);
  EXPECT_EQ(reply.json()->getArray("entries")->getObject(0)->getValue<std::string>("outcome"), "denied");
}

TEST_F(PluginCalls, AdministratorsSeeThePluginsAndSettingsWithoutSecrets) {
  auto reply = read(kAdministrator, "runtime.plugins");
  ASSERT_EQ(reply.status, HEARTH_OK) << reply.text;
  EXPECT_NE(reply.text.find("nl.hearth.test.services"), std::string::npos);
  EXPECT_NE(reply.text.find("\"version\":\"0.0.1\""), std::string::npos) << reply.text;

  reply = read(kAdministrator, "runtime.settings");
  ASSERT_EQ(reply.status, HEARTH_OK) << reply.text;
  EXPECT_EQ(reply.text.find(kSecret), std::string::npos) << "the JWT secret leaked";
  EXPECT_EQ(reply.text.find(sha256_hex(kApiKey)), std::string::npos) << "the key digest leaked";
  bool saw_secret_key = false, saw_issuer = false;
  const auto settings = reply.json();
  const auto entries = settings->getArray("entries");
  for (const auto &item : *entries) {
    const auto entry = item.extract<Poco::JSON::Object::Ptr>();
    const auto key = entry->getValue<std::string>("key");
    if (key == "auth.jwt.hs256_secret") {
      saw_secret_key = true;
      EXPECT_EQ(entry->getValue<std::string>("value"), "(set)");
    }
    if (key == "auth.jwt.issuer") {
      saw_issuer = true;
      EXPECT_EQ(entry->getValue<std::string>("value"), "crm.test");
    }
  }
  EXPECT_TRUE(saw_secret_key);
  EXPECT_TRUE(saw_issuer);

  EXPECT_EQ(read(kConsultant, "runtime.plugins").status, HEARTH_ERROR_DENIED);
  EXPECT_EQ(read(kAuditor, "runtime.settings").status, HEARTH_ERROR_DENIED);
}

} // namespace
} // namespace hearth::test
