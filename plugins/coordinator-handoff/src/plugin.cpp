// The coordinator-handoff plugin ("nl.hearth.coordinator-handoff"): one accountable owner
// per case, warm handoffs, the escalation ladder with mandate, the tenant's plan and
// network, consults, time-out places and placement advice. docs/handoff.md explains it.
#include <atomic>
#include <memory>
#include <set>

#include <hearth/audit.h>
#include <hearth/plugin.hpp>
#include <hearth/policy.h>
#include <hearth/service.h>

#include "case_gauges.hpp"
#include "event_handlers.hpp"
#include "handoff_config.hpp"
#include "operations.hpp"
#include "place_register.hpp"
#include "schema.hpp"
#include "service.hpp"

namespace hearth::handoff {
namespace {

const char *const kFeatures[] = {"nl.hearth.coordinator-handoff.cases/1", HEARTH_SERVICE_FACTORY_ID, nullptr};

const hearth_plugin_descriptor kDescriptor{sizeof(hearth_plugin_descriptor),
                                           HEARTH_PLUGIN_KIND_WORKFLOW,
                                           "nl.hearth.coordinator-handoff",
                                           "Coordinator handoff",
                                           "Hearth",
                                           "0.1.0",
                                           "One accountable owner per case, warm handoffs and escalation with mandate.",
                                           kFeatures,
                                           nullptr};

class CoordinatorHandoff : public Plugin {
public:
  void init(Host host) override {
    const hearth_host *c_host = host.c_host();
    if (c_host->abi_minor < 1) {
      throw Error(HEARTH_ERROR_VERSION, "needs a Hearth runtime with ABI 1.1 or later (service, audit)");
    }
    // A configuration mistake is the operator's to fix: say why at error level (plugin.hpp
    // logs an INVALID_ARGUMENT from init at debug only, like a caller's refusal).
    const auto refuse = [&](const std::string &why) {
      host.log_error("not started: " + why);
      return Error(HEARTH_ERROR_INVALID_ARGUMENT, why);
    };
    const auto folder = host.config("config_dir");
    if (!folder || folder->empty()) {
      throw refuse("config_dir: missing; set [plugin.nl.hearth.coordinator-handoff] config_dir in hearth.ini");
    }
    std::set<std::string> names;
    for (const auto &operation : all_operations()) {
      names.insert(operation.name);
    }
    try {
      config_ = std::make_unique<HandoffConfig>(HandoffConfig::load(std::string(*folder), names));
    } catch (const std::invalid_argument &e) {
      throw refuse(e.what());
    }
    services_.host = host;
    services_.config = config_.get();
    services_.policy = static_cast<const hearth_policy_extension *>(
        c_host->get_extension(c_host, HEARTH_POLICY_EXTENSION_ID));
    services_.audit = static_cast<const hearth_audit_extension *>(
        c_host->get_extension(c_host, HEARTH_AUDIT_EXTENSION_ID));
    if (services_.policy == nullptr || services_.audit == nullptr) {
      throw Error(HEARTH_ERROR_UNSUPPORTED, "needs the runtime's policy and audit extensions");
    }
    const auto &all = migrations();
    host.migrate(all);
    host.transaction([&] { sync_places(Database(host), *config_); });
    gauges_ = std::make_unique<CaseGauges>(host, *config_);
    services_.gauges = gauges_.get();
    gauges_->refresh(); // from the store as it is now
    events_ = std::make_unique<EventHandlers>(services_);
    events_->subscribe();
    running_ = true;
    host.log_info("coordinator handoff ready: " + std::to_string(all_operations().size()) + " operations, " +
                  std::to_string(config_->ladder.levels.size()) + " ladder levels, " +
                  std::to_string(config_->places.size()) + " places");
  }

  void deinit() noexcept override {
    running_ = false;
    if (events_) {
      events_->unsubscribe();
      events_.reset();
    }
  }

  bool offers_operations() const override { return true; }

  std::string call(const hearth_actor &actor, std::string_view operation, std::string_view args_json) override {
    if (!running_) {
      throw Error(HEARTH_ERROR_STATE, "the coordinator-handoff plugin is not running");
    }
    return run_operation(services_, actor, operation, args_json);
  }

private:
  std::unique_ptr<HandoffConfig> config_;
  Services services_;
  std::unique_ptr<CaseGauges> gauges_;
  std::unique_ptr<EventHandlers> events_;
  std::atomic<bool> running_{false};
};

} // namespace
} // namespace hearth::handoff

HEARTH_DEFINE_PLUGIN(hearth::handoff::CoordinatorHandoff, hearth::handoff::kDescriptor)
