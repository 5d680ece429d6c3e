#include "vera_adapter/vera_codes.hpp"

#include <array>

namespace hearth::adapters::vera {
namespace {

// The code lists, as VERA publishes them (Referentiedata.csv, columns Soort and Code).
constexpr std::array kKnownCodes = {
    VeraCode{"SIGNALERINGSOORT", "AGR"}, VeraCode{"SIGNALERINGSOORT", "ONB"}, VeraCode{"SIGNALERINGSOORT", "ONE"},
    VeraCode{"SIGNALERINGSOORT", "OVE"}, VeraCode{"SIGNALERINGSOORT", "SCH"}, VeraCode{"SIGNALERINGSOORT", "WAN"},
    VeraCode{"SIGNALERINGDETAILSOORT", "AGS"}, VeraCode{"SIGNALERINGDETAILSOORT", "AMB"},
    VeraCode{"SIGNALERINGDETAILSOORT", "BEL"}, VeraCode{"SIGNALERINGDETAILSOORT", "BET"},
    VeraCode{"SIGNALERINGDETAILSOORT", "BEW"}, VeraCode{"SIGNALERINGDETAILSOORT", "BEZ"},
    VeraCode{"SIGNALERINGDETAILSOORT", "BRA"}, VeraCode{"SIGNALERINGDETAILSOORT", "CUR"},
    VeraCode{"SIGNALERINGDETAILSOORT", "DEU"}, VeraCode{"SIGNALERINGDETAILSOORT", "DRU"},
    VeraCode{"SIGNALERINGDETAILSOORT", "FYS"}, VeraCode{"SIGNALERINGDETAILSOORT", "GEL"},
    VeraCode{"SIGNALERINGDETAILSOORT", "HEN"}, VeraCode{"SIGNALERINGDETAILSOORT", "INT"},
    VeraCode{"SIGNALERINGDETAILSOORT", "MUT"}, VeraCode{"SIGNALERINGDETAILSOORT", "ONA"},
    VeraCode{"SIGNALERINGDETAILSOORT", "OND"}, VeraCode{"SIGNALERINGDETAILSOORT", "PRO"},
    VeraCode{"SIGNALERINGDETAILSOORT", "RAC"}, VeraCode{"SIGNALERINGDETAILSOORT", "SCH"},
    VeraCode{"SIGNALERINGDETAILSOORT", "SEU"}, VeraCode{"SIGNALERINGDETAILSOORT", "VEB"},
    VeraCode{"SIGNALERINGDETAILSOORT", "VER"},
    VeraCode{"SIGNALERINGSTATUS", "ACT"}, VeraCode{"SIGNALERINGSTATUS", "PAS"}, VeraCode{"SIGNALERINGSTATUS", "VER"},
    VeraCode{"ZAAKTYPESOORT", "FIN"}, VeraCode{"ZAAKTYPESOORT", "LEE"}, VeraCode{"ZAAKTYPESOORT", "OMG"},
    VeraCode{"ZAAKTYPESOORT", "ORG"}, VeraCode{"ZAAKTYPESOORT", "SOC"}, VeraCode{"ZAAKTYPESOORT", "WOO"},
    VeraCode{"ZAAKTYPEDETAILSOORT", "AGR"}, VeraCode{"ZAAKTYPEDETAILSOORT", "BED"},
    VeraCode{"ZAAKTYPEDETAILSOORT", "BET"}, VeraCode{"ZAAKTYPEDETAILSOORT", "DIE"},
    VeraCode{"ZAAKTYPEDETAILSOORT", "DRU"}, VeraCode{"ZAAKTYPEDETAILSOORT", "GEL"},
    VeraCode{"ZAAKTYPEDETAILSOORT", "HAN"}, VeraCode{"ZAAKTYPEDETAILSOORT", "HEN"},
    VeraCode{"ZAAKTYPEDETAILSOORT", "HUA"}, VeraCode{"ZAAKTYPEDETAILSOORT", "HUR"},
    VeraCode{"ZAAKTYPEDETAILSOORT", "KLI"}, VeraCode{"ZAAKTYPEDETAILSOORT", "KME"},
    VeraCode{"ZAAKTYPEDETAILSOORT", "KSA"}, VeraCode{"ZAAKTYPEDETAILSOORT", "ONG"},
    VeraCode{"ZAAKTYPEDETAILSOORT", "ONR"}, VeraCode{"ZAAKTYPEDETAILSOORT", "ONV"},
    VeraCode{"ZAAKTYPEDETAILSOORT", "OVE"}, VeraCode{"ZAAKTYPEDETAILSOORT", "PSY"},
    VeraCode{"ZAAKTYPEDETAILSOORT", "RUZ"}, VeraCode{"ZAAKTYPEDETAILSOORT", "STA"},
    VeraCode{"ZAAKTYPEDETAILSOORT", "VAN"}, VeraCode{"ZAAKTYPEDETAILSOORT", "VER"},
    VeraCode{"ZAAKTYPEDETAILSOORT", "VUI"}, VeraCode{"ZAAKTYPEDETAILSOORT", "VUIL"},
    VeraCode{"ZAAKSTATUSSOORT", "AAN"}, VeraCode{"ZAAKSTATUSSOORT", "AFG"}, VeraCode{"ZAAKSTATUSSOORT", "GEA"},
    VeraCode{"ZAAKSTATUSSOORT", "GES"}, VeraCode{"ZAAKSTATUSSOORT", "INB"}, VeraCode{"ZAAKSTATUSSOORT", "INU"},
    VeraCode{"ZAAKROL", "ADV"}, VeraCode{"ZAAKROL", "BEH"}, VeraCode{"ZAAKROL", "BEK"}, VeraCode{"ZAAKROL", "BEL"},
    VeraCode{"ZAAKROL", "BES"}, VeraCode{"ZAAKROL", "INI"}, VeraCode{"ZAAKROL", "KLA"}, VeraCode{"ZAAKROL", "KLG"},
    VeraCode{"ZAAKROL", "MEL"}, VeraCode{"ZAAKROL", "OVE"}, VeraCode{"ZAAKROL", "ZAA"},
    VeraCode{"BETALINGSREGELINGSTATUS", "AAN"}, VeraCode{"BETALINGSREGELINGSTATUS", "ACT"},
    VeraCode{"BETALINGSREGELINGSTATUS", "ANN"}, VeraCode{"BETALINGSREGELINGSTATUS", "BEE"},
    VeraCode{"BETALINGSREGELINGSTATUS", "BEV"}, VeraCode{"BETALINGSREGELINGSTATUS", "VER"},
    VeraCode{"BETALINGSREGELINGEINDEREDEN", "AFB"}, VeraCode{"BETALINGSREGELINGEINDEREDEN", "ONI"},
    VeraCode{"BETALINGSREGELINGEINDEREDEN", "SAN"}, VeraCode{"BETALINGSREGELINGEINDEREDEN", "VOL"},
    VeraCode{"EXTERNEINCASSOSOORT", "DEU"}, VeraCode{"EXTERNEINCASSOSOORT", "INC"},
    VeraCode{"EXTERNEINCASSOSTATUS", "ACT"}, VeraCode{"EXTERNEINCASSOSTATUS", "EIN"},
    VeraCode{"EXTERNEINCASSOSTATUS", "NIE"},
    VeraCode{"HUUROPZEGGINGSTATUS", "AAN"}, VeraCode{"HUUROPZEGGINGSTATUS", "AFG"},
    VeraCode{"HUUROPZEGGINGSTATUS", "AFW"}, VeraCode{"HUUROPZEGGINGSTATUS", "GEA"},
    VeraCode{"HUUROPZEGGINGSTATUS", "GOE"}, VeraCode{"HUUROPZEGGINGSTATUS", "INB"},
    VeraCode{"REDENOPZEGGING", "ACC"}, VeraCode{"REDENOPZEGGING", "COR"}, VeraCode{"REDENOPZEGGING", "INB"},
    VeraCode{"REDENOPZEGGING", "OPZ"}, VeraCode{"REDENOPZEGGING", "OVE"}, VeraCode{"REDENOPZEGGING", "SAM"},
    VeraCode{"REDENOPZEGGING", "VER"},
    VeraCode{"OVEREENKOMSTSOORT", "ARB"}, VeraCode{"OVEREENKOMSTSOORT", "BET"}, VeraCode{"OVEREENKOMSTSOORT", "HUU"},
    VeraCode{"OVEREENKOMSTSOORT", "INH"}, VeraCode{"OVEREENKOMSTSOORT", "INS"}, VeraCode{"OVEREENKOMSTSOORT", "KOO"},
    VeraCode{"OVEREENKOMSTSOORT", "LEA"}, VeraCode{"OVEREENKOMSTSOORT", "MON"}, VeraCode{"OVEREENKOMSTSOORT", "OND"},
    VeraCode{"OVEREENKOMSTSOORT", "SER"},
    VeraCode{"OVEREENKOMSTSTATUS", "BEE"}, VeraCode{"OVEREENKOMSTSTATUS", "GEA"}, VeraCode{"OVEREENKOMSTSTATUS", "GOE"},
    VeraCode{"OVEREENKOMSTSTATUS", "LOP"}, VeraCode{"OVEREENKOMSTSTATUS", "ONT"}, VeraCode{"OVEREENKOMSTSTATUS", "OPG"},
    VeraCode{"OVEREENKOMSTSTATUS", "VER"}, VeraCode{"OVEREENKOMSTSTATUS", "VOO"}, VeraCode{"OVEREENKOMSTSTATUS", "VOP"},
    VeraCode{"EINDEREDEN", "ONT"}, VeraCode{"EINDEREDEN", "OPZ"}, VeraCode{"EINDEREDEN", "VER"},
    VeraCode{"EINDEDETAILREDEN", "FAI"}, VeraCode{"EINDEDETAILREDEN", "HER"}, VeraCode{"EINDEDETAILREDEN", "KOO"},
    VeraCode{"EINDEDETAILREDEN", "LEE"}, VeraCode{"EINDEDETAILREDEN", "NOO"}, VeraCode{"EINDEDETAILREDEN", "ONT"},
    VeraCode{"EINDEDETAILREDEN", "OVE"}, VeraCode{"EINDEDETAILREDEN", "PAS"}, VeraCode{"EINDEDETAILREDEN", "PER"},
    VeraCode{"EINDEDETAILREDEN", "REG"}, VeraCode{"EINDEDETAILREDEN", "TER"}, VeraCode{"EINDEDETAILREDEN", "TIJ"},
    VeraCode{"EINDEDETAILREDEN", "VER"}, VeraCode{"EINDEDETAILREDEN", "VOO"}, VeraCode{"EINDEDETAILREDEN", "WER"},
    VeraCode{"EINDEDETAILREDEN", "WIJ"}, VeraCode{"EINDEDETAILREDEN", "WON"},
    VeraCode{"ONDERHOUDSTAAKSTATUS", "CON"}, VeraCode{"ONDERHOUDSTAAKSTATUS", "GEP"},
    VeraCode{"ONDERHOUDSTAAKSTATUS", "GER"}, VeraCode{"ONDERHOUDSTAAKSTATUS", "GES"},
    VeraCode{"ONDERHOUDSTAAKSTATUS", "OND"}, VeraCode{"ONDERHOUDSTAAKSTATUS", "PAU"},
    VeraCode{"ONDERHOUDSTAAKSTATUS", "REI"}, VeraCode{"ONDERHOUDSTAAKSTATUS", "UIT"},
    VeraCode{"ONDERHOUDSTAAKSTATUS", "UWT"},
    VeraCode{"ONDERHOUDSTAAKDETAILSTATUS", "AFW"}, VeraCode{"ONDERHOUDSTAAKDETAILSTATUS", "DIS"},
    VeraCode{"ONDERHOUDSTAAKDETAILSTATUS", "INS"}, VeraCode{"ONDERHOUDSTAAKDETAILSTATUS", "MAT"},
    VeraCode{"ONDERHOUDSTAAKDETAILSTATUS", "OFF"}, VeraCode{"ONDERHOUDSTAAKDETAILSTATUS", "ONV"},
};

// SIGNALERINGSOORT/SIGNALERINGDETAILSOORT pairs Hearth has a detail code for. Every other
// detail of a soort maps to the soort alone.
struct DetailMapping {
  std::string_view soort, detail;
};
constexpr std::array kSignaleringDetails = {
    DetailMapping{"SCH", "BET"}, DetailMapping{"SCH", "DEU"}, DetailMapping{"SCH", "MUT"},
    DetailMapping{"OVE", "GEL"}, DetailMapping{"ONE", "VER"}, DetailMapping{"ONE", "DRU"},
    DetailMapping{"ONE", "HEN"}, DetailMapping{"ONE", "OND"}, DetailMapping{"AGR", "VEB"},
    DetailMapping{"AGR", "FYS"}, DetailMapping{"ONB", "AMB"},
};

// ZAAKTYPESOORT/ZAAKTYPEDETAILSOORT -> signal; "*" as detail: any other detail of the soort.
struct ZaaktypeMapping {
  std::string_view soort, detail;
  SignalCode signal;
};
constexpr std::array kZaaktypes = {
    ZaaktypeMapping{"FIN", "HUA", {"SCH", "BET", "finance"}}, // rent arrears
    ZaaktypeMapping{"FIN", "BET", {"X-BTR", "", "finance"}},  // payment arrangement
    ZaaktypeMapping{"SOC", "GEL", {"OVE", "GEL", "nuisance"}},
    ZaaktypeMapping{"SOC", "RUZ", {"OVE", "", "nuisance"}},
    ZaaktypeMapping{"SOC", "STA", {"OVE", "", "nuisance"}},
    ZaaktypeMapping{"SOC", "DIE", {"OVE", "", "nuisance"}},
    ZaaktypeMapping{"SOC", "VAN", {"OVE", "", "nuisance"}},
    ZaaktypeMapping{"SOC", "ONV", {"OVE", "", "nuisance"}},
    ZaaktypeMapping{"SOC", "OVE", {"OVE", "", "nuisance"}},
    ZaaktypeMapping{"SOC", "AGR", {"AGR", "", "nuisance"}},
    ZaaktypeMapping{"SOC", "DRU", {"ONE", "DRU", "nuisance"}},
    ZaaktypeMapping{"SOC", "HEN", {"ONE", "HEN", "nuisance"}},
    ZaaktypeMapping{"SOC", "VUI", {"ONE", "VER", "nuisance"}},
    ZaaktypeMapping{"SOC", "VUIL", {"ONE", "VER", "nuisance"}},
    ZaaktypeMapping{"SOC", "ONG", {"ONE", "VER", "nuisance"}},
    ZaaktypeMapping{"SOC", "PSY", {"ONB", "", "care"}},
    ZaaktypeMapping{"SOC", "VER", {"ONB", "", "care"}},
    ZaaktypeMapping{"SOC", "*", {"OVE", "", "nuisance"}},
    ZaaktypeMapping{"OMG", "*", {"OVE", "", "nuisance"}},
    ZaaktypeMapping{"LEE", "*", {"OVE", "", "nuisance"}},
    ZaaktypeMapping{"WOO", "ONR", {"ONE", "OND", "housing"}},
    ZaaktypeMapping{"WOO", "*", {"ONE", "", "nuisance"}},
};

std::string_view signalering_class(std::string_view soort) {
  if (soort == "SCH") {
    return "finance";
  }
  if (soort == "ONB") {
    return "care";
  }
  return "nuisance";
}

} // namespace

std::span<const VeraCode> known_vera_codes() { return kKnownCodes; }

bool is_vera_code(std::string_view list, std::string_view code) {
  for (const auto &entry : kKnownCodes) {
    if (entry.list == list && entry.code == code) {
      return true;
    }
  }
  return false;
}

SignalCode signalering_signal(std::string_view soort, std::string_view detail) {
  for (const auto &entry : kSignaleringDetails) {
    if (entry.soort == soort && entry.detail == detail) {
      // Subletting is a housing matter, not nuisance (docs/data.md).
      return {entry.soort, entry.detail, entry.detail == "OND" ? "housing" : signalering_class(soort)};
    }
  }
  for (const auto &entry : kKnownCodes) {
    if (entry.list == "SIGNALERINGSOORT" && entry.code == soort) {
      return {entry.code, "", signalering_class(soort)};
    }
  }
  return {soort, "", signalering_class(soort)};
}

std::optional<SignalCode> zaaktype_signal(std::string_view soort, std::string_view detail) {
  for (const auto &entry : kZaaktypes) {
    if (entry.soort == soort && entry.detail == detail) {
      return entry.signal;
    }
  }
  for (const auto &entry : kZaaktypes) {
    if (entry.soort == soort && entry.detail == "*") {
      return entry.signal;
    }
  }
  return std::nullopt; // FIN without HUA/BET (e.g. HUR rent increase), ORG complaints
}

SignalCode externe_incasso_signal(std::string_view soort) {
  return soort == "DEU" ? SignalCode{"SCH", "DEU", "finance"} : SignalCode{"SCH", "", "finance"};
}

} // namespace hearth::adapters::vera
