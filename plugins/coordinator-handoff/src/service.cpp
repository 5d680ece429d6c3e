#include "service.hpp"

#include "case_gauges.hpp"
#include "operations.hpp"

namespace hearth::handoff {
namespace {

const Operation *find_operation(std::string_view name) {
  for (const auto &operation : all_operations()) {
    if (operation.name == name) {
      return &operation;
    }
  }
  return nullptr;
}

// The audit objects of a refused call: the record ids named in the arguments.
std::string refused_objects(const std::string &operation, const std::string &args_json) {
  std::string objects = "operation:" + operation;
  const auto args = parse_object(args_json);
  for (const std::string field : {"case_id", "offer_id", "consult_id", "report_id", "reservation_id", "action_id",
                                  "member_id", "tenancy_id", "unit_id"}) {
    if (args->has(field) && args->get(field).isString()) {
      objects += "," + field.substr(0, field.size() - 3) + ":" + args->get(field).convert<std::string>().substr(0, 100);
    }
  }
  return objects;
}

} // namespace

std::string run_operation(const Services &services, const hearth_actor &c_actor, std::string_view operation_name,
                          std::string_view args_view) {
  const Actor actor = Actor::from(&c_actor);
  const Operation *operation = find_operation(operation_name);
  if (operation == nullptr) {
    throw Error(HEARTH_ERROR_NOT_FOUND, "operation: no such operation");
  }
  const std::string args_json = args_view.empty() ? std::string("{}") : std::string(args_view);
  OperationContext ctx(services, actor);
  const auto &roles = services.config->operation_roles.at(operation->name);
  if (!roles.contains(actor.role)) {
    ctx.audit_refusal(operation->action, refused_objects(operation->name, args_json));
    throw Error(HEARTH_ERROR_DENIED, "operation '" + operation->name + "' is not open to the role " + actor.role);
  }
  try {
    const Args args(args_json);
    std::string answer = operation->handler(ctx, args);
    ctx.publish_pending();
    const std::string_view action = operation->action;
    if (services.gauges != nullptr && action != HEARTH_ACTION_READ && action != HEARTH_ACTION_SEARCH) {
      services.gauges->refresh(); // a change may have opened or closed a case, or made or answered an offer
    }
    return answer;
  } catch (const Hidden &hidden) {
    ctx.audit_refusal(hidden.action.c_str(), hidden.objects);
    throw Error(HEARTH_ERROR_NOT_FOUND, hidden.message);
  } catch (const Error &e) {
    if (e.status() == HEARTH_ERROR_DENIED) {
      ctx.audit_refusal(operation->action, refused_objects(operation->name, args_json));
    }
    throw;
  }
}

const std::vector<Operation> &all_operations() {
  static const std::vector<Operation> operations = [] {
    std::vector<Operation> all;
    add_case_operations(all);
    add_handoff_operations(all);
    add_escalation_operations(all);
    add_plan_operations(all);
    add_network_operations(all);
    add_consult_operations(all);
    add_place_operations(all);
    add_placement_operations(all);
    add_report_operations(all);
    add_timeline_operations(all);
    add_metrics_operations(all);
    return all;
  }();
  return operations;
}

} // namespace hearth::handoff
