// The audit entry for an action of an actor: who (user, on whose behalf, organisation,
// role), from where, with or without emergency access — the NEN 7513 fields every data
// service fills the same way.
#pragma once

#include <string>

#include "audit/audit_log.hpp"
#include "policy/policy.hpp"

namespace hearth::data {

// `event` is create | read | update | delete | search | export; `objects` names the
// objects by id (never a BSN or name).
inline audit::AuditEntry audit_entry(const policy::Actor &actor, std::string event, std::string objects,
                                     bool allowed = true) {
  audit::AuditEntry entry;
  entry.event = std::move(event);
  entry.user = actor.user;
  entry.on_behalf_of = actor.on_behalf_of;
  entry.organisation = actor.organisation;
  entry.role = actor.role;
  entry.access_point = actor.access_point;
  entry.emergency = actor.emergency;
  entry.objects = std::move(objects);
  entry.outcome = allowed ? "allowed" : "denied";
  return entry;
}

} // namespace hearth::data
