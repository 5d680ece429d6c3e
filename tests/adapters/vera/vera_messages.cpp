#include "vera_messages.hpp"

#include <sstream>

#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

namespace hearth::test::vera {
namespace {

Poco::JSON::Object::Ptr parse(const std::string &json) {
  return Poco::JSON::Parser().parse(json).extract<Poco::JSON::Object::Ptr>();
}

std::string quoted(const std::string &text) { return "\"" + text + "\""; }

} // namespace

std::string to_json(const Poco::Dynamic::Var &value) {
  std::ostringstream out;
  Poco::JSON::Stringifier::condense(value, out);
  return out.str();
}

Poco::JSON::Object::Ptr copy(const Poco::JSON::Object::Ptr &message) { return parse(to_json(message)); }

Poco::JSON::Object::Ptr signalering(const std::string &id) {
  return parse(R"({"id":)" + quoted(id) + R"(,
    "soort":{"code":"SCH","naam":"Huurschuld"},
    "detailSoort":{"code":"BET","naam":"Betalingsachterstand"},
    "status":{"code":"ACT","naam":"Actief"},
    "begindatum":"2024-03-01T09:30:00Z",
    "relatie":{"id":"REL-7"},
    "extra-attributen":[{"naam":"huurovereenkomst","waarde":")" + std::string(kTenancy) + R"("}]})");
}

Poco::JSON::Object::Ptr zaak(const std::string &id) {
  return parse(R"({"id":)" + quoted(id) + R"(,
    "omschrijving":"Melding geluidsoverlast",
    "begindatum":"2024-02-10T08:00:00Z",
    "registratiedatum":"2024-02-10T08:05:00Z",
    "zaaktype":{"code":"ZT-GEL","soort":{"code":"SOC","naam":"Sociale melding"},
                "detailSoort":{"code":"GEL","naam":"Geluidsoverlast"}},
    "zaakstatussen":[
      {"id":"ZS-1","soort":{"code":"AAN","naam":"Aangemaakt"},"begindatum":"2024-02-10T08:00:00Z"},
      {"id":"ZS-2","soort":{"code":"INB","naam":"In behandeling"},"begindatum":"2024-02-12T10:00:00Z"}],
    "rollen":[
      {"id":"ZR-1","soort":{"code":"MEL","naam":"Melder"},"relatie":{"id":"REL-NB-3","initialen":"A."}},
      {"id":"ZR-2","soort":{"code":"BEH","naam":"Behandelaar"},"omschrijving":"Woonconsulent"}],
    "overeenkomsten":[{"id":")" + std::string(kTenancy) + R"("}]})");
}

Poco::JSON::Object::Ptr overeenkomst(const std::string &id) {
  return parse(R"({"id":)" + quoted(id) + R"(,
    "soort":{"code":"HUU","naam":"Huurovereenkomst"},
    "status":{"code":"LOP","naam":"Lopend"},
    "begindatum":"2019-04-01",
    "bepaaldeTijd":false,
    "eenheden":[{"id":")" + std::string(kUnit) + R"("}]})");
}

Poco::JSON::Object::Ptr betalingsregeling(const std::string &id) {
  return parse(R"({"id":)" + quoted(id) + R"(,
    "status":{"code":"ACT","naam":"Actief"},
    "afspraakdatum":"2024-04-02",
    "begindatum":"2024-04-15",
    "bedrag":900.0,
    "saldo":612.5,
    "termijnenAantal":6,
    "overeenkomst":{"id":")" + std::string(kTenancy) + R"("}})");
}

Poco::JSON::Object::Ptr externe_incasso(const std::string &id) {
  return parse(R"({"id":)" + quoted(id) + R"(,
    "soort":{"code":"DEU","naam":"Deurwaarder"},
    "status":{"code":"ACT","naam":"Actief"},
    "overdrachtsdatum":"2024-05-06",
    "bedrag":1450.0,
    "overeenkomst":{"id":")" + std::string(kTenancy) + R"("}})");
}

Poco::JSON::Object::Ptr huuropzegging(const std::string &id) {
  return parse(R"({"id":)" + quoted(id) + R"(,
    "status":{"code":"GOE","naam":"Goedgekeurd"},
    "redenOpzegging":{"code":"COR","naam":"Op verzoek corporatie"},
    "opzegdatum":"2024-05-20",
    "huurovereenkomst":{"id":")" + std::string(kTenancy) + R"("}})");
}

Poco::JSON::Object::Ptr onderhoudsorder(const std::string &id) {
  return parse(R"({"id":)" + quoted(id) + R"(,
    "omschrijving":"Lekkage badkamer",
    "status":{"code":"INB","naam":"In behandeling"},
    "begindatum":"2024-05-01T08:00:00Z",
    "overeenkomst":{"id":")" + std::string(kTenancy) + R"("},
    "onderhoudstaken":[
      {"id":"OT-1","status":{"code":"OND","naam":"Onderbroken"},
       "detailStatus":{"code":"AFW","naam":"Klant niet aanwezig"},
       "afspraken":[{"id":"AF-1","status":{"code":"AFG","naam":"Afgerond"},
                     "begindatum":"2024-05-03T09:00:00Z","einddatum":"2024-05-03T10:00:00Z"}]},
      {"id":"OT-2","status":{"code":"GER","naam":"Gereed"}}]})");
}

Poco::JSON::Object::Ptr sample(const std::string &path) {
  if (path == "signaleringen") return signalering();
  if (path == "zaken") return zaak();
  if (path == "overeenkomsten") return overeenkomst();
  if (path == "betalingsregelingen") return betalingsregeling();
  if (path == "externe-incassos") return externe_incasso();
  if (path == "huuropzeggingen") return huuropzegging();
  if (path == "onderhoudsorders") return onderhoudsorder();
  return nullptr;
}

} // namespace hearth::test::vera
