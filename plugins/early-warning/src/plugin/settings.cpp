#include "plugin/settings.hpp"

#include <sstream>

#include <Poco/NumberParser.h>

#include "hearth/early_warning.h"

namespace hearth::early_warning {
namespace {

std::string trim(const std::string &text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string::npos) {
    return {};
  }
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

} // namespace

std::string setting_name(const std::string &key) { return std::string("plugin.") + HEARTH_EW_PLUGIN_ID + "." + key; }

std::set<std::string> split_set(const std::string &text) {
  std::set<std::string> items;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    if (auto t = trim(item); !t.empty()) {
      items.insert(t);
    }
  }
  return items;
}

bool Settings::scores_neighbourhood(const std::string &code) const {
  if (off_neighbourhoods.count(code) != 0) {
    return false;
  }
  return only_neighbourhoods.empty() || only_neighbourhoods.count(code) != 0;
}

Settings Settings::read(const Host &host) {
  Settings settings;
  auto text = [&](const char *key) -> std::optional<std::string> {
    if (auto value = host.config(key)) {
      return trim(std::string(*value));
    }
    return std::nullopt;
  };
  if (auto value = text("scoring")) {
    if (*value == "on") {
      settings.scoring = true;
    } else if (*value == "off") {
      settings.scoring = false;
    } else {
      throw SettingsError(setting_name("scoring") + ": '" + *value + "' is not on or off");
    }
  }
  for (const auto &[key, target] : {std::pair{"rule_set", &settings.rule_set},
                                    std::pair{"protected_attributes", &settings.protected_attributes},
                                    std::pair{"organisation", &settings.organisation}}) {
    if (auto value = text(key)) {
      if (value->empty()) {
        throw SettingsError(setting_name(key) + ": empty");
      }
      *target = *value;
    }
  }
  if (auto value = text("neighbourhoods.only")) {
    settings.only_neighbourhoods = split_set(*value);
  }
  if (auto value = text("neighbourhoods.off")) {
    settings.off_neighbourhoods = split_set(*value);
  }
  if (auto value = text("flag_max_age_days")) {
    int days = 0;
    if (!Poco::NumberParser::tryParse(*value, days) || days < 1 || days > 3650) {
      throw SettingsError(setting_name("flag_max_age_days") + ": '" + *value + "' is not a whole number from 1 to 3650");
    }
    settings.flag_max_age_days = days;
  }
  if (auto value = text("decide_roles")) {
    settings.decide_roles = split_set(*value);
    static const std::set<std::string> allowed{"housing_consultant", "coordinator", "care_professional"};
    for (const auto &role : settings.decide_roles) {
      if (allowed.count(role) == 0) {
        throw SettingsError(setting_name("decide_roles") + ": '" + role +
                            "' may not decide on flags (one of housing_consultant, coordinator, care_professional)");
      }
    }
    if (settings.decide_roles.empty()) {
      throw SettingsError(setting_name("decide_roles") + ": empty: a person must be able to decide on flags");
    }
  }
  if (auto value = text("register.status"); value && !value->empty() && *value != "in_development" &&
                                              *value != "in_use" && *value != "out_of_use") {
    throw SettingsError(setting_name("register.status") + ": '" + *value +
                        "' is not one of in_development, in_use, out_of_use");
  }
  return settings;
}

} // namespace hearth::early_warning
