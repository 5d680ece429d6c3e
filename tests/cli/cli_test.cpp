// The `hearth` command as a user runs it: a child process, its output and exit status.
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/StreamCopier.h>
#include <gtest/gtest.h>

#include "child_process.hpp"
#include "test_environment.hpp"

namespace {

namespace fs = std::filesystem;
using hearth::test::ChildProcess;
using hearth::test::ChildResult;
using hearth::test::run_child;
using hearth::test::ScratchDir;

const std::string hearth_cli = HEARTH_CLI_PATH;
const fs::path example_plugin = fs::path(HEARTH_TEST_PLUGIN_DIR) / "hearth_hello_c.so";
const std::string example_plugin_id = "nl.hearth.example.hello-c";

// How long a command may take before the test gives up on it.
constexpr std::chrono::seconds command_time_limit{30};
// How long `hearth serve` may take to stop after a signal.
constexpr std::chrono::seconds stop_time_limit{10};

// True when `text` contains `part`.
bool contains(const std::string &text, const std::string &part) {
  return text.find(part) != std::string::npos;
}

// Runs `hearth` with `arguments` to its end.
ChildResult run_hearth(const std::vector<std::string> &arguments,
                       const std::map<std::string, std::string> &environment = {}) {
  return run_child(hearth_cli, arguments, command_time_limit, environment);
}

// A configuration folder for one test: hearth.ini pointing storage and data into scratch
// space, HTTP on 127.0.0.1 with a free port, and `extra` appended.
class ScratchConfig {
public:
  explicit ScratchConfig(const std::string &extra = {}) {
    fs::create_directories(scratch_.path() / "data");
    std::ofstream ini(scratch_.path() / "hearth.ini");
    ini << "[runtime]\n"
        << "data_dir = " << (scratch_.path() / "data").string() << "\n"
        << "[storage]\n"
        << "backend = sqlite\n"
        << "sqlite_path = " << (scratch_.path() / "hearth.sqlite").string() << "\n"
        << "[http]\n"
        << "address = 127.0.0.1\n"
        << "port = 0\n"
        << "[log]\n"
        << "level = warn\n"
        << extra;
  }
  std::string dir() const { return scratch_.path().string(); }

private:
  ScratchDir scratch_;
};

// GET `path` from 127.0.0.1:`port`; returns the status and fills `body`.
int http_get(std::uint16_t port, const std::string &path, std::string &body) {
  Poco::Net::HTTPClientSession session("127.0.0.1", port);
  session.setTimeout(Poco::Timespan(10, 0));
  Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, path,
                                 Poco::Net::HTTPMessage::HTTP_1_1);
  session.sendRequest(request);
  Poco::Net::HTTPResponse response;
  std::istream &stream = session.receiveResponse(response);
  std::ostringstream text;
  Poco::StreamCopier::copyStream(stream, text);
  body = text.str();
  return static_cast<int>(response.getStatus());
}

// --- usage -----------------------------------------------------------------------------

TEST(HearthCli, HelpListsEveryCommandAndTheGlobalOptions) {
  for (const std::string flag : {"--help", "help", "-h"}) {
    ChildResult result = run_hearth({flag});
    ASSERT_TRUE(result.exited) << flag;
    EXPECT_EQ(result.exit_code, 0) << flag;
    for (const char *expected :
         {"Usage:", "help", "version", "plugins list", "plugins inspect", "plugins scan", "serve",
          "--address", "--port", "--json", "--config"}) {
      EXPECT_TRUE(contains(result.out, expected)) << flag << " lacks " << expected;
    }
  }
}

TEST(HearthCli, NoArgumentsPrintsUsageAndExits2) {
  ChildResult result = run_hearth({});
  ASSERT_TRUE(result.exited);
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_TRUE(contains(result.err, "Usage:")) << result.err;
}

TEST(HearthCli, UnknownCommandExits2WithAMessage) {
  ChildResult result = run_hearth({"frobnicate"});
  ASSERT_TRUE(result.exited);
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.err, "hearth: unknown command 'frobnicate' (see hearth --help)\n");
  EXPECT_EQ(result.out, "");
}

TEST(HearthCli, UnknownPluginsSubcommandExits2) {
  ChildResult result = run_hearth({"plugins", "explode"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_TRUE(contains(result.err, "unknown command 'plugins explode'")) << result.err;
  EXPECT_EQ(run_hearth({"plugins"}).exit_code, 2);
}

TEST(HearthCli, UnknownOptionExits2) {
  ChildResult result = run_hearth({"version", "--bogus"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_TRUE(contains(result.err, "unknown option '--bogus'")) << result.err;
}

TEST(HearthCli, ConfigWithoutAFolderExits2) {
  EXPECT_EQ(run_hearth({"version", "--config"}).exit_code, 2);
}

TEST(HearthCli, ServeRejectsAPortOutOfRange) {
  for (const std::string port : {"65536", "-1", "http", ""}) {
    ChildResult result = run_hearth({"serve", "--port", port});
    EXPECT_EQ(result.exit_code, 2) << port << ": " << result.err;
  }
}

// --- version ---------------------------------------------------------------------------

TEST(HearthCli, VersionPrintsReleaseAndAbi) {
  ChildResult result = run_hearth({"version"});
  ASSERT_TRUE(result.exited);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "hearth " HEARTH_CLI_RELEASE " (ABI " HEARTH_CLI_ABI ")\n");
}

// --- plugins inspect -------------------------------------------------------------------

TEST(HearthCliInspect, ExamplePluginShowsItsIdAndAbi) {
  HEARTH_REQUIRE_OR_SKIP(fs::exists(example_plugin),
                         "the example plugin is not built: " + example_plugin.string());
  ChildResult result = run_hearth({"plugins", "inspect", example_plugin.string()});
  ASSERT_TRUE(result.exited);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(contains(result.out, example_plugin_id)) << result.out;
  std::string abi_pattern = std::string("ABI:\\s+") + HEARTH_CLI_ABI + "\n";
  abi_pattern.replace(abi_pattern.find('.'), 1, "\\.");
  EXPECT_TRUE(std::regex_search(result.out, std::regex(abi_pattern))) << result.out;
  EXPECT_TRUE(contains(result.out, "nl.hearth.example")) << result.out; // its feature
}

TEST(HearthCliInspect, ExamplePluginAsJson) {
  HEARTH_REQUIRE_OR_SKIP(fs::exists(example_plugin),
                         "the example plugin is not built: " + example_plugin.string());
  ChildResult result = run_hearth({"plugins", "inspect", example_plugin.string(), "--json"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  auto report = Poco::JSON::Parser().parse(result.out).extract<Poco::JSON::Object::Ptr>();
  EXPECT_EQ(report->getValue<std::string>("id"), example_plugin_id);
}

TEST(HearthCliInspect, TextFileNamedSoIsRefusedWithAReason) {
  ScratchDir scratch;
  const fs::path fake = scratch.path() / "x.so";
  std::ofstream(fake) << "this is not a shared object\n";
  ChildResult result = run_hearth({"plugins", "inspect", fake.string()});
  ASSERT_TRUE(result.exited);
  EXPECT_EQ(result.exit_code, 1);
  const std::string prefix = "hearth: refused " + fake.string() + ": ";
  ASSERT_EQ(result.err.rfind(prefix, 0), 0u) << result.err;
  EXPECT_GT(result.err.size(), prefix.size() + 1) << "no reason given: " << result.err;
  EXPECT_EQ(result.out, "");
}

TEST(HearthCliInspect, MissingFileFails) {
  ScratchDir scratch;
  const fs::path missing = scratch.path() / "absent.so";
  ChildResult result = run_hearth({"plugins", "inspect", missing.string()});
  ASSERT_TRUE(result.exited);
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.err.rfind("hearth: ", 0), 0u) << result.err;
  EXPECT_TRUE(contains(result.err, missing.string())) << result.err;
}

TEST(HearthCliInspect, ModuleThatCrashesIsReportedNotFatal) {
  // Under AddressSanitizer the crash must stay a signal, not become a sanitizer report.
  const char *asan_options = std::getenv("ASAN_OPTIONS");
  const std::string no_segv_handler =
      (asan_options != nullptr ? std::string(asan_options) + ":" : std::string()) +
      "handle_segv=0";
  ChildResult result = run_hearth({"plugins", "inspect", HEARTH_CLI_CRASHING_MODULE},
                                  {{"ASAN_OPTIONS", no_segv_handler}});
  ASSERT_TRUE(result.exited) << "the command itself died: signal " << result.signal_number;
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_TRUE(contains(result.err, "the module crashed while being inspected: signal " +
                                       std::to_string(SIGSEGV) + " (Segmentation fault)"))
      << result.err;
}

TEST(HearthCliScan, ReportsGoodRefusedAndCrashingModulesAndGoesOn) {
  HEARTH_REQUIRE_OR_SKIP(fs::exists(example_plugin),
                         "the example plugin is not built: " + example_plugin.string());
  ScratchDir scratch;
  fs::copy_file(example_plugin, scratch.path() / "a_good.so");
  fs::copy_file(HEARTH_CLI_CRASHING_MODULE, scratch.path() / "b_crashing.so");
  std::ofstream(scratch.path() / "c_text.so") << "not a shared object\n";
  std::ofstream(scratch.path() / "notes.txt") << "not a module at all\n";
  const char *asan_options = std::getenv("ASAN_OPTIONS");
  const std::string no_segv_handler =
      (asan_options != nullptr ? std::string(asan_options) + ":" : std::string()) + "handle_segv=0";
  ChildResult result = run_hearth({"plugins", "scan", scratch.path().string(), "--json"},
                                  {{"ASAN_OPTIONS", no_segv_handler}});
  ASSERT_TRUE(result.exited) << "the command itself died: signal " << result.signal_number;
  EXPECT_EQ(result.exit_code, 1) << "a scan with a bad module must fail";
  const auto list = Poco::JSON::Parser().parse(result.out).extract<Poco::JSON::Array::Ptr>();
  ASSERT_EQ(list->size(), 3u) << result.out; // only *.so files
  const auto good = list->getObject(0);
  EXPECT_EQ(good->getValue<std::string>("file"), "a_good.so");
  EXPECT_EQ(good->getValue<std::string>("outcome"), "plugin");
  EXPECT_EQ(good->getObject("plugin")->getValue<std::string>("id"), example_plugin_id);
  const auto crashing = list->getObject(1);
  EXPECT_EQ(crashing->getValue<std::string>("outcome"), "failed");
  EXPECT_TRUE(contains(crashing->getValue<std::string>("reason"), "crashed")) << result.out;
  const auto text = list->getObject(2);
  EXPECT_EQ(text->getValue<std::string>("outcome"), "refused");
  EXPECT_FALSE(text->getValue<std::string>("reason").empty());
}

TEST(HearthCliScan, AFolderOfGoodPluginsSucceedsAndAMissingFolderFails) {
  HEARTH_REQUIRE_OR_SKIP(fs::exists(example_plugin),
                         "the example plugin is not built: " + example_plugin.string());
  ScratchDir scratch;
  fs::copy_file(example_plugin, scratch.path() / "hello.so");
  ChildResult result = run_hearth({"plugins", "scan", scratch.path().string()});
  ASSERT_TRUE(result.exited);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(contains(result.out, "plugin  hello.so  " + std::string(example_plugin_id))) << result.out;
  EXPECT_TRUE(contains(result.out, "1 module scanned")) << result.out;
  result = run_hearth({"plugins", "scan", (scratch.path() / "absent").string()});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_TRUE(contains(result.err, "not a folder")) << result.err;
}

TEST(HearthCliInspect, NeedsExactlyOneFile) {
  EXPECT_EQ(run_hearth({"plugins", "inspect"}).exit_code, 2);
  EXPECT_EQ(run_hearth({"plugins", "inspect", "a.so", "b.so"}).exit_code, 2);
}

// --- plugins list ----------------------------------------------------------------------

TEST(HearthCliList, JsonIsAnArrayThatHoldsTheExamplePlugin) {
  ScratchConfig config;
  ChildResult result = run_hearth({"--config", config.dir(), "plugins", "list", "--json"});
  ASSERT_TRUE(result.exited);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  auto plugins = Poco::JSON::Parser().parse(result.out).extract<Poco::JSON::Array::Ptr>();
  ASSERT_FALSE(plugins.isNull());
  if (fs::exists(example_plugin)) {
    EXPECT_TRUE(contains(result.out, example_plugin_id)) << result.out;
  }
}

TEST(HearthCliList, TableShowsIdVersionKindAndState) {
  HEARTH_REQUIRE_OR_SKIP(fs::exists(example_plugin),
                         "the example plugin is not built: " + example_plugin.string());
  ScratchConfig config;
  ChildResult result =
      run_hearth({"plugins", "list"}, {{"HEARTH_CONFIG_DIR", config.dir()}});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(std::regex_search(result.out, std::regex("ID +VERSION +KIND +STATE"))) << result.out;
  EXPECT_TRUE(std::regex_search(
      result.out, std::regex("nl\\.hearth\\.example\\.hello-c +1\\.0\\.0 +other +active")))
      << result.out;
}

TEST(HearthCliList, ExtraPluginFolderWithABadModuleListsItAsRefused) {
  ScratchDir extra_plugins;
  std::ofstream(extra_plugins.path() / "broken.so") << "not a module\n";
  ScratchConfig config("[plugins]\npath = " + extra_plugins.path().string() + "\n");
  ChildResult result = run_hearth({"--config", config.dir(), "plugins", "list"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(std::regex_search(result.out, std::regex("broken\\.so .*refused +\\S")))
      << result.out;
}

TEST(HearthCliList, UnusableConfigurationFailsWithAMessage) {
  ScratchDir scratch;
  std::ofstream(scratch.path() / "hearth.ini") << "[storage]\nbackend = carrier-pigeon\n";
  ChildResult result = run_hearth({"--config", scratch.path().string(), "plugins", "list"});
  ASSERT_TRUE(result.exited);
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_TRUE(std::regex_search(result.err, std::regex("(^|\n)hearth: \\S"))) << result.err;
}

// --- serve -----------------------------------------------------------------------------

// Starts `hearth serve` and reads its URL line; the port is set when it printed one.
struct ServeSession {
  ChildProcess process;
  std::optional<std::string> url_line;
  std::optional<std::string> count_line;
  std::uint16_t port = 0;

  explicit ServeSession(const std::vector<std::string> &arguments)
      : process(hearth_cli, arguments) {
    url_line = process.read_stdout_line(command_time_limit);
    if (!url_line) {
      return;
    }
    std::smatch match;
    if (std::regex_match(*url_line, match,
                         std::regex(R"(Hearth is serving on http://127\.0\.0\.1:(\d+)/)"))) {
      port = static_cast<std::uint16_t>(std::stoi(match[1]));
      count_line = process.read_stdout_line(command_time_limit);
    }
  }
};

// The bundled plugins' own configuration files, by absolute path: ctest runs in the build
// folder, where the defaults' relative paths (config/handoff ...) name nothing.
std::string bundled_plugin_files() {
  const std::string config = std::string(HEARTH_CLI_SOURCE_DIR) + "/config";
  return "[plugin.nl.hearth.coordinator-handoff]\nconfig_dir = " + config + "/handoff\n" +
         "[plugin.nl.hearth.early-warning]\nrule_set = " + config + "/scoring/default.ini\n" +
         "protected_attributes = " + config + "/scoring/protected-attributes.txt\n";
}

// `hearth serve` until it prints its URL, GET /healthz, then `stop_signal`.
void serve_answer_and_stop(int stop_signal) {
  ScratchConfig config(bundled_plugin_files());
  ServeSession serve({"--config", config.dir(), "serve", "--port", "0"});
  ASSERT_TRUE(serve.url_line.has_value()) << "no URL line; stderr: "
                                          << serve.process.finish(stop_time_limit).err;
  ASSERT_NE(serve.port, 0) << "unexpected first line: " << *serve.url_line;
  ASSERT_TRUE(serve.count_line.has_value());
  EXPECT_TRUE(std::regex_match(*serve.count_line, std::regex(R"(\d+ plugins? active)")))
      << *serve.count_line;

  std::string body;
  EXPECT_EQ(http_get(serve.port, "/healthz", body), 200) << body;

  serve.process.send_signal(stop_signal);
  ChildResult result = serve.process.finish(stop_time_limit);
  EXPECT_FALSE(result.timed_out) << "serve did not stop within " << stop_time_limit.count()
                                 << " s";
  EXPECT_TRUE(result.exited) << "ended by signal " << result.signal_number;
  EXPECT_EQ(result.exit_code, 0) << result.err;
  // The empty store got the demo neighbourhood and its casework (cases, a plan, an offer).
  EXPECT_TRUE(contains(result.err, "seeded a demo neighbourhood")) << result.err;
  EXPECT_TRUE(contains(result.err, "demo casework: 5 steps done")) << result.err;
  EXPECT_FALSE(contains(result.err, "warning: demo casework")) << result.err;
}

TEST(HearthCliServe, ServesHealthzAndStopsOnSigterm) { serve_answer_and_stop(SIGTERM); }

TEST(HearthCliServe, StopsOnSigint) { serve_answer_and_stop(SIGINT); }

TEST(HearthCliServe, PluginsRouteListsTheExamplePlugin) {
  HEARTH_REQUIRE_OR_SKIP(fs::exists(example_plugin),
                         "the example plugin is not built: " + example_plugin.string());
  ScratchConfig config;
  ServeSession serve({"--config", config.dir(), "serve", "--address", "127.0.0.1"});
  ASSERT_NE(serve.port, 0) << serve.process.finish(stop_time_limit).err;
  // Every bundled plugin that starts is counted (the adapters and plugins among them).
  EXPECT_TRUE(std::regex_match(*serve.count_line, std::regex(R"([1-9][0-9]* plugins? active.*)")))
      << *serve.count_line;
  std::string body;
  EXPECT_EQ(http_get(serve.port, "/plugins", body), 200);
  EXPECT_TRUE(contains(body, example_plugin_id)) << body;
  serve.process.send_signal(SIGTERM);
  EXPECT_EQ(serve.process.finish(stop_time_limit).exit_code, 0);
}

TEST(HearthCliServe, RefusedPluginIsAWarningNotAFailure) {
  ScratchDir extra_plugins;
  std::ofstream(extra_plugins.path() / "broken.so") << "not a module\n";
  ScratchConfig config("[plugins]\npath = " + extra_plugins.path().string() + "\n");
  ServeSession serve({"--config", config.dir(), "serve"});
  ASSERT_NE(serve.port, 0) << serve.process.finish(stop_time_limit).err;
  serve.process.send_signal(SIGTERM);
  ChildResult result = serve.process.finish(stop_time_limit);
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_TRUE(std::regex_search(result.err, std::regex("hearth: warning: plugin broken\\.so refused: \\S")))
      << result.err;
}

TEST(HearthCliServe, PortInUseFailsWithAMessage) {
  Poco::Net::ServerSocket occupied(Poco::Net::SocketAddress("127.0.0.1", 0));
  const std::string port = std::to_string(occupied.address().port());
  ScratchConfig config;
  ChildResult result =
      run_hearth({"--config", config.dir(), "serve", "--address", "127.0.0.1", "--port", port});
  ASSERT_TRUE(result.exited) << "timed out: " << result.timed_out;
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_TRUE(std::regex_search(result.err,
                                std::regex("(^|\n)hearth: .*127\\.0\\.0\\.1:" + port)))
      << result.err;
  EXPECT_FALSE(contains(result.out, "Hearth is serving")) << result.out;
}

} // namespace
