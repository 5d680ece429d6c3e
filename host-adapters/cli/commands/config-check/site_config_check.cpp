// Checks a site's configuration folder and collects every problem (site_config_check.hpp).
#include "site_config_check.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>

#include <Poco/AutoPtr.h>
#include <Poco/Base64Decoder.h>
#include <Poco/Exception.h>
#include <Poco/NumberParser.h>
#include <Poco/String.h>
#include <Poco/Util/IniFileConfiguration.h>

namespace hearth::cli {

namespace {

namespace fs = std::filesystem;

// The signal types of docs/data.md, for [retention] signal.<TYPE>.
const std::set<std::string> &signal_types() {
  static const std::set<std::string> types = {"SCH", "OVE", "ONE", "AGR", "WAN",
                                              "ONB", "X-REP", "X-AFS", "X-BTR"};
  return types;
}

// The roles of hearth/actor.h, for [auth.key.<name>] role.
const std::set<std::string> &roles() {
  static const std::set<std::string> known = {"tenant",      "neighbour", "housing_consultant",
                                              "care_professional", "coordinator", "auditor",
                                              "administrator",     "system"};
  return known;
}

// `names` as "a, b, c".
std::string listed(const std::set<std::string> &names) {
  std::string text;
  for (const auto &name : names) {
    text += (text.empty() ? "" : ", ") + name;
  }
  return text;
}

// The items of a list separated by `separator`, trimmed, without empty ones.
std::vector<std::string> items_of(const std::string &text, char separator) {
  std::vector<std::string> items;
  std::stringstream stream(text);
  std::string item;
  while (std::getline(stream, item, separator)) {
    item = Poco::trim(item);
    if (!item.empty()) {
      items.push_back(item);
    }
  }
  return items;
}

// The environment variable that overrides `key`: HEARTH_ + the key in capitals, '.' and
// '-' as '_' (as the runtime names it).
std::string environment_name(const std::string &key) {
  std::string name = "HEARTH_";
  for (const char c : key) {
    name += (c == '.' || c == '-') ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return name;
}

// A value and where it came from.
struct Setting {
  std::string value;
  std::string origin;
};

// Reads the site's hearth.ini (if any) and the environment, and records problems.
class Checker {
public:
  explicit Checker(std::vector<ConfigProblem> &problems) : problems_(problems) {}

  // Loads `file`; records a problem when it cannot be read.
  void load(const fs::path &file) {
    site_file_ = file.string();
    try {
      site_ = new Poco::Util::IniFileConfiguration(file.string());
    } catch (const Poco::Exception &failure) {
      problem(site_file_, "", "cannot be read: " + failure.displayText());
    }
  }

  // Every key the site file sets, in order of its sections ("section.key").
  std::vector<std::string> site_keys() const {
    std::vector<std::string> keys;
    if (!site_) {
      return keys;
    }
    std::function<void(const std::string &)> walk = [&](const std::string &prefix) {
      Poco::Util::AbstractConfiguration::Keys children;
      site_->keys(prefix, children);
      if (children.empty() && !prefix.empty()) {
        keys.push_back(prefix);
      }
      for (const auto &child : children) {
        walk(prefix.empty() ? child : prefix + "." + child);
      }
    };
    walk("");
    return keys;
  }

  // The value of `key` from the environment or the site file; nothing when neither sets it.
  std::optional<Setting> find(const std::string &key) const {
    const std::string variable = environment_name(key);
    if (const char *value = std::getenv(variable.c_str())) {
      return Setting{Poco::trim(std::string(value)), "environment " + variable};
    }
    if (site_ && site_->has(key)) {
      return Setting{Poco::trim(site_->getRawString(key)), site_file_};
    }
    return std::nullopt;
  }

  // Records a problem.
  void problem(const std::string &file, const std::string &key, const std::string &reason) {
    problems_.push_back({file, key, reason});
  }

  // `key`, when set, must be one of `allowed`.
  void one_of(const std::string &key, const std::set<std::string> &allowed) {
    if (auto setting = find(key); setting && allowed.count(setting->value) == 0) {
      problem(setting->origin, key, "'" + setting->value + "' is not one of " + listed(allowed));
    }
  }

  // `key`, when set, must be a whole number from `low` to `high`.
  void number(const std::string &key, long long low, long long high) {
    auto setting = find(key);
    if (!setting) {
      return;
    }
    Poco::Int64 parsed = 0;
    if (!Poco::NumberParser::tryParse64(setting->value, parsed) || parsed < low || parsed > high) {
      problem(setting->origin, key,
              "'" + setting->value + "' is not a whole number from " + std::to_string(low) + " to " +
                  std::to_string(high));
    }
  }

  // `key`, when set and not empty, must name an existing file (or folder, `folder`).
  void existing_path(const std::string &key, bool folder) {
    auto setting = find(key);
    if (!setting || setting->value.empty()) {
      return;
    }
    std::error_code error;
    const fs::path path(setting->value);
    const bool ok = folder ? fs::is_directory(path, error) : fs::is_regular_file(path, error);
    if (!ok) {
      problem(setting->origin, key,
              "'" + setting->value + "' is not an existing " + (folder ? "folder" : "file") +
                  " (relative paths are taken from the working directory, " + fs::current_path(error).string() +
                  ")");
    }
  }

private:
  std::vector<ConfigProblem> &problems_;
  Poco::AutoPtr<Poco::Util::IniFileConfiguration> site_;
  std::string site_file_;
};

// True when `text` is a retention period: 1..9999 followed by d, m or y.
bool is_period(const std::string &text) {
  if (text.size() < 2 || text.size() > 5 || std::string("dmy").find(text.back()) == std::string::npos) {
    return false;
  }
  const std::string digits = text.substr(0, text.size() - 1);
  return std::all_of(digits.begin(), digits.end(), [](unsigned char c) { return std::isdigit(c) != 0; }) &&
         std::stoi(digits) > 0;
}

// True when `text` is 64 hexadecimal digits.
bool is_sha256_hex(const std::string &text) {
  return text.size() == 64 &&
         std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isxdigit(c) != 0; });
}

// The number of bytes `text` decodes to as base64; nothing when it is not base64.
std::optional<std::size_t> base64_size(const std::string &text) {
  try {
    std::istringstream encoded(text);
    Poco::Base64Decoder decoder(encoded);
    std::string decoded((std::istreambuf_iterator<char>(decoder)), std::istreambuf_iterator<char>());
    return decoded.size();
  } catch (const Poco::Exception &) {
    return std::nullopt;
  }
}

// The checks of the core sections.
void check_core(Checker &check) {
  check.one_of("runtime.mode", {"production", "demo"});
  check.one_of("storage.backend", {"sqlite", "postgresql"});
  if (auto backend = check.find("storage.backend"); backend && backend->value == "postgresql") {
    auto url = check.find("storage.postgresql");
    if (!url || url->value.empty()) {
      check.problem(url ? url->origin : backend->origin, "storage.postgresql",
                    "missing: storage.backend = postgresql needs a libpq connection string");
    }
  }
  check.number("storage.pool_size", 1, 1024);
  check.one_of("plugins.bundled", {"true", "false", "on", "off", "yes", "no", "1", "0"});
  if (auto path = check.find("plugins.path")) {
    for (const auto &folder : items_of(path->value, ':')) {
      std::error_code error;
      if (!fs::is_directory(folder, error)) {
        check.problem(path->origin, "plugins.path", "'" + folder + "' is not an existing folder");
      }
    }
  }
  check.one_of("events.start", {"beginning", "end"});
  check.number("events.poll_ms", 1, 3'600'000);
  check.number("http.port", 0, 65535);
  check.number("http.threads", 1, 1024);
  check.number("http.max_body_bytes", 1, 1LL << 32);
  check.one_of("log.level", {"trace", "debug", "info", "warn", "error"});
  check.one_of("log.format", {"text", "json"});
  if (auto key = check.find("privacy.field_key"); key && !key->value.empty()) {
    if (base64_size(key->value) != std::optional<std::size_t>(32)) {
      check.problem(key->origin, "privacy.field_key", "not 32 bytes in base64 (openssl rand -base64 32)");
    }
  }
  if (auto bases = check.find("data.legal_bases"); bases && items_of(bases->value, ',').empty()) {
    check.problem(bases->origin, "data.legal_bases", "empty: a signal needs at least one legal basis");
  }
  if (auto purposes = check.find("data.purposes"); purposes && items_of(purposes->value, ',').empty()) {
    check.problem(purposes->origin, "data.purposes", "empty: a signal needs at least one purpose");
  }
}

// [retention]: known keys, and periods that parse.
void check_retention(Checker &check, const std::vector<std::string> &site_keys) {
  for (const auto &key : site_keys) {
    if (key.rfind("retention.", 0) != 0) {
      continue;
    }
    const std::string name = key.substr(10);
    auto setting = check.find(key);
    if (name.rfind("signal.", 0) == 0 && name != "signal.default") {
      std::string type = name.substr(7);
      std::transform(type.begin(), type.end(), type.begin(), [](unsigned char c) { return std::toupper(c); });
      if (signal_types().count(type) == 0) {
        check.problem(setting->origin, key,
                      "'" + name.substr(7) + "' is not a signal type Hearth knows (" + listed(signal_types()) + ")");
        continue;
      }
    } else if (name != "signal.default" && name != "dead_letter" && name != "outcome") {
      check.problem(setting->origin, key,
                    "unknown key; [retention] takes signal.default, signal.<TYPE>, dead_letter and outcome");
      continue;
    }
    if (!is_period(setting->value)) {
      check.problem(setting->origin, key,
                    "'" + setting->value + "' is not a period: a whole number and d, m or y (e.g. 30d, 6m, 5y)");
    }
  }
}

// [auth]: every listed API key has its section, a SHA-256, a user, a known role and an
// organisation; a token algorithm has what it needs.
void check_auth(Checker &check) {
  if (auto keys = check.find("auth.keys")) {
    for (const auto &name : items_of(keys->value, ',')) {
      const std::string section = "auth.key." + name;
      auto digest = check.find(section + ".sha256");
      if (!digest || !is_sha256_hex(digest->value)) {
        check.problem(digest ? digest->origin : keys->origin, section + ".sha256",
                      digest ? "not 64 hexadecimal digits (printf %s \"$KEY\" | sha256sum)"
                             : "missing: API key '" + name + "' needs the SHA-256 of the key");
      }
      for (const char *field : {"user", "organisation"}) {
        auto value = check.find(section + "." + field);
        if (!value || value->value.empty()) {
          check.problem(value ? value->origin : keys->origin, section + "." + field,
                        "missing: API key '" + name + "' needs a " + field);
        }
      }
      auto role = check.find(section + ".role");
      if (!role || roles().count(role->value) == 0) {
        check.problem(role ? role->origin : keys->origin, section + ".role",
                      (role ? "'" + role->value + "' is not a role" : std::string("missing")) + "; roles: " +
                          listed(roles()));
      }
    }
  }
  check.one_of("auth.jwt.algorithm", {"", "HS256", "RS256"});
  auto algorithm = check.find("auth.jwt.algorithm");
  if (algorithm && algorithm->value == "HS256") {
    auto secret = check.find("auth.jwt.hs256_secret");
    if (!secret || secret->value.size() < 32) {
      check.problem(secret ? secret->origin : algorithm->origin, "auth.jwt.hs256_secret",
                    "HS256 needs a secret of at least 32 bytes (prefer HEARTH_AUTH_JWT_HS256_SECRET)");
    }
  }
  if (algorithm && algorithm->value == "RS256") {
    auto key = check.find("auth.jwt.rs256_public_key");
    if (!key || key->value.empty()) {
      check.problem(algorithm->origin, "auth.jwt.rs256_public_key", "missing: RS256 needs the issuer's public key");
    }
    check.existing_path("auth.jwt.rs256_public_key", false);
  }
  check.number("auth.jwt.max_lifetime_s", 1, 86'400);
  check.number("auth.jwt.leeway_s", 0, 3'600);
}

// The files the bundled plugins read.
void check_plugins(Checker &check) {
  check.existing_path("plugin.nl.hearth.early-warning.rule_set", false);
  check.existing_path("plugin.nl.hearth.early-warning.protected_attributes", false);
  check.one_of("plugin.nl.hearth.early-warning.scoring", {"on", "off"});
  check.number("plugin.nl.hearth.early-warning.flag_max_age_days", 1, 36'500);
  check.existing_path("plugin.nl.hearth.coordinator-handoff.config_dir", true);
}

// policy.ini, when the folder has one, must be readable as an INI file.
void check_policy_file(Checker &check, const fs::path &config_dir) {
  const fs::path policy = config_dir / "policy.ini";
  std::error_code error;
  if (!fs::exists(policy, error)) {
    return;
  }
  try {
    Poco::AutoPtr<Poco::Util::IniFileConfiguration> parsed(new Poco::Util::IniFileConfiguration(policy.string()));
    Poco::Util::AbstractConfiguration::Keys sections;
    parsed->keys(sections);
    if (std::find(sections.begin(), sections.end(), "matrix") == sections.end()) {
      check.problem(policy.string(), "matrix", "missing: policy.ini needs a [matrix] section");
    }
  } catch (const Poco::Exception &failure) {
    check.problem(policy.string(), "", "cannot be read: " + failure.displayText());
  }
}

} // namespace

std::string ConfigProblem::text() const {
  return key.empty() ? file + ": " + reason : file + ": " + key + ": " + reason;
}

std::vector<ConfigProblem> check_site_config(const std::optional<fs::path> &config_dir) {
  std::vector<ConfigProblem> problems;
  Checker check(problems);
  std::vector<std::string> site_keys;
  if (config_dir && !config_dir->empty()) {
    std::error_code error;
    if (!fs::is_directory(*config_dir, error)) {
      problems.push_back({config_dir->string(), "", "does not exist or is not a folder"});
      return problems;
    }
    const fs::path site_file = *config_dir / "hearth.ini";
    if (fs::exists(site_file, error)) {
      check.load(site_file);
      site_keys = check.site_keys();
    }
    check_policy_file(check, *config_dir);
  }
  check_core(check);
  check_retention(check, site_keys);
  check_auth(check);
  check_plugins(check);
  return problems;
}

} // namespace hearth::cli
