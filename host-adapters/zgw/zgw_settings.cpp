#include "zgw_settings.hpp"

#include <sstream>
#include <stdexcept>

#include "adapter_common/tls_client.hpp"
#include "zgw_urls.hpp"

namespace hearth::adapters::zgw {
namespace {

// "finance:wgs-vroegsignalering, care:avg-9-2-h" over the defaults.
void read_legal_bases(const SettingsSection &section, ParseContext &context) {
  std::string text = section.optional("legal_bases");
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
      section.fail("legal_bases", "'" + entry + "' is not <data class>:<legal basis>");
    }
    context.legal_bases[entry.substr(0, colon)] = entry.substr(colon + 1);
  }
}

} // namespace

ZgwSettings read_zgw_settings(const SettingReader &read) {
  const SettingsSection section(kZgwPluginId, read);
  ZgwSettings settings;
  settings.enabled = section.boolean("enabled", false);
  if (!settings.enabled) {
    return settings;
  }
  settings.organisation = section.required("organisation");
  settings.webhook_path = section.optional("webhook_path", settings.webhook_path);
  if (settings.webhook_path.front() != '/') {
    section.fail("webhook_path", "must start with '/'");
  }
  settings.webhook_authorization = section.required("webhook_authorization");
  settings.max_body_bytes = section.positive_number("max_body_bytes", settings.max_body_bytes);

  settings.zaken.base_url = section.required("zaken_api");
  if (!is_http_url(settings.zaken.base_url)) {
    section.fail("zaken_api", "is not an absolute http(s) URL");
  }
  settings.zaken.credentials.client_id = section.required("client_id");
  settings.zaken.credentials.secret = section.required("secret");
  settings.zaken.credentials.user_id = section.optional("user_id", "hearth");
  settings.zaken.credentials.user_representation = section.optional("user_representation", "Hearth");
  settings.zaken.timeout = std::chrono::milliseconds(section.positive_number("timeout_ms", 10000));
  settings.zaken.max_answer_bytes = section.positive_number("max_answer_bytes", 1024u * 1024u);
  settings.zaken.tls = read_tls_client_settings(read, "zaken_ca_file", "zaken_verify", runtime_is_production(read),
                                                section.key_name(""));

  settings.context.source = section.optional("source", "zgw:" + settings.organisation);
  settings.context.purpose = section.optional("purpose", settings.context.purpose);
  settings.context.max_document_bytes = settings.max_body_bytes;
  settings.context.max_future_skew_ms = 5LL * 60LL * 1000LL;
  read_legal_bases(section, settings.context);
  settings.context.settings["zgw.zaaktypes"] = section.optional("zaaktypes");
  settings.context.settings["zgw.tenancy_bron"] = section.optional("tenancy_bron", "hearth:tenancy");
  try {
    settings.mapping = read_zaak_mapping(settings.context);
  } catch (const std::invalid_argument &e) {
    section.fail("zaaktypes", e.what());
  }

  auto &exported = settings.export_settings;
  exported.zaaktype = section.optional("export_zaaktype");
  settings.export_enabled = !exported.zaaktype.empty();
  if (settings.export_enabled) {
    exported.bronorganisatie = section.required("export_bronorganisatie");
    exported.verantwoordelijke_organisatie = section.required("export_verantwoordelijke_organisatie");
    exported.statustype = section.required("export_statustype");
    exported.roltype = section.required("export_roltype");
    exported.tenancy_bron = settings.mapping.tenancy_bron;
    exported.case_bron = section.optional("case_bron", exported.case_bron);
    auto &retry = settings.export_retry;
    const std::size_t attempts = section.positive_number("export_retry_attempts", retry.attempts);
    if (attempts > 100) {
      section.fail("export_retry_attempts", "must be at most 100");
    }
    retry.attempts = static_cast<std::uint32_t>(attempts);
    retry.base_delay = std::chrono::milliseconds(section.positive_number("export_retry_base_ms", 1000));
    retry.max_delay = std::chrono::milliseconds(section.positive_number("export_retry_max_ms", 30000));
    if (retry.max_delay < retry.base_delay) {
      section.fail("export_retry_max_ms", "must not be less than export_retry_base_ms");
    }
    const std::size_t interval = section.whole_number("export_resend_interval_ms", 300000);
    if (interval > 86400000u) {
      section.fail("export_resend_interval_ms", "must be at most 86400000 (a day)");
    }
    settings.export_resend_interval = std::chrono::milliseconds(static_cast<std::int64_t>(interval));
    const std::size_t resends = section.positive_number("export_resend_attempts", settings.export_resend_attempts);
    if (resends > 100000) {
      section.fail("export_resend_attempts", "must be at most 100000");
    }
    settings.export_resend_attempts = static_cast<std::uint32_t>(resends);
    try {
      exported.check();
    } catch (const std::invalid_argument &e) {
      throw std::invalid_argument(section.key_name("") + e.what());
    }
  }
  return settings;
}

} // namespace hearth::adapters::zgw
