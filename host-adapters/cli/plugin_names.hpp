// Readable names for the numbers of the plugin ABI.
#pragma once

#include <cstdint>
#include <string>

namespace hearth::cli {

// "scorer", "workflow", ... for an enum hearth_plugin_kind; "kind N" when unknown.
std::string plugin_kind_name(std::uint32_t kind);

// "active", "refused", "failed", "stopped" for an enum hearth_plugin_state.
std::string plugin_state_name(std::uint32_t state);

} // namespace hearth::cli
