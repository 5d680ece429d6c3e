// Conformance with the ZGW standards in ../shared/fixtures/zgw: every body the adapter sends
// (zaak, status, rol) validates against zaken-api-1.5.1.yaml, every answer the loopback
// Zaken API gives and every notification it delivers validates against the same schemas
// and notificaties-api-1.0.yaml. And the case export's idempotency, step by step, with
// answers lost and calls failing on the way.
#include <map>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include <gtest/gtest.h>

#include "adapter_common/json_fields.hpp"
#include "export_test_support.hpp"
#include "openapi_fixtures.hpp"
#include "test_environment.hpp"
#include "zaak_export.hpp"
#include "zgw_schema_checks.hpp"
#include "zgw_test_server.hpp"

namespace hearth::test {
namespace {

using namespace adapters::zgw;

constexpr std::int64_t kNow = 1'795'000'000'000;
const std::string kClient = "hearth-test";
const std::string kSecret = "zgw-secret-for-tests-0123456789";

class ZgwConformance : public testing::Test {
protected:
  void SetUp() override {
    HEARTH_REQUIRE_OR_SKIP(fixtures_dir().has_value(), "../shared/fixtures is absent");
    server_ = std::make_unique<ZgwTestServer>(kClient, kSecret);
    ZakenApiSettings zaken;
    zaken.base_url = server_->zaken_api();
    zaken.credentials = {kClient, kSecret, "hearth", "Hearth"};
    client_ = std::make_unique<ZakenClient>(zaken, [] { return kNow; });
    settings_ = test_export_settings();
    request_ = parse_export_request(
        R"({"case_id":"C-17","tenancy_id":"T-1","coordinator":{"user":"coord-7"},"opened_ms":1793611800000})", kNow);
  }

  void TearDown() override {
    if (!server_) {
      return;
    }
    expect_conformant_exchange(*server_);
  }

  std::unique_ptr<ZgwTestServer> server_;
  std::unique_ptr<ZakenClient> client_;
  ExportSettings settings_;
  CaseExportRequest request_;
  MapLedger ledger_;
};

TEST_F(ZgwConformance, TheBodiesTheAdapterSendsFollowTheZakenApi) {
  const std::string zaak_url = server_->zaken_api() + "/zaken/00000000-0000-4000-8000-000000000001";
  auto problems = request_problems("Zaak", as_var(zaak_body(request_, settings_)));
  EXPECT_TRUE(problems.empty()) << joined(problems);
  problems = request_problems("Status", as_var(status_body(zaak_url, settings_, kNow)));
  EXPECT_TRUE(problems.empty()) << joined(problems);
  problems = request_problems("medewerker_Rol", as_var(rol_body(request_, zaak_url, settings_)));
  EXPECT_TRUE(problems.empty()) << joined(problems);
  // The validator does catch a body that breaks the standard.
  auto broken = zaak_body(request_, settings_);
  broken.set("vertrouwelijkheidaanduiding", "topgeheim");
  EXPECT_FALSE(request_problems("Zaak", as_var(broken)).empty());
}

TEST_F(ZgwConformance, NotificationsFollowTheNotificatiesApi) {
  const std::string zaak = server_->add_zaak(settings_.zaaktype, "2026-10-30", {{"T-1", "hearth:tenancy"}});
  for (const auto &[resource, actie] : std::vector<std::pair<std::string, std::string>>{{"zaak", "create"}, {"status", "create"}}) {
    const auto problems = validate_against_fixture(kNotificatiesYaml, "Message", parse(server_->message_for(zaak, resource, zaak, actie)));
    EXPECT_TRUE(problems.empty()) << joined(problems);
  }
}

TEST_F(ZgwConformance, AnExportCreatesAZaakAStatusAndTheCoordinatorsRol) {
  const auto outcome = export_case(request_, settings_, *client_, ledger_, kNow);
  EXPECT_EQ(outcome.created, 3);
  EXPECT_EQ(outcome.adopted, 0);
  EXPECT_TRUE(outcome.progress.complete());
  ASSERT_EQ(server_->count("zaken"), 1u);
  const auto zaak = server_->objects("zaken").front();
  EXPECT_EQ(zaak->getValue<std::string>("identificatie"), "HEARTH-C-17");
  EXPECT_EQ(zaak->getValue<std::string>("startdatum"), "2026-11-02");
  EXPECT_EQ(zaak->getValue<std::string>("status"), outcome.progress.status_url);
  EXPECT_EQ(zaak->getArray("rollen")->getElement<std::string>(0), outcome.progress.rol_url);
  const auto rol = server_->objects("rollen").front();
  EXPECT_EQ(rol->getObject("betrokkeneIdentificatie")->getValue<std::string>("identificatie"), "coord-7");
  EXPECT_EQ((std::vector<ExportStep>{ExportStep::zaak, ExportStep::status, ExportStep::rol}), ledger_.steps);
  // What the adapter sent on the wire follows the schema too.
  for (const auto &call : server_->calls()) {
    if (call.method != "POST") {
      continue;
    }
    const std::string collection = call.path.substr(call.path.rfind('/') + 1);
    const std::string schema = collection == "zaken" ? "Zaak" : collection == "statussen" ? "Status" : "medewerker_Rol";
    const auto problems = request_problems(schema, parse(call.body));
    EXPECT_TRUE(problems.empty()) << call.path << ":\n" << joined(problems);
  }
}

TEST_F(ZgwConformance, ARepeatedExportSendsNothing) {
  export_case(request_, settings_, *client_, ledger_, kNow);
  const auto calls_before = server_->calls().size();
  const auto again = export_case(request_, settings_, *client_, ledger_, kNow);
  EXPECT_TRUE(again.already_complete);
  EXPECT_EQ(again.created, 0);
  EXPECT_EQ(server_->calls().size(), calls_before);
  EXPECT_EQ(server_->count("zaken"), 1u);
}

TEST_F(ZgwConformance, ALostAnswerIsFoundAgainInsteadOfCreatingASecondZaak) {
  server_->drop_answer_of_next("POST", "zaken");
  EXPECT_THROW(export_case(request_, settings_, *client_, ledger_, kNow), ZakenApiError);
  EXPECT_EQ(server_->count("zaken"), 1u); // created, but the adapter never learnt it
  EXPECT_TRUE(ledger_.rows.empty());
  const auto retry = export_case(request_, settings_, *client_, ledger_, kNow);
  EXPECT_EQ(retry.adopted, 1);
  EXPECT_EQ(retry.created, 2);
  EXPECT_EQ(server_->count("zaken"), 1u);
  EXPECT_EQ(server_->count("statussen"), 1u);
  EXPECT_EQ(server_->count("rollen"), 1u);

  // The same for a lost rol answer on another case.
  auto other = request_;
  other.case_id = "C-18";
  server_->drop_answer_of_next("POST", "rollen");
  EXPECT_THROW(export_case(other, settings_, *client_, ledger_, kNow), ZakenApiError);
  const auto resumed = export_case(other, settings_, *client_, ledger_, kNow);
  EXPECT_EQ(resumed.adopted, 1);
  EXPECT_EQ(resumed.created, 0);
  EXPECT_EQ(server_->count("zaken"), 2u);
  EXPECT_EQ(server_->count("rollen"), 2u);
}

TEST_F(ZgwConformance, AFailedStepIsResumedWithoutRepeatingTheOnesBefore) {
  server_->fail_next("POST", "statussen", 500);
  try {
    export_case(request_, settings_, *client_, ledger_, kNow);
    ADD_FAILURE() << "no error";
  } catch (const ZakenApiError &e) {
    EXPECT_EQ(e.http_status(), 500);
    EXPECT_EQ(std::string(e.what()), "POST /statussen: the Zaken API answered 500");
  }
  ASSERT_EQ(ledger_.rows.size(), 1u);
  EXPECT_FALSE(ledger_.rows.begin()->second.zaak_url.empty());
  EXPECT_TRUE(ledger_.rows.begin()->second.status_url.empty());
  const auto resumed = export_case(request_, settings_, *client_, ledger_, kNow);
  EXPECT_EQ(resumed.created, 2);
  EXPECT_EQ(server_->count("zaken"), 1u);
  EXPECT_EQ(server_->count("statussen"), 1u);
}

TEST_F(ZgwConformance, TheZakenApisValidationErrorsAreNamedWithoutTheirValues) {
  auto body = zaak_body(request_, settings_);
  body.remove("zaaktype");
  try {
    client_->create("zaken", body);
    ADD_FAILURE();
  } catch (const ZakenApiError &e) {
    EXPECT_EQ(e.http_status(), 400);
    EXPECT_EQ(std::string(e.what()), "POST /zaken: the Zaken API answered 400 (invalid: zaaktype)");
  }
}

TEST_F(ZgwConformance, TheClientReadsNothingOutsideItsBase) {
  EXPECT_THROW(client_->get("http://127.0.0.1:1/zaken/api/v1/zaken/x"), std::invalid_argument);
  EXPECT_THROW(client_->get(server_->zaken_api() + "/../../etc/passwd"), std::invalid_argument);
  EXPECT_TRUE(server_->calls().empty());
}

} // namespace
} // namespace hearth::test
