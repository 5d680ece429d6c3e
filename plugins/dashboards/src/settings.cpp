// Reading [plugin.nl.hearth.dashboards]: every key checked, a bad value named.
#include "settings.hpp"

#include <cctype>
#include <sstream>
#include <stdexcept>
#include <vector>

#include <Poco/Exception.h>
#include <Poco/NumberParser.h>
#include <Poco/URI.h>

namespace hearth::dashboards {
namespace {

const char *const kDemoRoles[] = {"tenant",      "neighbour", "housing_consultant", "care_professional",
                                  "coordinator", "auditor",   "administrator",      nullptr};

[[noreturn]] void refuse(const std::string &key, const std::string &why) {
  throw std::invalid_argument(key + ": " + why);
}

bool on_off(const std::string &key, const std::string &value) {
  if (value == "on" || value == "true" || value == "yes") {
    return true;
  }
  if (value == "off" || value == "false" || value == "no") {
    return false;
  }
  refuse(key, "'" + value + "' is not on or off");
}

std::int64_t whole_number(const std::string &key, const std::string &value, std::int64_t low, std::int64_t high) {
  Poco::Int64 number = 0;
  if (!Poco::NumberParser::tryParse64(value, number) || number < low || number > high) {
    refuse(key, "'" + value + "' is not a whole number from " + std::to_string(low) + " to " + std::to_string(high));
  }
  return number;
}

// One source of frame-ancestors: 'none', 'self', or an http(s) origin without path.
bool is_frame_source(const std::string &source) {
  if (source == "'none'" || source == "'self'") {
    return true;
  }
  for (const char c : source) {
    if (std::iscntrl(static_cast<unsigned char>(c)) || c == ';' || c == ',' || c == '\'' || c == '"') {
      return false;
    }
  }
  try {
    const Poco::URI uri(source);
    const bool http = uri.getScheme() == "https" || uri.getScheme() == "http";
    return http && !uri.getHost().empty() && uri.getPath().empty() && uri.getRawQuery().empty() &&
           uri.getFragment().empty() && uri.getUserInfo().empty();
  } catch (const Poco::Exception &) {
    return false;
  }
}

std::string frame_ancestors(const std::string &value) {
  std::istringstream words(value);
  std::vector<std::string> sources;
  for (std::string word; words >> word;) {
    if (!is_frame_source(word)) {
      refuse("frame_ancestors", "'" + word + "' is not 'none', 'self' or an origin like https://crm.example.nl");
    }
    sources.push_back(word);
  }
  if (sources.empty()) {
    refuse("frame_ancestors", "empty; write 'none' to forbid framing");
  }
  if (sources.size() > 1) {
    for (const auto &s : sources) {
      if (s == "'none'") {
        refuse("frame_ancestors", "'none' cannot be combined with other sources");
      }
    }
  }
  std::string out;
  for (const auto &s : sources) {
    out += (out.empty() ? "" : " ") + s;
  }
  return out;
}

// A pseudonymous id as the runtime accepts for users: letters, digits and - _ . : @
bool is_plain_id(const std::string &text) {
  if (text.empty() || text.size() > 128) {
    return false;
  }
  for (const char c : text) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.' && c != ':' && c != '@') {
      return false;
    }
  }
  return true;
}

std::map<std::string, DemoPersona> default_personas() {
  // Users of the demo neighbourhood `hearth serve` seeds (200 tenancies, seed 1):
  // consultant-01 holds the first portfolio, with flags; tenant-000005 lives in
  // tenancy-000005 of that portfolio, which has a red flag; tenant-000022 reported
  // nuisance by neighbours 21 times.
  return {
      {"tenant", {"tenant-000005", "corp:demo"}},
      {"neighbour", {"tenant-000022", "corp:demo"}},
      {"housing_consultant", {"consultant-01", "corp:demo"}},
      {"care_professional", {"care-01", "care:demo"}},
      {"coordinator", {"coordinator-01", "gemeente:demo"}},
      {"auditor", {"auditor-01", "corp:demo"}},
      {"administrator", {"admin-01", "corp:demo"}},
  };
}

} // namespace

const char *const *demo_roles() { return kDemoRoles; }

Settings read_settings(const std::function<std::optional<std::string>(const std::string &key)> &get) {
  Settings settings;
  if (const auto v = get("frame_ancestors")) {
    settings.frame_ancestors = frame_ancestors(*v);
  }
  if (const auto v = get("demo_sign_in")) {
    settings.demo_sign_in = on_off("demo_sign_in", *v);
  }
  if (const auto v = get("session_idle_minutes")) {
    settings.session_idle_minutes = whole_number("session_idle_minutes", *v, 1, 24 * 60);
  }
  if (const auto v = get("session_max_minutes")) {
    settings.session_max_minutes = whole_number("session_max_minutes", *v, 1, 7 * 24 * 60);
  }
  if (const auto v = get("cookie_samesite")) {
    if (*v != "Strict" && *v != "Lax" && *v != "None") {
      refuse("cookie_samesite", "'" + *v + "' is not one of Strict, Lax, None");
    }
    settings.cookie_samesite = *v;
  }
  if (const auto v = get("cookie_secure")) {
    settings.cookie_secure = on_off("cookie_secure", *v);
  }
  if (settings.cookie_samesite == "None") {
    settings.cookie_secure = true; // browsers drop SameSite=None cookies without Secure
  }
  if (const auto v = get("max_sessions")) {
    settings.max_sessions = static_cast<std::size_t>(whole_number("max_sessions", *v, 1, 1'000'000));
  }
  if (const auto v = get("access_point")) {
    if (!is_plain_id(*v)) {
      refuse("access_point", "'" + *v + "' is not an id (letters, digits, - _ . : @)");
    }
    settings.access_point = *v;
  }
  settings.demo_personas = default_personas();
  for (const char *const *role = kDemoRoles; *role != nullptr; ++role) {
    const std::string key = std::string("demo_") + *role;
    if (const auto v = get(key)) {
      std::istringstream words(*v);
      DemoPersona persona;
      std::string rest;
      if (!(words >> persona.user >> persona.organisation) || (words >> rest) || !is_plain_id(persona.user) ||
          !is_plain_id(persona.organisation)) {
        refuse(key, "'" + *v + "' is not '<user> <organisation>', e.g. 'consultant-01 corp:demo'");
      }
      settings.demo_personas[*role] = persona;
    }
  }
  return settings;
}

} // namespace hearth::dashboards
