// Readable names for the numbers of the plugin ABI.
#include "plugin_names.hpp"

#include <hearth/host.h>

namespace hearth::cli {

std::string plugin_kind_name(std::uint32_t kind) {
  switch (kind) {
  case HEARTH_PLUGIN_KIND_OTHER:
    return "other";
  case HEARTH_PLUGIN_KIND_SCORER:
    return "scorer";
  case HEARTH_PLUGIN_KIND_WORKFLOW:
    return "workflow";
  case HEARTH_PLUGIN_KIND_DASHBOARD:
    return "dashboard";
  case HEARTH_PLUGIN_KIND_ADAPTER:
    return "adapter";
  default:
    return "kind " + std::to_string(kind);
  }
}

std::string plugin_state_name(std::uint32_t state) {
  switch (state) {
  case HEARTH_PLUGIN_STATE_ACTIVE:
    return "active";
  case HEARTH_PLUGIN_STATE_REFUSED:
    return "refused";
  case HEARTH_PLUGIN_STATE_FAILED:
    return "failed";
  case HEARTH_PLUGIN_STATE_STOPPED:
    return "stopped";
  default:
    return "state " + std::to_string(state);
  }
}

} // namespace hearth::cli
