// How the runtime runs one plugin with `isolation = process`: the keys of its
// [plugin.<id>] section (docs/integrators/isolation.md) and where the child executable is.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <set>
#include <string>

namespace hearth::runtime {
class Config;
}

namespace hearth::isolation {

struct IsolationSettings {
  std::filesystem::path host_executable;                // hearth-plugin-host
  std::chrono::milliseconds start_timeout{10'000};      // plugin.<id>.start_timeout_ms: child start + init()
  std::chrono::milliseconds call_timeout{30'000};       // plugin.<id>.call_timeout_ms: one call or query
  std::chrono::milliseconds stop_timeout{5'000};        // plugin.<id>.stop_timeout_ms: deinit() and exit
  std::chrono::milliseconds restart_delay{100};         // plugin.<id>.restart_delay_ms: first backoff
  std::chrono::milliseconds restart_delay_max{30'000};  // plugin.<id>.restart_delay_max_ms: backoff cap
  std::chrono::milliseconds crash_window{60'000};       // plugin.<id>.crash_window_ms
  std::uint32_t crash_limit = 5;                        // plugin.<id>.crash_limit: failures in the window
  std::uint64_t memory_limit_mb = 0;                    // plugin.<id>.memory_limit_mb: 0 for none

  // Reads the [plugin.<id>] keys above, falling back to the defaults shown. Throws
  // runtime::ConfigError naming the key for a value out of range. [any-thread]
  static IsolationSettings from_config(const runtime::Config &config, const std::string &plugin_id);
};

// The ids whose `plugin.<id>.isolation` is "process". Throws runtime::ConfigError naming
// the key for a value other than "process" or "in-process". [any-thread]
std::set<std::string> isolated_plugin_ids(const runtime::Config &config);

// Where hearth-plugin-host is: env HEARTH_PLUGIN_HOST when set, else config
// runtime.plugin_host when set (either used as given, even when absent: the start then
// fails naming it), else the first that exists of: beside the running executable,
// ../libexec/hearth/ and ../../libexec/hearth/ from the folder of the library holding this
// code (libhearth.so when installed). [any-thread]
std::filesystem::path find_plugin_host(const runtime::Config &config);

} // namespace hearth::isolation
