// Reading a plugin's configuration section ([plugin.<id>] of hearth.ini, every key also
// from the environment) with errors that name the whole key and the reason:
// "plugin.nl.hearth.adapter.zgw.zaken_api: is required when the adapter is enabled". Used
// by the ZGW and Signalen adapters' settings. Part of hearth_adapter_common. Since 0.2.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>

namespace hearth::adapters {

// Reads a key of the plugin's section; nullopt when absent.
using SettingReader = std::function<std::optional<std::string>(const std::string &key)>;

class SettingsSection {
public:
  // `plugin_id` names the section ("nl.hearth.adapter.zgw"); `read` is kept.
  SettingsSection(std::string plugin_id, SettingReader read);

  // "plugin.<id>.<key>"
  std::string key_name(const std::string &key) const;
  // Throws std::invalid_argument("plugin.<id>.<key>: <reason>").
  [[noreturn]] void fail(const std::string &key, const std::string &reason) const;

  // The value, or `fallback` when the key is absent or empty.
  std::string optional(const std::string &key, const std::string &fallback = {}) const;
  // The value; fails with "is required when the adapter is enabled" when absent or empty.
  std::string required(const std::string &key) const;
  // "true" or "false" (absent: `fallback`); fails with "must be true or false".
  bool boolean(const std::string &key, bool fallback) const;
  // A whole number > 0 (absent: `fallback`); fails with "'<text>' is not a positive whole
  // number", or without the quoted text when `quote_value` is false.
  std::size_t positive_number(const std::string &key, std::size_t fallback, bool quote_value = true) const;
  // A whole number >= 0 (absent: `fallback`), for settings where 0 means off; fails with
  // "'<text>' is not a whole number". Since 0.3.
  std::size_t whole_number(const std::string &key, std::size_t fallback) const;

private:
  std::string plugin_id_;
  SettingReader read_;
};

} // namespace hearth::adapters
