#include "commands/early-warning-common/early_warning_call.hpp"

#include "cli_errors.hpp"
#include "hearth_text.hpp"

namespace hearth::cli {

namespace {
constexpr const char *kPluginId = "nl.hearth.early-warning";
}

EarlyWarningSession::EarlyWarningSession(const std::optional<std::string> &config_dir) : session_(config_dir) {
  session_.load_plugins();
  for (const auto &plugin : session_.plugins()) {
    if (plugin.id != kPluginId) {
      continue;
    }
    if (plugin.state != HEARTH_PLUGIN_STATE_ACTIVE) {
      throw CommandFailure(std::string("the early-warning plugin is not running: ") + plugin.message);
    }
    return;
  }
  throw CommandFailure("the early-warning plugin is not installed (hearth plugins list)");
}

std::string EarlyWarningSession::call(const hearth_actor *actor, const std::string &operation,
                                      const std::string &args_json, const std::string &what) const {
  HearthText result, error;
  const std::int32_t status = hearth_runtime_call(session_.handle(), actor, kPluginId, operation.c_str(),
                                                  args_json.c_str(), result.out(), error.out());
  if (status != HEARTH_OK) {
    throw CommandFailure(what + " failed: " + failure_message(status, error));
  }
  return result.str();
}

} // namespace hearth::cli
