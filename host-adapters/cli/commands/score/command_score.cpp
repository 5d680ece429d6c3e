#include "commands/score/command_score.hpp"

#include <iostream>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "cli_errors.hpp"
#include "command_actor.hpp"
#include "commands/early-warning-common/early_warning_call.hpp"

namespace hearth::cli {

int run_score(const CommandLine &command_line, const std::vector<std::string> &arguments) {
  const CommandOptions options = parse_command_options("score", arguments, {"--full", "--json"}, {"--user", "--organisation"});
  if (!options.positional.empty()) {
    throw UsageError("'score' takes no arguments");
  }
  if (!options.has("--full")) {
    throw UsageError("'score' needs --full (incremental scoring runs inside 'hearth serve')");
  }
  const CommandActor admin(options, "administrator", "cli-admin");
  const EarlyWarningSession session(effective_config_dir(command_line));
  const std::string answer = session.call(admin.get(), "score.full", "{}", "rescoring");
  if (options.has("--json")) {
    std::cout << answer << '\n';
    return exit_success;
  }
  const auto summary = Poco::JSON::Parser().parse(answer).extract<Poco::JSON::Object::Ptr>();
  const auto rules = summary->getObject("rule_set");
  const auto levels = summary->getObject("levels");
  std::cout << "Rescored every tenancy under rule set " << rules->getValue<std::string>("name") << " version "
            << rules->getValue<std::string>("version") << " (sha256 " << rules->getValue<std::string>("sha256").substr(0, 12)
            << "):\n"
            << "  tenancies        " << summary->getValue<std::int64_t>("tenancies") << " ("
            << summary->getValue<std::int64_t>("scored_tenancies") << " scored)\n"
            << "  signals          " << summary->getValue<std::int64_t>("signals") << '\n'
            << "  levels           red " << levels->getValue<std::int64_t>("red") << ", amber "
            << levels->getValue<std::int64_t>("amber") << ", green " << levels->getValue<std::int64_t>("green")
            << ", none " << levels->getValue<std::int64_t>("none") << '\n'
            << "  changed          " << summary->getValue<std::int64_t>("changed")
            << " (tenancies whose score differs from the incremental one)\n"
            << "  new flags        " << summary->getValue<std::int64_t>("flags_stored")
            << " (recent flags not stored before; every flag waits for a person's decision)\n";
  return exit_success;
}

} // namespace hearth::cli
