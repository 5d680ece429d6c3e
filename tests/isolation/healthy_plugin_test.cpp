// A well-behaved plugin under `isolation = process` answers like an in-process one:
// operations with the actor, queries, config_get (its own section and runtime.mode), the
// runtime's clock, log lines tagged with its id; it runs in another process, is stopped
// with deinit(); the bus and storage are forwarded (storage_and_bus_test.cpp), extensions
// stay in the runtime.
#include <fstream>
#include <sstream>

#include <unistd.h>

#include "isolation_fixture.hpp"

namespace hearth::test {
namespace {

constexpr const char *kEcho = "nl.test.isolated-echo";

std::string echo_section(const std::string &extra = "") {
  return isolated_section(kEcho, "greeting = hello from the config\n" + extra);
}

int64_t fixed_clock(void *) { return 1'700'000'000'123; }

// Points the runtime's log (HEARTH_LOG_FILE wins over hearth.ini) at `file` while it lives.
class LogFileOverride {
public:
  explicit LogFileOverride(const std::filesystem::path &file) {
    const char *current = std::getenv("HEARTH_LOG_FILE");
    had_ = current != nullptr;
    previous_ = had_ ? current : "";
    ::setenv("HEARTH_LOG_FILE", file.c_str(), 1);
  }
  ~LogFileOverride() {
    if (had_) {
      ::setenv("HEARTH_LOG_FILE", previous_.c_str(), 1);
    } else {
      ::unsetenv("HEARTH_LOG_FILE");
    }
  }
  LogFileOverride(const LogFileOverride &) = delete;
  LogFileOverride &operator=(const LogFileOverride &) = delete;

private:
  bool had_ = false;
  std::string previous_;
};

std::string read_file(const std::filesystem::path &file) {
  std::ifstream in(file);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(IsolatedPlugin, RunsInAChildProcessAndAnswersOperationsLikeInProcess) {
  IsolationFixture fixture({"test_isolated_echo", "test_good"}, echo_section());
  fixture.open_and_load();
  const auto listed = fixture.listing(kEcho);
  ASSERT_TRUE(listed);
  EXPECT_EQ(listed->getValue<std::string>("state"), "active");
  EXPECT_FALSE(listed->has("message"));

  const Answer echo = fixture.call(kEcho, "echo", R"({"tenancy_id":"t-1","n":[1,2,3]})");
  ASSERT_EQ(echo.status, HEARTH_OK) << echo.text;
  EXPECT_EQ(echo.text, R"({"tenancy_id":"t-1","n":[1,2,3]})");

  const Answer who = fixture.call(kEcho, "whoami");
  ASSERT_EQ(who.status, HEARTH_OK) << who.text;
  EXPECT_EQ(who.json()->getValue<std::string>("user"), "emp-17");
  EXPECT_EQ(who.json()->getValue<std::string>("role"), HEARTH_ROLE_HOUSING_CONSULTANT);
  EXPECT_EQ(who.json()->getValue<std::string>("on_behalf_of"), "emp-3");

  const Answer pid = fixture.call(kEcho, "pid");
  ASSERT_EQ(pid.status, HEARTH_OK) << pid.text;
  EXPECT_NE(pid.json()->getValue<int>("pid"), static_cast<int>(::getpid())) << "the plugin must run in a child";

  // The plugin's refusals come back as they were given.
  const Answer unknown = fixture.call(kEcho, "no-such-operation");
  EXPECT_EQ(unknown.status, HEARTH_ERROR_NOT_FOUND);
  EXPECT_TRUE(contains(unknown.text, "unknown operation 'no-such-operation'")) << unknown.text;
  // An exception in the plugin arrives as the plugin's own words (Poco's, here).
  const Answer threw = fixture.call(kEcho, "config", "{}");
  EXPECT_EQ(threw.status, HEARTH_ERROR_PLUGIN) << threw.text;
  EXPECT_EQ(threw.text, "Invalid access");

  // The in-process plugin next to it is unaffected.
  std::string answer;
  EXPECT_EQ(fixture.runtime().query("nl.hearth.test.good", "stats", answer), HEARTH_OK) << answer;
}

TEST(IsolatedPlugin, AnswersQueries) {
  IsolationFixture fixture({"test_isolated_echo"}, echo_section());
  fixture.open_and_load();
  const Answer echo = fixture.query(kEcho, "echo", R"({"q":"x"})");
  ASSERT_EQ(echo.status, HEARTH_OK) << echo.text;
  EXPECT_EQ(echo.text, R"({"q":"x"})");
  const Answer unknown = fixture.query(kEcho, "nothing");
  EXPECT_EQ(unknown.status, HEARTH_ERROR_NOT_FOUND) << unknown.text;
}

TEST(IsolatedPlugin, ReadsItsOwnConfigSectionAndTheRuntimeMode) {
  IsolationFixture fixture({"test_isolated_echo"}, "[runtime]\nmode = demo\n" + echo_section());
  fixture.open_and_load();
  const Answer greeting = fixture.call(kEcho, "config", R"({"key":"greeting"})");
  ASSERT_EQ(greeting.status, HEARTH_OK) << greeting.text;
  EXPECT_EQ(greeting.json()->getValue<std::string>("value"), "hello from the config");
  const Answer absent = fixture.call(kEcho, "config", R"({"key":"not-set"})");
  ASSERT_EQ(absent.status, HEARTH_OK) << absent.text;
  EXPECT_TRUE(absent.json()->isNull("value")) << absent.text;
  const Answer mode = fixture.call(kEcho, "config", R"({"key":"runtime.mode"})");
  ASSERT_EQ(mode.status, HEARTH_OK) << mode.text;
  EXPECT_EQ(mode.json()->getValue<std::string>("value"), "demo");
}

TEST(IsolatedPlugin, ReadsTheRuntimesClock) {
  IsolationFixture fixture({"test_isolated_echo"}, echo_section());
  fixture.open_and_load();
  ASSERT_EQ(hearth_runtime_set_clock(fixture.runtime().runtime(), &fixed_clock, nullptr), HEARTH_OK);
  const Answer clock = fixture.call(kEcho, "clock");
  ASSERT_EQ(clock.status, HEARTH_OK) << clock.text;
  EXPECT_EQ(clock.json()->getValue<int64_t>("now_ms"), 1'700'000'000'123);
}

TEST(IsolatedPlugin, LogLinesReachTheRuntimesLogTaggedWithThePluginId) {
  ScratchDir logs;
  const auto file = logs.path() / "hearth.log";
  const LogFileOverride log_here(file);
  {
    IsolationFixture fixture({"test_isolated_echo"}, echo_section());
    fixture.open_and_load();
    const Answer logged = fixture.call(kEcho, "log", R"({"message":"isolated line 7e3a"})");
    ASSERT_EQ(logged.status, HEARTH_OK) << logged.text;
  }
  const std::string log = read_file(file);
  EXPECT_TRUE(contains(log, "[nl.test.isolated-echo] isolated line 7e3a")) << log;
  EXPECT_TRUE(contains(log, "isolation = process")) << log;
}

TEST(IsolatedPlugin, TheBusAndStorageAreForwardedButExtensionsStayInTheRuntime) {
  IsolationFixture fixture({"test_isolated_echo"}, echo_section());
  fixture.open_and_load();
  const Answer unsupported = fixture.call(kEcho, "unsupported");
  ASSERT_EQ(unsupported.status, HEARTH_OK) << unsupported.text;
  const auto json = unsupported.json();
  // The runtime's bus refuses an event without a type, as it does in-process.
  EXPECT_EQ(json->getValue<int>("publish"), HEARTH_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(json->getValue<std::string>("publish_error"), "event.type: missing");
  EXPECT_EQ(json->getValue<int>("execute"), HEARTH_OK);
  EXPECT_EQ(json->getValue<std::string>("data_extension"), "null");
  // Nor can a host reach its tables directly: they live in the child.
  EXPECT_EQ(hearth_runtime_plugin_factory(fixture.runtime().runtime(), kEcho, "nl.hearth.service/1"), nullptr);
}

TEST(IsolatedPlugin, ClosingTheRuntimeRunsDeinitInTheChild) {
  IsolationFixture fixture({"test_isolated_echo"}, echo_section());
  fixture.open_and_load();
  ASSERT_EQ(fixture.call(kEcho, "echo").status, HEARTH_OK);
  fixture.runtime().close();
  const auto trace = fixture.runtime().trace();
  EXPECT_NE(std::find(trace.begin(), trace.end(), "nl.test.isolated-echo init"), trace.end());
  EXPECT_NE(std::find(trace.begin(), trace.end(), "nl.test.isolated-echo deinit"), trace.end());
}

TEST(IsolatedPlugin, AnExplicitPluginHostPathIsUsedAndAMissingOneNamed) {
  {
    IsolationFixture fixture({"test_isolated_echo"}, "[runtime]\nplugin_host = " HEARTH_TEST_PLUGIN_HOST "\n" +
                                                         echo_section());
    fixture.open_and_load();
    EXPECT_EQ(fixture.call(kEcho, "echo").status, HEARTH_OK);
  }
  ScratchDir nowhere;
  const std::string missing = (nowhere.path() / "no-plugin-host").string();
  IsolationFixture fixture({"test_isolated_echo"}, "[runtime]\nplugin_host = " + missing + "\n" + echo_section());
  fixture.open_and_load();
  const auto refused = fixture.runtime().info_of("test_isolated_echo");
  EXPECT_EQ(refused.state, HEARTH_PLUGIN_STATE_REFUSED);
  EXPECT_TRUE(contains(refused.message, "cannot start the plugin host " + missing)) << refused.message;
  EXPECT_EQ(fixture.call(kEcho, "echo").status, HEARTH_ERROR_NOT_FOUND);
}

TEST(IsolatedPlugin, AnUnknownIsolationValueIsAConfigurationErrorNamingTheKey) {
  RuntimeFixture fixture({"test_isolated_echo"}, "[plugin.nl.test.isolated-echo]\nisolation = sandbox\n");
  ASSERT_EQ(fixture.open(), HEARTH_OK) << fixture.open_error();
  Message error;
  EXPECT_NE(hearth_runtime_load_plugins(fixture.runtime(), error.out()), HEARTH_OK);
  EXPECT_TRUE(contains(error.str(), "plugin.nl.test.isolated-echo.isolation")) << error.str();
  EXPECT_TRUE(contains(error.str(), "sandbox")) << error.str();
}

TEST(IsolatedPlugin, AnInProcessPluginReachesItThroughTheCallsService) {
  IsolationFixture fixture({"test_isolated_echo", "test_calls_free"}, echo_section());
  fixture.open_and_load();
  const Answer relayed = fixture.call("nl.hearth.test.calls-free", "relay",
                                      R"({"plugin":"nl.test.isolated-echo","operation":"whoami"})");
  ASSERT_EQ(relayed.status, HEARTH_OK) << relayed.text;
  EXPECT_EQ(relayed.json()->getValue<int>("status"), HEARTH_OK) << relayed.text;
  EXPECT_TRUE(contains(relayed.json()->getValue<std::string>("text"), "emp-17")) << relayed.text;
}

} // namespace
} // namespace hearth::test
