// The plugins' refusals in the page's language: a table of the reasons the plugins give
// (coordinator-handoff, early-warning, the runtime's views) with their Dutch wording.
#include "error_texts.hpp"

#include <cctype>
#include <regex>
#include <utility>
#include <vector>

#include <hearth/status.h>

namespace hearth::dashboards {
namespace {

// One known reason (the text after "<field>: "): its English form as a pattern and the
// Dutch text, where $1, $2 ... repeat the pattern's groups (values, never translated).
struct KnownReason {
  std::regex english;
  const char *dutch;
};

std::vector<KnownReason> make_table(std::initializer_list<std::pair<const char *, const char *>> entries) {
  std::vector<KnownReason> table;
  table.reserve(entries.size());
  for (const auto &[english, dutch] : entries) table.push_back({std::regex(english), dutch});
  return table;
}

// Validation failures (HEARTH_ERROR_INVALID_ARGUMENT).
const std::vector<KnownReason> &validation_reasons() {
  static const std::vector<KnownReason> table = make_table({
      {"missing", "ontbreekt"},
      {"missing: every decision on a flag needs a reason",
       "ontbreekt: elke beslissing over een signaal heeft een reden nodig"},
      {"empty: every decision on a flag needs a reason", "is leeg: elke beslissing over een signaal heeft een reden nodig"},
      {"missing: a decline needs a reason", "ontbreekt: wie afwijst, geeft een reden"},
      {"missing: every revision of a decision needs a reason",
       "ontbreekt: elke herziening van een besluit heeft een reden nodig"},
      {"empty: every revision of a decision needs a reason",
       "is leeg: elke herziening van een besluit heeft een reden nodig"},
      {"missing: the number of the decision this one revises \\(the flag's latest\\)",
       "ontbreekt: het nummer van het besluit dat u herziet (het laatste besluit over het signaal)"},
      {"the flag is \\S+( at \\S+)? already; a revision changes the decision",
       "dit is al het huidige besluit over het signaal; een herziening verandert het besluit"},
      {"a first decision revises nothing; use flag\\.decide", "een eerste besluit herziet niets"},
      {"missing: say what happened", "ontbreekt: vertel wat er gebeurde"},
      {"missing: give consent and/or may_see", "ontbreekt: geef toestemming en/of may_see"},
      {"missing: .*", "ontbreekt"},
      {"missing or not a list", "ontbreekt of is geen lijst"},
      {"empty", "is leeg"},
      {"empty: .*", "is leeg"},
      {"must not be empty", "mag niet leeg zijn"},
      {"longer than ([0-9]+) (bytes|characters)", "is langer dan $1 tekens"},
      {"is not one of (.*)", "is niet een van: $1"},
      {"'(.*)' is not one of (.*)", "'$1' is niet een van: $2"},
      {"'(.*)' is not a date like (.*)", "'$1' is geen datum zoals $2"},
      {"is not a date like (.*)", "is geen datum zoals $1"},
      {"must be a whole number", "moet een geheel getal zijn"},
      {"not a whole number", "is geen geheel getal"},
      {"(-?[0-9]+) is not from (-?[0-9]+) to (-?[0-9]+)", "$1 ligt niet tussen $2 en $3"},
      {"'(.*)' is not a whole number", "'$1' is geen geheel getal"},
      {"(-?[0-9]+) is outside (-?[0-9]+)\\.\\.(-?[0-9]+)", "$1 ligt buiten $2..$3"},
      {"must be true or false", "moet waar of onwaar zijn (true of false)"},
      {"must be a string", "moet tekst zijn"},
      {"must be an object|must be an array|must be an array of strings|not a JSON object|must be a JSON object",
       "heeft niet de verwachte vorm"},
      {"not valid JSON .*", "is geen geldige JSON"},
      {"may hold only letters, digits and (.*)", "mag alleen letters, cijfers en $1 bevatten"},
      {"may hold only letters and digits", "mag alleen letters en cijfers bevatten"},
      {"looks like a BSN; use a pseudonymous id", "lijkt op een BSN; gebruik een pseudoniem"},
      {"contains control characters", "bevat stuurtekens"},
      {"must be a number from 1, optionally with a letter or addition \\((.*)\\)",
       "moet een nummer vanaf 1 zijn, eventueel met een letter of toevoeging ($1)"},
      {"is not a Dutch postcode \\(four digits and two letters, e\\.g\\. (.*)\\)",
       "is geen Nederlandse postcode (vier cijfers en twee letters, bijvoorbeeld $1)"},
      {"no rented home of ours at this postcode and house number",
       "op deze postcode en dit huisnummer verhuren wij geen woning"},
      {"must be 8 to 64 letters, digits, '-' or '_'", "moet 8 tot 64 letters, cijfers, '-' of '_' zijn"},
      {"a (\\S+) may not own a case \\(handoff\\.ini owner_roles\\)", "een $1 kan geen eigenaar van een zaak zijn"},
      {"the case cannot be offered to its own owner", "de zaak kan niet aan haar eigen eigenaar worden aangeboden"},
      {"must lie after (\\S+).*", "moet na $1 liggen"},
      {"must not be before (?:args\\.)?(.*)", "mag niet vóór $1 liggen"},
      {"(\\S+) lies in the future", "$1 ligt in de toekomst"},
      {"only an override sets a level", "alleen bij overrulen kiest u een niveau"},
      {"'(.*)' is the flag's own level; accept it instead", "'$1' is het eigen niveau van het signaal; accepteer het dan"},
      {"a closed report gets no further update", "een afgesloten melding krijgt geen nieuw bericht meer"},
  });
  return table;
}

// Conflicts (HEARTH_ERROR_CONFLICT): the record changed meanwhile, or a form came twice.
const std::vector<KnownReason> &conflict_reasons() {
  static const std::vector<KnownReason> table = make_table({
      {"the case is closed", "de zaak is gesloten"},
      {"the offer is accepted, no longer open", "het aanbod is al geaccepteerd en staat niet meer open"},
      {"the offer is declined, no longer open", "het aanbod is al afgewezen en staat niet meer open"},
      {"the offer is withdrawn, no longer open", "het aanbod is al ingetrokken en staat niet meer open"},
      {"the offer is (\\S+), no longer open", "het aanbod staat niet meer open ($1)"},
      {"this tenancy already has an open case", "deze huurovereenkomst heeft al een open zaak"},
      {"the tenancy has another open case", "de huurovereenkomst heeft al een andere open zaak"},
      {"'(.*)' cannot start from state '(.*)'", "'$1' kan niet vanuit de fase '$2'"},
      {"already in this case's network", "staat al in het netwerk van deze zaak"},
      {"the case already has an open offer; withdraw it first", "de zaak heeft al een open aanbod; trek dat eerst in"},
      {"the consult is already answered", "de consultvraag is al beantwoord"},
      {"the action is already (\\S+)", "de afspraak is al afgerond ($1)"},
      {"fully booked on (.*)", "vol op $1"},
      {"the reservation is (\\S+)", "de reservering is al $1"},
      {"was used before for a different report",
       "dit formulier is al eens verstuurd met andere gegevens; vul het opnieuw in en verstuur het"},
      {"already decided", "hierover is al besloten"},
      {"not decided yet; decide on it with flag\\.decide", "hierover is nog niet besloten"},
      {"decision ([0-9]+) is not its latest; the latest is ([0-9]+)",
       "besluit $1 is niet het laatste; het laatste is $2 (iemand was u voor; laad de pagina opnieuw)"},
      {"decision ([0-9]+) was revised meanwhile; read the flag again",
       "besluit $1 is intussen herzien (iemand was u voor; laad de pagina opnieuw)"},
  });
  return table;
}

// Function-level refusals (HEARTH_ERROR_DENIED) that name what the person may not do.
const std::vector<KnownReason> &refusal_reasons() {
  static const std::vector<KnownReason> table = make_table({
      {"only the case owner may (.*)", "alleen de eigenaar van de zaak mag dit"},
      {"only the case owner or the mandate holder may (.*)",
       "alleen de eigenaar van de zaak of de doorzettingsmacht mag dit"},
      {"only the case's mandate holder decides.*", "alleen de doorzettingsmacht van de zaak beslist, op het hoogste niveau"},
      {"only a case member (.*)", "alleen wie aan de zaak werkt, mag dit"},
      {"the case owner (.*)", "dit doet de eigenaar van de zaak"},
      {"may not file nuisance reports", "mag geen overlastmeldingen doen"},
  });
  return table;
}

std::string translated(const std::vector<KnownReason> &table, const std::string &english, const std::string &fallback) {
  for (const auto &known : table) {
    std::smatch match;
    if (std::regex_match(english, match, known.english)) return match.format(known.dutch);
  }
  return fallback;
}

bool is_field_name(const std::string &text) {
  if (text.empty() || text.size() > 64) return false;
  for (const unsigned char c : text) {
    if (std::isalnum(c) == 0 && c != '_' && c != '.' && c != '[' && c != ']') return false;
  }
  return true;
}

} // namespace

std::string field_of_reason(const std::string &reason) {
  const auto colon = reason.find(": ");
  if (colon == std::string::npos) return "";
  std::string field = reason.substr(0, colon);
  if (!is_field_name(field)) return "";
  if (field.rfind("args.", 0) == 0) field.erase(0, 5);
  return field;
}

std::string error_text(std::int32_t status, const std::string &reason, const std::string &lang) {
  const bool english = lang == "en";
  const std::string field = field_of_reason(reason);
  // The reason without its field; a reason like "flag 'x': already decided" keeps its end.
  std::string rest = reason;
  if (const auto colon = reason.find(": "); colon != std::string::npos) {
    if (!field.empty() || reason.rfind("flag '", 0) == 0) rest = reason.substr(colon + 2);
  }
  const std::string prefix = field.empty() ? "" : field + ": ";
  switch (status) {
  case HEARTH_ERROR_INVALID_ARGUMENT:
    if (english) return prefix + (rest.empty() ? "this value is not valid" : rest);
    return prefix + translated(validation_reasons(), rest, "deze waarde is niet geldig");
  case HEARTH_ERROR_CONFLICT:
    if (english) {
      return prefix + (rest.empty() ? "this cannot be done now: the data changed meanwhile; reload the page" : rest);
    }
    return prefix + translated(conflict_reasons(), rest,
                               "dit kan nu niet: de gegevens zijn intussen veranderd; laad de pagina opnieuw");
  case HEARTH_ERROR_NOT_FOUND:
    // Never the plugin's words: a missing and a forbidden record must read alike.
    return prefix + (english ? "not found (or not yours to see)" : "niet gevonden (of niet voor u zichtbaar)");
  case HEARTH_ERROR_DENIED:
    if (english) return prefix + (field.empty() ? "you may not do this" : rest);
    return prefix + (field.empty() ? "dat mag u niet doen" : translated(refusal_reasons(), rest, "dat mag u niet doen"));
  default:
    // Internal and unavailable: the plugin's words may say too much and help nobody.
    return english ? "That did not work now. Please try again later." : "Dat lukte nu niet. Probeer het later opnieuw.";
  }
}

} // namespace hearth::dashboards
