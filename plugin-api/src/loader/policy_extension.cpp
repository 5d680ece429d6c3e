#include "loader/policy_extension.hpp"

#include <cstddef>
#include <sstream>

#include "loader/host_table.hpp"
#include "policy/policy.hpp"
#include "runtime/errors.hpp"

namespace hearth::loader {
namespace {

std::optional<std::string> text(const char *value) {
  return value != nullptr && *value != '\0' ? std::optional<std::string>(value) : std::nullopt;
}

int32_t check(const hearth_host *host, const hearth_actor *actor, const char *action, const char *data_class,
              const hearth_record_context *record, char **reason) {
  if (host == nullptr || actor == nullptr || actor->struct_size < offsetof(hearth_actor, access_point) + sizeof(void *)) {
    runtime::set_error(reason, "actor: missing or struct_size too small");
    return HEARTH_ERROR_INVALID_ARGUMENT;
  }
  const auto parsed_action = policy::parse_action(action != nullptr ? action : "");
  if (!parsed_action) {
    runtime::set_error(reason, "action: unknown");
    return HEARTH_ERROR_INVALID_ARGUMENT;
  }
  const auto parsed_class = policy::parse_data_class(data_class != nullptr ? data_class : "");
  if (!parsed_class) {
    runtime::set_error(reason, "data_class: unknown");
    return HEARTH_ERROR_INVALID_ARGUMENT;
  }
  policy::Actor who;
  who.user = actor->user != nullptr ? actor->user : "";
  who.role = actor->role != nullptr ? actor->role : "";
  who.organisation = actor->organisation != nullptr ? actor->organisation : "";
  who.on_behalf_of = actor->on_behalf_of != nullptr ? actor->on_behalf_of : "";
  who.access_point = actor->access_point != nullptr ? actor->access_point : "";
  who.emergency = actor->emergency != 0;
  std::optional<policy::RecordContext> context;
  if (record != nullptr && record->struct_size >= offsetof(hearth_record_context, case_members) + sizeof(void *)) {
    policy::RecordContext c;
    c.care_basis_recorded = record->care_basis_recorded != 0;
    c.tenancy_id = text(record->tenancy_id);
    c.portfolio_owner = text(record->portfolio_owner);
    c.tenant_user = text(record->tenant_user);
    c.reporter_user = text(record->reporter_user);
    if (record->case_members != nullptr) {
      std::istringstream members(record->case_members);
      for (std::string member; std::getline(members, member, ',');) {
        if (!member.empty()) {
          c.case_members.push_back(member);
        }
      }
    }
    context = std::move(c);
  }
  const auto *policy = PluginContext::from(host).services().policy;
  if (policy == nullptr) {
    runtime::set_error(reason, "no policy is loaded");
    return HEARTH_ERROR_DENIED;
  }
  const auto decision = policy->check(who, *parsed_action, *parsed_class, context);
  if (!decision.allowed) {
    runtime::set_error(reason, decision.reason);
    return HEARTH_ERROR_DENIED;
  }
  return HEARTH_OK;
}

} // namespace

const hearth_policy_extension *policy_extension() {
  static const hearth_policy_extension table{sizeof(hearth_policy_extension), 0, &check};
  return &table;
}

} // namespace hearth::loader
