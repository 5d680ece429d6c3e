// The VERA adapter as a plugin, over real HTTP on loopback, on SQLite and PostgreSQL:
// a VERA message pushed to the runtime (API key) is stored as a signal; an accepted flag
// and a case export go back to a back office (a loopback server) as a VERA Signalering
// and Zaak that validate against the fixtures' schemas, retried after a failure, never
// sent twice, audited as exports. Pushes without or with bad credentials, malformed or too
// large are refused with a VERA Foutbericht and leave a dead letter.
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>

#include <Poco/DigestEngine.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/SHA2Engine.h>
#include <Poco/StreamCopier.h>

#include <hearth/host.h>

#include "data_fixture.hpp"
#include "loopback_server.hpp"
#include "openapi_fixtures.hpp"
#include "storage/store.hpp"
#include "vera_messages.hpp"

namespace hearth::test::vera {
namespace {

constexpr const char *kApiKey = "vera-push-key-0123456789abcdef";

std::string sha256_hex(const std::string &text) {
  Poco::SHA2Engine engine(Poco::SHA2Engine::SHA_256);
  engine.update(text);
  return Poco::DigestEngine::digestToHex(engine.digest());
}

struct Answer {
  int status = 0;
  std::string body;
};

class VeraRoundTrip : public testing::TestWithParam<Backend> {
protected:
  void SetUp() override {
    if (GetParam() == Backend::postgresql) {
      HEARTH_REQUIRE_OR_SKIP(postgres_url().has_value(), "HEARTH_TEST_POSTGRES is not set");
    }
    store_ = std::make_unique<TestStore>(GetParam());
    const auto plugins = scratch_.path() / "plugins";
    std::filesystem::create_directories(plugins);
    std::filesystem::copy_file(HEARTH_VERA_PLUGIN_FILE, plugins / "hearth_vera_plugin.so");
    std::ofstream ini(scratch_.path() / "hearth.ini");
    if (GetParam() == Backend::sqlite) {
      ini << "[storage]\nbackend = sqlite\nsqlite_path = " << store_->store().sqlite_file.string() << "\n";
    } else {
      ini << "[storage]\nbackend = postgresql\npostgresql = " << store_->store().postgresql << "\npool_size = 2\n";
    }
    ini << "[plugins]\nbundled = false\npath = " << plugins.string() << "\n[events]\npoll_ms = 100\n"
        << "[http]\nport = 0\n"
        << "[auth]\nkeys = corporation\n[auth.key.corporation]\nsha256 = " << sha256_hex(kApiKey)
        << "\nuser = system:vera-woonstad\nrole = system\norganisation = corp:woonstad\n"
        << "[plugin.nl.hearth.adapter.vera]\nsource = vera:woonstad\nmax_body_bytes = 8192\n"
        << "backoffice_url = " << backoffice_.base_url() << "/v4\nbackoffice_api_key = backoffice-secret\n"
        << "organisation = corp:woonstad\nretry_base_ms = 10\nretry_max_ms = 50\nmax_attempts = 3\n";
    ini.close();
    char *error = nullptr;
    ASSERT_EQ(hearth_runtime_open(scratch_.path().c_str(), &runtime_, &error), HEARTH_OK) << (error ? error : "");
    ASSERT_EQ(hearth_runtime_load_plugins(runtime_, &error), HEARTH_OK);
    hearth_plugin_info info{};
    info.struct_size = sizeof info;
    ASSERT_EQ(hearth_runtime_plugin_count(runtime_), 1u);
    ASSERT_EQ(hearth_runtime_plugin_at(runtime_, 0, &info), HEARTH_OK);
    ASSERT_EQ(info.state, static_cast<std::uint32_t>(HEARTH_PLUGIN_STATE_ACTIVE)) << info.message;
    ASSERT_EQ(hearth_runtime_serve_http(runtime_, "127.0.0.1", 0, &port_, &error), HEARTH_OK) << (error ? error : "");
    const hearth_actor system = actor("system", "test-setup", "corp:woonstad");
    const std::string records = R"([{"kind":"unit","id":")" + std::string(kUnit) +
                                R"(","street":"Oosterparkstraat","house_number":"12","neighbourhood_code":"BU03630402"},)"
                                R"({"kind":"tenancy","id":")" + kTenancy + R"(","unit_id":")" + kUnit +
                                R"(","start_date":"2019-04-01"}])";
    ASSERT_EQ(hearth_runtime_put_records(runtime_, &system, records.c_str(), nullptr, &error), HEARTH_OK)
        << (error ? error : "");
  }

  void TearDown() override { hearth_runtime_close(runtime_); }

  Answer post(const std::string &path, const std::string &body, const std::map<std::string, std::string> &headers) {
    Poco::Net::HTTPClientSession session("127.0.0.1", port_);
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, path, Poco::Net::HTTPMessage::HTTP_1_1);
    request.setContentType("application/json");
    request.setContentLength(static_cast<std::streamsize>(body.size()));
    for (const auto &[name, value] : headers) {
      request.set(name, value);
    }
    session.sendRequest(request) << body;
    Poco::Net::HTTPResponse response;
    std::ostringstream text;
    Poco::StreamCopier::copyStream(session.receiveResponse(response), text);
    return Answer{static_cast<int>(response.getStatus()), text.str()};
  }

  Answer push(const std::string &resource, const std::string &body) {
    return post("/vera/" + resource, body, {{"X-API-KEY", kApiKey}});
  }

  Poco::JSON::Object::Ptr counts() {
    const hearth_actor admin = actor("administrator", "admin-1");
    char *result = nullptr;
    char *error = nullptr;
    EXPECT_EQ(hearth_runtime_read(runtime_, &admin, "store.counts", "{}", &result, &error), HEARTH_OK);
    const std::string text = result != nullptr ? result : "{}";
    hearth_free(result);
    hearth_free(error);
    return Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>();
  }

  // See its definition below.
  void withdraw_while_the_acceptance_is_in_flight(const ScriptedAnswer &held_answer);

  // A connection of the test's own to the runtime's store, for reading the outbox.
  std::unique_ptr<storage::Store> open_direct_store() const {
    storage::StoreOptions options;
    options.backend = GetParam() == Backend::sqlite ? storage::Backend::sqlite : storage::Backend::postgresql;
    options.target = GetParam() == Backend::sqlite ? store_->store().sqlite_file.string() : store_->store().postgresql;
    options.pool_size = 1;
    return storage::Store::open(options);
  }

  void publish(const char *type, const std::string &payload) {
    hearth_event event{};
    event.struct_size = sizeof event;
    event.occurred_at_ms = hearth_runtime_now_ms(runtime_);
    event.type = type;
    event.subject = "tenancy:HO-1001";
    event.payload = payload.c_str();
    char *error = nullptr;
    ASSERT_EQ(hearth_runtime_publish(runtime_, &event, &error), HEARTH_OK) << (error ? error : "");
  }

  static void expect_valid(const std::string &file, const std::string &schema, const std::string &body) {
    const auto problems = validate_against_fixture(file, schema, Poco::JSON::Parser().parse(body));
    std::string joined;
    for (const auto &problem : problems) {
      joined += "  " + problem + "\n";
    }
    EXPECT_TRUE(problems.empty()) << schema << ":\n" << joined << body;
  }

  ScratchDir scratch_;
  LoopbackServer backoffice_;
  std::unique_ptr<TestStore> store_;
  hearth_runtime *runtime_ = nullptr;
  std::uint16_t port_ = 0;
};

TEST_P(VeraRoundTrip, PushedMessageIsStoredAndAnAcceptedFlagGoesBackAsASignalering) {
  HEARTH_REQUIRE_OR_SKIP(fixtures_dir().has_value(), "../shared/fixtures is absent");
  const std::string message = to_json(signalering("SIG-1"));
  expect_valid("vera/Relaties.yaml", "Signaleringbericht", message); // what we send is VERA
  Answer answer = push("signaleringen", message);
  ASSERT_EQ(answer.status, 201) << answer.body;
  EXPECT_EQ(answer.body, R"({"accepted":1,"duplicates":0,"ignored":0,"records":0})");
  EXPECT_EQ(counts()->getValue<int>("signal"), 1);
  answer = push("signaleringen", message);
  EXPECT_EQ(answer.status, 200) << answer.body;
  EXPECT_EQ(answer.body, R"({"accepted":0,"duplicates":1,"ignored":0,"records":0})");

  // The early-warning plugin publishes this when a person accepts the flag.
  backoffice_.script({{503, R"({"code":"503","omschrijving":"onderhoud"})"}, {201, "{}"}});
  publish("nl.hearth.flag.accepted/1", R"({"flag_id":"F-7","tenancy_id":"HO-1001","level":3,"score":0.82,)"
                                       R"("rule_set_version":"1","rule_set_sha256":"ab","decided_at_ms":1717243200000})");
  ASSERT_TRUE(backoffice_.wait_for_requests(2)) << "the write-back was not retried";
  const auto requests = backoffice_.requests();
  for (const auto &request : requests) {
    EXPECT_EQ(request.method, "POST");
    EXPECT_EQ(request.path, "/v4/signaleringen");
    EXPECT_EQ(request.headers.at("x-api-key"), "backoffice-secret");
    EXPECT_EQ(request.headers.at("idempotency-key"), "flag:F-7");
    EXPECT_EQ(request.headers.at("x-stuurgegevens-referentienummer"), "flag:F-7");
    EXPECT_EQ(request.body, requests[0].body); // the retry sends the same message
    expect_valid("vera/Relaties.yaml", "Signaleringbericht", request.body);
  }
  const auto sent = Poco::JSON::Parser().parse(requests[0].body).extract<Poco::JSON::Object::Ptr>();
  EXPECT_EQ(sent->getValue<std::string>("idExtern"), "hearth-flag-F-7");
  EXPECT_EQ(sent->getObject("soort")->getValue<std::string>("code"), "ONB");
  EXPECT_EQ(sent->getValue<std::string>("begindatum"), "2024-06-01T12:00:00Z");
  EXPECT_EQ(requests[0].body.find("0.82"), std::string::npos) << "the score stays in Hearth";

  // The same event again (a replay) is not sent again; the case export after it is.
  publish("nl.hearth.flag.accepted/1", R"({"flag_id":"F-7","tenancy_id":"HO-1001","level":3,"score":0.82,)"
                                       R"("rule_set_version":"1","rule_set_sha256":"ab","decided_at_ms":1717243200000})");
  publish("nl.hearth.case.export-requested/1",
          R"({"case_id":"case-1","target":"zgw","tenancy_id":"HO-1001","opened_ms":1717000000000,"requested_ms":1717243200000})");
  publish("nl.hearth.case.export-requested/1",
          R"({"case_id":"case-1","target":"vera","tenancy_id":"HO-1001","unit_id":"VHE-77","state":"triage",)"
          R"("is_open":true,"level":1,"opened_ms":1717000000000,"closed_ms":null,)"
          R"("coordinator":{"user":"coord-1","organisation":"gemeente:0363","vera_role":"ZAA"},)"
          R"("legal_basis":"avg-6-1-e","purpose":"case-coordination","requested_ms":1717243200000})");
  ASSERT_TRUE(backoffice_.wait_for_requests(3));
  const auto after = backoffice_.requests();
  ASSERT_EQ(after.size(), 3u) << "a replayed flag or the ZGW export reached the VERA back office";
  EXPECT_EQ(after[2].path, "/v4/zaken");
  EXPECT_EQ(after[2].headers.at("idempotency-key"), "case:case-1:1717243200000");
  expect_valid("vera/BDO.yaml", "Zaken-Zaakbericht", after[2].body);

  // Each export is in the audit log, and the chain is intact.
  const hearth_actor auditor = actor("auditor", "auditor-1");
  char *result = nullptr;
  char *error = nullptr;
  ASSERT_EQ(hearth_runtime_read(runtime_, &auditor, "audit.viewers", R"({"object":"flag:F-7"})", &result, &error),
            HEARTH_OK)
      << (error ? error : "");
  const std::string viewers = result;
  hearth_free(result);
  EXPECT_NE(viewers.find("export"), std::string::npos) << viewers;
}

TEST_P(VeraRoundTrip, AWithdrawnFlagIsSentAsALapsedSignaleringOnce) {
  HEARTH_REQUIRE_OR_SKIP(fixtures_dir().has_value(), "../shared/fixtures is absent");
  backoffice_.script({{201, "{}"}, {201, "{}"}, {201, "{}"}});
  publish("nl.hearth.flag.accepted/1",
          R"({"flag_id":"F-13","tenancy_id":"HO-1001","level":3,"decided_at_ms":1717243200000})");
  ASSERT_TRUE(backoffice_.wait_for_requests(1));
  const std::string withdrawn = R"({"flag_id":"F-13","tenancy_id":"HO-1001","status":"dismissed","level":"",)"
                                R"("score":0.9,"rule_set_version":"1","rule_set_sha256":"ab","decision":2,)"
                                R"("decided_at_ms":1717329600000})";
  publish("nl.hearth.flag.withdrawn/1", withdrawn);
  ASSERT_TRUE(backoffice_.wait_for_requests(2));
  // A replay of the withdrawal adds nothing; a later acceptance is sent after it.
  publish("nl.hearth.flag.withdrawn/1", withdrawn);
  publish("nl.hearth.flag.accepted/1",
          R"({"flag_id":"F-14","tenancy_id":"HO-1001","level":2,"decided_at_ms":1717329600000})");
  ASSERT_TRUE(backoffice_.wait_for_requests(3));
  const auto requests = backoffice_.requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[1].headers.at("idempotency-key"), "flag:F-13:withdrawn:2");
  EXPECT_EQ(requests[2].headers.at("idempotency-key"), "flag:F-14");
  EXPECT_EQ(requests[1].path, "/v4/signaleringen");
  expect_valid("vera/Relaties.yaml", "Signaleringbericht", requests[1].body);
  const auto sent = Poco::JSON::Parser().parse(requests[1].body).extract<Poco::JSON::Object::Ptr>();
  EXPECT_EQ(sent->getValue<std::string>("idExtern"), "hearth-flag-F-13");
  EXPECT_EQ(sent->getObject("status")->getValue<std::string>("code"), "VER");
  EXPECT_EQ(sent->getValue<std::string>("einddatum"), "2024-06-02T12:00:00Z");
  EXPECT_EQ(requests[1].body.find("dismissed"), std::string::npos) << "why it lapsed stays in Hearth";
  EXPECT_EQ(requests[1].body.find("0.9"), std::string::npos) << "the score stays in Hearth";
}

// An acceptance still waiting for the back office when its flag is withdrawn is never sent
// again: the withdrawal supersedes it, and the back office hears only that the flag lapsed.
// The acceptance of F-17 is held by the back office until its withdrawal is queued, then
// answered with `held_answer`; its row must stay 'superseded' whatever that answer was.
void VeraRoundTrip::withdraw_while_the_acceptance_is_in_flight(const ScriptedAnswer &held_answer) {
  std::mutex mutex;
  std::condition_variable changed;
  bool acceptance_arrived = false;
  bool release_acceptance = false;
  backoffice_.set_responder([&](const RecordedRequest &request, ScriptedAnswer &answer) {
    if (request.headers.at("idempotency-key") == "flag:F-17") {
      // Held until the withdrawal is queued, then answered with held_answer.
      std::unique_lock lock(mutex);
      acceptance_arrived = true;
      changed.notify_all();
      changed.wait(lock, [&] { return release_acceptance; });
      answer = held_answer;
      return true;
    }
    answer = ScriptedAnswer{201, "{}"};
    return true;
  });
  publish("nl.hearth.flag.accepted/1",
          R"({"flag_id":"F-17","tenancy_id":"HO-1001","level":3,"decided_at_ms":1717243200000})");
  {
    std::unique_lock lock(mutex);
    ASSERT_TRUE(changed.wait_for(lock, std::chrono::seconds(20), [&] { return acceptance_arrived; }));
  }
  publish("nl.hearth.flag.withdrawn/1", R"({"flag_id":"F-17","tenancy_id":"HO-1001","status":"dismissed",)"
                                         R"("decision":2,"decided_at_ms":1717329600000})");
  const auto store = open_direct_store();
  const auto outbox_state = [&](const std::string &key) {
    std::string state;
    const storage::Value params[] = {key};
    store->execute("SELECT state, attempts FROM vera_outbox WHERE message_key = ?", params,
                   [&](const storage::Row &row) {
                     state = std::get<std::string>(row.values[0]) + "/" +
                             std::to_string(std::get<std::int64_t>(row.values[1]));
                     return false;
                   });
    return state;
  };
  for (int waited = 0; outbox_state("flag:F-17:withdrawn:2").empty() && waited < 20000; waited += 10) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_EQ(outbox_state("flag:F-17"), "superseded/0") << "the withdrawal did not supersede the waiting acceptance";
  {
    std::lock_guard lock(mutex);
    release_acceptance = true;
    changed.notify_all();
  }
  // The withdrawal is sent next; a later acceptance after it; F-17's acceptance never again.
  publish("nl.hearth.flag.accepted/1",
          R"({"flag_id":"F-18","tenancy_id":"HO-1001","level":1,"decided_at_ms":1717329600000})");
  ASSERT_TRUE(backoffice_.wait_for_requests(3));
  std::this_thread::sleep_for(std::chrono::milliseconds(200)); // four times retry_max_ms
  const auto requests = backoffice_.requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[0].headers.at("idempotency-key"), "flag:F-17");
  EXPECT_EQ(requests[1].headers.at("idempotency-key"), "flag:F-17:withdrawn:2");
  EXPECT_EQ(requests[2].headers.at("idempotency-key"), "flag:F-18");
  // The attempt is counted; the row stays superseded, not failed or pending.
  EXPECT_EQ(outbox_state("flag:F-17"), "superseded/1");
  EXPECT_EQ(outbox_state("flag:F-17:withdrawn:2"), "delivered/1");
}

TEST_P(VeraRoundTrip, AWithdrawalSupersedesAnAcceptanceStillWaitingToBeSent) {
  // Refused for now: without the withdrawal it would be tried again after retry_base_ms.
  withdraw_while_the_acceptance_is_in_flight(ScriptedAnswer{503, R"({"code":"503","omschrijving":"onderhoud"})"});
}

TEST_P(VeraRoundTrip, ASupersededAcceptanceWhoseLastAttemptIsRefusedStaysSuperseded) {
  // Refused for good: without the withdrawal its row would be marked failed.
  withdraw_while_the_acceptance_is_in_flight(ScriptedAnswer{422, R"({"code":"422","omschrijving":"onbekend"})"});
}

TEST_P(VeraRoundTrip, AWithdrawnFlagEventWithoutItsDecisionIsSkipped) {
  backoffice_.script({{201, "{}"}});
  publish("nl.hearth.flag.withdrawn/1", R"({"flag_id":"F-15","tenancy_id":"HO-1001","decided_at_ms":1717329600000})");
  publish("nl.hearth.flag.accepted/1",
          R"({"flag_id":"F-16","tenancy_id":"HO-1001","level":1,"decided_at_ms":1717329600000})");
  ASSERT_TRUE(backoffice_.wait_for_requests(1));
  const auto requests = backoffice_.requests();
  EXPECT_EQ(requests[0].headers.at("idempotency-key"), "flag:F-16") << "a withdrawal without its decision was sent";
}

TEST_P(VeraRoundTrip, ABackOfficeRefusalIsNotRetried) {
  backoffice_.script({{422, R"({"code":"422","omschrijving":"onbekend"})"}});
  publish("nl.hearth.flag.accepted/1",
          R"({"flag_id":"F-8","tenancy_id":"HO-1001","level":"amber","decided_at_ms":1717243200000})");
  publish("nl.hearth.flag.accepted/1",
          R"({"flag_id":"F-9","tenancy_id":"HO-1001","level":2,"decided_at_ms":1717243200000})");
  ASSERT_TRUE(backoffice_.wait_for_requests(2));
  const auto requests = backoffice_.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].headers.at("idempotency-key"), "flag:F-8");
  EXPECT_EQ(requests[1].headers.at("idempotency-key"), "flag:F-9");
}

TEST_P(VeraRoundTrip, RetriesStopAfterMaxAttempts) {
  backoffice_.set_responder([](const RecordedRequest &request, ScriptedAnswer &answer) {
    answer = request.headers.at("idempotency-key") == "flag:F-10" ? ScriptedAnswer{503, "{}"} : ScriptedAnswer{201, "{}"};
    return true;
  });
  publish("nl.hearth.flag.accepted/1",
          R"({"flag_id":"F-10","tenancy_id":"HO-1001","level":1,"decided_at_ms":1717243200000})");
  publish("nl.hearth.flag.accepted/1",
          R"({"flag_id":"F-11","tenancy_id":"HO-1001","level":1,"decided_at_ms":1717243200000})");
  ASSERT_TRUE(backoffice_.wait_for_requests(4)); // F-10 three times (max_attempts = 3), F-11 once
  // A later message is delivered; F-10, failed for good, is not tried a fourth time.
  publish("nl.hearth.flag.accepted/1",
          R"({"flag_id":"F-12","tenancy_id":"HO-1001","level":1,"decided_at_ms":1717243200000})");
  ASSERT_TRUE(backoffice_.wait_for_requests(5));
  const auto requests = backoffice_.requests();
  std::size_t f10 = 0;
  for (const auto &request : requests) {
    f10 += request.headers.at("idempotency-key") == "flag:F-10" ? 1 : 0;
  }
  EXPECT_EQ(f10, 3u);
  EXPECT_EQ(requests.back().headers.at("idempotency-key"), "flag:F-12");
}

TEST_P(VeraRoundTrip, RefusesPushesWithoutCredentialsBadOnesMalformedOrTooLarge) {
  const std::string message = to_json(signalering("SIG-2"));
  Answer answer = post("/vera/signaleringen", message, {});
  EXPECT_EQ(answer.status, 401);
  EXPECT_EQ(Poco::JSON::Parser().parse(answer.body).extract<Poco::JSON::Object::Ptr>()->getValue<std::string>("code"), "401");
  EXPECT_EQ(post("/vera/signaleringen", message, {{"X-API-KEY", "wrong"}}).status, 401);

  answer = push("signaleringen", R"({"id":"SIG-3","soort":)");
  EXPECT_EQ(answer.status, 400);
  const auto error = Poco::JSON::Parser().parse(answer.body).extract<Poco::JSON::Object::Ptr>();
  EXPECT_EQ(error->getValue<std::string>("code"), "400");
  EXPECT_EQ(error->getValue<std::string>("omschrijving"), "document: is not well-formed JSON");

  auto unknown = copy(signalering("SIG-4"));
  unknown->getObject("soort")->set("code", "XYZ");
  answer = push("signaleringen", to_json(unknown));
  EXPECT_EQ(answer.status, 400);
  EXPECT_NE(answer.body.find("Signalering.soort.code: is not a SIGNALERINGSOORT code"), std::string::npos) << answer.body;

  answer = push("signaleringen", std::string(9000, ' ') + message);
  EXPECT_EQ(answer.status, 413) << answer.body;

  auto elsewhere = copy(signalering("SIG-5"));
  elsewhere->getArray("extra-attributen")->getObject(0)->set("waarde", "HO-UNKNOWN");
  answer = push("signaleringen", to_json(elsewhere));
  EXPECT_EQ(answer.status, 400);
  EXPECT_NE(answer.body.find("tenancy_id"), std::string::npos) << answer.body;

  const auto c = counts();
  EXPECT_EQ(c->getValue<int>("signal"), 0);
  EXPECT_EQ(c->getValue<int>("dead_letter"), 4); // malformed, unknown code, too large, unknown tenancy
}

TEST_P(VeraRoundTrip, EveryResourceHasItsEndpoint) {
  for (const char *resource : {"overeenkomsten", "zaken", "betalingsregelingen", "externe-incassos", "huuropzeggingen",
                               "onderhoudsorders"}) {
    const Answer answer = push(resource, to_json(sample(resource)));
    EXPECT_EQ(answer.status, 201) << resource << ": " << answer.body;
  }
  EXPECT_EQ(push("klachten", "{}").status, 404);
  EXPECT_EQ(counts()->getValue<int>("signal"), 4);
  EXPECT_EQ(counts()->getValue<int>("outcome"), 1);
}

TEST(VeraPluginSettings, ABadSettingStopsThePlugin) {
  ScratchDir scratch;
  const auto plugins = scratch.path() / "plugins";
  std::filesystem::create_directories(plugins);
  std::filesystem::copy_file(HEARTH_VERA_PLUGIN_FILE, plugins / "hearth_vera_plugin.so");
  const std::pair<const char *, const char *> cases[] = {
      {"max_body_bytes = lots\n", "max_body_bytes"},
      {"backoffice_url = ftp://example\n", "backoffice_url"},
      {"backoffice_url = http://127.0.0.1:1\nmax_attempts = 0\n", "max_attempts"},
  };
  for (const auto &[lines, key] : cases) {
    std::ofstream(scratch.path() / "hearth.ini")
        << "[storage]\nbackend = sqlite\nsqlite_path = " << (scratch.path() / "h.db").string()
        << "\n[plugins]\nbundled = false\npath = " << plugins.string() << "\n[plugin.nl.hearth.adapter.vera]\n" << lines;
    hearth_runtime *runtime = nullptr;
    char *error = nullptr;
    ASSERT_EQ(hearth_runtime_open(scratch.path().c_str(), &runtime, &error), HEARTH_OK) << (error ? error : "");
    ASSERT_EQ(hearth_runtime_load_plugins(runtime, &error), HEARTH_OK);
    hearth_plugin_info info{};
    info.struct_size = sizeof info;
    ASSERT_EQ(hearth_runtime_plugin_at(runtime, 0, &info), HEARTH_OK);
    // The runtime's log has the plugin's reason, naming the key ("max_body_bytes: must be a
    // whole number of at least 1"); the plugin list says that init failed.
    EXPECT_EQ(info.state, static_cast<std::uint32_t>(HEARTH_PLUGIN_STATE_FAILED)) << key;
    hearth_runtime_close(runtime);
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, VeraRoundTrip, testing::Values(Backend::sqlite, Backend::postgresql), backend_name);

} // namespace
} // namespace hearth::test::vera
