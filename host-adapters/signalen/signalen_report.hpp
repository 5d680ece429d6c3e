// A neighbour's nuisance report from Signalen (Amsterdam's open-source system for public
// reports; shapes in fixtures/signalen/*.json), read and checked, and turned into a Hearth
// signal once its address is linked to a unit. The reporter's contact details are read
// only to derive a pseudonymous reporter id; they are never stored or sent on. Part of
// hearth_adapter_signalen. Since 0.1.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "adapter_common/adapter.hpp"
#include "adapter_common/json_fields.hpp"
#include "adapter_common/parsed_batch.hpp"

namespace hearth::adapters::signalen {

// The address of the report, as Signalen sends it (location.address).
struct ReportAddress {
  std::string openbare_ruimte;       // the street
  std::int64_t huisnummer = 0;       // > 0
  std::string huisletter;            // "" when none
  std::string toevoeging;            // huisnummer_toevoeging, "" when none
  std::string postcode;              // normalised: "1011PN"
  std::string woonplaats;

  // The entrance as Hearth's units hold it: huisletter and toevoeging joined with '-'
  // ("A", "A-2", "2"), "" when neither is given.
  std::string entrance() const;
};

// What Hearth keeps of a report, and what it needs to link and follow it.
struct Report {
  std::string signalen_id;     // Signalen's id when the report carries one ("" otherwise)
  std::string external_id;     // the idempotency key: "signalen:<id>" or "sha256:<32 hex>"
  std::string category;        // "<main slug>/<sub slug>"
  std::string buurt_code;      // "" when absent
  ReportAddress address;
  std::int64_t occurred_at_ms = 0; // incident_date_start
  bool sharing_allowed = false;    // reporter.sharing_allowed
  std::string reporter_user;       // pseudonymous, see reporter_pseudonym()
};

// How reports become signals, from the adapter's settings.
struct ReportRules {
  // Category "<main>/<sub>" (or "<main>/*" for every sub) -> "TYPE[/DETAIL]"; only
  // nuisance and housing signal types (OVE, ONE, AGR, WAN) are allowed.
  std::map<std::string, std::string> categories;
  std::string reporter_key; // HMAC key of the reporter pseudonym; required
};

// Reads the rules from `context` settings: "signalen.categories" as
// "<main>/<sub>=<TYPE>[/<DETAIL>]" entries separated by whitespace or ',', and
// "signalen.reporter_key". Throws std::invalid_argument naming the setting and entry.
ReportRules read_report_rules(const ParseContext &context);

// Reads one report (a JSON object at `path`). Throws FieldProblem naming the field for: a
// missing or empty text; a missing category or one given neither as sub_category URL nor
// as main_slug + sub_slug, or one the rules do not map ("is not a category this adapter
// maps"); a missing location, address, postcode (or one that is not a Dutch postcode),
// huisnummer (or not a positive whole number); a wrong type anywhere it reads;
// incident_date_start missing, unreadable, in the future or before 2000; a
// reporter.sharing_allowed that is not a boolean; an id that is not a positive integer.
Report read_report(const Poco::Dynamic::Var &value, const std::string &path, const ReportRules &rules,
                   const ParseContext &context);

// The pseudonymous user id of a reporter: "signalen-melder:<32 hex>" — a keyed hash
// (HMAC-SHA-256 with `key`) of the lower-cased e-mail address — when the reporter allows
// sharing and gave an address, so that one neighbour's reports share one id; otherwise
// "signalen-melding:<32 hex>" derived from the report's own key, which lets the reporter
// follow only that report.
std::string reporter_pseudonym(const std::string &key, const std::string &email, bool sharing_allowed,
                               const std::string &external_id);

// Where a report's address is looked up: the unit's current tenancy, or nullopt when no
// unit has the address (or it has no current tenancy). Throws std::runtime_error when the
// lookup itself fails.
struct UnitMatch {
  std::string unit_id;
  std::string tenancy_id; // "" when the unit has no current tenancy
};
using AddressLookup = std::function<std::optional<UnitMatch>(const ReportAddress &address)>;

// Turns a report into a signal for `match`: type/detail from the rules, the tenancy, the
// reporter, the nuisance legal basis and the context's purpose. Throws FieldProblem
// ("location.address", "matches no unit Hearth knows" / "the unit has no current tenancy").
OwnedSignal report_signal(const Report &report, const std::optional<UnitMatch> &match, const ReportRules &rules,
                          const ParseContext &context, const std::string &path);

// Reads a document (one report or an array of reports) into a batch with `lookup`. Never
// throws for bad input: every refused report is a Rejection naming its field.
ParsedBatch parse_signalen_reports(std::string_view document, const ParseContext &context, const AddressLookup &lookup);

// An AddressLookup through context.read (the runtime's view "unit.by-address"), or an
// empty one when the context has no runtime. The returned lookup borrows `context`.
AddressLookup lookup_through(const ParseContext &context);

// The ParseDocumentFn of the "signalen" adapter (`hearth ingest --adapter signalen`):
// addresses are looked up through context.read; without it every report is refused with
// field "location.address". A failing lookup refuses the document naming that field.
ParsedBatch parse_signalen_document(std::string_view document, const ParseContext &context);

// The "signalen" adapter for the adapter registry.
const Adapter &signalen_adapter();

} // namespace hearth::adapters::signalen
