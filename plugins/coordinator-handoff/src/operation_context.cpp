#include "operation_context.hpp"

#include <Poco/UUIDGenerator.h>

namespace hearth::handoff {
namespace {

std::string copy(const char *text) { return text != nullptr ? text : ""; }

} // namespace

Actor Actor::from(const hearth_actor *actor) {
  if (actor == nullptr) {
    throw Error(HEARTH_ERROR_INVALID_ARGUMENT, "actor: missing");
  }
  Actor a;
  a.user = copy(actor->user);
  a.role = copy(actor->role);
  a.organisation = copy(actor->organisation);
  a.on_behalf_of = copy(actor->on_behalf_of);
  a.access_point = copy(actor->access_point);
  a.emergency = actor->emergency != 0;
  for (const auto &[field, value] : {std::pair{"actor.user", &a.user}, std::pair{"actor.role", &a.role},
                                     std::pair{"actor.organisation", &a.organisation},
                                     std::pair{"actor.access_point", &a.access_point}}) {
    if (value->empty()) {
      throw Error(HEARTH_ERROR_INVALID_ARGUMENT, std::string(field) + ": missing");
    }
  }
  return a;
}

Actor Actor::plugin(const std::string &access_point, const std::string &on_behalf_of) {
  Actor a;
  a.user = "nl.hearth.coordinator-handoff";
  a.role = HEARTH_ROLE_SYSTEM;
  a.organisation = "hearth";
  a.access_point = access_point;
  a.on_behalf_of = on_behalf_of;
  return a;
}

hearth_actor Actor::view() const {
  hearth_actor a{};
  a.struct_size = sizeof a;
  a.emergency = emergency ? 1u : 0u;
  a.user = user.c_str();
  a.role = role.c_str();
  a.organisation = organisation.c_str();
  a.on_behalf_of = on_behalf_of.empty() ? nullptr : on_behalf_of.c_str();
  a.access_point = access_point.c_str();
  return a;
}

hearth_record_context RecordFacts::view() const {
  members_joined_.clear();
  for (const auto &member : case_members) {
    members_joined_ += (members_joined_.empty() ? "" : ",") + member;
  }
  hearth_record_context c{};
  c.struct_size = sizeof c;
  c.care_basis_recorded = care_basis_recorded ? 1u : 0u;
  c.tenancy_id = tenancy_id ? tenancy_id->c_str() : nullptr;
  c.portfolio_owner = portfolio_owner ? portfolio_owner->c_str() : nullptr;
  c.tenant_user = tenant_user ? tenant_user->c_str() : nullptr;
  c.reporter_user = reporter_user ? reporter_user->c_str() : nullptr;
  c.case_members = case_members.empty() ? nullptr : members_joined_.c_str();
  return c;
}

OperationContext::OperationContext(const Services &services, Actor actor)
    : services_(services), actor_(std::move(actor)), db_(services.host), now_(services.host.now_ms()) {}

void OperationContext::transaction(const std::function<void()> &work) {
  const std::size_t queued = events_.size();
  try {
    host().transaction(work);
  } catch (...) {
    events_.resize(queued); // what a rolled-back transaction queued never happened
    throw;
  }
}

bool OperationContext::allowed_for(const Actor &who, const char *action, const char *data_class,
                                   const RecordFacts &facts, std::string *reason) const {
  const hearth_actor actor = who.view();
  const hearth_record_context record = facts.view();
  char *why = nullptr;
  const auto *c_host = host().c_host();
  const int32_t status = services_.policy->check(c_host, &actor, action, data_class, &record, &why);
  if (reason != nullptr) {
    *reason = why != nullptr ? why : "";
  }
  c_host->free(why);
  if (status == HEARTH_ERROR_INVALID_ARGUMENT) {
    throw Error(HEARTH_ERROR_INTERNAL, std::string("policy: unknown action or data class ") + action + "/" + data_class);
  }
  return status == HEARTH_OK;
}

bool OperationContext::allowed(const char *action, const char *data_class, const RecordFacts &facts) const {
  return allowed_for(actor_, action, data_class, facts);
}

void OperationContext::require(const char *action, const char *data_class, const RecordFacts &facts,
                               const std::string &objects, const std::string &not_found) const {
  if (!allowed(action, data_class, facts)) {
    throw Hidden{action, objects, not_found};
  }
}

void OperationContext::audit(const char *action, const std::string &objects, const std::string &purpose) const {
  const hearth_actor actor = actor_.view();
  hearth_audit_record record{};
  record.struct_size = sizeof record;
  record.event = action;
  record.objects = objects.c_str();
  record.purpose = purpose.empty() ? nullptr : purpose.c_str();
  char *error = nullptr;
  const auto *c_host = host().c_host();
  const int32_t status = services_.audit->record(c_host, &actor, &record, &error);
  const std::string message = error != nullptr ? error : "";
  c_host->free(error);
  if (status != HEARTH_OK) {
    throw Error(status, "audit: " + message);
  }
}

void OperationContext::audit_refusal(const char *action, const std::string &objects) const {
  const hearth_actor actor = actor_.view();
  hearth_audit_record record{};
  record.struct_size = sizeof record;
  record.denied = 1;
  record.event = action;
  record.objects = objects.c_str();
  char *error = nullptr;
  const auto *c_host = host().c_host();
  const int32_t status = services_.audit->record(c_host, &actor, &record, &error);
  c_host->free(error);
  if (status != HEARTH_OK) {
    host().log_warn("could not audit a refused access (status " + std::to_string(status) + ")");
  }
}

void OperationContext::publish_pending() {
  for (const auto &event : events_) {
    try {
      host().publish(event.type, event.subject, event.payload, now_);
    } catch (const std::exception &e) {
      host().log_warn(std::string("could not publish ") + event.type + ": " + e.what());
    }
  }
  events_.clear();
}

std::string OperationContext::new_id(const std::string &prefix) {
  std::string uuid = Poco::UUIDGenerator::defaultGenerator().createRandom().toString();
  // The last group has 12 hex digits and can hold a run of 9 decimal digits that passes
  // the elfproef: the audit log (rightly) refuses such an id as a possible BSN. Splitting
  // it keeps every run of digits at 8 or fewer.
  uuid.insert(uuid.size() - 6, 1, '-');
  return prefix + "-" + uuid;
}

} // namespace hearth::handoff
