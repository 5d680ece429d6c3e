// Who may see and decide on flags, and the audit entries of every access: the policy
// extension (hearth/policy.h) and the audit extension (hearth/audit.h) as the plugin
// uses them. A flag is derived from every data class its rule set reads, so reading one
// needs "read" on each of those classes and on case_plan (a flag is advice in the case
// plan), for the tenancy's record; deciding needs "update" on case_plan as well.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <hearth/audit.h>
#include <hearth/plugin.hpp>
#include <hearth/policy.h>

namespace hearth::early_warning {

// What the record rules need of a tenancy (hearth_tenancy).
struct TenancyContext {
  std::string tenancy_id;
  std::string portfolio_owner; // "" when none
  std::string tenant_user;     // "" when none
};

// An owned copy of an actor, valid as long as it lives.
class ActorCopy {
public:
  explicit ActorCopy(const hearth_actor &actor);
  ActorCopy(const ActorCopy &other) : ActorCopy(*other.get()) {}
  ActorCopy &operator=(const ActorCopy &) = delete;
  const hearth_actor *get() const { return &actor_; }
  const std::string &user() const { return user_; }
  const std::string &role() const { return role_; }

private:
  std::string user_, role_, organisation_, on_behalf_of_, access_point_;
  bool has_on_behalf_of_ = false;
  hearth_actor actor_{};
};

class Access {
public:
  // Throws hearth::Error when the runtime offers no policy or audit extension.
  explicit Access(Host host);

  // The tenancy's record context, or nothing when Hearth does not hold the tenancy.
  std::optional<TenancyContext> context_of(const std::string &tenancy_id) const;

  // True when `actor` may read the flags of the tenancy `context` describes, flags derived
  // from `data_classes` (RuleSet::data_classes()).
  bool may_read(const hearth_actor &actor, const TenancyContext &context,
                const std::vector<std::string> &data_classes) const;
  // True when `actor` may decide on them (update on case_plan); may_read is asked first.
  bool may_decide(const hearth_actor &actor, const TenancyContext &context) const;

  // Appends one audit entry for `actor`. Inside a storage transaction it joins it.
  // Throws hearth::Error when the audit service refuses.
  void record(const hearth_actor &actor, const char *event, const std::string &objects, bool denied,
              const char *purpose = "early-warning") const;

  // The plugin acting on its own (flag creation, rescoring): role system.
  const hearth_actor &system_actor() const { return *system_->get(); }
  void set_organisation(const std::string &organisation);

private:
  bool check(const hearth_actor &actor, const char *action, const char *data_class,
             const TenancyContext &context) const;

  Host host_;
  const hearth_policy_extension *policy_ = nullptr;
  const hearth_audit_extension *audit_ = nullptr;
  std::unique_ptr<ActorCopy> system_;
};

} // namespace hearth::early_warning
