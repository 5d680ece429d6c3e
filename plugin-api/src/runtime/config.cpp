#include "runtime/config.hpp"

#include <algorithm>
#include <cstdlib>
#include <functional>
#include <set>
#include <sstream>

#include <Poco/Exception.h>
#include <Poco/NumberParser.h>
#include <Poco/String.h>
#include <Poco/Util/IniFileConfiguration.h>
#include <Poco/Util/MapConfiguration.h>

#include "default_config.hpp"

namespace hearth::runtime {
namespace {

constexpr int kEnvironmentPriority = -100; // lower number = asked first
constexpr int kSitePriority = 0;
constexpr int kDefaultsPriority = 100;

// Every leaf key of `config`, with its full dotted name.
void collect_keys(const Poco::Util::AbstractConfiguration &config, const std::string &prefix,
                  std::set<std::string> &out) {
  Poco::Util::AbstractConfiguration::Keys children;
  config.keys(prefix, children);
  if (children.empty() && !prefix.empty()) {
    out.insert(prefix);
    return;
  }
  for (const auto &child : children) {
    const std::string full = prefix.empty() ? child : prefix + "." + child;
    if (config.has(full)) {
      out.insert(full);
    }
    collect_keys(config, full, out);
  }
}

} // namespace

std::string Config::environment_name(const std::string &key) {
  std::string name = "HEARTH_";
  for (char c : key) {
    name += (c == '.' || c == '-') ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return name;
}

Config Config::load(const std::optional<std::filesystem::path> &config_dir) {
  Config config;
  config.layers_ = new Poco::Util::LayeredConfiguration;

  std::istringstream defaults_text(default_config_ini);
  Poco::AutoPtr<Poco::Util::IniFileConfiguration> defaults(
      new Poco::Util::IniFileConfiguration(defaults_text));
  config.layers_->add(defaults, kDefaultsPriority);

  std::set<std::string> keys;
  collect_keys(*defaults, "", keys);

  if (config_dir && !config_dir->empty()) {
    std::error_code ec;
    if (!std::filesystem::is_directory(*config_dir, ec)) {
      throw ConfigError("configuration folder " + config_dir->string() +
                        " does not exist or is not a folder");
    }
    config.directory_ = *config_dir;
    const auto site_file = *config_dir / "hearth.ini";
    if (std::filesystem::exists(site_file, ec)) {
      try {
        Poco::AutoPtr<Poco::Util::IniFileConfiguration> site(
            new Poco::Util::IniFileConfiguration(site_file.string()));
        collect_keys(*site, "", keys);
        config.site_ = site;
        config.site_file_ = site_file;
        config.layers_->add(site, kSitePriority);
      } catch (const Poco::Exception &e) {
        throw ConfigError(site_file.string() + ": cannot be read: " + e.displayText());
      }
    }
  }

  Poco::AutoPtr<Poco::Util::MapConfiguration> environment(new Poco::Util::MapConfiguration);
  for (const auto &key : keys) {
    if (const char *value = std::getenv(environment_name(key).c_str())) {
      environment->setString(key, value);
    }
  }
  config.layers_->add(environment, kEnvironmentPriority);
  return config;
}

std::optional<std::string> Config::find(const std::string &key) const {
  if (!layers_->has(key)) {
    return std::nullopt;
  }
  std::string value = Poco::trim(layers_->getRawString(key));
  if (value.empty()) {
    return std::nullopt;
  }
  return value;
}

std::vector<std::pair<std::string, std::string>> Config::entries() const {
  std::vector<std::pair<std::string, std::string>> out;
  std::vector<std::string> pending{""};
  while (!pending.empty()) {
    const std::string prefix = pending.back();
    pending.pop_back();
    Poco::Util::AbstractConfiguration::Keys children;
    layers_->keys(prefix, children);
    for (const auto &child : children) {
      const std::string key = prefix.empty() ? child : prefix + "." + child;
      if (const auto value = find(key)) {
        out.emplace_back(key, *value);
      }
      pending.push_back(key);
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::string Config::get(const std::string &key, const std::string &fallback) const {
  return find(key).value_or(fallback);
}

std::string Config::origin_of(const std::string &key) const {
  if (std::getenv(environment_name(key).c_str()) != nullptr) {
    return "environment " + environment_name(key);
  }
  if (site_ && site_->has(key)) {
    return site_file_.string();
  }
  return "built-in defaults";
}

long Config::get_int(const std::string &key, long fallback, long min, long max) const {
  const auto text = find(key);
  if (!text) {
    return fallback;
  }
  long value = 0;
  int parsed = 0;
  if (!Poco::NumberParser::tryParse(*text, parsed)) {
    throw ConfigError(origin_of(key) + ": " + key + ": '" + *text + "' is not a whole number");
  }
  value = parsed;
  if (value < min || value > max) {
    throw ConfigError(origin_of(key) + ": " + key + ": " + *text + " is outside " +
                      std::to_string(min) + ".." + std::to_string(max));
  }
  return value;
}

bool Config::get_bool(const std::string &key, bool fallback) const {
  const auto text = find(key);
  if (!text) {
    return fallback;
  }
  const std::string lower = Poco::toLower(*text);
  if (lower == "true" || lower == "yes" || lower == "on" || lower == "1") {
    return true;
  }
  if (lower == "false" || lower == "no" || lower == "off" || lower == "0") {
    return false;
  }
  throw ConfigError(origin_of(key) + ": " + key + ": '" + *text +
                    "' is not true or false");
}

} // namespace hearth::runtime
