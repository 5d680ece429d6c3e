// Deciding one access: the role matrix first, then the record rules of policy.hpp.
// Reasons name roles, actions, data classes and rule names only, never ids or data.
#include <algorithm>

#include "hearth/actor.h"
#include "policy/policy.hpp"

namespace hearth::policy {
namespace {

// A denial with `reason`.
Decision deny(std::string reason) { return Decision{false, std::move(reason)}; }

// "<role> may <action> <data_class>": the matrix cell, for reasons.
std::string cell(const std::string &role, Action action, DataClass data_class) {
  return role + "." + name_of(data_class) + " (" + name_of(action) + ")";
}

// True when `field` is present, non-empty and equal to `user`.
bool is_user(const std::optional<std::string> &field, const std::string &user) {
  return field.has_value() && !field->empty() && *field == user;
}

// The record rule for the actor's own role, for data classes other than care; nullopt
// when it passes (or the role has none), otherwise the denial.
std::optional<Decision> role_rule(const Actor &actor, const std::optional<RecordContext> &record) {
  // Each rule ties the record to the actor through one context field.
  struct Rule {
    const char *role;
    const char *name;
    const char *field_name;
    std::optional<std::string> RecordContext::*field;
  };
  static const Rule rules[] = {
      {HEARTH_ROLE_TENANT, "tenant rule", "tenant_user", &RecordContext::tenant_user},
      {HEARTH_ROLE_NEIGHBOUR, "neighbour rule", "reporter_user", &RecordContext::reporter_user},
      {HEARTH_ROLE_HOUSING_CONSULTANT, "portfolio rule", "portfolio_owner",
       &RecordContext::portfolio_owner},
  };
  for (const auto &rule : rules) {
    if (actor.role != rule.role) {
      continue;
    }
    if (!record.has_value()) {
      return deny(std::string(rule.name) + ": no record context given");
    }
    const auto &value = (*record).*(rule.field);
    if (!value.has_value() || value->empty()) {
      return deny(std::string(rule.name) + ": record context lacks " + rule.field_name);
    }
    if (*value != actor.user) {
      return deny(std::string(rule.name) + ": the record's " + rule.field_name +
                  " is not the actor");
    }
  }
  // Care professionals and coordinators work through cases: any record they reach must
  // belong to a case they are a member of (a coordinator may also own it).
  if (actor.role == HEARTH_ROLE_CARE_PROFESSIONAL || actor.role == HEARTH_ROLE_COORDINATOR) {
    if (!record.has_value()) {
      return deny("case rule: no record context given");
    }
    const auto &members = record->case_members;
    const bool member = std::find(members.begin(), members.end(), actor.user) != members.end();
    const bool owner = actor.role == HEARTH_ROLE_COORDINATOR && record->portfolio_owner.has_value() &&
                       *record->portfolio_owner == actor.user;
    if (!member && !owner) {
      return deny(members.empty() ? "case rule: record context lacks case_members"
                                  : "case rule: the actor is not a member of the record's case");
    }
  }
  return std::nullopt;
}

// The record rule for care data; nullopt when it passes, otherwise the denial.
std::optional<Decision> care_rule(const Actor &actor, const std::optional<RecordContext> &record) {
  const bool coordinator = actor.role == HEARTH_ROLE_COORDINATOR;
  if (!coordinator && actor.role != HEARTH_ROLE_CARE_PROFESSIONAL) {
    return deny("care rule: only care_professional and coordinator roles handle care data");
  }
  if (!record.has_value()) {
    return deny("care rule: no record context given");
  }
  if (!record->care_basis_recorded) {
    return deny("care rule: no legal basis or consent recorded for care data");
  }
  const auto &members = record->case_members;
  const bool member = std::find(members.begin(), members.end(), actor.user) != members.end();
  const bool owner = coordinator && is_user(record->portfolio_owner, actor.user);
  if (member || owner) {
    return std::nullopt;
  }
  if (members.empty() && !(coordinator && record->portfolio_owner.has_value())) {
    return deny("care rule: record context lacks case_members");
  }
  return deny("care rule: the actor is not a member of the case");
}

} // namespace

bool Policy::granted(const std::string &role, Action action, DataClass data_class) const {
  const auto role_grants = grants_.find(role);
  if (role_grants == grants_.end()) {
    return false;
  }
  const auto actions = role_grants->second.find(data_class);
  return actions != role_grants->second.end() && actions->second.contains(action);
}

Decision Policy::check(const Actor &actor, Action action, DataClass data_class,
                       const std::optional<RecordContext> &record) const {
  if (!is_known_role(actor.role)) {
    return deny("unknown role");
  }
  if (actor.user.empty()) {
    return deny("the actor has no user id");
  }
  if (!granted(actor.role, action, data_class)) {
    return deny("no grant for " + cell(actor.role, action, data_class));
  }
  if (auto denial = role_rule(actor, record)) {
    return *denial;
  }
  if (data_class == DataClass::care) {
    if (auto denial = care_rule(actor, record)) {
      return *denial;
    }
  }
  return Decision{true, "granted by " + cell(actor.role, action, data_class)};
}

} // namespace hearth::policy
