// Splits the command line into the global options, the command words and the command's
// own options.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace hearth::cli {

// The parsed command line.
struct CommandLine {
  std::optional<std::string> config_dir; // from --config DIR
  bool help_requested = false;           // --help or -h anywhere
  std::vector<std::string> arguments;    // everything else, in order: words and options
};

// Parses argv[1..argc). Throws UsageError when --config lacks its value.
CommandLine parse_command_line(int argc, char **argv);

// The configuration folder to open: --config, else the environment variable
// HEARTH_CONFIG_DIR when set and not empty, else nothing (built-in defaults).
std::optional<std::string> effective_config_dir(const CommandLine &command_line);

// A command's own options, after its command words.
struct CommandOptions {
  std::map<std::string, std::string> values; // option name -> value ("" for flags)
  std::vector<std::string> positional;       // the arguments that are not options

  // True when option `name` ("--json") was given.
  bool has(const std::string &name) const { return values.count(name) != 0; }
  // The value of option `name`, if it was given.
  std::optional<std::string> value(const std::string &name) const;
};

// Reads a command's options from `arguments`: the flags named in `flags` and the options
// taking a value ("--port 8080" or "--port=8080") named in `valued`. Throws UsageError for
// an unknown option or a missing value; `command` names the command in messages.
CommandOptions parse_command_options(const std::string &command,
                                     const std::vector<std::string> &arguments,
                                     const std::vector<std::string> &flags,
                                     const std::vector<std::string> &valued);

} // namespace hearth::cli
