// TLS for an adapter's outbound https calls (VERA's back office, the ZGW Zaken API, the
// Wgs municipality endpoint), configured the same way everywhere: a PEM file of the
// certificate authorities trusted for the server and a verification mode. Reads and checks
// the two settings, builds the Poco client context, and words a refused certificate so
// that the message names the setting to look at. Part of hearth_adapter_tls (Poco NetSSL,
// OpenSSL beneath), a separate library so adapters without https do not link OpenSSL.
// Since 0.3.
#pragma once

#include <string>

#include <Poco/Net/Context.h>

#include "adapter_common/settings_section.hpp"

namespace hearth::adapters {

// How the server's certificate is checked.
//   strict  — the chain up to a trusted authority and the host name (the default);
//   relaxed — the chain likewise; in Poco's terms the same for a client, except that the
//             host-name check is skipped for a server named localhost or 127.0.0.1;
//   none    — nothing is checked (test set-ups only; refused in production).
enum class TlsVerification { strict, relaxed, none };

// "strict", "relaxed" or "none".
const char *tls_verification_name(TlsVerification verification);

// One adapter's TLS client settings, with the names of the two keys they came from (for
// messages), e.g. "plugin.nl.hearth.adapter.zgw.zaken_ca_file".
struct TlsClientSettings {
  std::string ca_file; // PEM file of the trusted authorities; "" = the system's
  TlsVerification verification = TlsVerification::strict;
  std::string ca_file_setting = "ca_file"; // the key's name as messages give it
  std::string verify_setting = "verify";
};

// Reads `ca_file_key` and `verify_key` through `read` (absent or empty: "" and strict).
// Messages name a key as `key_prefix` + key (VERA passes "", the ZGW and Wgs adapters
// "plugin.<id>."). Throws std::invalid_argument("<name>: <reason>") for a CA file that is
// not a readable file, a verification mode other than strict, relaxed or none, and for
// none when `production` is true (runtime.mode = production). [any-thread]
TlsClientSettings read_tls_client_settings(const SettingReader &read, const std::string &ca_file_key,
                                           const std::string &verify_key, bool production,
                                           const std::string &key_prefix = "");

// True when `read("runtime.mode")` says production (the runtime's mode, readable through
// every plugin's config_get). [any-thread]
bool runtime_is_production(const SettingReader &read);

// The TLS client context for these settings: the CA file (else the system's authorities),
// the verification mode, TLS 1.2 at least. Throws std::invalid_argument("<ca_file
// setting>: cannot be loaded (<OpenSSL's reason>)") when the file is not usable PEM. The
// context may be shared by sessions on any thread. [any-thread]
Poco::Net::Context::Ptr make_tls_client_context(const TlsClientSettings &settings);

// The sentence for a certificate the client did not accept, naming where trust comes
// from: "the server's TLS certificate was not accepted (<detail>); trusted authorities:
// <ca_file setting> = <file>" or "...: the system's (set <ca_file setting> to the
// server's authority)". `server` words the other side ("the Zaken API's"); `detail` is
// Poco's exception text. Holds no secret.
std::string describe_refused_certificate(const TlsClientSettings &settings, const std::string &server,
                                         const std::string &detail);

} // namespace hearth::adapters
