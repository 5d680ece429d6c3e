#include "commands/register-entry/command_register_entry.hpp"

#include <fstream>
#include <iostream>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "cli_errors.hpp"
#include "command_actor.hpp"
#include "commands/early-warning-common/early_warning_call.hpp"
#include "commands/register-entry/register_markdown.hpp"

namespace hearth::cli {

int run_register_entry(const CommandLine &command_line, const std::vector<std::string> &arguments) {
  const CommandOptions options =
      parse_command_options("register-entry", arguments, {"--json"}, {"--out", "--user", "--organisation"});
  if (!options.positional.empty()) {
    throw UsageError("'register-entry' takes no arguments");
  }
  const CommandActor admin(options, "administrator", "cli-admin");
  const EarlyWarningSession session(effective_config_dir(command_line));
  const std::string answer = session.call(admin.get(), "register-entry", "{}", "the register entry");
  const std::string text =
      options.has("--json")
          ? answer + "\n"
          : register_markdown(Poco::JSON::Parser().parse(answer).extract<Poco::JSON::Object::Ptr>());
  if (const auto file = options.value("--out")) {
    std::ofstream out(*file, std::ios::binary);
    out << text;
    if (!out) {
      throw CommandFailure("cannot write " + *file);
    }
    std::cout << "Wrote the algorithm-register entry to " << *file << ".\n";
  } else {
    std::cout << text;
  }
  return exit_success;
}

} // namespace hearth::cli
