// The ZGW webhook's logic against a real runtime (host.h: RuntimeTarget) on SQLite and
// PostgreSQL and a Zaken API on loopback: a notification leads to the zaak being read and
// one signal stored; a resend is a duplicate; every bad input is refused with the field
// named and nothing stored; the Zaken API is only ever asked for URLs under its base.
#include <memory>

#include <Poco/JSON/Parser.h>

#include "adapter_common/ingest_driver.hpp"
#include "data_fixture.hpp"
#include "notification_receiver.hpp"
#include "zgw_schema_checks.hpp"
#include "zgw_test_server.hpp"

namespace hearth::test {
namespace {

using adapters::zgw::NotificationReceiver;
using adapters::zgw::WebhookAnswer;
using adapters::zgw::ZakenClient;
using adapters::zgw::ZgwSettings;

constexpr std::int64_t kNow = 1'795'000'000'000; // 2026-11-18
const std::string kClient = "hearth-test";
const std::string kSecret = "zgw-secret-for-tests-0123456789";
const std::string kNrcAuth = "Bearer nrc-token-for-tests";
const std::string kNuisanceType = "https://catalogi.test/api/v1/zaaktypen/aaaaaaaa-0000-4000-8000-000000000001";
const std::string kOtherType = "https://catalogi.test/api/v1/zaaktypen/aaaaaaaa-0000-4000-8000-000000000002";

std::int64_t fixed_clock(void *) { return kNow; }

class ZgwReceiver : public testing::TestWithParam<Backend> {
protected:
  void SetUp() override {
    if (GetParam() == Backend::postgresql) {
      HEARTH_REQUIRE_OR_SKIP(postgres_url().has_value(), "HEARTH_TEST_POSTGRES is not set (scripts/start-postgres.sh)");
    }
    store_ = std::make_unique<TestStore>(GetParam());
    runtime_ = std::make_unique<DataRuntime>(store_->store());
    ASSERT_EQ(hearth_runtime_set_clock(runtime_->runtime(), &fixed_clock, nullptr), HEARTH_OK);
    runtime_->add_tenancy("T-1", "consultant-1", "tenant-1");
    server_ = std::make_unique<ZgwTestServer>(kClient, kSecret);

    settings_.enabled = true;
    settings_.organisation = "gemeente:test";
    settings_.webhook_authorization = kNrcAuth;
    settings_.max_body_bytes = 8192;
    settings_.zaken.base_url = server_->zaken_api();
    settings_.zaken.credentials = {kClient, kSecret, "hearth", "Hearth"};
    settings_.context.source = "zgw:gemeente-test";
    settings_.context.max_future_skew_ms = 5 * 60 * 1000;
    settings_.context.settings["zgw.zaaktypes"] = kNuisanceType + "=OVE/GEL";
    settings_.mapping = adapters::zgw::read_zaak_mapping(settings_.context);
    client_ = std::make_unique<ZakenClient>(settings_.zaken, [] { return kNow; });
    target_ = std::make_unique<adapters::RuntimeTarget>(runtime_->runtime(), &system_);
    receiver_ = std::make_unique<NotificationReceiver>(settings_, *client_, *target_);
  }

  void TearDown() override {
    if (server_) {
      expect_conformant_exchange(*server_);
    }
  }

  WebhookAnswer send(const std::string &body, const char *authorization = nullptr) {
    return receiver_->receive(authorization != nullptr ? authorization : kNrcAuth.c_str(), body, kNow);
  }

  std::string zaak_for_tenancy(const std::string &tenancy, const std::string &zaaktype = kNuisanceType) {
    return server_->add_zaak(zaaktype, "2026-10-30", {{tenancy, "hearth:tenancy"}});
  }

  std::string create_message(const std::string &zaak_url) { return server_->message_for(zaak_url, "zaak", zaak_url, "create"); }

  int count_of(const std::string &table) {
    std::string out;
    EXPECT_EQ(runtime_->read(actor("administrator", "admin-1"), "store.counts", "{}", out), HEARTH_OK) << out;
    return Poco::JSON::Parser().parse(out).extract<Poco::JSON::Object::Ptr>()->getValue<int>(table);
  }

  std::size_t zaak_reads() const {
    std::size_t reads = 0;
    for (const auto &call : server_->calls()) {
      reads += call.method == "GET" ? 1 : 0;
    }
    return reads;
  }

  // Checks a refusal: status, field and reason; nothing stored; one more dead letter.
  void expect_refusal(const WebhookAnswer &answer, int status, const std::string &field, const std::string &reason) {
    EXPECT_EQ(answer.status, status) << answer.body;
    const auto body = Poco::JSON::Parser().parse(answer.body).extract<Poco::JSON::Object::Ptr>();
    EXPECT_EQ(body->optValue<std::string>("field", ""), field) << answer.body;
    EXPECT_EQ(body->optValue<std::string>("reason", ""), reason) << answer.body;
    EXPECT_EQ(count_of("signal"), 0);
    EXPECT_EQ(count_of("dead_letter"), ++dead_letters_) << field;
  }

  const hearth_actor system_ = actor("system", "adapter:zgw", "gemeente:test");
  std::unique_ptr<TestStore> store_;
  std::unique_ptr<DataRuntime> runtime_;
  std::unique_ptr<ZgwTestServer> server_;
  ZgwSettings settings_;
  std::unique_ptr<ZakenClient> client_;
  std::unique_ptr<adapters::RuntimeTarget> target_;
  std::unique_ptr<NotificationReceiver> receiver_;
  int dead_letters_ = 0;
};

TEST_P(ZgwReceiver, ANotificationStoresTheZaakAsOneSignalAndAResendIsADuplicate) {
  const std::string zaak = zaak_for_tenancy("T-1");
  const auto first = send(create_message(zaak));
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(first.body, R"({"accepted":1,"duplicates":0,"ignored":0})");
  const auto again = send(server_->message_for(zaak, "status", zaak, "create"));
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(again.body, R"({"accepted":0,"duplicates":1,"ignored":0})");
  EXPECT_EQ(count_of("signal"), 1);

  std::string out;
  ASSERT_EQ(runtime_->read(actor("housing_consultant", "consultant-1"), "tenancy.signals", R"({"tenancy_id":"T-1"})", out),
            HEARTH_OK)
      << out;
  const auto signals = Poco::JSON::Parser().parse(out).extract<Poco::JSON::Object::Ptr>()->getArray("signals");
  ASSERT_EQ(signals->size(), 1u);
  const auto signal = signals->getObject(0);
  EXPECT_EQ(signal->getValue<std::string>("source"), "zgw:gemeente-test");
  EXPECT_EQ(signal->getValue<std::string>("type"), "OVE");
  EXPECT_EQ(signal->getValue<std::string>("detail"), "GEL");
  EXPECT_EQ(signal->getValue<std::int64_t>("occurred_at_ms"), 1'793'318'400'000);
  EXPECT_EQ(signal->getValue<std::string>("legal_basis"), "avg-6-1-e");
}

TEST_P(ZgwReceiver, EveryZaakReadCarriesAValidZgwTokenAndTheCrsHeaders) {
  ASSERT_EQ(send(create_message(zaak_for_tenancy("T-1"))).status, 200);
  // The server refuses (403/412) calls without a token it can verify or without
  // Accept-Crs; the read succeeded, so both were there.
  const auto calls = server_->calls();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].method, "GET");
  EXPECT_EQ(calls[0].status, 200);
}

TEST_P(ZgwReceiver, AWrongOrMissingAuthorizationIsRefusedBeforeAnythingIsRead) {
  const std::string message = create_message(zaak_for_tenancy("T-1"));
  EXPECT_EQ(send(message, "Bearer nrc-token-for-test").status, 401);
  EXPECT_EQ(send(message, "").status, 401);
  EXPECT_EQ(receiver_->receive(nullptr, message, kNow).status, 401);
  EXPECT_EQ(zaak_reads(), 0u);
  EXPECT_EQ(count_of("signal"), 0);
  EXPECT_EQ(count_of("dead_letter"), 0); // a caller without the secret leaves no trace
}

TEST_P(ZgwReceiver, DeadLettersNameTheFieldAndKeepNoContent) {
  expect_refusal(send(R"({"kanaal":"zaken","hoofdObject":"x111222333"})"), 400, "Message.hoofdObject",
                 "is not an absolute http(s) URL");
  std::string out;
  ASSERT_EQ(runtime_->read(actor("administrator", "admin-1"), "dead-letters", "{}", out), HEARTH_OK) << out;
  EXPECT_NE(out.find("\"field\":\"Message.hoofdObject\""), std::string::npos) << out;
  EXPECT_NE(out.find("\"source\":\"zgw:gemeente-test\""), std::string::npos) << out;
  EXPECT_EQ(out.find("111222333"), std::string::npos) << out;
}

TEST_P(ZgwReceiver, IrrelevantNotificationsAreAcknowledgedWithoutReadingTheZaak) {
  const std::string zaak = zaak_for_tenancy("T-1");
  auto answer = send(server_->message_for(zaak, "rol", zaak + "/rollen", "create"));
  EXPECT_EQ(answer.status, 200);
  EXPECT_EQ(answer.body, R"({"accepted":0,"duplicates":0,"ignored":1})");
  const std::string other = zaak_for_tenancy("T-1", kOtherType);
  answer = send(create_message(other));
  EXPECT_EQ(answer.body, R"({"accepted":0,"duplicates":0,"ignored":1})");
  EXPECT_EQ(zaak_reads(), 0u);
}

TEST_P(ZgwReceiver, BadNotificationsAreRefusedNamingTheField) {
  const std::string message = create_message(zaak_for_tenancy("T-1"));
  expect_refusal(send("{\"kanaal\":"), 400, "document", "is not well-formed JSON");
  expect_refusal(send("{\"kanaal\":\"zaken\"}"), 400, "Message.hoofdObject", "is missing");
  std::string future = message;
  future.replace(future.find("2026-11-02"), 10, "2030-01-01");
  expect_refusal(send(future), 400, "Message.aanmaakdatum", "is in the future");
  std::string rsin = message;
  rsin.replace(rsin.find("002220647"), 9, "002220648");
  expect_refusal(send(rsin), 400, "Message.kenmerken.bronorganisatie", "is not an RSIN: fails the elfproef (11-test)");
  std::string latin1 = message;
  latin1.replace(latin1.find("zaken"), 5, "z\xE4ken");
  expect_refusal(send(latin1), 400, "document", "is not valid UTF-8");
  expect_refusal(send(std::string(9000, ' ')), 413, "document", "is larger than the limit of 8192 bytes");
  EXPECT_EQ(zaak_reads(), 0u);
}

TEST_P(ZgwReceiver, AHoofdObjectOutsideTheZakenApiIsNeverFetched) {
  const std::string zaak = zaak_for_tenancy("T-1");
  std::string message = create_message(zaak);
  const std::string elsewhere = "http://127.0.0.1:1/zaken/api/v1/zaken/00000000-0000-4000-8000-000000000001";
  message.replace(message.find(zaak), zaak.size(), elsewhere);
  expect_refusal(send(message), 400, "Message.hoofdObject", "is not under the configured Zaken API");
  EXPECT_EQ(zaak_reads(), 0u);
}

TEST_P(ZgwReceiver, AZaakThatCannotBeUsedIsRefusedNamingItsField) {
  const std::string no_tenancy = server_->add_zaak(kNuisanceType, "2026-10-30", {});
  expect_refusal(send(create_message(no_tenancy)), 422, "Zaak.kenmerken",
                 "has no kenmerk with bron 'hearth:tenancy' naming the tenancy");
  const std::string bsn = server_->add_zaak(kNuisanceType, "2026-10-30", {{"111222333", "hearth:tenancy"}});
  expect_refusal(send(create_message(bsn)), 422, "Zaak.kenmerken[0].kenmerk", "looks like a BSN; a tenancy id is expected");
  const std::string future = server_->add_zaak(kNuisanceType, "2027-06-01", {{"T-1", "hearth:tenancy"}});
  expect_refusal(send(create_message(future)), 422, "Zaak.startdatum", "is in the future");
  const std::string broken = zaak_for_tenancy("T-1");
  server_->replace_zaak_text(broken, "{\"url\": 12");
  expect_refusal(send(create_message(broken)), 422, "document", "is not well-formed JSON");
}

TEST_P(ZgwReceiver, ATenancyHearthDoesNotKnowIsRefusedAndDeadLettered) {
  const auto answer = send(create_message(zaak_for_tenancy("T-404")));
  EXPECT_EQ(answer.status, 422) << answer.body;
  EXPECT_NE(answer.body.find("tenancy_id"), std::string::npos) << answer.body;
  EXPECT_EQ(count_of("signal"), 0);
  EXPECT_EQ(count_of("dead_letter"), 1);
}

TEST_P(ZgwReceiver, ACareZaakIsRefusedByThePolicyAndNotAskedForAgain) {
  // The policy (config/policy.ini) lets system adapters store no care data.
  settings_.context.settings["zgw.zaaktypes"] = kNuisanceType + "=ONB/AMB";
  settings_.mapping = adapters::zgw::read_zaak_mapping(settings_.context);
  const auto answer = send(create_message(zaak_for_tenancy("T-1")));
  EXPECT_EQ(answer.status, 422) << answer.body;
  EXPECT_NE(answer.body.find("the policy refuses this signal"), std::string::npos) << answer.body;
  EXPECT_EQ(count_of("signal"), 0);
}

TEST_P(ZgwReceiver, AZakenApiFailureAsksForTheNotificationAgain) {
  const std::string zaak = zaak_for_tenancy("T-1");
  server_->fail_next("GET", "zaken", 500);
  EXPECT_EQ(send(create_message(zaak)).status, 502);
  EXPECT_EQ(count_of("signal"), 0);
  EXPECT_EQ(send(create_message(zaak)).status, 200); // the resend works
  EXPECT_EQ(count_of("signal"), 1);

  const std::string gone = zaak.substr(0, zaak.size() - 12) + "999999999999";
  const auto answer = send(server_->message_for(gone, "zaak", gone, "update"));
  EXPECT_EQ(answer.status, 422);
  EXPECT_EQ(answer.body, R"({"field":"Message.hoofdObject","reason":"names a zaak the Zaken API does not have"})");
  EXPECT_EQ(count_of("signal"), 1);
  EXPECT_EQ(count_of("dead_letter"), 1);
}

TEST_P(ZgwReceiver, AWrongClientSecretIsTurnedAwayByTheZakenApi) {
  settings_.zaken.credentials.secret = "another-secret-0123456789abcdef";
  ZakenClient wrong(settings_.zaken, [] { return kNow; });
  NotificationReceiver receiver(settings_, wrong, *target_);
  const auto answer = receiver.receive(kNrcAuth.c_str(), create_message(zaak_for_tenancy("T-1")), kNow);
  EXPECT_EQ(answer.status, 502) << answer.body;
  EXPECT_NE(answer.body.find("403"), std::string::npos) << answer.body;
}

INSTANTIATE_TEST_SUITE_P(Backends, ZgwReceiver, testing::Values(Backend::sqlite, Backend::postgresql), backend_name);

} // namespace
} // namespace hearth::test
