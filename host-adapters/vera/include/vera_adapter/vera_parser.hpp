// The VERA adapter's parser: VERA JSON messages (Aedes VERA OpenAPI 4.x) in, canonical
// signals and reference records out. Pure: no storage, no logging, no network. Since 0.1.
//
// What it reads, and what becomes of it (docs/integrators/adapter-guide.md, "The VERA adapter", has the full table):
//   signaleringen        Signalering (Relaties)            -> a signal (SIGNALERINGSOORT)
//   zaken                Zaak with rollen, zaakstatussen (BDO) -> a signal (ZAAKTYPE...)
//   overeenkomsten       Overeenkomst (BOG), Huurovereenkomst -> a tenancy record (+ eviction outcome)
//   betalingsregelingen  Betalingsregeling (INC)           -> X-BTR / X-BTR VBR
//   externe-incassos     ExterneIncasso (INC)              -> SCH / SCH DEU
//   huuropzeggingen      Huuropzegging (VHE)               -> a notice_to_quit outcome
//   onderhoudsorders     Onderhoudsorder (OHD), tasks interrupted because the tenant was
//                        not there (ONDERHOUDSTAAKDETAILSTATUS AFW) -> X-REP
#pragma once

#include <span>
#include <string_view>

#include "adapter_common/adapter.hpp"

namespace hearth::adapters::vera {

// One VERA resource the adapter reads.
struct VeraResource {
  std::string_view path;        // the VERA API path segment: "signaleringen"
  std::string_view name;        // the entity: "Signalering" (names fields in errors)
  std::string_view schema_file; // the OpenAPI file in fixtures/vera: "Relaties.yaml"
  std::string_view schema;      // the message schema there: "Signaleringbericht"
};

// Every resource, in the order above.
std::span<const VeraResource> vera_resources();

// The resource with API path segment `path`, or nullptr.
const VeraResource *find_vera_resource(std::string_view path);

// Parses one message of `resource` (one JSON object: what VERA POSTs to that resource).
// Field names in rejections start with the entity name ("Signalering.soort.code").
ParsedBatch parse_vera_message(const VeraResource &resource, std::string_view body, const ParseContext &context);

// Parses a file: a JSON object whose keys are resource paths and whose values are arrays of
// messages, e.g. {"signaleringen":[{...}], "zaken":[{...}]}. Field names in rejections start
// with the path and index ("zaken[2].zaaktype.soort.code").
ParsedBatch parse_vera_document(std::string_view document, const ParseContext &context);

// The adapter for `hearth ingest --adapter vera` (parse_vera_document).
const Adapter &vera_adapter();

// The setting naming the extra-attribuut of a Signalering that holds its tenancy (VERA's
// Signalering refers to a relatie, not to a huurovereenkomst); default "huurovereenkomst".
inline constexpr const char *kTenancyAttributeSetting = "vera.tenancy_attribute";

} // namespace hearth::adapters::vera
