// The runtime's configuration: built-in defaults (the project's config/hearth.ini,
// compiled in), then a site's <config_dir>/hearth.ini, then HEARTH_* environment
// variables, each layer overriding the one before (Poco::Util::LayeredConfiguration).
#pragma once

#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <Poco/AutoPtr.h>
#include <Poco/Util/LayeredConfiguration.h>

namespace hearth::runtime {

// A configuration error names the file (or "environment"), the key and the reason.
class ConfigError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

class Config {
public:
  // Loads the layers. `config_dir` may be empty for the built-in defaults alone; when set,
  // it must exist, and its hearth.ini (if present) must parse. Throws ConfigError.
  static Config load(const std::optional<std::filesystem::path> &config_dir);

  // The value of `key` ("storage.backend"), or nullopt when absent or empty.
  std::optional<std::string> find(const std::string &key) const;
  std::string get(const std::string &key, const std::string &fallback) const;
  // Throws ConfigError naming the key when the value is not an integer in [min, max].
  long get_int(const std::string &key, long fallback, long min, long max) const;
  // Accepts true/false/yes/no/on/off/1/0; throws ConfigError otherwise.
  bool get_bool(const std::string &key, bool fallback) const;

  // Every key with a non-empty value, sorted, from all layers (environment variables only
  // for keys a file or the defaults know). For summaries; the caller masks secrets.
  std::vector<std::pair<std::string, std::string>> entries() const;

  // The configuration folder, empty when running on built-in defaults.
  const std::filesystem::path &directory() const { return directory_; }
  // Where a key's value came from, for error messages: the site file or "built-in defaults".
  std::string origin_of(const std::string &key) const;

  // The environment variable that overrides `key`: HEARTH_STORAGE_BACKEND for
  // "storage.backend".
  static std::string environment_name(const std::string &key);

private:
  Poco::AutoPtr<Poco::Util::LayeredConfiguration> layers_;
  Poco::AutoPtr<Poco::Util::AbstractConfiguration> site_;
  std::filesystem::path directory_;
  std::filesystem::path site_file_;
};

} // namespace hearth::runtime
