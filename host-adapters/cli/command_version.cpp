// `hearth version`.
#include <iostream>

#include <hearth/host.h>

#include "cli_errors.hpp"
#include "commands.hpp"

namespace hearth::cli {

int run_version(const CommandLine &command_line, const std::vector<std::string> &arguments) {
  (void)command_line;
  const CommandOptions options = parse_command_options("version", arguments, {}, {});
  if (!options.positional.empty()) {
    throw UsageError("'version' takes no arguments");
  }
  std::uint32_t abi_major = 0;
  std::uint32_t abi_minor = 0;
  const char *release = nullptr;
  hearth_library_version(&abi_major, &abi_minor, &release);
  std::cout << "hearth " << (release != nullptr ? release : "unknown") << " (ABI " << abi_major
            << '.' << abi_minor << ")\n";
  return exit_success;
}

} // namespace hearth::cli
