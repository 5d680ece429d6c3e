// Opens one plugin module with Boost.DLL and checks everything about it that can be
// checked before init(): file, ELF, entry symbol, version negotiation, struct sizes,
// descriptor. The result is either an accepted module or a refusal with a message naming
// the file, the cause and both ABI versions.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include <boost/dll/shared_library.hpp>

#include "hearth/plugin.h"

namespace hearth::loader {

// What a descriptor said, copied so it outlives the module.
struct DescriptorCopy {
  std::string id, name, vendor, version, description;
  std::uint32_t kind = HEARTH_PLUGIN_KIND_OTHER;
  std::vector<std::string> features;
  std::vector<std::string> dependencies;
};

// A module that passed every check. Keeps the library loaded for as long as it lives:
// destroy it only after deinit() returned and nothing of the plugin is referenced.
struct AcceptedModule {
  std::filesystem::path path;
  boost::dll::shared_library library;
  hearth_plugin_entry entry{}; // copied, zero-filled past the plugin's struct_size
  std::uint32_t abi_major = 0, abi_minor = 0;
  DescriptorCopy descriptor;
};

struct Refusal {
  std::int32_t status = 0;      // a hearth_status
  std::string message;          // "<file>: <cause> (plugin ABI x.y, host ABI 1.0)"
  std::uint32_t abi_major = 0;  // 0 when unknown
  std::uint32_t abi_minor = 0;
  DescriptorCopy descriptor;    // whatever could be read, for listings
};

using LoadOutcome = std::variant<std::unique_ptr<AcceptedModule>, Refusal>;

// Loads and checks `path`, offering the host ABI `host_major`.`host_minor`. Never throws;
// a module that throws from its entry function is refused.
LoadOutcome load_module(const std::filesystem::path &path, std::uint32_t host_major,
                        std::uint32_t host_minor);

// The reverse-DNS rule for plugin ids: lower-case letters, digits, '-' and '.', at least
// two labels, no empty label.
bool is_valid_plugin_id(const std::string &id);

// "scorer", "workflow", "dashboard", "adapter" or "other".
const char *kind_name(std::uint32_t kind);

} // namespace hearth::loader
