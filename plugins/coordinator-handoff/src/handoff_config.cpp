#include "handoff_config.hpp"

#include <algorithm>

#include <hearth/actor.h>

#include "config_files.hpp"

namespace hearth::handoff {
namespace {

std::set<std::string> to_set(const std::vector<std::string> &items) { return {items.begin(), items.end()}; }

// Checks that every role in `roles` is a role id of hearth/actor.h.
void check_roles(const IniFile &file, const std::string &key, const std::set<std::string> &roles) {
  for (const auto &role : roles) {
    if (!known_roles().contains(role)) {
      throw file.error(key, "unknown role '" + role + "'");
    }
  }
}

// A person from section `prefix` (keys user, organisation, role).
Person person(const IniFile &file, const std::string &prefix, const std::string &default_role) {
  Person p;
  p.user = file.text(prefix + ".user");
  p.organisation = file.text(prefix + ".organisation");
  p.role = file.optional_text(prefix + ".role").value_or(default_role);
  check_roles(file, prefix + ".role", {p.role});
  return p;
}

Lifecycle load_lifecycle(const std::filesystem::path &folder) {
  const IniFile file(folder / "states.ini");
  Lifecycle lifecycle;
  for (const auto &state : file.keys("states")) {
    lifecycle.states.push_back(state);
    lifecycle.describe[state] = file.text("states." + state);
  }
  if (lifecycle.states.empty()) {
    throw file.error("states", "no states are listed");
  }
  const auto known_state = [&](const std::string &key, const std::string &state) {
    if (!lifecycle.describe.contains(state)) {
      throw file.error(key, "unknown state '" + state + "'");
    }
  };
  lifecycle.initial = file.text("lifecycle.initial");
  known_state("lifecycle.initial", lifecycle.initial);
  lifecycle.closed = file.text("lifecycle.closed");
  known_state("lifecycle.closed", lifecycle.closed);
  if (lifecycle.initial == lifecycle.closed) {
    throw file.error("lifecycle.closed", "a case cannot start closed");
  }
  for (const auto &name : file.keys("transition")) {
    const std::string prefix = "transition." + name;
    Transition t;
    t.name = name;
    for (const auto &from : file.list(prefix + ".from")) {
      known_state(prefix + ".from", from);
      t.from.insert(from);
    }
    if (t.from.empty()) {
      throw file.error(prefix + ".from", "missing");
    }
    t.to = file.text(prefix + ".to");
    known_state(prefix + ".to", t.to);
    if (t.from.contains(t.to)) {
      throw file.error(prefix + ".to", "a transition must change the state");
    }
    t.roles = to_set(file.list(prefix + ".roles"));
    if (t.roles.empty()) {
      throw file.error(prefix + ".roles", "missing");
    }
    check_roles(file, prefix + ".roles", t.roles);
    const std::string who = file.optional_text(prefix + ".who").value_or("owner");
    if (who == "owner") {
      t.who = Who::owner;
    } else if (who == "member") {
      t.who = Who::member;
    } else if (who == "anyone") {
      t.who = Who::anyone;
    } else {
      throw file.error(prefix + ".who", "'" + who + "' is not owner, member or anyone");
    }
    lifecycle.transitions.emplace(name, std::move(t));
  }
  if (lifecycle.transitions.empty()) {
    throw file.error("transition", "no transitions are listed");
  }
  return lifecycle;
}

Ladder load_ladder(const std::filesystem::path &folder) {
  const IniFile file(folder / "ladder.ini");
  Ladder ladder;
  std::vector<std::string> level_keys = file.keys("level");
  std::vector<int> numbers;
  for (const auto &key : level_keys) {
    const bool digits = !key.empty() && key.size() < 3 &&
                        std::all_of(key.begin(), key.end(), [](unsigned char c) { return std::isdigit(c) != 0; });
    if (!digits) {
      throw file.error("level." + key, "a level is named by its number (0, 1, 2 ...)");
    }
    numbers.push_back(std::stoi(key));
  }
  std::sort(numbers.begin(), numbers.end());
  for (std::size_t i = 0; i < numbers.size(); ++i) {
    if (numbers[i] != static_cast<int>(i)) {
      throw file.error("level." + std::to_string(i), "levels must run 0, 1, 2 ... without gaps");
    }
    ladder.levels.push_back(Level{numbers[i], file.text("level." + std::to_string(numbers[i]) + ".name")});
  }
  if (ladder.levels.size() < 2) {
    throw file.error("level", "a ladder needs at least two levels");
  }
  const int top = ladder.top();
  ladder.mandate_level = static_cast<int>(file.number("ladder.mandate_level", 1, top, top));
  ladder.opening_level = static_cast<int>(file.number("ladder.opening_level", 0, top, 0));
  ladder.stalled_after_working_days = static_cast<int>(file.number("up.stalled_case.after_working_days", 0, 365, 10));
  ladder.stalled_steps = static_cast<int>(file.number("up.stalled_case.steps", 0, top, 1));
  ladder.stalled_states = to_set(file.list("up.stalled_case.states"));
  ladder.unanswered_offer_steps = static_cast<int>(file.number("up.unanswered_offer.steps", 0, top, 1));
  ladder.nuisance_signals = static_cast<int>(file.number("up.repeated_nuisance.signals", 0, 1000, 3));
  ladder.nuisance_within_days = static_cast<int>(file.number("up.repeated_nuisance.within_days", 1, 3650, 28));
  ladder.nuisance_types = to_set(file.list("up.repeated_nuisance.types"));
  if (ladder.nuisance_signals > 0 && ladder.nuisance_types.empty()) {
    throw file.error("up.repeated_nuisance.types", "missing (which signal types count as nuisance)");
  }
  ladder.nuisance_steps = static_cast<int>(file.number("up.repeated_nuisance.steps", 0, top, 1));
  ladder.red_flag_levels = to_set(file.list("up.red_flag.levels"));
  ladder.red_flag_steps = static_cast<int>(file.number("up.red_flag.steps", 0, top, 1));
  ladder.red_flag_opens_case = file.flag("up.red_flag.open_case", true);
  ladder.red_flag_legal_basis = file.optional_text("up.red_flag.legal_basis").value_or("avg-6-1-e");
  ladder.overdue_consult_steps = static_cast<int>(file.number("up.overdue_consult.steps", 0, top, 1));
  ladder.stable_after_weeks = static_cast<int>(file.number("down.stable.after_weeks", 0, 520, 6));
  ladder.stable_steps = static_cast<int>(file.number("down.stable.steps", 0, top, 1));
  return ladder;
}

Organisations load_organisations(const std::filesystem::path &folder) {
  const IniFile file(folder / "organisations.ini");
  Organisations organisations;
  for (const auto &organisation : file.keys("mandate")) {
    const std::string prefix = "mandate." + organisation;
    Person holder = person(file, prefix, HEARTH_ROLE_COORDINATOR);
    if (organisation == "default") {
      organisations.default_mandate_holder = holder;
    } else {
      organisations.mandate_holders[file.text(prefix + ".for")] = holder;
    }
  }
  for (const auto &code : file.keys("intake")) {
    Person owner = person(file, "intake." + code, HEARTH_ROLE_COORDINATOR);
    if (code == "default") {
      organisations.default_intake = owner;
    } else {
      organisations.intake[code] = owner;
    }
  }
  return organisations;
}

HandoffRules load_rules(const std::filesystem::path &folder) {
  const IniFile file(folder / "handoff.ini");
  HandoffRules rules;
  rules.answer_within_working_days = static_cast<int>(file.number("offers.answer_within_working_days", 1, 60, 3));
  rules.owner_roles = to_set(file.list("offers.owner_roles"));
  if (rules.owner_roles.empty()) {
    throw file.error("offers.owner_roles", "missing");
  }
  check_roles(file, "offers.owner_roles", rules.owner_roles);
  rules.case_bases = to_set(file.list("legal.case_bases"));
  if (rules.case_bases.empty()) {
    throw file.error("legal.case_bases", "missing");
  }
  rules.care_bases = to_set(file.list("legal.care_bases"));
  rules.default_purpose = file.optional_text("legal.purpose").value_or("case-coordination");
  std::set<Day> holidays;
  for (const auto &text : file.list("calendar.holidays")) {
    const auto day = parse_day(text);
    if (!day) {
      throw file.error("calendar.holidays", "'" + text + "' is not a date like 2026-12-25");
    }
    holidays.insert(*day);
  }
  rules.calendar = WorkingCalendar(std::move(holidays));
  rules.report_types = to_set(file.list("reports.types"));
  rules.report_update_every_working_days =
      static_cast<int>(file.number("reports.update_every_working_days", 1, 60, 10));
  for (const char *status : {"received", "being_handled", "closed"}) {
    rules.report_messages[status] = file.text(std::string("reports.message_") + status);
  }
  rules.stalled_after_calendar_days = static_cast<int>(file.number("cases.stalled_after_calendar_days", 1, 365, 14));
  return rules;
}

std::map<std::string, Expertise> load_directory(const std::filesystem::path &folder) {
  const IniFile file(folder / "consults.ini");
  std::map<std::string, Expertise> directory;
  for (const auto &key : file.keys("expertise")) {
    const std::string prefix = "expertise." + key;
    Expertise e;
    e.key = key;
    e.name = file.text(prefix + ".name");
    e.consultant.user = file.text(prefix + ".consultant");
    e.consultant.organisation = file.text(prefix + ".organisation");
    e.consultant.role = file.optional_text(prefix + ".role").value_or(HEARTH_ROLE_CARE_PROFESSIONAL);
    check_roles(file, prefix + ".role", {e.consultant.role});
    e.answer_within_working_days = static_cast<int>(file.number(prefix + ".answer_within_working_days", 1, 60, 5));
    e.escalate_to = file.text(prefix + ".escalate_to");
    directory.emplace(key, std::move(e));
  }
  if (directory.empty()) {
    throw file.error("expertise", "the directory is empty");
  }
  return directory;
}

std::map<std::string, Place> load_places(const std::filesystem::path &folder, int &max_days) {
  const IniFile file(folder / "places.ini");
  max_days = static_cast<int>(file.number("places.max_days", 1, 366, 90));
  std::map<std::string, Place> places;
  for (const auto &id : file.keys("place")) {
    const std::string prefix = "place." + id;
    Place p;
    p.id = id;
    p.kind = file.text(prefix + ".kind");
    if (p.kind != "time-out" && p.kind != "crisis") {
      throw file.error(prefix + ".kind", "'" + p.kind + "' is not time-out or crisis");
    }
    p.name = file.text(prefix + ".name");
    p.organisation = file.text(prefix + ".organisation");
    p.capacity = static_cast<int>(file.number(prefix + ".capacity", 1, 1000));
    p.neighbourhood_code = file.optional_text(prefix + ".neighbourhood_code").value_or("");
    places.emplace(id, std::move(p));
  }
  return places;
}

PlacementLimits load_placement(const std::filesystem::path &folder) {
  const IniFile file(folder / "placement.ini");
  PlacementLimits limits;
  const auto scope = [&](const std::string &name) {
    PlacementLimits::Scope s;
    s.open_cases = static_cast<int>(file.number("limits." + name + "_open_cases", 0, 1000));
    s.recent_placements = static_cast<int>(file.number("limits." + name + "_recent_placements", 0, 1000));
    return s;
  };
  limits.entrance = scope("entrance");
  limits.building = scope("building");
  limits.street = scope("street");
  limits.recent_days = static_cast<int>(file.number("recent.days", 1, 3650, 365));
  limits.min_count = static_cast<int>(file.number("overview.min_count", 1, 100, 3));
  limits.offer_waiting_days = static_cast<int>(file.number("overview.offer_waiting_days", 1, 365, 5));
  return limits;
}

std::map<std::string, std::set<std::string>> load_operations(const std::filesystem::path &folder,
                                                             const std::set<std::string> &operations) {
  const IniFile file(folder / "operations.ini");
  std::map<std::string, std::set<std::string>> roles;
  for (const auto &section : file.keys("")) {
    if (section == "operations") {
      continue;
    }
    throw file.error(section, "unknown section (only [operations])");
  }
  for (const auto &area : file.keys("operations")) {
    for (const auto &name : file.keys("operations." + area)) {
      const std::string operation = area + "." + name;
      if (!operations.contains(operation)) {
        throw file.error("operations." + operation, "the plugin has no such operation");
      }
      auto granted = to_set(file.list("operations." + operation));
      check_roles(file, "operations." + operation, granted);
      roles[operation] = std::move(granted);
    }
  }
  for (const auto &operation : operations) {
    if (!roles.contains(operation)) {
      throw file.error("operations." + operation, "missing (list the roles, or leave it empty for none)");
    }
  }
  return roles;
}

} // namespace

const std::set<std::string> &known_roles() {
  static const std::set<std::string> roles{HEARTH_ROLE_TENANT,           HEARTH_ROLE_NEIGHBOUR,
                                           HEARTH_ROLE_HOUSING_CONSULTANT, HEARTH_ROLE_CARE_PROFESSIONAL,
                                           HEARTH_ROLE_COORDINATOR,      HEARTH_ROLE_AUDITOR,
                                           HEARTH_ROLE_ADMINISTRATOR,    HEARTH_ROLE_SYSTEM};
  return roles;
}

std::string Ladder::name_of(int number) const {
  for (const auto &level : levels) {
    if (level.number == number) {
      return level.name;
    }
  }
  return "";
}

std::optional<Person> Organisations::mandate_holder_for(const std::string &organisation) const {
  const auto it = mandate_holders.find(organisation);
  if (it != mandate_holders.end()) {
    return it->second;
  }
  return default_mandate_holder;
}

std::optional<Person> Organisations::intake_for(const std::string &neighbourhood_code) const {
  const auto it = intake.find(neighbourhood_code);
  if (it != intake.end()) {
    return it->second;
  }
  return default_intake;
}

HandoffConfig HandoffConfig::load(const std::filesystem::path &folder, const std::set<std::string> &operations) {
  if (!std::filesystem::is_directory(folder)) {
    throw std::invalid_argument("config_dir: '" + folder.string() + "' is not a folder");
  }
  HandoffConfig config;
  config.lifecycle = load_lifecycle(folder);
  config.ladder = load_ladder(folder);
  config.organisations = load_organisations(folder);
  config.rules = load_rules(folder);
  config.directory = load_directory(folder);
  config.places = load_places(folder, config.place_max_days);
  config.placement = load_placement(folder);
  config.operation_roles = load_operations(folder, operations);
  for (const auto &state : config.ladder.stalled_states) {
    if (!config.lifecycle.describe.contains(state)) {
      throw std::invalid_argument("ladder.ini: up.stalled_case.states: unknown state '" + state + "'");
    }
  }
  if (config.ladder.stalled_states.empty()) {
    for (const auto &state : config.lifecycle.states) {
      if (state != config.lifecycle.closed) {
        config.ladder.stalled_states.insert(state);
      }
    }
  }
  if (!config.rules.case_bases.contains(config.ladder.red_flag_legal_basis)) {
    throw std::invalid_argument("ladder.ini: up.red_flag.legal_basis: '" + config.ladder.red_flag_legal_basis +
                                "' is not one of handoff.ini's case_bases");
  }
  return config;
}

} // namespace hearth::handoff
