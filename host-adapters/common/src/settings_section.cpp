#include "adapter_common/settings_section.hpp"

#include <charconv>
#include <stdexcept>
#include <utility>

namespace hearth::adapters {

SettingsSection::SettingsSection(std::string plugin_id, SettingReader read)
    : plugin_id_(std::move(plugin_id)), read_(std::move(read)) {}

std::string SettingsSection::key_name(const std::string &key) const { return "plugin." + plugin_id_ + "." + key; }

void SettingsSection::fail(const std::string &key, const std::string &reason) const {
  throw std::invalid_argument(key_name(key) + ": " + reason);
}

std::string SettingsSection::optional(const std::string &key, const std::string &fallback) const {
  const auto value = read_(key);
  return value && !value->empty() ? *value : fallback;
}

std::string SettingsSection::required(const std::string &key) const {
  std::string value = optional(key);
  if (value.empty()) {
    fail(key, "is required when the adapter is enabled");
  }
  return value;
}

bool SettingsSection::boolean(const std::string &key, bool fallback) const {
  const std::string text = optional(key, fallback ? "true" : "false");
  if (text != "true" && text != "false") {
    fail(key, "must be true or false");
  }
  return text == "true";
}

std::size_t SettingsSection::positive_number(const std::string &key, std::size_t fallback, bool quote_value) const {
  const std::string text = optional(key);
  if (text.empty()) {
    return fallback;
  }
  std::size_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value == 0) {
    fail(key, quote_value ? "'" + text + "' is not a positive whole number" : "is not a positive whole number");
  }
  return value;
}

std::size_t SettingsSection::whole_number(const std::string &key, std::size_t fallback) const {
  const std::string text = optional(key);
  if (text.empty()) {
    return fallback;
  }
  std::size_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) {
    fail(key, "'" + text + "' is not a whole number");
  }
  return value;
}

} // namespace hearth::adapters
