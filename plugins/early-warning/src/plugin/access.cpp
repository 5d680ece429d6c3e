#include "plugin/access.hpp"

#include "hearth/early_warning.h"

namespace hearth::early_warning {

ActorCopy::ActorCopy(const hearth_actor &actor)
    : user_(actor.user != nullptr ? actor.user : ""), role_(actor.role != nullptr ? actor.role : ""),
      organisation_(actor.organisation != nullptr ? actor.organisation : ""),
      on_behalf_of_(actor.on_behalf_of != nullptr ? actor.on_behalf_of : ""),
      access_point_(actor.access_point != nullptr ? actor.access_point : ""),
      has_on_behalf_of_(actor.on_behalf_of != nullptr) {
  actor_.struct_size = sizeof actor_;
  actor_.emergency = actor.emergency;
  actor_.user = user_.c_str();
  actor_.role = role_.c_str();
  actor_.organisation = organisation_.c_str();
  actor_.on_behalf_of = has_on_behalf_of_ ? on_behalf_of_.c_str() : nullptr;
  actor_.access_point = access_point_.c_str();
}

Access::Access(Host host) : host_(host) {
  policy_ = static_cast<const hearth_policy_extension *>(
      host_.c_host()->get_extension(host_.c_host(), HEARTH_POLICY_EXTENSION_ID));
  audit_ = static_cast<const hearth_audit_extension *>(
      host_.c_host()->get_extension(host_.c_host(), HEARTH_AUDIT_EXTENSION_ID));
  if (policy_ == nullptr || audit_ == nullptr) {
    throw Error(HEARTH_ERROR_UNSUPPORTED, std::string("the runtime offers no ") +
                                              (policy_ == nullptr ? HEARTH_POLICY_EXTENSION_ID : HEARTH_AUDIT_EXTENSION_ID) +
                                              ": flags cannot be shown without the policy and audit services");
  }
  set_organisation("hearth");
}

void Access::set_organisation(const std::string &organisation) {
  hearth_actor actor{};
  actor.struct_size = sizeof actor;
  actor.user = HEARTH_EW_PLUGIN_ID;
  actor.role = HEARTH_ROLE_SYSTEM;
  actor.organisation = organisation.c_str();
  actor.access_point = "plugin:" HEARTH_EW_PLUGIN_ID;
  system_ = std::make_unique<ActorCopy>(actor);
}

std::optional<TenancyContext> Access::context_of(const std::string &tenancy_id) const {
  std::optional<TenancyContext> context;
  host_.execute("SELECT portfolio_owner, tenant_user FROM hearth_tenancy WHERE id = ?", {tenancy_id},
                [&](const RowView &row) {
                  context = TenancyContext{tenancy_id, row.is_null(0) ? "" : std::string(row.text(0)),
                                           row.is_null(1) ? "" : std::string(row.text(1))};
                  return false;
                });
  return context;
}

bool Access::check(const hearth_actor &actor, const char *action, const char *data_class,
                   const TenancyContext &context) const {
  hearth_record_context record{};
  record.struct_size = sizeof record;
  record.tenancy_id = context.tenancy_id.c_str();
  record.portfolio_owner = context.portfolio_owner.empty() ? nullptr : context.portfolio_owner.c_str();
  record.tenant_user = context.tenant_user.empty() ? nullptr : context.tenant_user.c_str();
  char *reason = nullptr;
  const std::int32_t status = policy_->check(host_.c_host(), &actor, action, data_class, &record, &reason);
  host_.c_host()->free(reason);
  return status == HEARTH_OK;
}

bool Access::may_read(const hearth_actor &actor, const TenancyContext &context,
                      const std::vector<std::string> &data_classes) const {
  if (!check(actor, HEARTH_ACTION_READ, HEARTH_DATA_CASE_PLAN, context)) {
    return false;
  }
  for (const auto &data_class : data_classes) {
    if (!check(actor, HEARTH_ACTION_READ, data_class.c_str(), context)) {
      return false;
    }
  }
  return true;
}

bool Access::may_decide(const hearth_actor &actor, const TenancyContext &context) const {
  return check(actor, HEARTH_ACTION_UPDATE, HEARTH_DATA_CASE_PLAN, context);
}

void Access::record(const hearth_actor &actor, const char *event, const std::string &objects, bool denied,
                    const char *purpose) const {
  hearth_audit_record entry{};
  entry.struct_size = sizeof entry;
  entry.denied = denied ? 1 : 0;
  entry.event = event;
  entry.objects = objects.c_str();
  entry.purpose = purpose;
  char *error = nullptr;
  const std::int32_t status = audit_->record(host_.c_host(), &actor, &entry, &error);
  const std::string message = error != nullptr ? error : "";
  host_.c_host()->free(error);
  if (status != HEARTH_OK) {
    throw Error(status, "audit: " + message);
  }
}

} // namespace hearth::early_warning
