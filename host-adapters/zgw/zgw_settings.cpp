#include "zgw_settings.hpp"

#include <charconv>
#include <sstream>
#include <stdexcept>

#include "zgw_urls.hpp"

namespace hearth::adapters::zgw {
namespace {

std::string key_name(const std::string &key) { return std::string("plugin.") + kZgwPluginId + "." + key; }

[[noreturn]] void fail(const std::string &key, const std::string &reason) {
  throw std::invalid_argument(key_name(key) + ": " + reason);
}

std::string optional(const SettingReader &read, const std::string &key, const std::string &fallback = {}) {
  const auto value = read(key);
  return value && !value->empty() ? *value : fallback;
}

std::string required(const SettingReader &read, const std::string &key) {
  std::string value = optional(read, key);
  if (value.empty()) {
    fail(key, "is required when the adapter is enabled");
  }
  return value;
}

std::size_t positive_number(const SettingReader &read, const std::string &key, std::size_t fallback) {
  const std::string text = optional(read, key);
  if (text.empty()) {
    return fallback;
  }
  std::size_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value == 0) {
    fail(key, "'" + text + "' is not a positive whole number");
  }
  return value;
}

// "finance:wgs-vroegsignalering, care:avg-9-2-h" over the defaults.
void read_legal_bases(const SettingReader &read, ParseContext &context) {
  std::string text = optional(read, "legal_bases");
  for (char &c : text) {
    if (c == ',') {
      c = ' ';
    }
  }
  std::istringstream entries(text);
  std::string entry;
  while (entries >> entry) {
    const auto colon = entry.find(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == entry.size()) {
      fail("legal_bases", "'" + entry + "' is not <data class>:<legal basis>");
    }
    context.legal_bases[entry.substr(0, colon)] = entry.substr(colon + 1);
  }
}

} // namespace

ZgwSettings read_zgw_settings(const SettingReader &read) {
  ZgwSettings settings;
  const std::string enabled = optional(read, "enabled", "false");
  if (enabled != "true" && enabled != "false") {
    fail("enabled", "must be true or false");
  }
  settings.enabled = enabled == "true";
  if (!settings.enabled) {
    return settings;
  }
  settings.organisation = required(read, "organisation");
  settings.webhook_path = optional(read, "webhook_path", settings.webhook_path);
  if (settings.webhook_path.front() != '/') {
    fail("webhook_path", "must start with '/'");
  }
  settings.webhook_authorization = required(read, "webhook_authorization");
  settings.max_body_bytes = positive_number(read, "max_body_bytes", settings.max_body_bytes);

  settings.zaken.base_url = required(read, "zaken_api");
  if (!is_http_url(settings.zaken.base_url)) {
    fail("zaken_api", "is not an absolute http(s) URL");
  }
  settings.zaken.credentials.client_id = required(read, "client_id");
  settings.zaken.credentials.secret = required(read, "secret");
  settings.zaken.credentials.user_id = optional(read, "user_id", "hearth");
  settings.zaken.credentials.user_representation = optional(read, "user_representation", "Hearth");
  settings.zaken.timeout = std::chrono::milliseconds(positive_number(read, "timeout_ms", 10000));
  settings.zaken.max_answer_bytes = positive_number(read, "max_answer_bytes", 1024u * 1024u);

  settings.context.source = optional(read, "source", "zgw:" + settings.organisation);
  settings.context.purpose = optional(read, "purpose", settings.context.purpose);
  settings.context.max_document_bytes = settings.max_body_bytes;
  settings.context.max_future_skew_ms = 5LL * 60LL * 1000LL;
  read_legal_bases(read, settings.context);
  settings.context.settings["zgw.zaaktypes"] = optional(read, "zaaktypes");
  settings.context.settings["zgw.tenancy_bron"] = optional(read, "tenancy_bron", "hearth:tenancy");
  try {
    settings.mapping = read_zaak_mapping(settings.context);
  } catch (const std::invalid_argument &e) {
    fail("zaaktypes", e.what());
  }

  auto &exported = settings.export_settings;
  exported.zaaktype = optional(read, "export_zaaktype");
  settings.export_enabled = !exported.zaaktype.empty();
  if (settings.export_enabled) {
    exported.bronorganisatie = required(read, "export_bronorganisatie");
    exported.verantwoordelijke_organisatie = required(read, "export_verantwoordelijke_organisatie");
    exported.statustype = required(read, "export_statustype");
    exported.roltype = required(read, "export_roltype");
    exported.tenancy_bron = settings.mapping.tenancy_bron;
    exported.case_bron = optional(read, "case_bron", exported.case_bron);
    try {
      exported.check();
    } catch (const std::invalid_argument &e) {
      throw std::invalid_argument(key_name("") + e.what());
    }
  }
  return settings;
}

} // namespace hearth::adapters::zgw
