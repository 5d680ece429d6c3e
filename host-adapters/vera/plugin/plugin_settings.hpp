// The VERA plugin's settings: section [plugin.nl.hearth.adapter.vera] of hearth.ini (each
// key can be set from the environment: HEARTH_PLUGIN_NL_HEARTH_ADAPTER_VERA_<KEY>).
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include <hearth/plugin.hpp>

#include "adapter_common/adapter.hpp"

namespace hearth::adapters::vera::plugin {

struct PluginSettings {
  // Inbound (push): the parse context (source, purpose, legal bases, tenancy_attribute)
  // and the largest body accepted (max_body_bytes, default 1 MiB; larger is answered 413).
  ParseContext context;
  std::size_t max_body_bytes = 1024 * 1024;

  // Outbound (write-back); off while backoffice_url is empty.
  std::string backoffice_url;     // "http://vera.backoffice.example:8080/v4" (http; TLS by a proxy)
  std::string backoffice_api_key; // sent as X-API-KEY; prefer the environment variable
  std::string organisation = "local";     // X-Stuurgegevens-Zender-Organisatie; the audit actor's
  std::uint32_t max_attempts = 8;          // then the message is marked failed
  std::int64_t retry_base_ms = 2000;       // first retry after this, doubling
  std::int64_t retry_max_ms = 15 * 60 * 1000;
  std::int64_t timeout_ms = 10000;         // per request

  // Reads and checks every key; throws hearth::Error(HEARTH_ERROR_INVALID_ARGUMENT) naming
  // the key for a bad value.
  static PluginSettings read(const Host &host);
};

} // namespace hearth::adapters::vera::plugin
