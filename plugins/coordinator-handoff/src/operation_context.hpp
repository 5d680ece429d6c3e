// What one operation runs with: the actor, the clock reading, the storage, the policy and
// audit services, and the events to publish once its transaction has committed.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <hearth/actor.h>
#include <hearth/audit.h>
#include <hearth/plugin.hpp>
#include <hearth/policy.h>

#include "database.hpp"
#include "handoff_config.hpp"

namespace hearth::handoff {

class CaseGauges;

// A copy of the hearth_actor of a call (the ABI's is borrowed for the call only).
struct Actor {
  std::string user, role, organisation, on_behalf_of, access_point;
  bool emergency = false;

  // Copies `actor`; throws hearth::Error(INVALID_ARGUMENT) naming a missing required field.
  static Actor from(const hearth_actor *actor);
  // The plugin itself, acting on a timer or an event: role "system".
  static Actor plugin(const std::string &access_point, const std::string &on_behalf_of = "");
  // A view for the ABI; valid while this Actor lives.
  hearth_actor view() const;
};

// What the policy service is told about a record (hearth_record_context), owning its text.
struct RecordFacts {
  std::optional<std::string> tenancy_id, portfolio_owner, tenant_user, reporter_user;
  std::vector<std::string> case_members;
  bool care_basis_recorded = false;

  // A view for the ABI; valid while this object lives and is not changed.
  hearth_record_context view() const;

private:
  mutable std::string members_joined_;
};

// The services every operation shares, set up once in init(); immutable afterwards.
struct Services {
  Host host;
  const HandoffConfig *config = nullptr;
  const hearth_policy_extension *policy = nullptr;
  const hearth_audit_extension *audit = nullptr;
  CaseGauges *gauges = nullptr; // the /metrics gauges (case_gauges.hpp); nullptr in none
};

// Thrown when the policy service refuses the actor a record: the caller audits the refusal
// (after the transaction rolled back) and answers HEARTH_ERROR_NOT_FOUND with `message`,
// the very message a missing record gets.
struct Hidden {
  std::string action;
  std::string objects;
  std::string message;
};

// One event to publish after commit.
struct PendingEvent {
  std::string type, subject, payload;
};

// The context of one operation. Lives on the calling thread for one call.
class OperationContext {
public:
  // For `actor`, with its own copy of the host (safe on this thread); reads the clock once.
  OperationContext(const Services &services, Actor actor);

  // Who is acting, and what they act with (valid while this context lives).
  const Actor &actor() const { return actor_; }
  const Services &services() const { return services_; }
  const HandoffConfig &config() const { return *services_.config; }
  const Database &db() const { return db_; }
  const Host &host() const { return db_.host(); }
  // The runtime clock, read once when the operation started.
  std::int64_t now() const { return now_; }

  // Runs `work` in one storage transaction (joins an outer one on this thread). When it
  // fails, the events it queued are dropped and the exception passes on.
  void transaction(const std::function<void()> &work);

  // True when the policy service lets the actor (or `who`) do `action` on `data_class`
  // for the record `facts` describes.
  bool allowed(const char *action, const char *data_class, const RecordFacts &facts) const;
  bool allowed_for(const Actor &who, const char *action, const char *data_class, const RecordFacts &facts,
                   std::string *reason = nullptr) const;
  // Like allowed(), but throws Hidden{action, objects, not_found} when refused.
  void require(const char *action, const char *data_class, const RecordFacts &facts, const std::string &objects,
               const std::string &not_found) const;

  // Appends an audit entry for the actor (joins the current transaction).
  void audit(const char *action, const std::string &objects, const std::string &purpose) const;
  // Appends an audit entry of a refused access (commits on its own; call outside a
  // transaction that will roll back).
  void audit_refusal(const char *action, const std::string &objects) const;

  // Queues an event to publish when the operation has committed.
  void publish_after_commit(PendingEvent event) { events_.push_back(std::move(event)); }
  // Publishes the queued events (the runtime calls nothing else after a success).
  void publish_pending();

  // A fresh, unique id: "<prefix>-<random UUID with its last group split in two>", so that
  // no run of digits in it can look like a BSN.
  static std::string new_id(const std::string &prefix);

private:
  Services services_;
  Actor actor_;
  Database db_;
  std::int64_t now_ = 0;
  std::vector<PendingEvent> events_;
};

} // namespace hearth::handoff
