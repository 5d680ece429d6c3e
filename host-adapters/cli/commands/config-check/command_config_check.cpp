// `hearth config check [--json]` (command_config_check.hpp).
#include "command_config_check.hpp"

#include <iostream>
#include <sstream>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include "cli_errors.hpp"
#include "site_config_check.hpp"

namespace hearth::cli {

int run_config(const CommandLine &command_line, const std::vector<std::string> &arguments) {
  if (arguments.empty() || arguments.front() != "check") {
    throw UsageError(arguments.empty() ? "'config' needs a subcommand: check"
                                       : "unknown command 'config " + arguments.front() + "'");
  }
  const std::vector<std::string> rest(arguments.begin() + 1, arguments.end());
  const CommandOptions options = parse_command_options("config check", rest, {"--json"}, {});
  if (!options.positional.empty()) {
    throw UsageError("'config check' takes no arguments");
  }
  const std::optional<std::string> config_dir = effective_config_dir(command_line);
  const std::vector<ConfigProblem> problems =
      check_site_config(config_dir ? std::optional<std::filesystem::path>(*config_dir) : std::nullopt);
  if (options.has("--json")) {
    Poco::JSON::Array list;
    for (const auto &problem : problems) {
      Poco::JSON::Object entry;
      entry.set("file", problem.file);
      entry.set("key", problem.key);
      entry.set("reason", problem.reason);
      list.add(entry);
    }
    list.stringify(std::cout);
    std::cout << '\n';
  } else if (problems.empty()) {
    std::cout << "The configuration in " << (config_dir ? *config_dir : std::string("the built-in defaults"))
              << " has no errors.\n";
  } else {
    for (const auto &problem : problems) {
      std::cout << problem.text() << '\n';
    }
    std::cout << problems.size() << (problems.size() == 1 ? " error" : " errors") << '\n';
  }
  return problems.empty() ? exit_success : exit_failure;
}

} // namespace hearth::cli
