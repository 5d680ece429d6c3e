#include "data/signal_types.hpp"

namespace hearth::data {

const std::vector<SignalType> &signal_types() {
  // Codes and Dutch names from VERA's reference data (Referentiedata, CC0), where
  // from_vera is true; the English names are ours.
  static const std::vector<SignalType> table = {
      {"SCH", "", "Huurschuld", "Rent debt", "finance", true},
      {"SCH", "BET", "Betalingsachterstand", "Rent arrears (missed payments)", "finance", true},
      {"SCH", "DEU", "Deurwaarder", "Bailiff engaged for rent debt", "finance", true},
      {"SCH", "MUT", "Mutatieschade", "Damage found at end of tenancy", "finance", true},
      {"OVE", "", "Overlast", "Nuisance", "nuisance", true},
      {"OVE", "GEL", "Geluidsoverlast", "Noise nuisance", "nuisance", true},
      {"ONE", "", "Oneigenlijk gebruik woning", "Improper use of the home", "nuisance", true},
      {"ONE", "VER", "Vervuiling", "Pollution or hoarding", "nuisance", true},
      {"ONE", "DRU", "Drugshandel", "Drug dealing", "nuisance", true},
      {"ONE", "HEN", "Hennepkwekerij", "Cannabis farm", "nuisance", true},
      {"ONE", "OND", "Onderverhuur", "Unauthorised subletting", "housing", true},
      {"AGR", "", "Agressie", "Aggression", "nuisance", true},
      {"AGR", "VEB", "Verbaal", "Verbal aggression", "nuisance", true},
      {"AGR", "FYS", "Fysiek", "Physical aggression", "nuisance", true},
      {"WAN", "", "Wangedrag naar medewerkers", "Misbehaviour towards staff", "nuisance", true},
      {"ONB", "", "Ondersteuningsbehoefte", "Support need", "care", true},
      {"ONB", "AMB", "Ambulante begeleiding", "Ambulatory support", "care", true},
      {"X-REP", "", "Reparatie zonder toegang", "Repair visit without access", "housing", false},
      {"X-AFS", "", "Gemiste afspraak", "Missed appointment", "contact", false},
      {"X-BTR", "", "Betalingsregeling", "Payment arrangement", "finance", false},
      {"X-BTR", "VBR", "Betalingsregeling verbroken", "Payment arrangement broken", "finance", false},
  };
  return table;
}

const SignalType *find_signal_type(std::string_view type, std::string_view detail) {
  for (const auto &entry : signal_types()) {
    if (type == entry.type && detail == entry.detail) {
      return &entry;
    }
  }
  return nullptr;
}

} // namespace hearth::data
