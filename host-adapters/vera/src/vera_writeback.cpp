#include "vera_adapter/vera_writeback.hpp"

#include <sstream>
#include <stdexcept>

#include <Poco/DateTime.h>
#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>
#include <Poco/Timestamp.h>

namespace hearth::adapters::vera {
namespace {

Poco::JSON::Object::Ptr parse_payload(std::string_view payload_json, const char *event) {
  try {
    auto value = Poco::JSON::Parser().parse(std::string(payload_json));
    auto object = value.extract<Poco::JSON::Object::Ptr>();
    if (!object.isNull()) {
      return object;
    }
  } catch (const std::exception &) {
  }
  throw std::invalid_argument(std::string(event) + " payload: is not a JSON object");
}

std::string required_text(const Poco::JSON::Object::Ptr &payload, const std::string &key, const char *event) {
  if (!payload->has(key) || payload->isNull(key)) {
    throw std::invalid_argument(std::string(event) + " payload: " + key + " is missing");
  }
  const auto value = payload->get(key);
  if (value.isString()) {
    const std::string text = value.extract<std::string>();
    if (!text.empty()) {
      return text;
    }
  } else if (value.isInteger()) {
    return value.convert<std::string>();
  }
  throw std::invalid_argument(std::string(event) + " payload: " + key + " must be a non-empty string");
}

std::int64_t required_ms(const Poco::JSON::Object::Ptr &payload, const std::string &key, const char *event) {
  if (!payload->has(key) || !payload->get(key).isInteger()) {
    throw std::invalid_argument(std::string(event) + " payload: " + key + " must be a whole number of milliseconds");
  }
  return payload->getValue<std::int64_t>(key);
}

Poco::JSON::Object::Ptr code(const char *value, const char *name) {
  Poco::JSON::Object::Ptr reference = new Poco::JSON::Object;
  reference->set("code", value);
  reference->set("naam", name);
  return reference;
}

Poco::JSON::Object::Ptr key_reference(const std::string &id) {
  Poco::JSON::Object::Ptr reference = new Poco::JSON::Object;
  reference->set("id", id);
  return reference;
}

Poco::JSON::Object::Ptr extra(const std::string &name, const std::string &value) {
  Poco::JSON::Object::Ptr attribute = new Poco::JSON::Object;
  attribute->set("naam", name);
  attribute->set("waarde", value);
  return attribute;
}

std::string json(const Poco::JSON::Object &object) {
  std::ostringstream out;
  Poco::JSON::Stringifier::condense(object, out);
  return out.str();
}

// The flag's level as a word: 1 green, 2 amber, 3 red; a name passes through if known.
std::string level_name(const Poco::JSON::Object::Ptr &payload) {
  const char *event = "flag.accepted";
  if (!payload->has("level")) {
    throw std::invalid_argument(std::string(event) + " payload: level is missing");
  }
  const auto level = payload->get("level");
  if (level.isInteger()) {
    switch (level.convert<int>()) {
    case 1: return "green";
    case 2: return "amber";
    case 3: return "red";
    default: break;
    }
  } else if (level.isString()) {
    const std::string name = level.extract<std::string>();
    if (name == "green" || name == "amber" || name == "red") {
      return name;
    }
  }
  throw std::invalid_argument(std::string(event) + " payload: level must be 1, 2, 3, green, amber or red");
}

} // namespace

std::string vera_date_time(std::int64_t epoch_ms) {
  const Poco::Timestamp at(static_cast<Poco::Timestamp::TimeVal>(epoch_ms / 1000) * 1000000);
  return Poco::DateTimeFormatter::format(at, "%Y-%m-%dT%H:%M:%SZ");
}

OutboundMessage signalering_for_flag(std::string_view payload_json) {
  const char *event = "flag.accepted";
  const auto payload = parse_payload(payload_json, event);
  const std::string flag = required_text(payload, "flag_id", event);
  const std::string tenancy = required_text(payload, "tenancy_id", event);
  const std::string level = level_name(payload);
  const std::int64_t decided = required_ms(payload, "decided_at_ms", event);

  // VERA has no code for "risk of losing the home"; the nearest is a support need (ONB),
  // with Hearth's level as an extra attribute. No score, reason or explanation leaves.
  Poco::JSON::Object message;
  message.set("idExtern", std::string(kOwnIdPrefix) + "flag-" + flag);
  message.set("soort", code("ONB", "Ondersteuningsbehoefte"));
  message.set("status", code("ACT", "Actief"));
  message.set("begindatum", vera_date_time(decided));
  Poco::JSON::Array extras;
  extras.add(extra("huurovereenkomst", tenancy));
  extras.add(extra("hearth.vroegsignaal.niveau", level));
  message.set("extra-attributen", extras);
  return OutboundMessage{"flag:" + flag, "signaleringen", json(message), "tenancy:" + tenancy + ",flag:" + flag,
                         "early-warning", ""};
}

OutboundMessage signalering_for_withdrawn_flag(std::string_view payload_json) {
  const char *event = "flag.withdrawn";
  const auto payload = parse_payload(payload_json, event);
  const std::string flag = required_text(payload, "flag_id", event);
  const std::string tenancy = required_text(payload, "tenancy_id", event);
  const std::string decision = required_text(payload, "decision", event);
  const std::int64_t decided = required_ms(payload, "decided_at_ms", event);

  // The back office knows the flag by its idExtern; the update says it has lapsed, and
  // nothing about why (the reason, status and level a person chose stay in Hearth).
  Poco::JSON::Object message;
  message.set("idExtern", std::string(kOwnIdPrefix) + "flag-" + flag);
  message.set("soort", code("ONB", "Ondersteuningsbehoefte"));
  message.set("status", code("VER", "Vervallen"));
  message.set("einddatum", vera_date_time(decided));
  Poco::JSON::Array extras;
  extras.add(extra("huurovereenkomst", tenancy));
  message.set("extra-attributen", extras);
  OutboundMessage out{"flag:" + flag + ":withdrawn:" + decision, "signaleringen", json(message),
                      "tenancy:" + tenancy + ",flag:" + flag, "early-warning", ""};
  // An acceptance still waiting for the back office (a retry) must not arrive after this.
  out.supersedes = "flag:" + flag;
  return out;
}

std::optional<OutboundMessage> zaak_for_case_export(std::string_view payload_json) {
  const char *event = "case.export-requested";
  const auto payload = parse_payload(payload_json, event);
  if (required_text(payload, "target", event) != "vera") {
    return std::nullopt;
  }
  const std::string case_id = required_text(payload, "case_id", event);
  const std::string tenancy = required_text(payload, "tenancy_id", event);
  const std::int64_t opened = required_ms(payload, "opened_ms", event);
  const std::int64_t requested = required_ms(payload, "requested_ms", event);
  const bool open = payload->optValue<bool>("is_open", true);
  const std::string basis = payload->optValue<std::string>("legal_basis", "");

  Poco::JSON::Object message;
  message.set("idExtern", std::string(kOwnIdPrefix) + "case-" + case_id);
  message.set("omschrijving", "Gecoordineerde aanpak (Hearth)");
  message.set("begindatum", vera_date_time(opened));
  if (!open && payload->has("closed_ms") && payload->get("closed_ms").isInteger()) {
    message.set("einddatum", vera_date_time(payload->getValue<std::int64_t>("closed_ms")));
  }
  Poco::JSON::Object::Ptr zaaktype = new Poco::JSON::Object;
  zaaktype->set("soort", code("SOC", "Sociale melding"));
  message.set("zaaktype", zaaktype);
  Poco::JSON::Array statuses;
  Poco::JSON::Object::Ptr status = new Poco::JSON::Object;
  status->set("soort", open ? code("INB", "In behandeling") : code("AFG", "Afgerond"));
  status->set("begindatum", vera_date_time(requested));
  statuses.add(status);
  message.set("zaakstatussen", statuses);
  if (payload->has("coordinator") && !payload->getObject("coordinator").isNull()) {
    const auto coordinator = payload->getObject("coordinator");
    // The coordinator by pseudonymous user id only (Zaakrol.code), never a name.
    Poco::JSON::Object::Ptr role = new Poco::JSON::Object;
    role->set("soort", code("ZAA", "Zaakcoördinator"));
    role->set("code", required_text(coordinator, "user", event));
    const std::string organisation = coordinator->optValue<std::string>("organisation", "");
    if (!organisation.empty()) {
      role->set("omschrijving", organisation);
    }
    Poco::JSON::Array roles;
    roles.add(role);
    message.set("rollen", roles);
  }
  Poco::JSON::Array contracts;
  contracts.add(key_reference(tenancy));
  message.set("overeenkomsten", contracts);
  const std::string unit = payload->optValue<std::string>("unit_id", "");
  if (!unit.empty()) {
    Poco::JSON::Array units;
    units.add(key_reference(unit));
    message.set("eenheden", units);
  }
  return OutboundMessage{"case:" + case_id + ":" + std::to_string(requested), "zaken", json(message),
                         "case:" + case_id + ",tenancy:" + tenancy + ",export:vera",
                         basis.empty() ? "case-coordination" : basis, ""};
}

} // namespace hearth::adapters::vera
