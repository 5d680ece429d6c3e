// `hearth config check`: every error of a site's configuration, with file, key and reason,
// and none for the shipped defaults.
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "cli_errors.hpp"
#include "command_config_check.hpp"
#include "command_line.hpp"
#include "site_config_check.hpp"
#include "test_environment.hpp"

namespace {

namespace fs = std::filesystem;
using hearth::cli::check_site_config;
using hearth::cli::ConfigProblem;

// Writes `text` to `file`.
void write(const fs::path &file, const std::string &text) {
  std::ofstream out(file);
  out << text;
}

// The (key, file) pairs of `problems`, for comparing without the wording.
std::set<std::pair<std::string, std::string>> keys_and_files(const std::vector<ConfigProblem> &problems) {
  std::set<std::pair<std::string, std::string>> found;
  for (const auto &problem : problems) {
    found.insert({problem.key, problem.file});
  }
  return found;
}

// The reason given for `key`, or "" when none.
std::string reason_for(const std::vector<ConfigProblem> &problems, const std::string &key) {
  for (const auto &problem : problems) {
    if (problem.key == key) {
      return problem.reason;
    }
  }
  return "";
}

// Sets an environment variable for the length of a test.
class EnvironmentVariable {
public:
  EnvironmentVariable(std::string name, const std::string &value) : name_(std::move(name)) {
    ::setenv(name_.c_str(), value.c_str(), 1);
  }
  ~EnvironmentVariable() { ::unsetenv(name_.c_str()); }
  EnvironmentVariable(const EnvironmentVariable &) = delete;
  EnvironmentVariable &operator=(const EnvironmentVariable &) = delete;

private:
  std::string name_;
};

// Runs `hearth [--config DIR] config WORDS...` through run_config, capturing stdout.
struct CommandRun {
  int exit_code = -1;
  std::string output;
};
CommandRun run_command(const std::optional<fs::path> &config_dir, const std::vector<std::string> &words) {
  std::vector<std::string> arguments = {"hearth"};
  if (config_dir) {
    arguments.push_back("--config");
    arguments.push_back(config_dir->string());
  }
  arguments.push_back("config");
  arguments.insert(arguments.end(), words.begin(), words.end());
  std::vector<char *> argv;
  for (auto &argument : arguments) {
    argv.push_back(argument.data());
  }
  const auto command_line = hearth::cli::parse_command_line(static_cast<int>(argv.size()), argv.data());
  const std::vector<std::string> rest(command_line.arguments.begin() + 1, command_line.arguments.end());
  std::ostringstream captured;
  auto *previous = std::cout.rdbuf(captured.rdbuf());
  CommandRun run;
  try {
    run.exit_code = hearth::cli::run_config(command_line, rest);
  } catch (...) {
    std::cout.rdbuf(previous);
    throw;
  }
  std::cout.rdbuf(previous);
  run.output = captured.str();
  return run;
}

TEST(ConfigCheck, TheShippedConfigurationHasNoErrors) {
  // The default hearth.ini names its files relative to the working directory: the source
  // tree's root, where config/ lies (as it does in share/hearth when installed).
  const fs::path before = fs::current_path();
  fs::current_path(HEARTH_TEST_SOURCE_DIR);
  const auto problems = check_site_config(fs::path(HEARTH_TEST_SOURCE_DIR) / "config");
  fs::current_path(before);
  for (const auto &problem : problems) {
    ADD_FAILURE() << problem.text();
  }
}

TEST(ConfigCheck, BuiltInDefaultsHaveNoErrors) { EXPECT_TRUE(check_site_config(std::nullopt).empty()); }

TEST(ConfigCheck, ReportsEveryErrorWithFileKeyAndReason) {
  hearth::test::ScratchDir scratch;
  const fs::path ini = scratch.path() / "hearth.ini";
  write(ini, R"([runtime]
mode = staging
[storage]
backend = postgresql
postgresql =
pool_size = 0
[plugins]
path = /nonexistent/hearth/plugins
[events]
start = middle
[http]
port = 80800
threads = many
[log]
level = loud
[privacy]
field_key = c2hvcnQ=
[retention]
signal.default = 5 years
signal.XYZ = 1y
forever = 1y
outcome = 0d
[auth]
keys = crm
jwt.algorithm = HS256
jwt.hs256_secret = too-short
[auth.key.crm]
sha256 = abc
role = superuser
[plugin.nl.hearth.early-warning]
rule_set = /nonexistent/default.ini
scoring = maybe
[plugin.nl.hearth.coordinator-handoff]
config_dir = /nonexistent/handoff
)");
  const auto problems = check_site_config(scratch.path());
  const std::set<std::pair<std::string, std::string>> expected = {
      {"runtime.mode", ini.string()},
      {"storage.postgresql", ini.string()},
      {"storage.pool_size", ini.string()},
      {"plugins.path", ini.string()},
      {"events.start", ini.string()},
      {"http.port", ini.string()},
      {"http.threads", ini.string()},
      {"log.level", ini.string()},
      {"privacy.field_key", ini.string()},
      {"retention.signal.default", ini.string()},
      {"retention.signal.XYZ", ini.string()},
      {"retention.forever", ini.string()},
      {"retention.outcome", ini.string()},
      {"auth.key.crm.sha256", ini.string()},
      {"auth.key.crm.user", ini.string()},
      {"auth.key.crm.organisation", ini.string()},
      {"auth.key.crm.role", ini.string()},
      {"auth.jwt.hs256_secret", ini.string()},
      {"plugin.nl.hearth.early-warning.rule_set", ini.string()},
      {"plugin.nl.hearth.early-warning.scoring", ini.string()},
      {"plugin.nl.hearth.coordinator-handoff.config_dir", ini.string()},
  };
  EXPECT_EQ(keys_and_files(problems), expected);
  EXPECT_EQ(problems.size(), expected.size()) << "one problem per key";
  EXPECT_EQ(reason_for(problems, "runtime.mode"), "'staging' is not one of demo, production");
  EXPECT_EQ(reason_for(problems, "http.port"), "'80800' is not a whole number from 0 to 65535");
  EXPECT_EQ(reason_for(problems, "retention.signal.XYZ"),
            "'XYZ' is not a signal type Hearth knows (AGR, ONB, ONE, OVE, SCH, WAN, X-AFS, X-BTR, X-REP)");
  EXPECT_NE(reason_for(problems, "plugin.nl.hearth.early-warning.rule_set").find("'/nonexistent/default.ini' is not an existing file"),
            std::string::npos);
  for (const auto &problem : problems) {
    EXPECT_EQ(problem.text(), ini.string() + ": " + problem.key + ": " + problem.reason);
  }
}

TEST(ConfigCheck, TheEnvironmentOverridesTheFileAndIsNamedAsTheOrigin) {
  hearth::test::ScratchDir scratch;
  write(scratch.path() / "hearth.ini", "[http]\nport = 8080\n[log]\nlevel = loud\n");
  const EnvironmentVariable port("HEARTH_HTTP_PORT", "eighty");
  const EnvironmentVariable level("HEARTH_LOG_LEVEL", "debug");
  const auto problems = check_site_config(scratch.path());
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].file, "environment HEARTH_HTTP_PORT");
  EXPECT_EQ(problems[0].key, "http.port");
}

TEST(ConfigCheck, AMissingFolderIsOneError) {
  const auto problems = check_site_config(fs::path("/nonexistent/hearth-config"));
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].text(), "/nonexistent/hearth-config: does not exist or is not a folder");
}

TEST(ConfigCheck, APolicyWithoutMatrixIsAnError) {
  hearth::test::ScratchDir scratch;
  write(scratch.path() / "policy.ini", "[rules]\n");
  const auto problems = check_site_config(scratch.path());
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].file, (scratch.path() / "policy.ini").string());
  EXPECT_EQ(problems[0].key, "matrix");
}

TEST(ConfigCheckCommand, ExitsOneAndListsEveryErrorThenZeroWhenFixed) {
  hearth::test::ScratchDir scratch;
  const fs::path ini = scratch.path() / "hearth.ini";
  write(ini, "[http]\nport = x\n[log]\nlevel = loud\n");
  const CommandRun failing = run_command(scratch.path(), {"check"});
  EXPECT_EQ(failing.exit_code, hearth::cli::exit_failure);
  EXPECT_EQ(failing.output, ini.string() + ": http.port: 'x' is not a whole number from 0 to 65535\n" + ini.string() +
                                ": log.level: 'loud' is not one of debug, error, info, trace, warn\n2 errors\n");

  const CommandRun as_json = run_command(scratch.path(), {"check", "--json"});
  EXPECT_EQ(as_json.exit_code, hearth::cli::exit_failure);
  const auto list = Poco::JSON::Parser().parse(as_json.output).extract<Poco::JSON::Array::Ptr>();
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ(list->getObject(0)->getValue<std::string>("file"), ini.string());
  EXPECT_EQ(list->getObject(0)->getValue<std::string>("key"), "http.port");
  EXPECT_EQ(list->getObject(1)->getValue<std::string>("key"), "log.level");

  write(ini, "[http]\nport = 8081\n");
  const CommandRun passing = run_command(scratch.path(), {"check"});
  EXPECT_EQ(passing.exit_code, hearth::cli::exit_success);
  EXPECT_EQ(passing.output, "The configuration in " + scratch.path().string() + " has no errors.\n");
}

TEST(ConfigCheckCommand, RefusesUnknownSubcommandsAndOptions) {
  EXPECT_THROW(run_command(std::nullopt, {}), hearth::cli::UsageError);
  EXPECT_THROW(run_command(std::nullopt, {"fix"}), hearth::cli::UsageError);
  EXPECT_THROW(run_command(std::nullopt, {"check", "--fix"}), hearth::cli::UsageError);
  EXPECT_THROW(run_command(std::nullopt, {"check", "extra"}), hearth::cli::UsageError);
}

} // namespace
