// The ZGW adapter's readers on good and bad input: Notificaties API messages, zaken (one,
// an array, a GET /zaken page), the zaaktype mapping, and the case-export request. Every
// bad-input kind of issue 4 is refused with the field named and the value never repeated.
#include <sstream>
#include <string>
#include <vector>

#include <Poco/JSON/Parser.h>
#include <Poco/JWT/Signer.h>
#include <Poco/JWT/Token.h>
#include <gtest/gtest.h>

#include "adapter_common/json_fields.hpp"
#include "zaak_export.hpp"
#include "zgw_notification.hpp"
#include "zgw_token.hpp"
#include "zgw_urls.hpp"
#include "zgw_zaak.hpp"

namespace hearth::adapters::zgw {
namespace {

constexpr std::int64_t kNow = 1'795'000'000'000; // 2026-11-18T...Z
constexpr std::int64_t kSkew = 5 * 60 * 1000;
const std::string kZaak = "https://zaken.example/zaken/api/v1/zaken/0c5a1e2b-3f0d-4b1e-9e2a-5f6a7b8c9d0e";
const std::string kZaaktype = "https://catalogi.example/api/v1/zaaktypen/11111111-2222-4333-8444-555555555555";

std::string message(const std::string &field_overrides = "") {
  return R"({"kanaal":"zaken","hoofdObject":")" + kZaak + R"(","resource":"status","resourceUrl":)"
         R"("https://zaken.example/zaken/api/v1/statussen/1b2c3d4e-0000-4000-8000-000000000001","actie":"create",)"
         R"("aanmaakdatum":"2026-11-02T09:30:00Z","kenmerken":{"bronorganisatie":"002220647","zaaktype":")" +
         kZaaktype + R"(","vertrouwelijkheidaanduiding":"vertrouwelijk"})" + field_overrides + "}";
}

// Expects parse_notification(document) to throw FieldProblem with `field` and `reason`.
void expect_refused(const std::string &document, const std::string &field, const std::string &reason) {
  try {
    parse_notification(document, kNow, kSkew);
    ADD_FAILURE() << "accepted: " << document;
  } catch (const FieldProblem &problem) {
    EXPECT_EQ(problem.field(), field) << document;
    EXPECT_EQ(problem.reason(), reason) << document;
  }
}

// Replaces `from` by `to` once in `text`.
std::string with(std::string text, const std::string &from, const std::string &to) {
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return at == std::string::npos ? text : text.replace(at, from.size(), to);
}

TEST(ZgwNotification, ReadsAValidMessage) {
  const auto n = parse_notification(message(), kNow, kSkew);
  EXPECT_EQ(n.kanaal, "zaken");
  EXPECT_EQ(n.hoofd_object, kZaak);
  EXPECT_EQ(n.resource, "status");
  EXPECT_EQ(n.actie, "create");
  EXPECT_EQ(n.aanmaakdatum_ms, 1'793'611'800'000);
  EXPECT_EQ(n.kenmerken.at("zaaktype"), kZaaktype);
  EXPECT_TRUE(concerns_zaak_content(n));
}

TEST(ZgwNotification, OnlyZaakAndStatusChangesConcernTheSignal) {
  auto n = parse_notification(message(), kNow, kSkew);
  n.resource = "rol";
  EXPECT_FALSE(concerns_zaak_content(n));
  n.resource = "zaak";
  n.actie = "destroy";
  EXPECT_FALSE(concerns_zaak_content(n));
  n.actie = "update";
  EXPECT_TRUE(concerns_zaak_content(n));
  n.kanaal = "documenten";
  EXPECT_FALSE(concerns_zaak_content(n));
}

TEST(ZgwNotification, MalformedJsonAndEncodingAreRefusedAsTheDocument) {
  expect_refused("{\"kanaal\":", "document", "is not well-formed JSON");
  expect_refused("[]", "Message", "must be an object");
  expect_refused(with(message(), "zaken\",\"hoofd", "zak\xC3\x28n\",\"hoofd"), "document", "is not valid UTF-8");
  expect_refused(with(message(), "\"kanaal\":\"zaken\"", "\"kanaal\":\"za\xED\xA0\x80ken\""), "document",
                 "is not valid UTF-8");
}

TEST(ZgwNotification, MissingRequiredFieldsAreNamed) {
  for (const char *field : {"kanaal", "hoofdObject", "resource", "resourceUrl", "actie", "aanmaakdatum"}) {
    auto object = Poco::JSON::Parser().parse(message()).extract<Poco::JSON::Object::Ptr>();
    object->remove(field);
    std::ostringstream text;
    object->stringify(text);
    expect_refused(text.str(), std::string("Message.") + field, "is missing");
  }
  expect_refused(with(message(), "\"kanaal\":\"zaken\"", "\"kanaal\":\"\""), "Message.kanaal", "is empty");
}

TEST(ZgwNotification, WrongTypesAreNamed) {
  expect_refused(with(message(), "\"actie\":\"create\"", "\"actie\":1"), "Message.actie", "must be a string");
  expect_refused(with(message(), "\"kenmerken\":{", "\"kenmerken\":[{"), "document", "is not well-formed JSON");
  expect_refused(with(message(), "\"bronorganisatie\":\"002220647\"", "\"bronorganisatie\":2220647"),
                 "Message.kenmerken.bronorganisatie", "must be a string");
  expect_refused(with(message(), "\"kenmerken\":{", "\"x\":{},\"kenmerken\":{\"a\":null,"),
                 "Message.kenmerken.a", "must be a string");
  expect_refused(with(message(), "\"resourceUrl\":", "\"resourceUrl\":\"/relative/path\",\"ignored\":"),
                 "Message.resourceUrl", "is not an absolute http(s) URL");
  expect_refused(with(message(), "\"hoofdObject\":\"https", "\"hoofdObject\":\"ftp"), "Message.hoofdObject",
                 "is not an absolute http(s) URL");
}

TEST(ZgwNotification, UnknownCodesAreRefused) {
  expect_refused(with(message(), "\"resource\":\"status\"", "\"resource\":\"stat\""), "Message.resource",
                 "is not a resource of the zaken channel");
  expect_refused(with(message(), "\"actie\":\"create\"", "\"actie\":\"update\""), "Message.actie",
                 "is not an action of resource 'status' on the zaken channel");
  expect_refused(with(message(), "\"kanaal\":\"zaken\"", "\"kanaal\":\"" + std::string(51, 'k') + "\""),
                 "Message.kanaal", "is longer than 50 characters");
}

TEST(ZgwNotification, DatesInTheFutureOrUnreadableAreRefused) {
  expect_refused(with(message(), "2026-11-02T09:30:00Z", "2027-01-01T00:00:00Z"), "Message.aanmaakdatum",
                 "is in the future");
  expect_refused(with(message(), "2026-11-02T09:30:00Z", "02-11-2026"), "Message.aanmaakdatum",
                 "is not an ISO 8601 date or date-time");
  expect_refused(with(message(), "2026-11-02T09:30:00Z", "2026-02-30T09:30:00Z"), "Message.aanmaakdatum",
                 "is not an ISO 8601 date or date-time");
}

TEST(ZgwNotification, AnRsinFailingTheElfproefIsRefused) {
  expect_refused(with(message(), "002220647", "002220648"), "Message.kenmerken.bronorganisatie",
                 "is not an RSIN: fails the elfproef (11-test)");
  expect_refused(with(message(), "002220647", "12345"), "Message.kenmerken.bronorganisatie",
                 "is not an RSIN: is not 9 digits");
}

TEST(ZgwUrls, OnlyUrlsUnderTheBaseAreInside) {
  const std::string base = "https://zaken.example/zaken/api/v1";
  EXPECT_TRUE(url_is_under(kZaak, base));
  EXPECT_TRUE(url_is_under(kZaak, base + "/"));
  EXPECT_FALSE(url_is_under("https://zaken.example/zaken/api/v10/zaken/x", base));
  EXPECT_FALSE(url_is_under("https://evil.example/zaken/api/v1/zaken/x", base));
  EXPECT_FALSE(url_is_under("http://zaken.example/zaken/api/v1/zaken/x", base));
  EXPECT_FALSE(url_is_under("https://zaken.example:8443/zaken/api/v1/zaken/x", base));
  EXPECT_FALSE(url_is_under("https://zaken.example/zaken/api/v1/../../admin", base));
  EXPECT_EQ(last_path_segment(kZaak), "0c5a1e2b-3f0d-4b1e-9e2a-5f6a7b8c9d0e");
}

// ---- the ZGW JWT ------------------------------------------------------------------------

TEST(ZgwToken, CarriesTheClaimsTheStandardNames) {
  const ZgwCredentials credentials{"docs", "example-secret", "hearth", "Hearth"};
  const std::string jwt = make_zgw_token(credentials, 1'602'857'301'999);
  Poco::JWT::Token token;
  ASSERT_TRUE(Poco::JWT::Signer("example-secret").tryVerify(jwt, token));
  EXPECT_EQ(token.getAlgorithm(), "HS256");
  EXPECT_EQ(token.getType(), "JWT");
  EXPECT_EQ(token.getIssuer(), "docs");
  EXPECT_EQ(token.payload().getValue<std::string>("client_id"), "docs");
  EXPECT_EQ(token.payload().getValue<std::int64_t>("iat"), 1'602'857'301);
  EXPECT_EQ(token.payload().getValue<std::string>("user_id"), "hearth");
  EXPECT_EQ(token.payload().getValue<std::string>("user_representation"), "Hearth");
  EXPECT_FALSE(Poco::JWT::Signer("another-secret").tryVerify(jwt, token));
  EXPECT_THROW(make_zgw_token({"", "s", "", ""}, 0), std::invalid_argument);
  EXPECT_THROW(make_zgw_token({"c", "", "", ""}, 0), std::invalid_argument);
}

// ---- zaken -----------------------------------------------------------------------------

ParseContext context() {
  ParseContext c;
  c.source = "zgw:gemeente-test";
  c.now_ms = kNow;
  c.max_future_skew_ms = kSkew;
  c.purpose = "case-coordination";
  c.settings["zgw.zaaktypes"] = kZaaktype + "=OVE/GEL, https://catalogi.example/api/v1/zaaktypen/2=SCH";
  return c;
}

std::string zaak(const std::string &overrides = "", const std::string &kenmerken =
                                                         R"([{"kenmerk":"T-1","bron":"hearth:tenancy"}])") {
  return R"({"url":")" + kZaak + R"(","uuid":"0c5a1e2b-3f0d-4b1e-9e2a-5f6a7b8c9d0e","zaaktype":")" + kZaaktype +
         R"(","bronorganisatie":"002220647","verantwoordelijkeOrganisatie":"002220647","startdatum":"2026-10-30",)"
         R"("kenmerken":)" + kenmerken + overrides + "}";
}

TEST(ZgwZaak, AMappedZaakBecomesOneSignal) {
  const auto batch = parse_zgw_document(zaak(), context());
  ASSERT_EQ(batch.rejections.size(), 0u) << batch.rejections.front().message();
  ASSERT_EQ(batch.signals.size(), 1u);
  const auto &s = batch.signals.front();
  EXPECT_EQ(s.source, "zgw:gemeente-test");
  EXPECT_EQ(s.external_id, "0c5a1e2b-3f0d-4b1e-9e2a-5f6a7b8c9d0e");
  EXPECT_EQ(s.type, "OVE");
  EXPECT_EQ(s.detail, "GEL");
  EXPECT_EQ(s.tenancy_id, "T-1");
  EXPECT_EQ(s.occurred_at_ms, 1'793'318'400'000); // 2026-10-30T00:00:00Z
  EXPECT_EQ(s.amount_cents, 0);
  EXPECT_EQ(s.legal_basis, "avg-6-1-e"); // nuisance
  EXPECT_EQ(s.purpose, "case-coordination");
}

TEST(ZgwZaak, AnUnmappedZaaktypeIsIgnoredNotRefused) {
  const auto batch = parse_zgw_document(with(zaak(), kZaaktype, "https://catalogi.example/api/v1/zaaktypen/9"), context());
  EXPECT_EQ(batch.signals.size(), 0u);
  EXPECT_EQ(batch.rejections.size(), 0u);
  EXPECT_EQ(batch.ignored, 1u);
}

TEST(ZgwZaak, ArraysAndPagesAreReadZaakByZaak) {
  const std::string bad = with(zaak(), "\"startdatum\":\"2026-10-30\"", "\"startdatum\":\"2099-01-01\"");
  const auto batch = parse_zgw_document("[" + zaak() + "," + bad + "]", context());
  EXPECT_EQ(batch.items, 2u);
  EXPECT_EQ(batch.signals.size(), 1u);
  ASSERT_EQ(batch.rejections.size(), 1u);
  EXPECT_EQ(batch.rejections[0].item_index, 1u);
  EXPECT_EQ(batch.rejections[0].message(), "document[1].startdatum: is in the future");
  EXPECT_FALSE(batch.rejections[0].payload.empty());

  const auto page = parse_zgw_document(R"({"count":1,"next":null,"previous":null,"results":[)" + zaak() + "]}", context());
  EXPECT_EQ(page.signals.size(), 1u);
  const auto wrong = parse_zgw_document(R"({"count":1,"results":{}})", context());
  ASSERT_EQ(wrong.rejections.size(), 1u);
  EXPECT_EQ(wrong.rejections[0].message(), "PaginatedZaakList.results: must be an array");
}

struct BadZaak {
  const char *name;
  std::string document;
  std::string expected;
};

TEST(ZgwZaak, EveryBadInputKindNamesTheField) {
  const std::vector<BadZaak> cases = {
      {"malformed", "{\"url\":", "document: is not well-formed JSON"},
      {"utf8", with(zaak(), "T-1", "T-\xFF"), "document: is not valid UTF-8"},
      {"not_object", "[42]", "document[0]: must be an object"},
      {"missing_uuid", with(zaak(), "\"uuid\":\"0c5a1e2b-3f0d-4b1e-9e2a-5f6a7b8c9d0e\",", ""), "Zaak.uuid: is missing"},
      {"bad_uuid", with(zaak(), "\"uuid\":\"0c5a1e2b", "\"uuid\":\"xc5a1e2b"), "Zaak.uuid: is not a UUID"},
      {"wrong_type", with(zaak(), "\"startdatum\":\"2026-10-30\"", "\"startdatum\":20261030"),
       "Zaak.startdatum: must be a string"},
      {"future", with(zaak(), "2026-10-30", "2027-10-30"), "Zaak.startdatum: is in the future"},
      {"ancient", with(zaak(), "2026-10-30", "1999-10-30"), "Zaak.startdatum: is before 2000-01-01"},
      {"rsin", with(zaak(), "\"bronorganisatie\":\"002220647\"", "\"bronorganisatie\":\"002220646\""),
       "Zaak.bronorganisatie: is not an RSIN: fails the elfproef (11-test)"},
      {"no_tenancy", zaak("", "[]"), "Zaak.kenmerken: has no kenmerk with bron 'hearth:tenancy' naming the tenancy"},
      {"bsn_as_tenancy", zaak("", R"([{"kenmerk":"111222333","bron":"hearth:tenancy"}])"),
       "Zaak.kenmerken[0].kenmerk: looks like a BSN; a tenancy id is expected"},
      {"kenmerken_type", zaak("", R"({"kenmerk":"T-1"})"), "Zaak.kenmerken: must be an array"},
      {"zaaktype_url", with(zaak(), "\"zaaktype\":\"https", "\"zaaktype\":\"urn"), "Zaak.zaaktype: is not an absolute http(s) URL"},
  };
  for (const auto &c : cases) {
    const auto batch = parse_zgw_document(c.document, context());
    ASSERT_EQ(batch.rejections.size(), 1u) << c.name;
    EXPECT_EQ(batch.rejections[0].message(), c.expected) << c.name;
    EXPECT_EQ(batch.signals.size(), 0u) << c.name;
    EXPECT_EQ(batch.rejections[0].message().find("111222333"), std::string::npos) << c.name;
  }
}

TEST(ZgwZaak, TheMappingSettingIsChecked) {
  auto c = context();
  c.settings["zgw.zaaktypes"] = kZaaktype + "=ZZZ";
  EXPECT_THROW(read_zaak_mapping(c), std::invalid_argument);
  c.settings["zgw.zaaktypes"] = kZaaktype + "=SCH/GEL";
  EXPECT_THROW(read_zaak_mapping(c), std::invalid_argument);
  c.settings["zgw.zaaktypes"] = "not-a-url=SCH";
  EXPECT_THROW(read_zaak_mapping(c), std::invalid_argument);
  c.settings["zgw.zaaktypes"] = kZaaktype + "=SCH " + kZaaktype + "=OVE";
  EXPECT_THROW(read_zaak_mapping(c), std::invalid_argument);
  c.settings["zgw.zaaktypes"] = kZaaktype;
  try {
    read_zaak_mapping(c);
    ADD_FAILURE();
  } catch (const std::invalid_argument &e) {
    EXPECT_NE(std::string(e.what()).find("zgw.zaaktypes"), std::string::npos);
  }
  // A bad setting makes every document one rejection naming the settings.
  const auto batch = parse_zgw_document(zaak(), c);
  ASSERT_EQ(batch.rejections.size(), 1u);
  EXPECT_EQ(batch.rejections[0].field, "settings");
}

TEST(ZgwZaak, DataClassesFollowTheSignalTable) {
  EXPECT_EQ(signal_data_class("SCH", "BET"), "finance");
  EXPECT_EQ(signal_data_class("ONE", "OND"), "housing");
  EXPECT_EQ(signal_data_class("ONE", "DRU"), "nuisance");
  EXPECT_EQ(signal_data_class("ONB", ""), "care");
  EXPECT_EQ(signal_data_class("X-AFS", ""), "contact");
  EXPECT_EQ(signal_data_class("OVE", "BET"), "");
  EXPECT_EQ(signal_data_class("HUA", ""), "");
}

// ---- export requests -------------------------------------------------------------------

// The payload as the coordinator-handoff plugin publishes it (docs/handoff.md).
const std::string kExportPayload =
    R"({"case_id":"case-6f1c2d3e-4b5a-4c6d-8e9f-0a1b2c3d4e5f","target":"zgw","tenancy_id":"T-1","unit_id":"U-1",)"
    R"("neighbourhood_code":"BU03630402","state":"triage","is_open":true,"level":1,"level_name":"consultant contact",)"
    R"("opened_ms":1793611800000,"closed_ms":null,"coordinator":{"user":"coord-7","organisation":"gemeente:0363",)"
    R"("vera_role":"ZAA"},"legal_basis":"avg-6-1-e","purpose":"case-coordination",)"
    R"("requested_by":{"user":"coord-7","organisation":"gemeente:0363"},"requested_ms":1793611800000})";

TEST(ZgwExportRequest, ReadsTheCoordinatorHandoffPayload) {
  const auto r = parse_export_request(kExportPayload, kNow);
  EXPECT_TRUE(r.for_zgw());
  EXPECT_EQ(r.case_id, "case-6f1c2d3e-4b5a-4c6d-8e9f-0a1b2c3d4e5f");
  EXPECT_EQ(r.tenancy_id, "T-1");
  EXPECT_EQ(r.coordinator, "coord-7");
  EXPECT_EQ(r.opened_on, "2026-11-02");
  EXPECT_EQ(r.requested_by, "coord-7");
  EXPECT_EQ(r.purpose, "case-coordination");
  // A long case id becomes a short stable reference that fits the zaak's 40 characters.
  EXPECT_EQ(case_reference(r.case_id).size(), 32u);
  EXPECT_EQ(case_reference(r.case_id), case_reference(r.case_id));
  EXPECT_EQ(zaak_identificatie(r.case_id).size(), 39u);
  EXPECT_EQ(zaak_identificatie("C-17"), "HEARTH-C-17");
  EXPECT_FALSE(parse_export_request(with(kExportPayload, "\"target\":\"zgw\"", "\"target\":\"vera\""), kNow).for_zgw());
}

TEST(ZgwExportRequest, BadPayloadsNameTheField) {
  const std::string good = kExportPayload;
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"nonsense", "document: is not well-formed JSON"},
      {with(good, "\"case_id\":\"case-6f1c2d3e-4b5a-4c6d-8e9f-0a1b2c3d4e5f\",", ""), "payload.case_id: is missing"},
      {with(good, "\"case-6f1c2d3e-4b5a-4c6d-8e9f-0a1b2c3d4e5f\"", "17"), "payload.case_id: must be a string"},
      {with(good, "\"tenancy_id\":\"T-1\"", "\"tenancy_id\":\"111222333\""),
       "payload.tenancy_id: looks like a BSN; a pseudonymous id is expected"},
      {with(good, "\"user\":\"coord-7\",\"organisation\":\"gemeente:0363\",", "\"user\":\"" + std::string(25, 'c') + "\",\"organisation\":\"x\","),
       "payload.coordinator.user: is longer than 24 characters"},
      {with(good, "\"coordinator\":{", "\"coordinator\":\"coord-7\",\"x\":{"), "payload.coordinator: must be an object"},
      {with(good, "\"opened_ms\":1793611800000", "\"opened_ms\":\"2026-11-02\""), "payload.opened_ms: must be a whole number"},
      {with(good, "\"opened_ms\":1793611800000", "\"opened_ms\":1893611800000"), "payload.opened_ms: is in the future"},
  };
  for (const auto &[payload, expected] : cases) {
    try {
      parse_export_request(payload, kNow);
      ADD_FAILURE() << payload;
    } catch (const FieldProblem &problem) {
      EXPECT_EQ(std::string(problem.what()), expected);
    }
  }
}

TEST(ZgwExportRequest, IncompleteSettingsAreNamed) {
  ExportSettings settings;
  settings.bronorganisatie = "002220647";
  settings.verantwoordelijke_organisatie = "002220647";
  settings.zaaktype = kZaaktype;
  settings.statustype = "https://catalogi.example/api/v1/statustypen/1";
  settings.roltype = "https://catalogi.example/api/v1/roltypen/1";
  EXPECT_NO_THROW(settings.check());
  auto broken = settings;
  broken.bronorganisatie = "123456789";
  EXPECT_THROW(broken.check(), std::invalid_argument);
  broken = settings;
  broken.roltype.clear();
  try {
    broken.check();
    ADD_FAILURE();
  } catch (const std::invalid_argument &e) {
    EXPECT_EQ(std::string(e.what()), "export_roltype: is missing or not an absolute http(s) URL");
  }
}

} // namespace
} // namespace hearth::adapters::zgw
