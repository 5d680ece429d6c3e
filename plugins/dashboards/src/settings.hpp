// The dashboards plugin's settings: section [plugin.nl.hearth.dashboards] of hearth.ini
// (since 0.1.0).
#ifndef HEARTH_DASHBOARDS_SETTINGS_HPP
#define HEARTH_DASHBOARDS_SETTINGS_HPP

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>

namespace hearth::dashboards {

// One demo persona: who the demo sign-in makes you.
struct DemoPersona {
  std::string user, organisation;
};

struct Settings {
  // The CSP frame-ancestors source list: "'none'" (default), "'self'" or origins
  // ("https://crm.example.nl"), space separated.
  std::string frame_ancestors = "'none'";
  // "on": the demo sign-in page offers personas, but only while runtime.mode is "demo".
  bool demo_sign_in = true;
  // A session ends after this many minutes without a request...
  std::int64_t session_idle_minutes = 30;
  // ...and at the latest this many minutes after sign-in (and never after the token).
  std::int64_t session_max_minutes = 480;
  // The session cookie's SameSite: "Strict" (default), "Lax" or "None" (framed in a CRM
  // on another site; the cookie is then also Secure).
  std::string cookie_samesite = "Strict";
  // "on": the session cookie carries Secure (always so with SameSite=None).
  bool cookie_secure = false;
  // At most this many sessions are kept; the least recently used one goes first.
  std::size_t max_sessions = 10000;
  // The access point recorded for actions through the dashboards.
  std::string access_point = "dashboard";
  // Demo personas by role (user and organisation); defaults are users of the demo data
  // `hearth serve` seeds (host-adapters/cli/demo).
  std::map<std::string, DemoPersona> demo_personas;
};

// Reads the settings through `get` (a key of the plugin's section -> its value, or
// nullopt when absent). Throws std::invalid_argument naming the key and the reason for
// a bad value. [any-thread]
Settings read_settings(const std::function<std::optional<std::string>(const std::string &key)> &get);

// The roles the demo sign-in offers, in the order the page lists them.
const char *const *demo_roles();

} // namespace hearth::dashboards

#endif // HEARTH_DASHBOARDS_SETTINGS_HPP
