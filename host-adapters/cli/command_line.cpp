// Command-line parsing for the `hearth` command.
#include "command_line.hpp"

#include <algorithm>
#include <cstdlib>
#include <string_view>

#include "cli_errors.hpp"

namespace hearth::cli {

namespace {

constexpr std::string_view config_option = "--config";

// True when `names` holds `name`.
bool contains(const std::vector<std::string> &names, const std::string &name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

} // namespace

CommandLine parse_command_line(int argc, char **argv) {
  CommandLine command_line;
  for (int index = 1; index < argc; ++index) {
    const std::string argument = argv[index];
    if (argument == "--help" || argument == "-h") {
      command_line.help_requested = true;
    } else if (argument == config_option) {
      if (index + 1 >= argc) {
        throw UsageError("option --config needs a folder");
      }
      command_line.config_dir = argv[++index];
    } else if (argument.rfind("--config=", 0) == 0) {
      command_line.config_dir = argument.substr(config_option.size() + 1);
    } else {
      command_line.arguments.push_back(argument);
    }
  }
  return command_line;
}

std::optional<std::string> effective_config_dir(const CommandLine &command_line) {
  if (command_line.config_dir) {
    return command_line.config_dir;
  }
  const char *from_environment = std::getenv("HEARTH_CONFIG_DIR");
  if (from_environment != nullptr && *from_environment != '\0') {
    return std::string(from_environment);
  }
  return std::nullopt;
}

std::optional<std::string> CommandOptions::value(const std::string &name) const {
  if (auto found = values.find(name); found != values.end()) {
    return found->second;
  }
  return std::nullopt;
}

CommandOptions parse_command_options(const std::string &command,
                                     const std::vector<std::string> &arguments,
                                     const std::vector<std::string> &flags,
                                     const std::vector<std::string> &valued) {
  CommandOptions options;
  for (std::size_t index = 0; index < arguments.size(); ++index) {
    const std::string &argument = arguments[index];
    if (argument.size() < 2 || argument[0] != '-') {
      options.positional.push_back(argument);
      continue;
    }
    const auto equals = argument.find('=');
    const std::string name = argument.substr(0, equals);
    if (contains(flags, name) && equals == std::string::npos) {
      options.values[name] = "";
    } else if (contains(valued, name)) {
      if (equals != std::string::npos) {
        options.values[name] = argument.substr(equals + 1);
      } else if (index + 1 < arguments.size()) {
        options.values[name] = arguments[++index];
      } else {
        throw UsageError("option " + name + " of '" + command + "' needs a value");
      }
    } else {
      throw UsageError("unknown option '" + argument + "' for '" + command + "'");
    }
  }
  return options;
}

} // namespace hearth::cli
