// `hearth demo-data` and the seeding of `hearth serve`, run as child processes.
#include <csignal>
#include <regex>
#include <string>

#include <gtest/gtest.h>

#include "child_process.hpp"
#include "demo_scratch.hpp"

namespace {

using hearth::test::ChildProcess;
using hearth::test::ChildResult;
using hearth::test::DemoScratchConfig;
using hearth::test::run_child;

const std::string hearth_cli = HEARTH_CLI_PATH;

// How long a command may take before the test gives up on it.
constexpr std::chrono::seconds command_time_limit{120};
// How long `hearth serve` may take to stop after a signal.
constexpr std::chrono::seconds stop_time_limit{10};

// True when `text` contains `part`.
bool contains(const std::string &text, const std::string &part) { return text.find(part) != std::string::npos; }

// Runs `hearth` with `arguments` to its end.
ChildResult run_hearth(const std::vector<std::string> &arguments) {
  return run_child(hearth_cli, arguments, command_time_limit);
}

// The accepted and duplicate counts of a demo-data summary; -1 when absent.
std::pair<long, long> signal_counts(const std::string &summary) {
  std::smatch match;
  if (!std::regex_search(summary, match, std::regex(R"(signals +(\d+): (\d+) accepted, (\d+) duplicate)"))) {
    return {-1, -1};
  }
  return {std::stol(match[2]), std::stol(match[3])};
}

// The total number of signals a demo-data summary names; -1 when absent.
long signal_total(const std::string &summary) {
  std::smatch match;
  return std::regex_search(summary, match, std::regex(R"(signals +(\d+):)")) ? std::stol(match[1]) : -1;
}

// Starts `hearth serve` and waits for its URL line; stops it with SIGTERM and returns how
// it ended.
ChildResult serve_until_ready_then_stop(const std::vector<std::string> &arguments) {
  ChildProcess serve(hearth_cli, arguments);
  const auto url_line = serve.read_stdout_line(command_time_limit);
  EXPECT_TRUE(url_line.has_value() && contains(*url_line, "Hearth is serving on http://127.0.0.1:"))
      << (url_line ? *url_line : "no URL line");
  serve.send_signal(SIGTERM);
  return serve.finish(stop_time_limit);
}

TEST(HearthDemoData, StoresANeighbourhoodAndARerunOnlyFindsDuplicates) {
  DemoScratchConfig config;
  const ChildResult first =
      run_hearth({"--config", config.dir(), "demo-data", "--tenancies", "120", "--seed", "4"});
  ASSERT_TRUE(first.exited);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_TRUE(std::regex_search(first.out, std::regex(R"(tenancies +120\n)"))) << first.out;
  EXPECT_TRUE(std::regex_search(first.out, std::regex(R"(units +120\n)"))) << first.out;
  EXPECT_TRUE(std::regex_search(first.out, std::regex(
                  R"(outcomes +stable \d+, help_accepted \d+, notice_to_quit \d+, eviction \d+\n)")))
      << first.out;
  const long total = signal_total(first.out);
  ASSERT_GT(total, 0) << first.out;
  EXPECT_EQ(signal_counts(first.out), std::make_pair(total, 0L)) << first.out;
  EXPECT_EQ(first.err, "") << "no progress line without a terminal";

  const ChildResult again =
      run_hearth({"--config", config.dir(), "demo-data", "--tenancies=120", "--seed=4"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(signal_counts(again.out), std::make_pair(0L, total)) << again.out;
}

TEST(HearthDemoData, DefaultsTo500Tenancies) {
  DemoScratchConfig config;
  const ChildResult result = run_hearth({"--config", config.dir(), "demo-data"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(std::regex_search(result.out, std::regex(R"(tenancies +500\n)"))) << result.out;
  EXPECT_TRUE(contains(result.out, "(seed 1)")) << result.out;
}

TEST(HearthDemoData, BadTenanciesExit2NamingTheOption) {
  for (const std::string value : {"0", "-5", "abc", "1000001", "", "12x", "+3", "99999999999999999999999"}) {
    const ChildResult result = run_hearth({"demo-data", "--tenancies", value});
    ASSERT_TRUE(result.exited) << value;
    EXPECT_EQ(result.exit_code, 2) << value << ": " << result.err;
    EXPECT_TRUE(contains(result.err, "hearth: --tenancies needs a whole number from 1 to 1000000")) << result.err;
    EXPECT_EQ(result.out, "");
  }
  EXPECT_EQ(run_hearth({"demo-data", "--tenancies"}).exit_code, 2);
}

TEST(HearthDemoData, BadSeedAndStrayArgumentsExit2) {
  for (const std::string value : {"-1", "one", "18446744073709551616"}) {
    const ChildResult result = run_hearth({"demo-data", "--seed", value});
    EXPECT_EQ(result.exit_code, 2) << value;
    EXPECT_TRUE(contains(result.err, "--seed")) << result.err;
  }
  EXPECT_EQ(run_hearth({"demo-data", "extra"}).exit_code, 2);
  const ChildResult unknown = run_hearth({"demo-data", "--households", "3"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_TRUE(contains(unknown.err, "unknown option '--households'")) << unknown.err;
}

TEST(HearthDemoData, AnUnusableStoreExits1WithAMessage) {
  DemoScratchConfig config("[storage]\nbackend = nosuchdb\n");
  const ChildResult result = run_hearth({"--config", config.dir(), "demo-data", "--tenancies", "5"});
  ASSERT_TRUE(result.exited);
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_TRUE(std::regex_search(result.err, std::regex("^hearth: cannot open the runtime: \\S"))) << result.err;
  EXPECT_EQ(result.out, "");
}

TEST(HearthDemoData, ARefusedBatchExits1WithTheReason) {
  DemoScratchConfig config("[data]\nlegal_bases = avg-6-1-e\npurposes = nuisance-handling\n");
  const ChildResult result = run_hearth({"--config", config.dir(), "demo-data", "--tenancies", "50"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_TRUE(std::regex_search(result.err, std::regex("^hearth: cannot ingest signals 1 to \\d+: .*legal_basis")))
      << result.err;
}

TEST(HearthDemoData, HelpListsTheCommand) {
  const ChildResult result = run_hearth({"--help"});
  EXPECT_TRUE(contains(result.out, "demo-data [--tenancies N] [--seed S]")) << result.out;
  EXPECT_TRUE(contains(result.out, "--no-demo-data")) << result.out;
}

TEST(HearthServeDemoData, AnEmptyStoreIsSeededOnce) {
  DemoScratchConfig config;
  const ChildResult first = serve_until_ready_then_stop({"--config", config.dir(), "serve"});
  EXPECT_EQ(first.exit_code, 0) << first.err;
  EXPECT_TRUE(contains(first.err, "hearth: the store was empty: seeded a demo neighbourhood (200 tenancies, seed 1"))
      << first.err;

  // The same neighbourhood is in the store: storing it again finds only duplicates.
  const ChildResult rerun = run_hearth({"--config", config.dir(), "demo-data", "--tenancies", "200", "--seed", "1"});
  ASSERT_EQ(rerun.exit_code, 0) << rerun.err;
  const long total = signal_total(rerun.out);
  ASSERT_GT(total, 0) << rerun.out;
  EXPECT_EQ(signal_counts(rerun.out), std::make_pair(0L, total)) << rerun.out;

  // A store that holds tenancies is left alone.
  const ChildResult second = serve_until_ready_then_stop({"--config", config.dir(), "serve"});
  EXPECT_EQ(second.exit_code, 0) << second.err;
  EXPECT_FALSE(contains(second.err, "seeded")) << second.err;
}

TEST(HearthServeDemoData, NoDemoDataLeavesTheStoreEmpty) {
  DemoScratchConfig config;
  const ChildResult served = serve_until_ready_then_stop({"--config", config.dir(), "serve", "--no-demo-data"});
  EXPECT_EQ(served.exit_code, 0) << served.err;
  EXPECT_FALSE(contains(served.err, "seeded")) << served.err;

  // Nothing was stored: the neighbourhood serve would have seeded is all new.
  const ChildResult fill = run_hearth({"--config", config.dir(), "demo-data", "--tenancies", "200", "--seed", "1"});
  ASSERT_EQ(fill.exit_code, 0) << fill.err;
  const long total = signal_total(fill.out);
  EXPECT_EQ(signal_counts(fill.out), std::make_pair(total, 0L)) << fill.out;
}

} // namespace
