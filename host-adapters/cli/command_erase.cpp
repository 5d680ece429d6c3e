// `hearth erase --person ID | --tenancy ID [--user U] [--organisation O]`: an erasure
// request carried out as an administrator. The audit log is kept, and records it.
#include <iostream>
#include <memory>
#include <sstream>
#include <string>

#include <hearth/host.h>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include "cli_errors.hpp"
#include "command_actor.hpp"
#include "commands.hpp"
#include "hearth_text.hpp"
#include "runtime_session.hpp"

namespace hearth::cli {

namespace {

// {"<key>": id} as JSON, the id escaped.
std::string id_argument(const std::string &key, const std::string &id) {
  Poco::JSON::Object args;
  args.set(key, id);
  std::ostringstream out;
  Poco::JSON::Stringifier::condense(args, out);
  return out.str();
}

} // namespace

int run_erase(const CommandLine &command_line, const std::vector<std::string> &arguments) {
  const CommandOptions options =
      parse_command_options("erase", arguments, {}, {"--person", "--tenancy", "--user", "--organisation"});
  if (!options.positional.empty()) {
    throw UsageError("'erase' takes no arguments besides --person ID or --tenancy ID");
  }
  if (options.has("--person") == options.has("--tenancy")) {
    throw UsageError("'erase' needs exactly one of --person ID and --tenancy ID");
  }
  const bool person = options.has("--person");
  const std::string id = *options.value(person ? "--person" : "--tenancy");
  if (id.empty()) {
    throw UsageError("--person and --tenancy need a value");
  }
  const CommandActor admin(options, "administrator", "cli-admin");

  const RuntimeSession runtime(effective_config_dir(command_line));
  const std::string args = id_argument(person ? "person_id" : "tenancy_id", id);
  HearthText result, error;
  const std::int32_t status = hearth_runtime_command(runtime.handle(), admin.get(), person ? "erase-person" : "erase-tenancy",
                                                     args.c_str(), result.out(), error.out());
  if (status != HEARTH_OK) {
    throw CommandFailure("erasure failed: " + failure_message(status, error));
  }
  const auto answer = Poco::JSON::Parser().parse(result.str()).extract<Poco::JSON::Object::Ptr>();
  if (person) {
    std::cout << "Erased person " << id << " (sealed BSN included).\n";
  } else {
    std::cout << "Erased the personal data of tenancy " << id << ":\n"
              << "  signals        " << answer->getValue<std::int64_t>("signal") << '\n'
              << "  event-log rows " << answer->getValue<std::int64_t>("event_log") << '\n'
              << "  outcomes       " << answer->getValue<std::int64_t>("outcome") << '\n'
              << "  persons        " << answer->getValue<std::int64_t>("person") << '\n'
              << "  tenant and portfolio owner cleared\n";
  }
  std::cout << "The audit log is kept (NEN 7513); the erasure is recorded in it.\n";
  return exit_success;
}

} // namespace hearth::cli
