// A zaak from the Zaken API 1.5 (`Zaak` in fixtures/zgw/zaken-api-1.5.1.yaml) turned into
// a Hearth signal: which zaaktypes matter (configuration), which tenancy the zaak is about
// (a `kenmerken` entry), and when it started. Part of hearth_adapter_zgw. Since 0.1.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "adapter_common/adapter.hpp"
#include "adapter_common/json_fields.hpp"
#include "adapter_common/parsed_batch.hpp"

namespace hearth::adapters::zgw {

// What one relevant zaaktype becomes.
struct ZaaktypeRule {
  std::string type;       // a code of the product's signal table, e.g. "SCH", "ONB"
  std::string detail;     // its detail code, or ""
  std::string data_class; // the type's data class ("finance", "nuisance", "care", ...)
};

// Which zaken become signals, from the adapter's settings.
struct ZaakMapping {
  std::map<std::string, ZaaktypeRule> zaaktypes; // by zaaktype URL (exact)
  // The `bron` of the zaak kenmerk whose `kenmerk` is the Hearth tenancy id.
  std::string tenancy_bron = "hearth:tenancy";
};

// Reads the mapping from `context` settings:
//   zgw.zaaktypes     "<zaaktype URL>=<TYPE>[/<DETAIL>]" entries separated by whitespace or
//                     ',' (e.g. "https://catalogi.example/api/v1/zaaktypen/7f3c=SCH/BET")
//   zgw.tenancy_bron  the kenmerk bron naming the tenancy (default "hearth:tenancy")
// Throws std::invalid_argument naming the setting and the entry at fault: an entry
// without '=', a URL that is not absolute http(s), a type that is not in the product's
// signal table (docs/data.md), the same URL twice. An empty zgw.zaaktypes maps nothing.
ZaakMapping read_zaak_mapping(const ParseContext &context);

// What became of one zaak.
struct ZaakOutcome {
  std::optional<OwnedSignal> signal; // set when the zaaktype is mapped
  std::string zaak_uuid;             // always set when parsing succeeded
};

// Reads one zaak (a JSON object at `path`, e.g. "Zaak" or "results[3]") and maps it.
// A zaak of an unmapped zaaktype gives no signal (not an error). For a mapped one: the
// signal's external id is the zaak's uuid, it occurred at `startdatum` (midnight UTC),
// its tenancy is the kenmerk with bron mapping.tenancy_bron. Throws FieldProblem for: a
// missing or mistyped required field (url, uuid, zaaktype, startdatum, bronorganisatie),
// a uuid that is not a UUID, URLs that are not absolute http(s), a `bronorganisatie` that
// is not an RSIN passing the elfproef, a `startdatum` in the future or before 2000, and,
// for a mapped zaaktype, no tenancy kenmerk, or one whose kenmerk looks like a BSN.
ZaakOutcome read_zaak(const Poco::Dynamic::Var &zaak, const std::string &path, const ZaakMapping &mapping,
                      const ParseContext &context);

// The ParseDocumentFn of the "zgw" adapter (`hearth ingest --adapter zgw`): a document is
// one zaak, an array of zaken, or a page of GET /zaken ({"count":..,"results":[..]}).
// Each zaak is one item; a refused zaak is a Rejection naming its field. Never throws.
ParsedBatch parse_zgw_document(std::string_view document, const ParseContext &context);

// The "zgw" adapter for the adapter registry (adapter_common/adapter.hpp).
const Adapter &zgw_adapter();

// The data class of a signal type of the product's table (docs/data.md), e.g. "SCH" ->
// "finance", "ONE"/"OND" -> "housing"; "" for a type the table does not have.
std::string signal_data_class(std::string_view type, std::string_view detail);

} // namespace hearth::adapters::zgw
