#include "isolation/settings.hpp"

#include <cstdlib>
#include <string_view>
#include <vector>

#include <dlfcn.h>

#include "runtime/config.hpp"

namespace hearth::isolation {
namespace {

constexpr const char *kExecutableName = "hearth-plugin-host";

std::chrono::milliseconds milliseconds(const runtime::Config &config, const std::string &key,
                                       std::chrono::milliseconds fallback, long min, long max) {
  return std::chrono::milliseconds(config.get_int(key, static_cast<long>(fallback.count()), min, max));
}

// The folder of the shared object (or executable) that holds this function.
std::filesystem::path folder_of_this_code() {
  Dl_info info{};
  if (::dladdr(reinterpret_cast<const void *>(&folder_of_this_code), &info) == 0 || info.dli_fname == nullptr) {
    return {};
  }
  std::error_code ec;
  const auto canonical = std::filesystem::canonical(info.dli_fname, ec);
  return ec ? std::filesystem::path() : canonical.parent_path();
}

} // namespace

IsolationSettings IsolationSettings::from_config(const runtime::Config &config, const std::string &plugin_id) {
  const std::string prefix = "plugin." + plugin_id + ".";
  constexpr long kDay = 24L * 3600 * 1000;
  IsolationSettings settings;
  settings.host_executable = find_plugin_host(config);
  settings.start_timeout = milliseconds(config, prefix + "start_timeout_ms", settings.start_timeout, 1, kDay);
  settings.call_timeout = milliseconds(config, prefix + "call_timeout_ms", settings.call_timeout, 1, kDay);
  settings.stop_timeout = milliseconds(config, prefix + "stop_timeout_ms", settings.stop_timeout, 1, kDay);
  settings.restart_delay = milliseconds(config, prefix + "restart_delay_ms", settings.restart_delay, 0, kDay);
  settings.restart_delay_max =
      milliseconds(config, prefix + "restart_delay_max_ms", settings.restart_delay_max, 0, kDay);
  settings.crash_window = milliseconds(config, prefix + "crash_window_ms", settings.crash_window, 1, kDay);
  settings.crash_limit = static_cast<std::uint32_t>(config.get_int(prefix + "crash_limit", settings.crash_limit, 1, 1000));
  settings.memory_limit_mb =
      static_cast<std::uint64_t>(config.get_int(prefix + "memory_limit_mb", 0, 0, 1L << 20));
  if (settings.restart_delay_max < settings.restart_delay) {
    settings.restart_delay_max = settings.restart_delay;
  }
  return settings;
}

std::set<std::string> isolated_plugin_ids(const runtime::Config &config) {
  constexpr std::string_view kPrefix = "plugin.";
  constexpr std::string_view kSuffix = ".isolation";
  std::set<std::string> ids;
  for (const auto &[key, value] : config.entries()) {
    if (key.size() <= kPrefix.size() + kSuffix.size() || key.rfind(kPrefix, 0) != 0 ||
        key.compare(key.size() - kSuffix.size(), kSuffix.size(), kSuffix) != 0) {
      continue;
    }
    if (value == "process") {
      ids.insert(key.substr(kPrefix.size(), key.size() - kPrefix.size() - kSuffix.size()));
    } else if (value != "in-process") {
      throw runtime::ConfigError(config.origin_of(key) + ": " + key + ": '" + value +
                                 "' is not an isolation; use 'in-process' or 'process'");
    }
  }
  return ids;
}

std::filesystem::path find_plugin_host(const runtime::Config &config) {
  // An explicit choice wins even when it is wrong: the start then fails naming it.
  if (const char *from_environment = std::getenv("HEARTH_PLUGIN_HOST");
      from_environment != nullptr && *from_environment != '\0') {
    return from_environment;
  }
  if (const auto configured = config.find("runtime.plugin_host")) {
    return *configured;
  }
  std::vector<std::filesystem::path> candidates;
  std::error_code ec;
  const auto executable = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    candidates.push_back(executable.parent_path() / kExecutableName);
  }
  if (const auto library_folder = folder_of_this_code(); !library_folder.empty()) {
    candidates.push_back(library_folder.parent_path() / "libexec" / "hearth" / kExecutableName);
    candidates.push_back(library_folder.parent_path().parent_path() / "libexec" / "hearth" / kExecutableName);
  }
  for (const auto &candidate : candidates) {
    if (std::filesystem::is_regular_file(candidate, ec)) {
      return candidate;
    }
  }
  return candidates.empty() ? std::filesystem::path(kExecutableName) : candidates.front();
}

} // namespace hearth::isolation
