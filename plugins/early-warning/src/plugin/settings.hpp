// The plugin's settings: section [plugin.nl.hearth.early-warning] of hearth.ini (or
// HEARTH_PLUGIN_NL_HEARTH_EARLY_WARNING_<KEY> in the environment). docs/early-warning.md
// lists them; a bad value stops the plugin at start with the key named.
#pragma once

#include <cstdint>
#include <set>
#include <stdexcept>
#include <string>

#include <hearth/plugin.hpp>

namespace hearth::early_warning {

// A setting that cannot be used; what() names the key and the reason.
class SettingsError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

struct Settings {
  bool scoring = true;                      // scoring = on | off
  std::string rule_set = "config/scoring/default.ini";
  std::string protected_attributes = "config/scoring/protected-attributes.txt";
  std::set<std::string> only_neighbourhoods; // neighbourhoods.only: pilot buurt codes; empty = all
  std::set<std::string> off_neighbourhoods;  // neighbourhoods.off: buurt codes not scored
  std::int64_t flag_max_age_days = 90;       // no new flag for a signal older than this
  std::set<std::string> decide_roles = {"housing_consultant", "coordinator"};
  std::string organisation = "hearth";       // who runs the algorithm (register, audit)

  // True when tenancies in neighbourhood `code` are scored.
  bool scores_neighbourhood(const std::string &code) const;

  // Reads the settings through `host`. Throws SettingsError.
  static Settings read(const Host &host);
};

// The full name of a setting, for messages: "plugin.nl.hearth.early-warning.<key>".
std::string setting_name(const std::string &key);

// "a, b ,c" -> {"a","b","c"}.
std::set<std::string> split_set(const std::string &text);

} // namespace hearth::early_warning
