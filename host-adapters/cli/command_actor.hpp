// The person behind an administrative command, as the hearth_actor the runtime checks
// and audits: --user and --organisation (with defaults), a fixed role, access point "cli".
#pragma once

#include <string>

#include <hearth/host.h>

#include "command_line.hpp"

namespace hearth::cli {

class CommandActor {
public:
  // Throws UsageError when --user or --organisation is given empty.
  CommandActor(const CommandOptions &options, const char *role, const std::string &default_user);
  CommandActor(const CommandActor &) = delete;
  CommandActor &operator=(const CommandActor &) = delete;

  // Valid while this object lives.
  const hearth_actor *get() const { return &actor_; }

private:
  std::string user_, organisation_;
  hearth_actor actor_{};
};

} // namespace hearth::cli
