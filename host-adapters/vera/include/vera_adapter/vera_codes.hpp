// The VERA code lists the VERA adapter reads, and how their codes map to Hearth's own
// signal table (plugin-api/src/data/signal_types.cpp; docs/data.md "Signal types") and to
// reference records. The codes are VERA's (Referentiedata, CC0); only the lists the adapter
// reads are held here, and tests/adapters/vera checks each against the fixtures'
// Referentiedata.csv. Since 0.1.
#pragma once

#include <optional>
#include <span>
#include <string_view>

namespace hearth::adapters::vera {

// One VERA code list entry that the adapter knows: the list ("Soort") and the code.
struct VeraCode {
  std::string_view list; // "SIGNALERINGSOORT"
  std::string_view code; // "SCH"
};

// Every code of every list below, for conformance tests.
std::span<const VeraCode> known_vera_codes();

// True when `code` belongs to VERA code list `list` (as far as the adapter reads it).
bool is_vera_code(std::string_view list, std::string_view code);

// A canonical signal type with its data class (the class picks the legal basis).
struct SignalCode {
  std::string_view type;       // "SCH"
  std::string_view detail;     // "BET" or ""
  std::string_view data_class; // "finance"
};

// A Signalering's soort (SIGNALERINGSOORT) and detailSoort (SIGNALERINGDETAILSOORT, may be
// empty) as a signal. Every SIGNALERINGSOORT maps; a detail Hearth has no code for maps to
// the soort alone. Callers check is_vera_code first.
SignalCode signalering_signal(std::string_view soort, std::string_view detail);

// A Zaak's zaaktype (ZAAKTYPESOORT, ZAAKTYPEDETAILSOORT) as a signal, or nothing for case
// types that say nothing about a tenancy at risk (complaints about the organisation, rent
// increases).
std::optional<SignalCode> zaaktype_signal(std::string_view soort, std::string_view detail);

// EXTERNEINCASSOSOORT as a signal: DEU (bailiff) -> SCH/DEU, INC (collection agency) -> SCH.
SignalCode externe_incasso_signal(std::string_view soort);

} // namespace hearth::adapters::vera
