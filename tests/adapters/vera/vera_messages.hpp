// VERA messages for the tests, one valid sample per resource the adapter reads, built from
// the VERA OpenAPI schemas (field names, nesting and formats as the schemas give them; the
// conformance test validates each against its schema in ../shared/fixtures/vera). Tests
// change fields of a copy to make bad input.
#pragma once

#include <cstdint>
#include <string>

#include <Poco/JSON/Object.h>

namespace hearth::test::vera {

// The tenancy every sample names (its huurovereenkomst) and its unit.
inline constexpr const char *kTenancy = "HO-1001";
inline constexpr const char *kUnit = "VHE-77";
// The instant the parser is told it is now: 2024-06-01T12:00:00Z.
inline constexpr std::int64_t kNowMs = 1717243200000LL;

// A Signaleringbericht (Relaties): soort SCH, detailSoort BET, status ACT, begun 2024-03-01.
Poco::JSON::Object::Ptr signalering(const std::string &id = "SIG-1");
// A Zaken-Zaakbericht (BDO): zaaktype SOC/GEL (noise), two zaakstatussen (AAN, INB), rollen
// MEL (a neighbour's relatie REL-NB-3) and BEH, the huurovereenkomst in overeenkomsten.
Poco::JSON::Object::Ptr zaak(const std::string &id = "ZAAK-1");
// An Overeenkomsten-Overeenkomstbericht (BOG): a Huurovereenkomst of eenheid kUnit.
Poco::JSON::Object::Ptr overeenkomst(const std::string &id = kTenancy);
// A Betalingsregelingen-Betalingsregelingbericht (INC): status ACT, saldo 612.50.
Poco::JSON::Object::Ptr betalingsregeling(const std::string &id = "BR-1");
// An ExterneIncassos-ExterneIncassobericht (INC): soort DEU (bailiff), bedrag 1450.00.
Poco::JSON::Object::Ptr externe_incasso(const std::string &id = "EI-1");
// A Huuropzeggingen-Huuropzeggingbericht (VHE): status GOE, redenOpzegging COR.
Poco::JSON::Object::Ptr huuropzegging(const std::string &id = "HZ-1");
// An Onderhoudsorders-Onderhoudsorderbericht (OHD): one task interrupted because the
// tenant was not there (OND/AFW) with its appointment, one task done (GER).
Poco::JSON::Object::Ptr onderhoudsorder(const std::string &id = "OO-1");

// The sample for resource path `path` ("signaleringen" ...), or null.
Poco::JSON::Object::Ptr sample(const std::string &path);

// Compact JSON text of a message or document.
std::string to_json(const Poco::Dynamic::Var &value);

// A deep copy (samples are shared pointers; tests change copies).
Poco::JSON::Object::Ptr copy(const Poco::JSON::Object::Ptr &message);

} // namespace hearth::test::vera
