// The operations that account for the algorithm: the backtest on the labelled history
// (in parts, so that a caller can show progress, then merged into one report) and the
// algorithm-register entry for the running configuration.
#include <cmath>
#include <cstdint>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include "engine/backtest.hpp"
#include "hearth/early_warning.h"
#include "plugin/core_data.hpp"
#include "plugin/early_warning_plugin.hpp"
#include "plugin/json_args.hpp"

namespace hearth::early_warning {
namespace {

std::int64_t date_arg(const JsonArgs &args, const char *name) {
  const std::string text = args.text(name);
  try {
    return parse_date_ms(text);
  } catch (const std::invalid_argument &e) {
    throw Error(HEARTH_ERROR_INVALID_ARGUMENT, std::string("args.") + name + ": " + e.what());
  }
}

Poco::JSON::Object::Ptr rule_set_json(const RuleSet &rules) {
  Poco::JSON::Object::Ptr out = new Poco::JSON::Object;
  out->set("name", rules.name);
  out->set("version", rules.version);
  out->set("sha256", rules.sha256);
  return out;
}

std::string number_text(double value) {
  std::string text = std::to_string(value);
  text.erase(text.find_last_not_of('0') + 1);
  if (!text.empty() && text.back() == '.') {
    text.pop_back();
  }
  return text;
}

} // namespace

std::string EarlyWarningPlugin::backtest(const hearth_actor &actor, const std::string &args_json) {
  const JsonArgs args(args_json);
  const std::string from_text = args.text("from");
  const std::string to_text = args.text("to");
  const std::int64_t from_ms = date_arg(args, "from");
  const std::int64_t to_ms = date_arg(args, "to") + 86'400'000; // the whole last day
  if (to_ms <= from_ms) {
    throw Error(HEARTH_ERROR_INVALID_ARGUMENT, "args.to: must not be before args.from");
  }
  const std::int64_t parts = args.integer_or("parts", 1, 1, 10'000);
  const std::int64_t part = args.integer_or("part", 0, 0, parts - 1);
  const std::int64_t top_k = args.integer_or("top_k", 0, 0, 100'000'000);
  const std::string objects = "backtest:" + from_text + ".." + to_text;
  require_role(actor, {HEARTH_ROLE_AUDITOR, HEARTH_ROLE_ADMINISTRATOR}, HEARTH_ACTION_SEARCH, objects);

  const auto rules = current_rules();
  Evidence evidence;
  evidence.amber_from = static_cast<std::int64_t>(std::ceil(rules->amber_from));
  evidence.red_from = static_cast<std::int64_t>(std::ceil(rules->red_from));
  const auto labelled = outcomes(host_);
  for (std::size_t i = static_cast<std::size_t>(part); i < labelled.size(); i += static_cast<std::size_t>(parts)) {
    const auto &outcome = labelled[i];
    LabelledHistory history;
    history.tenancy_id = outcome.tenancy_id;
    history.neighbourhood = neighbourhood_of(host_, outcome.tenancy_id).value_or("");
    history.outcome = outcome.outcome;
    try {
      history.decided_ms = parse_date_ms(outcome.decided_on);
    } catch (const std::invalid_argument &) {
      continue; // the data core validates dates; a bad one would not count
    }
    history.signals = signals_of(host_, outcome.tenancy_id, static_cast<std::uint64_t>(INT64_MAX));
    evidence.add(history, judge(*rules, history, from_ms, to_ms));
  }
  access_->record(actor, HEARTH_ACTION_SEARCH, objects, false);

  Poco::JSON::Object answer;
  answer.set("rule_set", rule_set_json(*rules));
  answer.set("from", from_text);
  answer.set("to", to_text);
  answer.set("part", part);
  answer.set("parts", parts);
  answer.set("tenancies", labelled.size());
  answer.set("evidence", evidence.to_json());
  answer.set("report", backtest_report(evidence, top_k));
  return to_json_text(answer);
}

std::string EarlyWarningPlugin::backtest_merge(const hearth_actor &actor, const std::string &args_json) {
  const JsonArgs args(args_json);
  require_role(actor, {HEARTH_ROLE_AUDITOR, HEARTH_ROLE_ADMINISTRATOR}, HEARTH_ACTION_SEARCH, "backtest:report");
  const std::int64_t top_k = args.integer_or("top_k", 0, 0, 100'000'000);
  if (!args.has("evidence") || args.object()->get("evidence").type() != typeid(Poco::JSON::Array::Ptr)) {
    throw Error(HEARTH_ERROR_INVALID_ARGUMENT, "args.evidence: missing or not a list");
  }
  const auto list = args.object()->getArray("evidence");
  if (list->size() == 0) {
    throw Error(HEARTH_ERROR_INVALID_ARGUMENT, "args.evidence: empty");
  }
  Evidence merged;
  for (std::size_t i = 0; i < list->size(); ++i) {
    const std::string where = "args.evidence[" + std::to_string(i) + "]";
    Evidence part;
    try {
      part = Evidence::from_json(list->getObject(static_cast<unsigned>(i)));
    } catch (const std::invalid_argument &e) {
      throw Error(HEARTH_ERROR_INVALID_ARGUMENT, where + ": " + e.what());
    }
    if (i > 0 && (part.amber_from != merged.amber_from || part.red_from != merged.red_from)) {
      throw Error(HEARTH_ERROR_INVALID_ARGUMENT, where + ": made under other thresholds than args.evidence[0]");
    }
    merged.merge(part);
  }
  Poco::JSON::Object answer;
  answer.set("report", backtest_report(merged, top_k));
  return to_json_text(answer);
}

std::string EarlyWarningPlugin::register_entry(const hearth_actor & /*actor*/, const std::string &args_json) {
  const JsonArgs args(args_json);
  (void)args;
  const auto rules = current_rules();
  Poco::JSON::Array missing;
  auto setting = [&](const char *key, const std::string &fallback) {
    if (auto value = host_.config(key); value && !value->empty()) {
      return std::string(*value);
    }
    missing.add(setting_name(key));
    return fallback;
  };
  const std::string not_recorded = "Nog niet vastgelegd.";

  Poco::JSON::Object entry;
  entry.set("standard", "Algoritmeregister publicatiestandaard");
  entry.set("name", setting("register.name", "Vroegsignalering huurachterstand en overlast (Hearth)"));
  entry.set("short_description",
            "Woonconsulenten krijgen een seintje als een huurder achterloopt met de huur of als buren overlast melden. "
            "Het systeem telt punten voor zulke signalen. Een medewerker bekijkt elk seintje en beslist wat er gebeurt. "
            "Het systeem beslist nooit zelf. Zo kunnen we eerder hulp bieden en een uitzetting voorkomen.");
  entry.set("organisation", setting("register.organisation", settings_.organisation));
  const std::string status = setting("register.status", "in_development");
  entry.set("status", status == "in_use"       ? "In gebruik"
                      : status == "out_of_use" ? "Buiten gebruik"
                                               : "In ontwikkeling");
  entry.set("purpose_and_impact",
            "Doel: huurders met beginnende problemen (huurachterstand, overlast, gemiste afspraken) eerder in beeld "
            "krijgen, zodat hulp op tijd komt en uitzetting wordt voorkomen. Impact: een signaal kan leiden tot contact "
            "met de huurder en een aanbod van hulp. Een signaal is een advies; het leidt nooit vanzelf tot een maatregel.");
  entry.set("considerations",
            "Het alternatief is wachten tot de achterstand of overlast groot is; dan is uitzetting vaak niet meer te "
            "voorkomen. Het systeem gebruikt alleen signalen die al in de eigen systemen staan, geen zorggegevens en geen "
            "beschermde kenmerken (zoals nationaliteit, afkomst, geboorteplaats of religie) of afgeleiden daarvan. "
            "Scoren kan per buurt of helemaal uit.");
  std::string roles;
  for (const auto &role : settings_.decide_roles) {
    roles += (roles.empty() ? "" : ", ") + role;
  }
  entry.set("human_intervention",
            "Elk signaal is een advies. Een medewerker (" + roles +
                ") accepteert het, past het niveau aan of wijst het af, altijd met een reden. Wie, wanneer en waarom "
                "wordt vastgelegd en gelogd. Alleen een geaccepteerd signaal mag tot vervolgstappen leiden.");
  entry.set("risk_management",
            "Elke beoordeling en elke inzage wordt gelogd (NEN 7513). Elk signaal bewaart de regelset (versie en "
            "hash), de gebruikte gegevens en de bijdrage van elk gegeven, en is opnieuw te berekenen. Een backtest "
            "meet precisie, recall, valse positieven en verschillen tussen buurten. De regelset weigert beschermde "
            "kenmerken en hun afgeleiden.");
  entry.set("legal_basis",
            setting("register.legal_basis",
                    "AVG art. 6 lid 1 sub e en f; Wet gemeentelijke schuldhulpverlening (vroegsignalering)."));
  Poco::JSON::Array assessments;
  for (const auto &[type, key] : {std::pair{"IAMA", "register.iama"}, std::pair{"DPIA", "register.dpia"}}) {
    Poco::JSON::Object assessment;
    assessment.set("type", type);
    assessment.set("reference", setting(key, not_recorded));
    assessments.add(assessment);
  }
  entry.set("impact_assessments", assessments);
  std::string sources;
  Poco::JSON::Array categories;
  for (const auto &category : rules->categories) {
    Poco::JSON::Object item;
    item.set("category", category.id);
    item.set("label", category.label.nl);
    item.set("data_class", category.data_class);
    Poco::JSON::Array codes;
    for (const auto &pattern : rules->patterns) {
      if (rules->categories[pattern.category].id == category.id) {
        codes.add(pattern.detail.empty() ? pattern.type : pattern.type + "/" + pattern.detail);
      }
    }
    item.set("signals", codes);
    item.set("points", category.points);
    item.set("points_per_severity", category.points_per_severity);
    item.set("points_per_100_euro", category.points_per_100_euro);
    item.set("half_life_days", category.half_life_days);
    item.set("cap", category.cap);
    categories.add(item);
    sources += (sources.empty() ? "" : ", ") + category.label.nl;
  }
  entry.set("data_and_sources",
            "Signalen uit de systemen van de corporatie en de gemeente (VERA-signaleringen, Signalen-meldingen): " +
                sources + ". Geen zorggegevens, geen BSN, geen namen.");
  std::string combinations;
  for (const auto &combination : rules->combinations) {
    combinations += " " + combination.label.nl + ": +" + number_text(combination.points) + ".";
  }
  entry.set("technical_operation",
            "Een puntenmodel zonder machine learning. Elk signaal geeft punten per soort; punten halveren na een vaste "
            "tijd per soort en elke soort heeft een maximum." +
                combinations + " Oranje vanaf " + number_text(rules->amber_from) + " punten, rood vanaf " +
                number_text(rules->red_from) + ". Regelset " + rules->name + " versie " + rules->version + " (sha256 " +
                rules->sha256 + ").");
  entry.set("source_code", setting("register.source_url", not_recorded));
  entry.set("contact", setting("register.contact", not_recorded));
  entry.set("rule_set", rule_set_json(*rules));
  entry.set("categories", categories);
  entry.set("scoring", settings_.scoring ? "on" : "off");
  Poco::JSON::Array only;
  for (const auto &code : settings_.only_neighbourhoods) {
    only.add(code);
  }
  entry.set("pilot_neighbourhoods", only);
  entry.set("missing_settings", missing);
  return to_json_text(entry);
}

} // namespace hearth::early_warning
