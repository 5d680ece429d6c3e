#include "data/retention.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <set>
#include <sstream>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>
#include <Poco/Util/IniFileConfiguration.h>

#include "data/signal_types.hpp"
#include "default_config.hpp"
#include "hearth/status.h"
#include "privacy/bsn.hpp"
#include "runtime/config.hpp"
#include "data/audit_entry.hpp"

namespace hearth::data {
namespace {

constexpr const char *kSection = "retention";
constexpr std::int64_t kDayMs = 86'400'000;

std::string to_json(const Poco::JSON::Object &object) {
  std::ostringstream out;
  Poco::JSON::Stringifier::condense(object, out);
  return out.str();
}

// Every leaf key under `prefix` in `config`, relative to `prefix` ("signal.SCH").
void collect_keys(const Poco::Util::AbstractConfiguration &config, const std::string &prefix,
                  const std::string &relative, std::map<std::string, std::string> &out) {
  Poco::Util::AbstractConfiguration::Keys children;
  config.keys(prefix, children);
  for (const auto &child : children) {
    const std::string full = prefix + "." + child;
    const std::string name = relative.empty() ? child : relative + "." + child;
    if (config.has(full)) {
      out.emplace(name, "");
    }
    collect_keys(config, full, name, out);
  }
}

// The known signal types (without detail), sorted, for messages and checks.
const std::set<std::string> &known_signal_types() {
  static const std::set<std::string> types = [] {
    std::set<std::string> out;
    for (const auto &entry : signal_types()) {
      out.insert(entry.type);
    }
    return out;
  }();
  return types;
}

std::string upper(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return text;
}

// The UTC calendar date of `ms` as YYYY-MM-DD.
std::string civil_date(std::int64_t ms) {
  using namespace std::chrono;
  const auto days = floor<std::chrono::days>(sys_time<milliseconds>(milliseconds(ms)));
  const year_month_day date{days};
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
  return text;
}

} // namespace

// --- periods and rules -------------------------------------------------------------------

std::optional<RetentionPeriod> RetentionPeriod::parse(const std::string &text) {
  if (text.size() < 2 || text.size() > 5) {
    return std::nullopt;
  }
  std::uint32_t count = 0;
  for (std::size_t i = 0; i + 1 < text.size(); ++i) {
    if (text[i] < '0' || text[i] > '9') {
      return std::nullopt;
    }
    count = count * 10 + static_cast<std::uint32_t>(text[i] - '0');
  }
  if (count == 0) {
    return std::nullopt;
  }
  switch (text.back()) {
  case 'd': return RetentionPeriod{count, Unit::days};
  case 'm': return RetentionPeriod{count, Unit::months};
  case 'y': return RetentionPeriod{count, Unit::years};
  default: return std::nullopt;
  }
}

std::string RetentionPeriod::text() const {
  return std::to_string(count) + (unit == Unit::days ? "d" : unit == Unit::months ? "m" : "y");
}

std::int64_t RetentionPeriod::cutoff_ms(std::int64_t now_ms) const {
  using namespace std::chrono;
  if (unit == Unit::days) {
    return now_ms - static_cast<std::int64_t>(count) * kDayMs;
  }
  const sys_time<milliseconds> now{milliseconds(now_ms)};
  const auto day = floor<days>(now);
  const auto time_of_day = now - day;
  year_month_day date{day};
  const months step = unit == Unit::months ? months(count) : months(12 * static_cast<int>(count));
  year_month_day target = date - step;
  if (!target.ok()) {
    target = year_month_day_last(target.year(), month_day_last(target.month()));
  }
  return (sys_days(target) + time_of_day).time_since_epoch().count();
}

const RetentionPeriod &RetentionRules::for_signal(const std::string &type) const {
  const auto found = signal_by_type.find(type);
  return found != signal_by_type.end() ? found->second : signal_default;
}

RetentionRules parse_retention_rules(const std::map<std::string, std::string> &settings,
                                     const std::function<std::string(const std::string &)> &origin_of) {
  RetentionRules rules;
  for (const auto &[key, value] : settings) {
    const std::string full = std::string(kSection) + "." + key;
    auto fail = [&](const std::string &reason) {
      throw runtime::ConfigError(origin_of(full) + ": " + full + ": " + reason);
    };
    // The key first: a period for something Hearth does not keep is a mistake too.
    RetentionPeriod *target = nullptr;
    if (key == "dead_letter") {
      target = &rules.dead_letter;
    } else if (key == "outcome") {
      target = &rules.outcome;
    } else if (key == "signal.default") {
      target = &rules.signal_default;
    } else if (key.rfind("signal.", 0) == 0) {
      const std::string type = upper(key.substr(7));
      if (known_signal_types().count(type) == 0) {
        std::string known;
        for (const auto &t : known_signal_types()) {
          known += (known.empty() ? "" : ", ") + t;
        }
        fail("'" + key.substr(7) + "' is not a signal type Hearth knows (" + known + ")");
      }
      target = &rules.signal_by_type[type];
    } else {
      fail("unknown key; [retention] takes signal.default, signal.<TYPE>, dead_letter and outcome");
    }
    const auto period = RetentionPeriod::parse(value);
    if (!period) {
      fail("'" + value + "' is not a period like 30d, 6m or 5y");
    }
    *target = *period;
  }
  return rules;
}

RetentionRules load_retention_rules(const runtime::Config &config) {
  // The key names come from the files (the configuration has no key listing); the values
  // come from the configuration, so that HEARTH_RETENTION_* overrides apply.
  std::map<std::string, std::string> keys;
  {
    std::istringstream defaults_text(runtime::default_config_ini);
    Poco::AutoPtr<Poco::Util::IniFileConfiguration> defaults(new Poco::Util::IniFileConfiguration(defaults_text));
    collect_keys(*defaults, kSection, "", keys);
  }
  if (!config.directory().empty()) {
    const auto site_file = config.directory() / "hearth.ini";
    std::error_code ec;
    if (std::filesystem::exists(site_file, ec)) {
      Poco::AutoPtr<Poco::Util::IniFileConfiguration> site(new Poco::Util::IniFileConfiguration(site_file.string()));
      collect_keys(*site, kSection, "", keys);
    }
  }
  std::map<std::string, std::string> settings;
  for (const auto &[key, unused] : keys) {
    if (auto value = config.find(std::string(kSection) + "." + key)) {
      settings[key] = *value;
    }
  }
  return parse_retention_rules(settings, [&](const std::string &key) { return config.origin_of(key); });
}

// --- the service ---------------------------------------------------------------------------

RetentionService::RetentionService(storage::Store &store, runtime::Clock &clock, audit::AuditLog &audit,
                                   RetentionRules rules)
    : store_(store), clock_(clock), audit_(audit), rules_(std::move(rules)) {}

void RetentionService::record(const policy::Actor &actor, const std::string &objects, const std::string &purpose,
                              bool allowed) {
  auto entry = audit_entry(actor, "delete", objects, allowed);
  entry.purpose = purpose;
  audit_.append(entry, clock_.now_ms());
}

LifecycleOutcome RetentionService::command(const policy::Actor &actor, const std::string &command,
                                           const std::string &args_json) {
  Poco::JSON::Object::Ptr args;
  try {
    args = Poco::JSON::Parser().parse(args_json.empty() ? "{}" : args_json).extract<Poco::JSON::Object::Ptr>();
  } catch (const std::exception &) {
    return {HEARTH_ERROR_INVALID_ARGUMENT, "args: not a JSON object"};
  }
  if (!args) {
    return {HEARTH_ERROR_INVALID_ARGUMENT, "args: not a JSON object"};
  }
  // The id argument of an erasure: a non-empty string that is not a BSN.
  auto id_argument = [&](const char *key, std::string &id) -> std::optional<LifecycleOutcome> {
    if (!args->has(key) || !args->get(key).isString() || args->getValue<std::string>(key).empty()) {
      return LifecycleOutcome{HEARTH_ERROR_INVALID_ARGUMENT, std::string("args.") + key + ": missing"};
    }
    id = args->getValue<std::string>(key);
    if (privacy::bsn_is_valid(id)) {
      return LifecycleOutcome{HEARTH_ERROR_INVALID_ARGUMENT,
                              std::string("args.") + key + ": looks like a BSN; use the pseudonymous id"};
    }
    if (id.find(',') != std::string::npos || id.size() > 200) {
      return LifecycleOutcome{HEARTH_ERROR_INVALID_ARGUMENT, std::string("args.") + key + ": not an id"};
    }
    return std::nullopt;
  };

  std::string id, objects;
  if (command == "purge") {
    objects = "purge";
  } else if (command == "erase-person") {
    if (auto bad = id_argument("person_id", id)) return *bad;
    objects = "erasure:person:" + id;
  } else if (command == "erase-tenancy") {
    if (auto bad = id_argument("tenancy_id", id)) return *bad;
    objects = "erasure:tenancy:" + id;
  } else {
    return {HEARTH_ERROR_NOT_FOUND, "command: unknown command '" + command + "'; known: purge, erase-person, erase-tenancy"};
  }
  try {
    if (actor.role != "administrator") {
      record(actor, objects, command == "purge" ? "retention" : "erasure", false);
      return {HEARTH_ERROR_DENIED, "role '" + actor.role + "' may not " +
                                       (command == "purge" ? "purge" : "erase") + "; only an administrator may"};
    }
    if (command == "purge") return purge(actor);
    if (command == "erase-person") return erase_person(actor, id);
    return erase_tenancy(actor, id);
  } catch (const storage::StorageError &e) {
    return {HEARTH_ERROR_IO, std::string(command) + " failed, nothing was deleted: " + e.what()};
  }
}

std::int64_t RetentionService::delete_signals(const std::string &where, std::span<const storage::Value> params,
                                              std::map<std::string, std::int64_t> &per_type) {
  // A signal row is its own event in the log (schema migration 3, ADR 7): deleting the
  // signal deletes its event, one event per signal.
  std::int64_t events = 0;
  store_.execute("DELETE FROM hearth_signal WHERE " + where + " RETURNING type", params, [&](const storage::Row &row) {
    const auto *type = std::get_if<std::string>(&row.values[0]);
    ++per_type[type != nullptr ? *type : std::string("?")];
    ++events;
    return true;
  });
  return events;
}

LifecycleOutcome RetentionService::purge(const policy::Actor &actor) {
  const std::int64_t now = clock_.now_ms();
  std::map<std::string, std::int64_t> signals;
  std::int64_t events = 0, dead_letters = 0, outcomes = 0;
  store_.transaction([&] {
    // Types with a period of their own, then every other type with the default.
    std::string others;
    std::vector<storage::Value> other_params;
    if (!rules_.signal_by_type.empty()) {
      others = "type NOT IN (";
      for (const auto &[type, period] : rules_.signal_by_type) {
        const storage::Value params[] = {type, period.cutoff_ms(now)};
        events += delete_signals("type = ? AND occurred_at_ms < ?", params, signals);
        others += other_params.empty() ? "?" : ", ?";
        other_params.emplace_back(type);
      }
      others += ") AND ";
    }
    others += "occurred_at_ms < ?";
    other_params.emplace_back(rules_.signal_default.cutoff_ms(now));
    events += delete_signals(others, other_params, signals);

    const storage::Value dead_cutoff[] = {rules_.dead_letter.cutoff_ms(now)};
    store_.execute("DELETE FROM hearth_dead_letter WHERE received_at_ms < ? RETURNING id", dead_cutoff,
                   [&](const storage::Row &) {
                     ++dead_letters;
                     return true;
                   });
    const storage::Value outcome_cutoff[] = {civil_date(rules_.outcome.cutoff_ms(now))};
    store_.execute("DELETE FROM hearth_outcome WHERE decided_on < ? RETURNING tenancy_id", outcome_cutoff,
                   [&](const storage::Row &) {
                     ++outcomes;
                     return true;
                   });

    std::string objects;
    auto add = [&](const std::string &item, std::int64_t count) {
      if (count > 0) objects += (objects.empty() ? "" : ",") + item + ":" + std::to_string(count);
    };
    for (const auto &[type, count] : signals) add("purge:signal:" + type, count);
    add("purge:event_log", events);
    add("purge:dead_letter", dead_letters);
    add("purge:outcome", outcomes);
    record(actor, objects.empty() ? "purge:none" : objects, "retention", true);
  });

  Poco::JSON::Object per_type, answer;
  for (const auto &[type, count] : signals) per_type.set(type, count);
  answer.set("signal", per_type);
  answer.set("event_log", events);
  answer.set("dead_letter", dead_letters);
  answer.set("outcome", outcomes);
  return {HEARTH_OK, to_json(answer)};
}

} // namespace hearth::data
