// "nl.hearth.audit/1": a plugin's entries in the runtime's NEN 7513 log.
#include <cstddef>
#include <stdexcept>

#include "audit/audit_log.hpp"
#include "hearth/status.h"
#include "loader/host_table.hpp"
#include "loader/service_extensions.hpp"
#include "policy/abi_actor.hpp"
#include "runtime/clock.hpp"
#include "runtime/errors.hpp"

namespace hearth::loader {
namespace {

int32_t record(const hearth_host *host, const hearth_actor *actor, const hearth_audit_record *entry,
               char **error) {
  if (host == nullptr) {
    return HEARTH_ERROR_INVALID_ARGUMENT;
  }
  try {
    std::string reason;
    const auto who = policy::actor_from_abi(actor, reason);
    if (!who) {
      runtime::set_error(error, reason);
      return HEARTH_ERROR_INVALID_ARGUMENT;
    }
    if (entry == nullptr || entry->struct_size < offsetof(hearth_audit_record, purpose) + sizeof(void *)) {
      runtime::set_error(error, "record: missing or struct_size too small");
      return HEARTH_ERROR_INVALID_ARGUMENT;
    }
    if (entry->event == nullptr || *entry->event == '\0') {
      runtime::set_error(error, "record.event: missing");
      return HEARTH_ERROR_INVALID_ARGUMENT;
    }
    if (entry->objects == nullptr || *entry->objects == '\0') {
      runtime::set_error(error, "record.objects: missing");
      return HEARTH_ERROR_INVALID_ARGUMENT;
    }
    auto &services = PluginContext::from(host).services();
    if (services.audit == nullptr) {
      runtime::set_error(error, "the audit log is not available");
      return HEARTH_ERROR_STATE;
    }
    audit::AuditEntry out;
    out.event = entry->event;
    out.user = who->user;
    out.on_behalf_of = who->on_behalf_of;
    out.organisation = who->organisation;
    out.role = who->role;
    out.access_point = who->access_point;
    out.objects = entry->objects;
    out.emergency = who->emergency;
    out.purpose = entry->purpose != nullptr ? entry->purpose : "";
    out.outcome = entry->denied != 0 ? "denied" : "allowed";
    services.audit->append(std::move(out), services.clock->now_ms());
    return HEARTH_OK;
  } catch (const std::invalid_argument &failure) {
    runtime::set_error(error, std::string("record.") + failure.what());
    return HEARTH_ERROR_INVALID_ARGUMENT;
  } catch (...) {
    return runtime::status_from_current_exception(error);
  }
}

} // namespace

const hearth_audit_extension *audit_extension() {
  static const hearth_audit_extension table{sizeof(hearth_audit_extension), 0, &record};
  return &table;
}

} // namespace hearth::loader
