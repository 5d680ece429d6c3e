#include "commands/backtest/command_backtest.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>
#include <Poco/NumberParser.h>

#include "adapter_common/progress.hpp"

#include "cli_errors.hpp"
#include "command_actor.hpp"
#include "commands/backtest/backtest_charts.hpp"
#include "commands/backtest/backtest_markdown.hpp"
#include "commands/early-warning-common/early_warning_call.hpp"

namespace hearth::cli {
namespace {

std::string date_option(const CommandOptions &options, const char *name) {
  const auto value = options.value(name);
  if (!value) {
    throw UsageError(std::string("'backtest' needs ") + name + " DATE (like 2025-12-31)");
  }
  const std::string &text = *value;
  const bool shaped = text.size() == 10 && text[4] == '-' && text[7] == '-' &&
                      std::all_of(text.begin(), text.end(), [](char c) { return (c >= '0' && c <= '9') || c == '-'; });
  if (!shaped) {
    throw UsageError(std::string(name) + " needs a date like 2025-12-31, not '" + text + "'");
  }
  return text;
}

int number_option(const CommandOptions &options, const char *name, int fallback, int low, int high) {
  const auto value = options.value(name);
  if (!value) {
    return fallback;
  }
  int number = 0;
  if (!Poco::NumberParser::tryParse(*value, number) || number < low || number > high) {
    throw UsageError(std::string(name) + " needs a whole number from " + std::to_string(low) + " to " +
                     std::to_string(high) + ", not '" + *value + "'");
  }
  return number;
}

std::string json_text(const Poco::Dynamic::Var &value) {
  std::ostringstream out;
  Poco::JSON::Stringifier::condense(value, out);
  return out.str();
}

void write_file(const std::filesystem::path &file, const std::string &text) {
  std::ofstream out(file, std::ios::binary);
  out << text;
  if (!out) {
    throw CommandFailure("cannot write " + file.string());
  }
}

} // namespace

int run_backtest(const CommandLine &command_line, const std::vector<std::string> &arguments) {
  const CommandOptions options = parse_command_options(
      "backtest", arguments, {}, {"--from", "--to", "--out", "--top-k", "--parts", "--user", "--organisation"});
  if (!options.positional.empty()) {
    throw UsageError("'backtest' takes no arguments besides its options");
  }
  const std::string from = date_option(options, "--from");
  const std::string to = date_option(options, "--to");
  const int top_k = number_option(options, "--top-k", 0, 0, 100'000'000);
  const int parts = number_option(options, "--parts", 20, 1, 10'000);
  const std::filesystem::path out_dir = options.value("--out").value_or("backtest-report");
  const CommandActor auditor(options, "auditor", "cli-auditor");

  const EarlyWarningSession session(effective_config_dir(command_line));
  adapters::ProgressReporter progress(std::cerr, adapters::ProgressReporter::stderr_is_terminal(),
                                      static_cast<std::uint64_t>(parts));
  progress.begin("backtest parts", static_cast<std::uint64_t>(parts));
  progress.update(0);
  Poco::JSON::Array evidence;
  std::string rule_set;
  for (int part = 0; part < parts; ++part) {
    Poco::JSON::Object args;
    args.set("from", from);
    args.set("to", to);
    args.set("part", part);
    args.set("parts", parts);
    args.set("top_k", top_k);
    const auto answer = Poco::JSON::Parser()
                            .parse(session.call(auditor.get(), "backtest", json_text(args), "the backtest"))
                            .extract<Poco::JSON::Object::Ptr>();
    evidence.add(answer->getObject("evidence"));
    if (rule_set.empty()) {
      const auto rules = answer->getObject("rule_set");
      rule_set = rules->getValue<std::string>("name") + " " + rules->getValue<std::string>("version") + " (sha256 " +
                 rules->getValue<std::string>("sha256").substr(0, 12) + ")";
    }
    progress.update(static_cast<std::uint64_t>(part + 1));
  }
  progress.finish();
  Poco::JSON::Object merge;
  merge.set("evidence", evidence);
  merge.set("top_k", top_k);
  const auto report = Poco::JSON::Parser()
                          .parse(session.call(auditor.get(), "backtest.report", json_text(merge), "the backtest report"))
                          .extract<Poco::JSON::Object::Ptr>()
                          ->getObject("report");

  std::error_code error;
  std::filesystem::create_directories(out_dir, error);
  if (error) {
    throw CommandFailure("cannot create " + out_dir.string() + ": " + error.message());
  }
  BacktestScope scope;
  scope.from = from;
  scope.to = to;
  scope.rule_set = rule_set;
  write_file(out_dir / "backtest.md", backtest_markdown(report, scope));
  write_file(out_dir / scope.distribution_svg, score_distribution_svg(report));
  write_file(out_dir / scope.curve_svg, precision_recall_svg(report));
  write_file(out_dir / scope.lead_time_svg, lead_time_svg(report));
  write_file(out_dir / "backtest.json", json_text(report));
  const auto red = report->getObject("at_red");
  std::cout << "Backtest " << from << " to " << to << " over " << report->getValue<std::int64_t>("tenancies")
            << " tenancies: at red, precision " << red->getValue<double>("precision") << ", recall "
            << red->getValue<double>("recall") << ".\n"
            << "Wrote " << (out_dir / "backtest.md").string() << " with its charts and backtest.json.\n";
  return exit_success;
}

} // namespace hearth::cli
