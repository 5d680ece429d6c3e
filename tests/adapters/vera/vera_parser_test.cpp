// The VERA parser on its own: each resource maps to the signal or record docs/integrators/
// adapter-guide.md promises, and every kind of bad input is refused with the field named,
// the reason given and no value repeated, while the other messages of a file still count.
#include <gtest/gtest.h>

#include <Poco/JSON/Array.h>

#include "vera_adapter/vera_parser.hpp"
#include "vera_messages.hpp"

namespace hearth::test::vera {
namespace {

using adapters::ParseContext;
using adapters::ParsedBatch;
using adapters::vera::find_vera_resource;
using adapters::vera::parse_vera_document;
using adapters::vera::parse_vera_message;

ParseContext context() {
  ParseContext c;
  c.source = "vera:woonstad";
  c.now_ms = kNowMs;
  return c;
}

ParsedBatch parse(const std::string &path, const Poco::JSON::Object::Ptr &message) {
  return parse_vera_message(*find_vera_resource(path), to_json(message), context());
}

// The single rejection of a batch, as "field: reason".
std::string only_problem(const ParsedBatch &batch) {
  EXPECT_EQ(batch.rejections.size(), 1u);
  EXPECT_TRUE(batch.signals.empty());
  EXPECT_TRUE(batch.records.empty());
  return batch.rejections.empty() ? std::string() : batch.rejections.front().message();
}

TEST(VeraParser, MapsASignaleringToItsSignal) {
  const auto batch = parse("signaleringen", signalering());
  ASSERT_EQ(batch.signals.size(), 1u);
  const auto &signal = batch.signals.front();
  EXPECT_EQ(signal.source, "vera:woonstad");
  EXPECT_EQ(signal.external_id, "signalering:SIG-1");
  EXPECT_EQ(signal.type, "SCH");
  EXPECT_EQ(signal.detail, "BET");
  EXPECT_EQ(signal.tenancy_id, kTenancy);
  EXPECT_EQ(signal.occurred_at_ms, 1709285400000LL); // 2024-03-01T09:30:00Z
  EXPECT_EQ(signal.legal_basis, "wgs-vroegsignalering");
  EXPECT_EQ(signal.purpose, "early-warning");
  EXPECT_TRUE(batch.rejections.empty());
}

TEST(VeraParser, MapsEverySignaleringSoortAndFallsBackToTheSoortForUnmappedDetails) {
  const std::tuple<const char *, const char *, const char *, const char *, const char *> cases[] = {
      {"OVE", "GEL", "OVE", "GEL", "avg-6-1-e"}, {"ONE", "OND", "ONE", "OND", "avg-6-1-f"},
      {"ONE", "PRO", "ONE", "", "avg-6-1-e"},    {"AGR", "BRA", "AGR", "", "avg-6-1-e"},
      {"WAN", "INT", "WAN", "", "avg-6-1-e"},    {"ONB", "AMB", "ONB", "AMB", "avg-9-2-h"},
      {"SCH", "BEW", "SCH", "", "wgs-vroegsignalering"},
  };
  for (const auto &[soort, detail, type, mapped_detail, basis] : cases) {
    auto message = copy(signalering());
    message->getObject("soort")->set("code", soort);
    message->getObject("detailSoort")->set("code", detail);
    const auto batch = parse("signaleringen", message);
    ASSERT_EQ(batch.signals.size(), 1u) << soort << "/" << detail;
    EXPECT_EQ(batch.signals[0].type, type);
    EXPECT_EQ(batch.signals[0].detail, mapped_detail);
    EXPECT_EQ(batch.signals[0].legal_basis, basis);
  }
}

TEST(VeraParser, AWithdrawnSignaleringIsIgnoredNotRefused) {
  auto message = copy(signalering());
  message->getObject("status")->set("code", "VER");
  const auto batch = parse("signaleringen", message);
  EXPECT_TRUE(batch.signals.empty());
  EXPECT_TRUE(batch.rejections.empty());
  EXPECT_EQ(batch.ignored, 1u);
}

TEST(VeraParser, TheTenancyAttributeIsASetting) {
  auto message = copy(signalering());
  message->getArray("extra-attributen")->getObject(0)->set("naam", "contract");
  auto c = context();
  c.settings["vera.tenancy_attribute"] = "contract";
  const auto batch = parse_vera_message(*find_vera_resource("signaleringen"), to_json(message), c);
  ASSERT_EQ(batch.signals.size(), 1u);
  EXPECT_EQ(batch.signals[0].tenancy_id, kTenancy);
  EXPECT_EQ(only_problem(parse("signaleringen", message)),
            "Signalering.extra-attributen: has no 'huurovereenkomst' attribute naming the tenancy (huurovereenkomst)");
}

TEST(VeraParser, MapsAZaakWithItsReporterAndEarliestDate) {
  const auto batch = parse("zaken", zaak());
  ASSERT_EQ(batch.signals.size(), 1u);
  const auto &signal = batch.signals.front();
  EXPECT_EQ(signal.external_id, "zaak:ZAAK-1");
  EXPECT_EQ(signal.type, "OVE");
  EXPECT_EQ(signal.detail, "GEL");
  EXPECT_EQ(signal.reporter_user, "REL-NB-3");
  EXPECT_EQ(signal.occurred_at_ms, 1707552000000LL); // begindatum 2024-02-10T08:00:00Z
  EXPECT_EQ(signal.legal_basis, "avg-6-1-e");
}

TEST(VeraParser, ACareZaakCarriesNoReporterAndAComplaintIsNoSignal) {
  auto care = copy(zaak());
  care->getObject("zaaktype")->getObject("detailSoort")->set("code", "PSY");
  auto batch = parse("zaken", care);
  ASSERT_EQ(batch.signals.size(), 1u);
  EXPECT_EQ(batch.signals[0].type, "ONB");
  EXPECT_EQ(batch.signals[0].reporter_user, "");
  EXPECT_EQ(batch.signals[0].legal_basis, "avg-9-2-h");

  auto complaint = copy(zaak());
  complaint->getObject("zaaktype")->getObject("soort")->set("code", "ORG");
  complaint->getObject("zaaktype")->getObject("detailSoort")->set("code", "KME");
  complaint->remove("overeenkomsten"); // not needed for what is not a signal
  batch = parse("zaken", complaint);
  EXPECT_TRUE(batch.signals.empty());
  EXPECT_TRUE(batch.rejections.empty());
  EXPECT_EQ(batch.ignored, 1u);
}

TEST(VeraParser, ACancelledZaakIsIgnored) {
  auto message = copy(zaak());
  message->getArray("zaakstatussen")->getObject(1)->getObject("soort")->set("code", "GEA");
  const auto batch = parse("zaken", message);
  EXPECT_TRUE(batch.signals.empty());
  EXPECT_EQ(batch.ignored, 1u);
}

TEST(VeraParser, AZaakWithoutBegindatumTakesRegistratiedatumThenItsFirstStatus) {
  auto message = copy(zaak());
  message->remove("begindatum");
  EXPECT_EQ(parse("zaken", message).signals.at(0).occurred_at_ms, 1707552300000LL);
  message->remove("registratiedatum");
  EXPECT_EQ(parse("zaken", message).signals.at(0).occurred_at_ms, 1707552000000LL);
  message->remove("zaakstatussen");
  EXPECT_EQ(only_problem(parse("zaken", message)), "Zaak.begindatum: is missing (nor registratiedatum, nor a zaakstatus)");
}

TEST(VeraParser, AHuurovereenkomstBecomesATenancyRecordAndAnEvictionAnOutcome) {
  auto batch = parse("overeenkomsten", overeenkomst());
  ASSERT_EQ(batch.records.size(), 1u);
  EXPECT_EQ(batch.records[0],
            R"({"id":"HO-1001","kind":"tenancy","start_date":"2019-04-01","unit_id":"VHE-77"})");
  auto evicted = copy(overeenkomst());
  evicted->set("einddatum", "2024-05-31");
  evicted->set("eindeReden", Poco::JSON::Object().set("code", "ONT"));
  evicted->set("eindeDetailReden", Poco::JSON::Object().set("code", "ONT"));
  batch = parse("overeenkomsten", evicted);
  ASSERT_EQ(batch.records.size(), 2u);
  EXPECT_EQ(batch.records[1], R"({"decided_on":"2024-05-31","kind":"outcome","outcome":"eviction","tenancy_id":"HO-1001"})");
  auto purchase = copy(overeenkomst());
  purchase->getObject("soort")->set("code", "KOO");
  batch = parse("overeenkomsten", purchase);
  EXPECT_TRUE(batch.records.empty());
  EXPECT_EQ(batch.ignored, 1u);
}

TEST(VeraParser, MapsPaymentArrangementsByStatusAndEndReason) {
  auto batch = parse("betalingsregelingen", betalingsregeling());
  ASSERT_EQ(batch.signals.size(), 1u);
  EXPECT_EQ(batch.signals[0].type, "X-BTR");
  EXPECT_EQ(batch.signals[0].detail, "");
  EXPECT_EQ(batch.signals[0].amount_cents, 61250);
  EXPECT_EQ(batch.signals[0].external_id, "betalingsregeling:BR-1");
  auto broken = copy(betalingsregeling());
  broken->getObject("status")->set("code", "BEE");
  broken->set("eindeReden", Poco::JSON::Object().set("code", "VOL"));
  batch = parse("betalingsregelingen", broken);
  ASSERT_EQ(batch.signals.size(), 1u);
  EXPECT_EQ(batch.signals[0].detail, "VBR");
  EXPECT_EQ(batch.signals[0].external_id, "betalingsregeling:BR-1:VBR");
  auto paid = copy(broken);
  paid->getObject("eindeReden")->set("code", "AFB");
  EXPECT_EQ(parse("betalingsregelingen", paid).ignored, 1u);
}

TEST(VeraParser, MapsExternalCollectionAndIgnoresEndedOnes) {
  auto batch = parse("externe-incassos", externe_incasso());
  ASSERT_EQ(batch.signals.size(), 1u);
  EXPECT_EQ(batch.signals[0].type, "SCH");
  EXPECT_EQ(batch.signals[0].detail, "DEU");
  EXPECT_EQ(batch.signals[0].amount_cents, 145000);
  auto agency = copy(externe_incasso());
  agency->getObject("soort")->set("code", "INC");
  EXPECT_EQ(parse("externe-incassos", agency).signals.at(0).detail, "");
  auto ended = copy(externe_incasso());
  ended->getObject("status")->set("code", "EIN");
  EXPECT_EQ(parse("externe-incassos", ended).ignored, 1u);
}

TEST(VeraParser, ANoticeAtTheCorporationsRequestIsANoticeToQuitOutcome) {
  auto batch = parse("huuropzeggingen", huuropzegging());
  ASSERT_EQ(batch.records.size(), 1u);
  EXPECT_EQ(batch.records[0], R"({"decided_on":"2024-05-20","kind":"outcome","outcome":"notice_to_quit","tenancy_id":"HO-1001"})");
  auto own = copy(huuropzegging());
  own->getObject("redenOpzegging")->set("code", "OPZ");
  batch = parse("huuropzeggingen", own);
  EXPECT_TRUE(batch.records.empty());
  EXPECT_EQ(batch.ignored, 1u);
}

TEST(VeraParser, ARepairTaskWithoutAccessIsAnXRepSignal) {
  auto batch = parse("onderhoudsorders", onderhoudsorder());
  ASSERT_EQ(batch.signals.size(), 1u);
  EXPECT_EQ(batch.signals[0].type, "X-REP");
  EXPECT_EQ(batch.signals[0].external_id, "onderhoudsorder:OO-1:taak:OT-1");
  EXPECT_EQ(batch.signals[0].occurred_at_ms, 1714726800000LL); // the appointment, 2024-05-03T09:00Z
  EXPECT_EQ(batch.signals[0].legal_basis, "avg-6-1-f");
  auto done = copy(onderhoudsorder());
  done->getArray("onderhoudstaken")->remove(0);
  EXPECT_EQ(parse("onderhoudsorders", done).ignored, 1u);
}

// ---- bad input ---------------------------------------------------------------------

TEST(VeraParserBadInput, MalformedJsonIsRefusedWhole) {
  const auto batch = parse_vera_message(*find_vera_resource("signaleringen"), R"({"id":"SIG-1",)", context());
  EXPECT_EQ(only_problem(batch), "document: is not well-formed JSON");
  EXPECT_FALSE(batch.rejections[0].payload.empty()); // hashed for the dead letter
  EXPECT_EQ(only_problem(parse_vera_message(*find_vera_resource("zaken"), "[1,2]", context())), "Zaak: must be an object");
}

TEST(VeraParserBadInput, InvalidUtf8IsRefused) {
  std::string body = to_json(signalering());
  body.insert(body.find("SIG-1"), "\xC3\x28");
  EXPECT_EQ(only_problem(parse_vera_message(*find_vera_resource("signaleringen"), body, context())),
            "document: is not valid UTF-8");
  std::string overlong = to_json(signalering());
  overlong.insert(overlong.find("SIG-1"), "\xC0\xAF");
  EXPECT_EQ(only_problem(parse_vera_message(*find_vera_resource("signaleringen"), overlong, context())),
            "document: is not valid UTF-8");
}

TEST(VeraParserBadInput, WrongTypesNameTheField) {
  auto message = copy(signalering());
  message->set("begindatum", 20240301);
  EXPECT_EQ(only_problem(parse("signaleringen", message)), "Signalering.begindatum: must be a string");
  message = copy(signalering());
  message->set("soort", "SCH");
  EXPECT_EQ(only_problem(parse("signaleringen", message)), "Signalering.soort: must be an object");
  auto arrangement = copy(betalingsregeling());
  arrangement->set("saldo", "612.50");
  EXPECT_EQ(only_problem(parse("betalingsregelingen", arrangement)), "Betalingsregeling.saldo: must be a number");
  auto order = copy(onderhoudsorder());
  order->set("onderhoudstaken", "none");
  EXPECT_EQ(only_problem(parse("onderhoudsorders", order)), "Onderhoudsorder.onderhoudstaken: must be an array");
}

TEST(VeraParserBadInput, UnknownCodesNameTheirCodeList) {
  auto message = copy(signalering());
  message->getObject("soort")->set("code", "XYZ");
  EXPECT_EQ(only_problem(parse("signaleringen", message)), "Signalering.soort.code: is not a SIGNALERINGSOORT code");
  auto case_ = copy(zaak());
  case_->getArray("rollen")->getObject(0)->getObject("soort")->set("code", "BUURMAN");
  EXPECT_EQ(only_problem(parse("zaken", case_)), "Zaak.rollen[0].soort.code: is not a ZAAKROL code");
  auto status = copy(zaak());
  status->getArray("zaakstatussen")->getObject(1)->getObject("soort")->set("code", "ZZZ");
  EXPECT_EQ(only_problem(parse("zaken", status)), "Zaak.zaakstatussen[1].soort.code: is not a ZAAKSTATUSSOORT code");
}

TEST(VeraParserBadInput, MissingRequiredFieldsAreNamed) {
  auto message = copy(signalering());
  message->remove("soort");
  EXPECT_EQ(only_problem(parse("signaleringen", message)), "Signalering.soort: is missing");
  message = copy(signalering());
  message->remove("id");
  EXPECT_EQ(only_problem(parse("signaleringen", message)), "Signalering.id: is missing (give id or idExtern)");
  message->set("idExtern", "EXT-9"); // a POST carries the source's key instead
  EXPECT_EQ(parse("signaleringen", message).signals.at(0).external_id, "signalering:EXT-9");
  auto arrangement = copy(betalingsregeling());
  arrangement->remove("overeenkomst");
  EXPECT_EQ(only_problem(parse("betalingsregelingen", arrangement)),
            "Betalingsregeling.overeenkomst: is missing: an arrangement names the huurovereenkomst");
  auto contract = copy(overeenkomst());
  contract->remove("eenheden");
  EXPECT_EQ(only_problem(parse("overeenkomsten", contract)),
            "Overeenkomst.eenheden: is missing: a huurovereenkomst names its eenheid");
}

TEST(VeraParserBadInput, DatesInTheFutureAndMalformedDatesAreRefused) {
  auto message = copy(signalering());
  message->set("begindatum", "2024-06-03T12:00:00Z");
  EXPECT_EQ(only_problem(parse("signaleringen", message)), "Signalering.begindatum: is in the future");
  message->set("begindatum", "2024-02-30T12:00:00Z");
  EXPECT_EQ(only_problem(parse("signaleringen", message)), "Signalering.begindatum: is not an ISO 8601 date or date-time");
  message->set("begindatum", "1999-12-31T23:59:59Z");
  EXPECT_EQ(only_problem(parse("signaleringen", message)), "Signalering.begindatum: is before 2000-01-01");
  auto order = copy(onderhoudsorder());
  order->getArray("onderhoudstaken")->getObject(0)->getArray("afspraken")->getObject(0)->set("begindatum",
                                                                                              "2030-01-01T00:00:00Z");
  EXPECT_EQ(only_problem(parse("onderhoudsorders", order)),
            "Onderhoudsorder.onderhoudstaken[0].afspraken[0].begindatum: is in the future");
}

TEST(VeraParserBadInput, NegativeAndFractionalCentAmountsAreRefused) {
  auto arrangement = copy(betalingsregeling());
  arrangement->set("saldo", -12.5);
  EXPECT_EQ(only_problem(parse("betalingsregelingen", arrangement)), "Betalingsregeling.saldo: is negative");
  arrangement->set("saldo", 12.505);
  EXPECT_EQ(only_problem(parse("betalingsregelingen", arrangement)), "Betalingsregeling.saldo: has more than two decimals");
  auto collection = copy(externe_incasso());
  collection->set("bedrag", -1);
  EXPECT_EQ(only_problem(parse("externe-incassos", collection)), "ExterneIncasso.bedrag: is negative");
}

TEST(VeraParserBadInput, ABsnFailingTheElfproefIsRefusedWithoutRepeatingIt) {
  auto message = copy(zaak());
  message->getArray("rollen")->getObject(0)->getObject("relatie")->set("bsn", "123456789");
  const auto problem = only_problem(parse("zaken", message));
  EXPECT_EQ(problem, "Zaak.rollen[0].relatie.bsn: fails the elfproef (11-test)");
  EXPECT_EQ(problem.find("123456789"), std::string::npos);
  message->getArray("rollen")->getObject(0)->getObject("relatie")->set("bsn", "12345");
  EXPECT_EQ(only_problem(parse("zaken", message)), "Zaak.rollen[0].relatie.bsn: is not 9 digits");
  message->getArray("rollen")->getObject(0)->getObject("relatie")->set("bsn", "111222333"); // passes
  const auto batch = parse("zaken", message);
  ASSERT_EQ(batch.signals.size(), 1u);
  EXPECT_EQ(batch.signals[0].reporter_user, "REL-NB-3"); // the pseudonymous id, never the BSN
}

TEST(VeraParserBadInput, OversizeInputIsRefusedBeforeParsing) {
  auto c = context();
  c.max_document_bytes = 64;
  const auto batch = adapters::parse_document(adapters::vera::vera_adapter(), to_json(zaak()), c);
  EXPECT_EQ(only_problem(batch), "document: is larger than the limit of 64 bytes");
}

TEST(VeraParserDocument, ReadsEveryResourceOfAFileAndRefusesOnlyTheBadMessages) {
  Poco::JSON::Object document;
  Poco::JSON::Array signals, cases, contracts;
  signals.add(signalering("SIG-1"));
  auto bad = copy(signalering("SIG-2"));
  bad->getObject("soort")->set("code", "NOPE");
  signals.add(bad);
  cases.add(zaak("ZAAK-1"));
  contracts.add(overeenkomst());
  document.set("signaleringen", signals);
  document.set("zaken", cases);
  document.set("overeenkomsten", contracts);
  document.set("klachten", Poco::JSON::Array());
  const auto batch = parse_vera_document(to_json(document), context());
  EXPECT_EQ(batch.items, 5u);
  EXPECT_EQ(batch.signals.size(), 2u);
  EXPECT_EQ(batch.records.size(), 1u);
  ASSERT_EQ(batch.rejections.size(), 2u);
  std::vector<std::string> problems;
  for (const auto &rejection : batch.rejections) {
    problems.push_back(rejection.message());
  }
  EXPECT_NE(std::find(problems.begin(), problems.end(), "signaleringen[1].soort.code: is not a SIGNALERINGSOORT code"),
            problems.end());
  EXPECT_NE(std::find(problems.begin(), problems.end(),
                      "document.klachten: is not a VERA resource this adapter reads (see vera_resources)"),
            problems.end());
  EXPECT_EQ(only_problem(parse_vera_document(R"({"zaken":{}})", context())), "zaken: must be an array of Zaak messages");
  EXPECT_EQ(only_problem(parse_vera_document("[]", context())), "document: must be an object");
}

} // namespace
} // namespace hearth::test::vera
