// Calling an operation of the early-warning plugin from a `hearth` command: opens the
// runtime, loads the plugins, checks that the plugin is running, and turns failures into
// CommandFailure with the plugin's one-line reason.
#pragma once

#include <optional>
#include <string>

#include <hearth/host.h>

#include "runtime_session.hpp"

namespace hearth::cli {

// A runtime session with the early-warning plugin running.
class EarlyWarningSession {
public:
  // Throws CommandFailure when the runtime cannot open or the plugin is not active (with
  // the runtime's reason, e.g. a rule file that was refused).
  explicit EarlyWarningSession(const std::optional<std::string> &config_dir);

  // Runs `operation` with `args_json` for `actor`; returns the JSON answer. Throws
  // CommandFailure("<what> failed: <reason>").
  std::string call(const hearth_actor *actor, const std::string &operation, const std::string &args_json,
                   const std::string &what) const;
  hearth_runtime *handle() const { return session_.handle(); }

private:
  RuntimeSession session_;
};

} // namespace hearth::cli
