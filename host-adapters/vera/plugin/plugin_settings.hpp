// The VERA plugin's settings: section [plugin.nl.hearth.adapter.vera] of hearth.ini (each
// key can be set from the environment: HEARTH_PLUGIN_NL_HEARTH_ADAPTER_VERA_<KEY>).
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include <hearth/plugin.hpp>

#include "adapter_common/adapter.hpp"
#include "adapter_common/tls_client.hpp"

namespace hearth::adapters::vera::plugin {

struct PluginSettings {
  // Inbound (push): the parse context (source, purpose, legal bases, tenancy_attribute)
  // and the largest body accepted (max_body_bytes, default 1 MiB; larger is answered 413).
  ParseContext context;
  std::size_t max_body_bytes = 1024 * 1024;

  // Outbound (write-back); off while backoffice_url is empty.
  std::string backoffice_url;     // "https://vera.backoffice.example/v4" (https since 0.2, or http)
  // TLS for an https backoffice_url (since 0.2; read by adapter_common's tls_client since
  // 0.3): backoffice_ca_file, the PEM file of the certificate authorities trusted for the
  // back office ("" = the system's), and backoffice_verify, how the back office's
  // certificate is checked: "strict" (default; the chain and the host name), "relaxed"
  // (the same for a client, in Poco's terms) or "none" (nothing checked; refused when
  // runtime.mode is production).
  TlsClientSettings backoffice_tls;
  std::string backoffice_api_key; // sent as X-API-KEY; prefer the environment variable
  std::string organisation = "local";     // X-Stuurgegevens-Zender-Organisatie; the audit actor's
  std::uint32_t max_attempts = 8;          // then the message is marked failed
  std::int64_t retry_base_ms = 2000;       // first retry after this, doubling
  std::int64_t retry_max_ms = 15 * 60 * 1000;
  std::int64_t timeout_ms = 10000;         // per request

  // Reads and checks every key; throws hearth::Error(HEARTH_ERROR_INVALID_ARGUMENT) naming
  // the key for a bad value (a backoffice_url that is not http:// or https://, a
  // backoffice_ca_file that cannot be read, an unknown backoffice_verify, "none" in
  // production).
  static PluginSettings read(const Host &host);
};

} // namespace hearth::adapters::vera::plugin
