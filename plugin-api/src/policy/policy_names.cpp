// The names of actions, data classes and roles as they appear in hearth/policy.h,
// hearth/actor.h and config/policy.ini.
#include <array>
#include <utility>

#include "hearth/actor.h"
#include "hearth/policy.h"
#include "policy/policy.hpp"

namespace hearth::policy {
namespace {

// Every action with its ABI name.
constexpr std::array<std::pair<Action, const char *>, 6> action_names{{
    {Action::create, HEARTH_ACTION_CREATE},
    {Action::read, HEARTH_ACTION_READ},
    {Action::update, HEARTH_ACTION_UPDATE},
    {Action::delete_, HEARTH_ACTION_DELETE},
    {Action::search, HEARTH_ACTION_SEARCH},
    {Action::export_, HEARTH_ACTION_EXPORT},
}};

// Every data class with its ABI name.
constexpr std::array<std::pair<DataClass, const char *>, 6> data_class_names{{
    {DataClass::contact, HEARTH_DATA_CONTACT},
    {DataClass::housing, HEARTH_DATA_HOUSING},
    {DataClass::finance, HEARTH_DATA_FINANCE},
    {DataClass::nuisance, HEARTH_DATA_NUISANCE},
    {DataClass::care, HEARTH_DATA_CARE},
    {DataClass::case_plan, HEARTH_DATA_CASE_PLAN},
}};

} // namespace

std::optional<Action> parse_action(std::string_view name) {
  for (const auto &[action, action_name] : action_names) {
    if (name == action_name) {
      return action;
    }
  }
  return std::nullopt;
}

std::optional<DataClass> parse_data_class(std::string_view name) {
  for (const auto &[data_class, class_name] : data_class_names) {
    if (name == class_name) {
      return data_class;
    }
  }
  return std::nullopt;
}

const char *name_of(Action action) {
  for (const auto &[candidate, name] : action_names) {
    if (candidate == action) {
      return name;
    }
  }
  return "unknown";
}

const char *name_of(DataClass data_class) {
  for (const auto &[candidate, name] : data_class_names) {
    if (candidate == data_class) {
      return name;
    }
  }
  return "unknown";
}

const std::vector<Action> &all_actions() {
  static const std::vector<Action> actions = [] {
    std::vector<Action> list;
    for (const auto &entry : action_names) {
      list.push_back(entry.first);
    }
    return list;
  }();
  return actions;
}

const std::vector<DataClass> &all_data_classes() {
  static const std::vector<DataClass> classes = [] {
    std::vector<DataClass> list;
    for (const auto &entry : data_class_names) {
      list.push_back(entry.first);
    }
    return list;
  }();
  return classes;
}

const std::vector<std::string> &known_roles() {
  static const std::vector<std::string> roles{
      HEARTH_ROLE_TENANT,      HEARTH_ROLE_NEIGHBOUR, HEARTH_ROLE_HOUSING_CONSULTANT,
      HEARTH_ROLE_CARE_PROFESSIONAL, HEARTH_ROLE_COORDINATOR, HEARTH_ROLE_AUDITOR,
      HEARTH_ROLE_ADMINISTRATOR, HEARTH_ROLE_SYSTEM};
  return roles;
}

bool is_known_role(std::string_view role) {
  for (const auto &known : known_roles()) {
    if (role == known) {
      return true;
    }
  }
  return false;
}

} // namespace hearth::policy
