// Reads [http] address from hearth.ini.
#include "configured_address.hpp"

#include <filesystem>

#include <Poco/AutoPtr.h>
#include <Poco/Exception.h>
#include <Poco/Util/IniFileConfiguration.h>

namespace hearth::cli {

namespace {

// The runtime's default HTTP address when the configuration names none.
constexpr const char *default_http_address = "127.0.0.1";

} // namespace

std::string configured_http_address(const std::optional<std::string> &config_dir) {
  if (!config_dir) {
    return default_http_address;
  }
  const std::filesystem::path ini_file = std::filesystem::path(*config_dir) / "hearth.ini";
  std::error_code status_error;
  if (!std::filesystem::is_regular_file(ini_file, status_error)) {
    return default_http_address;
  }
  try {
    Poco::AutoPtr<Poco::Util::IniFileConfiguration> configuration(
        new Poco::Util::IniFileConfiguration(ini_file.string()));
    const std::string address = configuration->getString("http.address", "");
    return address.empty() ? default_http_address : address;
  } catch (const Poco::Exception &) {
    // The runtime has already read this file and reports its problems itself.
    return default_http_address;
  }
}

} // namespace hearth::cli
