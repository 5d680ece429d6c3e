#include "plugin_settings.hpp"

#include <charconv>
#include <optional>
#include <stdexcept>

namespace hearth::adapters::vera::plugin {
namespace {

std::int64_t whole_number(const Host &host, const char *key, std::int64_t fallback, std::int64_t minimum) {
  const auto value = host.config(key);
  if (!value || value->empty()) {
    return fallback;
  }
  std::int64_t parsed = 0;
  const auto [end, error] = std::from_chars(value->data(), value->data() + value->size(), parsed);
  if (error != std::errc() || end != value->data() + value->size() || parsed < minimum) {
    throw Error(HEARTH_ERROR_INVALID_ARGUMENT,
                std::string(key) + ": must be a whole number of at least " + std::to_string(minimum));
  }
  return parsed;
}

} // namespace

PluginSettings PluginSettings::read(const Host &host) {
  PluginSettings settings;
  std::map<std::string, std::string> adapter_settings;
  for (const char *key : {"source", "purpose", "tenancy_attribute", "legal_basis.finance", "legal_basis.nuisance",
                          "legal_basis.housing", "legal_basis.contact", "legal_basis.care"}) {
    if (const auto value = host.config(key)) {
      adapter_settings[std::string("vera.") + key] = std::string(*value);
    }
  }
  try {
    settings.context.source = "vera:local";
    apply_settings(settings.context, "vera", adapter_settings);
  } catch (const std::invalid_argument &error) {
    throw Error(HEARTH_ERROR_INVALID_ARGUMENT, error.what());
  }
  settings.max_body_bytes = static_cast<std::size_t>(whole_number(host, "max_body_bytes", 1024 * 1024, 1));
  settings.context.max_document_bytes = settings.max_body_bytes;
  settings.backoffice_url = std::string(host.config("backoffice_url").value_or(""));
  if (!settings.backoffice_url.empty() && settings.backoffice_url.rfind("http://", 0) != 0 &&
      settings.backoffice_url.rfind("https://", 0) != 0) {
    throw Error(HEARTH_ERROR_INVALID_ARGUMENT, "backoffice_url: must start with http:// or https://");
  }
  const SettingReader read = [&host](const std::string &key) -> std::optional<std::string> {
    const auto value = host.config(key.c_str());
    return value ? std::optional<std::string>(std::string(*value)) : std::nullopt;
  };
  try {
    settings.backoffice_tls = read_tls_client_settings(read, "backoffice_ca_file", "backoffice_verify",
                                                       runtime_is_production(read));
  } catch (const std::invalid_argument &error) {
    throw Error(HEARTH_ERROR_INVALID_ARGUMENT, error.what());
  }
  while (!settings.backoffice_url.empty() && settings.backoffice_url.back() == '/') {
    settings.backoffice_url.pop_back();
  }
  settings.backoffice_api_key = std::string(host.config("backoffice_api_key").value_or(""));
  settings.organisation = std::string(host.config("organisation").value_or("local"));
  if (settings.organisation.empty()) {
    throw Error(HEARTH_ERROR_INVALID_ARGUMENT, "organisation: must not be empty");
  }
  settings.max_attempts = static_cast<std::uint32_t>(whole_number(host, "max_attempts", 8, 1));
  settings.retry_base_ms = whole_number(host, "retry_base_ms", 2000, 1);
  settings.retry_max_ms = whole_number(host, "retry_max_ms", 15 * 60 * 1000, 1);
  settings.timeout_ms = whole_number(host, "timeout_ms", 10000, 1);
  return settings;
}

} // namespace hearth::adapters::vera::plugin
