// `hearth audit verify [--user U] [--organisation O]`: walks the audit log's hash chain as
// an auditor. Exit 0 when intact, 1 when an entry was changed, removed or reordered.
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

namespace {

// `hearth audit verify`.
int run_audit_verify(const CommandLine &command_line, const std::vector<std::string> &arguments) {
  const CommandOptions options = parse_command_options("audit verify", arguments, {}, {"--user", "--organisation"});
  if (!options.positional.empty()) {
    throw UsageError("'audit verify' takes no arguments");
  }
  const CommandActor auditor(options, "auditor", "cli-auditor");

  const RuntimeSession runtime(effective_config_dir(command_line));
  HearthText result, error;
  const std::int32_t status = hearth_runtime_read(runtime.handle(), auditor.get(), "audit.verify", "{}", result.out(), error.out());
  if (status != HEARTH_OK) {
    throw CommandFailure("cannot verify the audit log: " + failure_message(status, error));
  }
  const auto answer = Poco::JSON::Parser().parse(result.str()).extract<Poco::JSON::Object::Ptr>();
  const auto entries = answer->getValue<std::int64_t>("entries");
  if (answer->getValue<bool>("intact")) {
    std::cout << "audit log intact: " << entries << (entries == 1 ? " entry" : " entries") << '\n';
    return exit_success;
  }
  std::cout << "audit log tampered: first bad entry " << answer->getValue<std::int64_t>("first_bad") << " ("
            << answer->getValue<std::string>("reason") << ")\n";
  return exit_failure;
}

} // namespace

int run_audit(const CommandLine &command_line, const std::vector<std::string> &arguments) {
  if (arguments.empty()) {
    throw UsageError("'audit' needs a subcommand: verify");
  }
  if (arguments.front() != "verify") {
    throw UsageError("unknown command 'audit " + arguments.front() + "'");
  }
  return run_audit_verify(command_line, std::vector<std::string>(arguments.begin() + 1, arguments.end()));
}

} // namespace hearth::cli
