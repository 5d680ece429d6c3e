// The `hearth` command: dispatches to the commands in commands.hpp and turns their errors
// into "hearth: <message>" on stderr with exit status 1 (failure) or 2 (usage).
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "cli_errors.hpp"
#include "command_line.hpp"
#include "commands.hpp"
#include "commands/backtest/command_backtest.hpp"
#include "commands/config-check/command_config_check.hpp"
#include "commands/ingest/ingest_command.hpp"
#include "commands/new-plugin/command_new_plugin.hpp"
#include "commands/register-entry/command_register_entry.hpp"
#include "commands/score/command_score.hpp"
#include "usage.hpp"

namespace {

using hearth::cli::CommandLine;

// Runs the command named by the first words of `command_line.arguments`.
int dispatch(const CommandLine &command_line) {
  using namespace hearth::cli;
  const std::vector<std::string> &words = command_line.arguments;
  if (command_line.help_requested || (!words.empty() && words.front() == "help")) {
    print_usage(std::cout);
    return exit_success;
  }
  if (words.empty()) {
    print_usage(std::cerr);
    return exit_usage;
  }
  const std::string &command = words.front();
  const std::vector<std::string> rest(words.begin() + 1, words.end());
  if (command == "version") {
    return run_version(command_line, rest);
  }
  if (command == "serve") {
    return run_serve(command_line, rest);
  }
  if (command == "demo-data") {
    return run_demo_data(command_line, rest);
  }
  if (command == "purge") {
    return run_purge(command_line, rest);
  }
  if (command == "erase") {
    return run_erase(command_line, rest);
  }
  if (command == "audit") {
    return run_audit(command_line, rest);
  }
  if (command == "ingest") {
    return run_ingest(command_line, rest);
  }
  if (command == "score") {
    return run_score(command_line, rest);
  }
  if (command == "backtest") {
    return run_backtest(command_line, rest);
  }
  if (command == "config") {
    return run_config(command_line, rest);
  }
  if (command == "new-plugin") {
    return run_new_plugin(command_line, rest);
  }
  if (command == "register-entry") {
    return run_register_entry(command_line, rest);
  }
  if (command == "plugins") {
    if (rest.empty()) {
      throw UsageError("'plugins' needs a subcommand: list, inspect or scan");
    }
    const std::vector<std::string> options(rest.begin() + 1, rest.end());
    if (rest.front() == "list") {
      return run_plugins_list(command_line, options);
    }
    if (rest.front() == "inspect") {
      return run_plugins_inspect(command_line, options);
    }
    if (rest.front() == "scan") {
      return run_plugins_scan(command_line, options);
    }
    throw UsageError("unknown command 'plugins " + rest.front() + "'");
  }
  throw UsageError("unknown command '" + command + "'");
}

} // namespace

int main(int argc, char **argv) {
  using namespace hearth::cli;
  try {
    return dispatch(parse_command_line(argc, argv));
  } catch (const UsageError &usage_error) {
    std::cerr << "hearth: " << usage_error.what() << " (see hearth --help)\n";
    return exit_usage;
  } catch (const std::exception &failure) {
    std::cerr << "hearth: " << failure.what() << '\n';
    return exit_failure;
  }
}
