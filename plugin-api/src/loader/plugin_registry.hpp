// The plugins of one runtime: loads modules, refuses what does not fit, initialises the
// accepted ones in dependency order, answers queries, and shuts them down in reverse.
// A failure of one plugin never stops the others.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <shared_mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "hearth/host.h"
#include "loader/host_table.hpp"
#include "loader/module_loader.hpp"
#include "runtime/services.hpp"

namespace hearth::isolation {
class IsolatedPlugin;
}

namespace hearth::loader {

// What the runtime knows of one plugin or refused module.
struct PluginRecord {
  std::filesystem::path path;
  std::uint32_t state = HEARTH_PLUGIN_STATE_REFUSED; // enum hearth_plugin_state
  std::int32_t status = 0;  // the refusal's or failure's status
  std::string message;
  std::uint32_t abi_major = 0, abi_minor = 0;
  DescriptorCopy descriptor;
  std::unique_ptr<AcceptedModule> module;   // set while loaded
  std::unique_ptr<PluginContext> context;   // set while initialised
  // `isolation = process`: the plugin runs in a child process; `module` stays empty and
  // `isolated` is set while initialised (its context answers the child's host calls).
  bool isolated_mode = false;
  std::unique_ptr<isolation::IsolatedPlugin> isolated;
  ~PluginRecord();
};

class PluginRegistry {
public:
  explicit PluginRegistry(runtime::Services &services);
  ~PluginRegistry(); // shuts down
  PluginRegistry(const PluginRegistry &) = delete;
  PluginRegistry &operator=(const PluginRegistry &) = delete;

  // Loads every "*.so" file in `folders` (in name order) not loaded before, then
  // initialises the accepted ones in dependency order. Ids in `disabled` are skipped.
  // When the configuration gives any plugin `isolation = process`, every module is first
  // described in a hearth-plugin-host child (so a module that crashes while loading is
  // refused, not fatal); the isolated ones then run in a child of their own, the others
  // are loaded here as before. Throws runtime::ConfigError for a bad isolation value.
  void load_folders(const std::vector<std::filesystem::path> &folders,
                    const std::set<std::string> &disabled);

  // Loads one module; returns its record's index.
  std::size_t load_file(const std::filesystem::path &path);

  // Calls deinit() in reverse init order, drops the plugins' subscriptions, unloads.
  void shutdown();

  // A consistent copy of the records' public fields (module and context left empty). An
  // isolated plugin marked failed after repeated crashes shows as FAILED, and its last
  // failure ("... crashed: signal 11 (Segmentation fault); restarting in 100 ms") as message.
  struct Summary {
    std::filesystem::path path;
    std::uint32_t state;
    std::int32_t status;
    std::string message;
    std::uint32_t abi_major, abi_minor;
    DescriptorCopy descriptor;
  };
  std::vector<Summary> summaries() const;

  // Calls the active plugin's query handler. Throws std::out_of_range when the plugin is
  // not active or has no handler; returns the handler's status and text. For an isolated
  // plugin also the failures of IsolatedPlugin::query (crash, timeout, failed).
  std::int32_t query(const std::string &plugin_id, const std::string &name,
                     const std::string &args_json, std::string &answer) const;

  // Runs `operation` through the active plugin's service handler (hearth/service.h) for
  // `actor` (already checked). Returns the handler's status and text, or
  // HEARTH_ERROR_NOT_FOUND when the plugin is not active or offers no operations,
  // HEARTH_ERROR_PLUGIN when it throws; for an isolated plugin also the failures of
  // IsolatedPlugin::call (crash, timeout, memory, restarting, failed). [any-thread]
  std::int32_t call(const std::string &plugin_id, const hearth_actor &actor,
                    const std::string &operation, const std::string &args_json,
                    std::string &answer) const;

  // True when the active plugin `plugin_id` declares `dependency` among its dependencies
  // (so it is initialised after it and stopped before it). [any-thread]
  bool depends_on(const std::string &plugin_id, const std::string &dependency) const;

  // True while the calling thread loads, initialises or stops plugins: a plugin's init()
  // or deinit() is running on it, and calls into other plugins must be refused.
  static bool busy_on_this_thread();

  // What the active plugin's get_factory(factory_id) returns; nullptr when the plugin is
  // not active, has no such factory, throws, or runs isolated (its tables live in another
  // process). [any-thread]
  const void *factory(const std::string &plugin_id, const std::string &factory_id) const;

private:
  std::unique_ptr<PluginRecord> open_module(const std::filesystem::path &path,
                                            const std::set<std::string> &isolated_ids);
  std::set<std::string> isolated_ids() const;
  void accept(std::vector<std::size_t> &pending, std::size_t index);
  void initialise(const std::vector<std::size_t> &pending);
  void fail(PluginRecord &record, std::int32_t status, const std::string &message);
  PluginRecord *find_active(const std::string &id);
  const PluginRecord *find_active(const std::string &id) const;

  runtime::Services &services_;
  mutable std::shared_mutex mutex_;
  std::vector<std::unique_ptr<PluginRecord>> records_;
  std::vector<PluginRecord *> init_order_;
};

} // namespace hearth::loader
