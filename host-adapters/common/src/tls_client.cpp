#include "adapter_common/tls_client.hpp"

#include <filesystem>
#include <fstream>
#include <stdexcept>

#include <Poco/Exception.h>

namespace hearth::adapters {
namespace {

Poco::Net::Context::VerificationMode poco_mode(TlsVerification verification) {
  switch (verification) {
  case TlsVerification::none:
    return Poco::Net::Context::VERIFY_NONE;
  case TlsVerification::relaxed:
    return Poco::Net::Context::VERIFY_RELAXED;
  case TlsVerification::strict:
    break;
  }
  return Poco::Net::Context::VERIFY_STRICT;
}

} // namespace

const char *tls_verification_name(TlsVerification verification) {
  switch (verification) {
  case TlsVerification::none:
    return "none";
  case TlsVerification::relaxed:
    return "relaxed";
  case TlsVerification::strict:
    break;
  }
  return "strict";
}

bool runtime_is_production(const SettingReader &read) { return read("runtime.mode").value_or("") == "production"; }

TlsClientSettings read_tls_client_settings(const SettingReader &read, const std::string &ca_file_key,
                                           const std::string &verify_key, bool production,
                                           const std::string &key_prefix) {
  TlsClientSettings settings;
  settings.ca_file_setting = key_prefix + ca_file_key;
  settings.verify_setting = key_prefix + verify_key;
  settings.ca_file = read(ca_file_key).value_or("");
  if (!settings.ca_file.empty()) {
    std::error_code error;
    if (!std::filesystem::is_regular_file(settings.ca_file, error) || !std::ifstream(settings.ca_file)) {
      throw std::invalid_argument(settings.ca_file_setting + ": " + settings.ca_file + " is not a readable file");
    }
  }
  const std::string verify = read(verify_key).value_or("");
  if (verify.empty() || verify == "strict") {
    settings.verification = TlsVerification::strict;
  } else if (verify == "relaxed") {
    settings.verification = TlsVerification::relaxed;
  } else if (verify == "none") {
    settings.verification = TlsVerification::none;
  } else {
    throw std::invalid_argument(settings.verify_setting + ": must be strict, relaxed or none");
  }
  if (settings.verification == TlsVerification::none && production) {
    throw std::invalid_argument(settings.verify_setting + ": none is refused in production (name the CA in " +
                                settings.ca_file_setting + ")");
  }
  return settings;
}

Poco::Net::Context::Ptr make_tls_client_context(const TlsClientSettings &settings) {
  try {
    Poco::Net::Context::Params params;
    params.caLocation = settings.ca_file;
    params.loadDefaultCAs = settings.ca_file.empty();
    params.verificationMode = poco_mode(settings.verification);
    Poco::Net::Context::Ptr context = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, params);
    context->requireMinimumProtocol(Poco::Net::Context::PROTO_TLSV1_2);
    return context;
  } catch (const Poco::Exception &failure) {
    throw std::invalid_argument(settings.ca_file_setting + ": cannot be loaded (" + failure.displayText() + ")");
  }
}

std::string describe_refused_certificate(const TlsClientSettings &settings, const std::string &server,
                                         const std::string &detail) {
  std::string text = server + " TLS certificate was not accepted (" + detail + "); trusted authorities: ";
  if (settings.ca_file.empty()) {
    text += "the system's (set " + settings.ca_file_setting + " to the server's authority)";
  } else {
    text += settings.ca_file_setting + " = " + settings.ca_file;
  }
  return text;
}

} // namespace hearth::adapters
