// The plugin's configuration: the files in the folder named by the hearth.ini key
// [plugin.nl.hearth.coordinator-handoff] config_dir (docs/handoff.md describes each key).
// Loaded once in init(); immutable afterwards, so every thread may read it.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "working_days.hpp"

namespace hearth::handoff {

// A named person in an organisation with the role they act in.
struct Person {
  std::string user;
  std::string organisation;
  std::string role;
};

// Who, beyond holding one of the roles, may make a transition.
enum class Who {
  owner,  // the case owner (or the mandate holder while the case is at the mandate level)
  member, // any case member (owner, mandate holder, professionals of the network)
  anyone  // anyone the policy service lets update the case
};

// One allowed move between states (states.ini, [transition.<name>]).
struct Transition {
  std::string name;
  std::set<std::string> from; // the states it leaves from
  std::string to;
  std::set<std::string> roles;
  Who who = Who::owner;
};

// states.ini: the case states and the transition table.
struct Lifecycle {
  std::vector<std::string> states;              // in file order
  std::map<std::string, std::string> describe;  // state -> one line for people
  std::string initial;                          // where a new case starts
  std::string closed;                           // the state of a closed case
  std::map<std::string, Transition> transitions; // by name
};

// One rung of the ladder (ladder.ini, [level.<n>]).
struct Level {
  int number = 0;
  std::string name;
};

// ladder.ini: the escalation ladder and its triggers.
struct Ladder {
  std::vector<Level> levels; // 0 .. top, contiguous
  int mandate_level = 0;     // from here the mandate holder decides
  int opening_level = 0;     // the level a new case starts at
  // Up: a case without progress for this many working days (0 = off) goes up `stalled_steps`.
  int stalled_after_working_days = 0;
  int stalled_steps = 1;
  std::set<std::string> stalled_states; // the states in which no progress means stalled
  // Up: an offer not answered in time.
  int unanswered_offer_steps = 1;
  // Up: `nuisance_signals` signals of `nuisance_types` within `nuisance_within_days`.
  int nuisance_signals = 0;
  int nuisance_within_days = 0;
  std::set<std::string> nuisance_types;
  int nuisance_steps = 1;
  // Up: an accepted flag of one of `red_flag_levels`; may open a case when none is open.
  std::set<std::string> red_flag_levels;
  int red_flag_steps = 1;
  bool red_flag_opens_case = true;
  std::string red_flag_legal_basis; // the basis a case opened by a red flag is worked on
  // Up: a consult not answered by its answer-by date.
  int overdue_consult_steps = 1;
  // Down: no level change, no nuisance signal and no overdue offer for this many weeks.
  int stable_after_weeks = 0;
  int stable_steps = 1;

  int top() const { return levels.empty() ? 0 : levels.back().number; }
  // The name of level `number` ("" when unknown).
  std::string name_of(int number) const;
};

// organisations.ini: mandate holders and who takes cases opened automatically.
struct Organisations {
  std::map<std::string, Person> mandate_holders; // organisation -> holder
  std::optional<Person> default_mandate_holder;
  std::map<std::string, Person> intake; // neighbourhood code -> owner of new automatic cases
  std::optional<Person> default_intake;

  // The mandate holder for cases owned in `organisation`, or nullopt.
  std::optional<Person> mandate_holder_for(const std::string &organisation) const;
  // The owner of a case opened automatically in `neighbourhood_code`, or nullopt.
  std::optional<Person> intake_for(const std::string &neighbourhood_code) const;
};

// handoff.ini [offers], [legal], [calendar], [reports], [cases].
struct HandoffRules {
  int answer_within_working_days = 3;
  std::set<std::string> owner_roles;  // roles that may own a case (accept an offer)
  std::set<std::string> case_bases;   // legal bases for working on a case
  std::set<std::string> care_bases;   // legal bases that allow care data in a case
  std::string default_purpose = "case-coordination";
  std::set<std::string> report_types; // signal types that are neighbours' reports
  int report_update_every_working_days = 10;
  std::map<std::string, std::string> report_messages; // status -> text the neighbour reads
  WorkingCalendar calendar;
  // handoff.ini [cases] stalled_after_calendar_days: an open case in one of the ladder's
  // stalled states without progress for this many calendar days shows as stalled (case
  // answers' "stalled", metrics.neighbourhood's stalled_cases, the dashboards). Since 0.2.
  int stalled_after_calendar_days = 14;
};

// consults.ini: the directory of expertise on call.
struct Expertise {
  std::string key; // e.g. "mental-health"
  std::string name;
  Person consultant;       // who answers
  int answer_within_working_days = 5;
  std::string escalate_to; // user who hears of a missed answer-by date
};

// places.ini: time-out homes and crisis places.
struct Place {
  std::string id;
  std::string kind; // "time-out" or "crisis"
  std::string name;
  std::string organisation;
  int capacity = 1;
  std::string neighbourhood_code;
};

// placement.ini: limits per scope, and the neighbourhood overview's settings.
struct PlacementLimits {
  struct Scope {
    int open_cases = 0;
    int recent_placements = 0;
  };
  Scope entrance, building, street;
  int recent_days = 365;
  // [overview] (since 0.2): the neighbourhood overview of metrics.neighbourhood. A count
  // from 1 to min_count - 1 in a cell of its streets[] is suppressed (k-anonymity: no
  // small number that could point at a household); offers waiting offer_waiting_days
  // calendar days or longer are counted apart per organisation.
  int min_count = 3;
  int offer_waiting_days = 5;
};

// Everything together.
struct HandoffConfig {
  Lifecycle lifecycle;
  Ladder ladder;
  Organisations organisations;
  HandoffRules rules;
  std::map<std::string, Expertise> directory;
  std::map<std::string, Place> places;
  int place_max_days = 90;
  PlacementLimits placement;
  std::map<std::string, std::set<std::string>> operation_roles; // operation -> roles

  // Loads and checks every file in `folder`. Throws std::invalid_argument naming file, key
  // and reason for anything missing or inconsistent (an unknown state, role or operation).
  // `operations` lists the operation names the plugin offers (every one must be listed
  // in operations.ini, and nothing else).
  static HandoffConfig load(const std::filesystem::path &folder, const std::set<std::string> &operations);
};

// The role ids of hearth/actor.h.
const std::set<std::string> &known_roles();

} // namespace hearth::handoff
