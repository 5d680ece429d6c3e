// An open Hearth runtime for the length of one command.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <hearth/host.h>

namespace hearth::cli {

// One plugin as the runtime reports it, copied out of hearth_plugin_info.
struct PluginRecord {
  std::uint32_t state = HEARTH_PLUGIN_STATE_ACTIVE; // enum hearth_plugin_state
  std::uint32_t kind = HEARTH_PLUGIN_KIND_OTHER;    // enum hearth_plugin_kind
  std::string id;
  std::string name;
  std::string version;
  std::string path;
  std::string message; // why it was refused or failed
};

// Opens a runtime on construction and closes it on destruction. Every method throws
// CommandFailure with the library's message when a call fails.
class RuntimeSession {
public:
  // Opens the runtime from `config_dir` (nothing: built-in defaults).
  explicit RuntimeSession(const std::optional<std::string> &config_dir);
  ~RuntimeSession();
  RuntimeSession(const RuntimeSession &) = delete;
  RuntimeSession &operator=(const RuntimeSession &) = delete;

  // Loads every configured plugin; refusals are recorded per plugin, not thrown.
  void load_plugins();
  // Every plugin and refused module the runtime knows.
  std::vector<PluginRecord> plugins() const;
  // The plugin list as the runtime's JSON array.
  std::string plugins_json() const;
  // Starts HTTP on `address` (nothing: configured) and `port` (0: configured); returns the
  // bound port.
  std::uint16_t serve_http(const std::optional<std::string> &address, std::uint16_t port);
  // Stops HTTP, letting running requests end.
  void stop_http();
  // The open runtime, for calls this class does not wrap; valid while the session lives.
  hearth_runtime *handle() const { return runtime_; }

private:
  hearth_runtime *runtime_ = nullptr;
};

} // namespace hearth::cli
