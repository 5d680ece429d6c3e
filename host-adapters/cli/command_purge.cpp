// `hearth purge [--user U] [--organisation O]`: deletes, as an administrator, what
// outlived its retention period ([retention] in hearth.ini), and prints what went.
#include <iostream>
#include <memory>
#include <string>

#include <hearth/host.h>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "cli_errors.hpp"
#include "command_actor.hpp"
#include "commands.hpp"
#include "hearth_text.hpp"
#include "runtime_session.hpp"

namespace hearth::cli {

int run_purge(const CommandLine &command_line, const std::vector<std::string> &arguments) {
  const CommandOptions options = parse_command_options("purge", arguments, {}, {"--user", "--organisation"});
  if (!options.positional.empty()) {
    throw UsageError("'purge' takes no arguments");
  }
  const CommandActor admin(options, "administrator", "cli-admin");

  const RuntimeSession runtime(effective_config_dir(command_line));
  HearthText result, error;
  const std::int32_t status = hearth_runtime_command(runtime.handle(), admin.get(), "purge", "{}", result.out(), error.out());
  if (status != HEARTH_OK) {
    throw CommandFailure("purge failed: " + failure_message(status, error));
  }
  const auto answer = Poco::JSON::Parser().parse(result.str()).extract<Poco::JSON::Object::Ptr>();
  const auto per_type = answer->getObject("signal");
  std::int64_t signals = 0;
  std::string types;
  for (const auto &[type, count] : *per_type) {
    signals += count.convert<std::int64_t>();
    types += (types.empty() ? " (" : ", ") + type + " " + count.convert<std::string>();
  }
  std::cout << "Purged what outlived its retention period:\n"
            << "  signals        " << signals << (types.empty() ? "" : types + ")") << '\n'
            << "  event-log rows " << answer->getValue<std::int64_t>("event_log") << '\n'
            << "  dead letters   " << answer->getValue<std::int64_t>("dead_letter") << '\n'
            << "  outcomes       " << answer->getValue<std::int64_t>("outcome") << '\n'
            << "The audit log is kept (NEN 7513); the purge is recorded in it.\n";
  return exit_success;
}

} // namespace hearth::cli
