// Reading a policy INI file ([matrix] and [rules]) into a Policy, refusing anything it
// does not understand with an error that names the file, the key and the reason.
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <Poco/AutoPtr.h>
#include <Poco/Exception.h>
#include <Poco/Util/IniFileConfiguration.h>

#include "hearth/actor.h"
#include "policy/policy.hpp"

namespace hearth::policy {
namespace {

using Poco::Util::AbstractConfiguration;

// Roles that may never see a BSN (domain rules: absent for housing and neighbour roles).
constexpr std::string_view bsn_forbidden_roles[] = {HEARTH_ROLE_HOUSING_CONSULTANT,
                                                    HEARTH_ROLE_NEIGHBOUR};

// The error for `key` of `origin`: "<origin>: [section] key: reason".
std::invalid_argument key_error(const std::string &origin, const std::string &section,
                                const std::string &key, const std::string &reason) {
  return std::invalid_argument(origin + ": [" + section + "] " + key + ": " + reason);
}

// `text` without leading and trailing blanks.
std::string trimmed(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) {
    return {};
  }
  const auto last = text.find_last_not_of(" \t\r\n");
  return std::string(text.substr(first, last - first + 1));
}

// The comma-separated items of `value`, trimmed. An empty value is an empty list; an
// empty item ("read,,update") is reported as an empty string for the caller to refuse.
std::vector<std::string> comma_list(const std::string &value) {
  std::vector<std::string> items;
  if (trimmed(value).empty()) {
    return items;
  }
  std::size_t start = 0;
  while (true) {
    const auto comma = value.find(',', start);
    items.push_back(trimmed(std::string_view(value).substr(
        start, comma == std::string::npos ? std::string::npos : comma - start)));
    if (comma == std::string::npos) {
      return items;
    }
    start = comma + 1;
  }
}

// The direct sub-keys of `key` in `config`.
AbstractConfiguration::Keys sub_keys(const AbstractConfiguration &config, const std::string &key) {
  AbstractConfiguration::Keys keys;
  config.keys(key, keys);
  return keys;
}

// The raw (unexpanded) value of `key`.
std::string raw_value(const AbstractConfiguration &config, const std::string &key) {
  return config.getRawString(key, "");
}

// True when `ini_text` has a "[matrix]" section header (Poco records no section that has
// no keys, so an empty [matrix] is found by reading the lines).
bool has_matrix_header(const std::string &ini_text) {
  std::istringstream lines(ini_text);
  std::string line;
  while (std::getline(lines, line)) {
    const std::string header = trimmed(line);
    if (header.size() >= 2 && header.front() == '[' && header.back() == ']' &&
        trimmed(std::string_view(header).substr(1, header.size() - 2)) == "matrix") {
      return true;
    }
  }
  return false;
}

} // namespace

Policy Policy::from_file(const std::filesystem::path &file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    throw std::invalid_argument(file.string() + ": cannot read the policy file");
  }
  std::ostringstream text;
  text << in.rdbuf();
  return from_string(text.str(), file.string());
}

Policy Policy::from_string(const std::string &ini_text, const std::string &origin) {
  Poco::AutoPtr<Poco::Util::IniFileConfiguration> config;
  try {
    std::istringstream in(ini_text);
    config = new Poco::Util::IniFileConfiguration(in);
  } catch (const Poco::Exception &error) {
    throw std::invalid_argument(origin + ": not a readable INI file: " + error.displayText());
  }

  Policy policy;
  for (const auto &section : sub_keys(*config, "")) {
    if (section != "matrix" && section != "rules") {
      throw std::invalid_argument(origin + ": unknown section or key '" + section +
                                  "' (a policy file has only [matrix] and [rules])");
    }
  }
  if (!has_matrix_header(ini_text)) {
    throw std::invalid_argument(origin + ": no [matrix] section (nothing would be granted)");
  }

  // [matrix] <role>.<data_class> = <actions>
  for (const auto &role : sub_keys(*config, "matrix")) {
    const std::string role_key = "matrix." + role;
    if (config->hasProperty(role_key)) {
      throw key_error(origin, "matrix", role, "a key has the form <role>.<data_class>");
    }
    if (!is_known_role(role)) {
      throw key_error(origin, "matrix", role, "unknown role '" + role + "'");
    }
    auto &role_grants = policy.grants_[role];
    for (const auto &class_name : sub_keys(*config, role_key)) {
      const std::string key = role + "." + class_name;
      const std::string full_key = role_key + "." + class_name;
      if (!sub_keys(*config, full_key).empty()) {
        throw key_error(origin, "matrix", key + ".*", "a key has the form <role>.<data_class>");
      }
      const auto data_class = parse_data_class(class_name);
      if (!data_class) {
        throw key_error(origin, "matrix", key, "unknown data class '" + class_name + "'");
      }
      auto &actions = role_grants[*data_class];
      for (const auto &action_name : comma_list(raw_value(*config, full_key))) {
        if (action_name.empty()) {
          throw key_error(origin, "matrix", key, "empty action in the list");
        }
        const auto action = parse_action(action_name);
        if (!action) {
          throw key_error(origin, "matrix", key, "unknown action '" + action_name + "'");
        }
        actions.insert(*action);
      }
    }
  }

  // [rules]
  for (const auto &rule : sub_keys(*config, "rules")) {
    if (rule != "bsn_roles" || !sub_keys(*config, "rules." + rule).empty()) {
      throw key_error(origin, "rules", rule, "unknown rule (known: bsn_roles)");
    }
  }
  for (const auto &role : comma_list(raw_value(*config, "rules.bsn_roles"))) {
    if (role.empty()) {
      throw key_error(origin, "rules", "bsn_roles", "empty role in the list");
    }
    if (!is_known_role(role)) {
      throw key_error(origin, "rules", "bsn_roles", "unknown role '" + role + "'");
    }
    for (const auto forbidden : bsn_forbidden_roles) {
      if (role == forbidden) {
        throw key_error(origin, "rules", "bsn_roles",
                        "role '" + role + "' may never see a BSN (housing and neighbour roles)");
      }
    }
    policy.bsn_roles_.insert(role);
  }
  return policy;
}

} // namespace hearth::policy
