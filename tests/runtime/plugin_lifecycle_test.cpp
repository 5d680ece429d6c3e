// Plugins' life in a runtime: init in dependency order, deinit in reverse, failures
// isolated (init that fails or throws, duplicate ids, missing dependencies), and the
// services a plugin gets (configuration, clock, storage, queries).
#include <algorithm>
#include <cstdlib>

#include <gtest/gtest.h>

#include "runtime_fixture.hpp"

namespace hearth::test {
namespace {

std::ptrdiff_t position(const std::vector<std::string> &lines, const std::string &line) {
  const auto it = std::find(lines.begin(), lines.end(), line);
  return it == lines.end() ? -1 : it - lines.begin();
}

TEST(PluginLifecycle, InitFailureIsRecordedDeinitIsCalledOthersRun) {
  RuntimeFixture fixture({"test_good", "test_init_fails"});
  fixture.open_and_load();
  const auto failed = fixture.info_of("test_init_fails");
  EXPECT_EQ(failed.state, static_cast<uint32_t>(HEARTH_PLUGIN_STATE_FAILED));
  EXPECT_NE(std::string(failed.message).find("init() returned status -6"), std::string::npos) << failed.message;
  // The plugin's last warning or error names the reason.
  EXPECT_NE(std::string(failed.message).find("greeting: must not be empty"), std::string::npos) << failed.message;
  EXPECT_NE(std::string(failed.message).find("test_init_fails.so"), std::string::npos) << failed.message;
  const auto trace = fixture.trace();
  EXPECT_GE(position(trace, "nl.hearth.test.init-fails deinit"), 0) << "deinit must follow a failed init";
  EXPECT_EQ(fixture.info_of("test_good").state, static_cast<uint32_t>(HEARTH_PLUGIN_STATE_ACTIVE));
  std::string answer;
  EXPECT_EQ(fixture.query("nl.hearth.test.init-fails", "stats", answer), HEARTH_ERROR_NOT_FOUND);
  EXPECT_NE(answer.find("is not active"), std::string::npos) << answer;
}

TEST(PluginLifecycle, InitThatThrowsIsCaughtAndRecorded) {
  RuntimeFixture fixture({"test_good", "test_init_throws"});
  fixture.open_and_load();
  const auto failed = fixture.info_of("test_init_throws");
  EXPECT_EQ(failed.state, static_cast<uint32_t>(HEARTH_PLUGIN_STATE_FAILED));
  EXPECT_NE(std::string(failed.message).find("init() threw an exception: init exploded on purpose"), std::string::npos)
      << failed.message;
  EXPECT_EQ(fixture.info_of("test_good").state, static_cast<uint32_t>(HEARTH_PLUGIN_STATE_ACTIVE));
}

TEST(PluginLifecycle, SecondModuleWithTheSameIdIsRefused) {
  RuntimeFixture fixture({"test_good", "test_good_same_id"});
  fixture.open_and_load();
  EXPECT_EQ(fixture.info_of("test_good").state, static_cast<uint32_t>(HEARTH_PLUGIN_STATE_ACTIVE));
  const auto duplicate = fixture.info_of("test_good_same_id");
  EXPECT_EQ(duplicate.state, static_cast<uint32_t>(HEARTH_PLUGIN_STATE_REFUSED));
  EXPECT_NE(std::string(duplicate.message).find("plugin id 'nl.hearth.test.good' is already loaded from"), std::string::npos)
      << duplicate.message;
  EXPECT_NE(std::string(duplicate.message).find("test_good.so"), std::string::npos) << duplicate.message;
  EXPECT_NE(std::string(duplicate.message).find("plugin ABI " + std::to_string(HEARTH_ABI_MAJOR) + "." + std::to_string(HEARTH_ABI_MINOR) +
                                                  ", host ABI " + std::to_string(HEARTH_ABI_MAJOR) + "." +
                                                  std::to_string(HEARTH_ABI_MINOR)), std::string::npos) << duplicate.message;
  // Only one init ran.
  const auto trace = fixture.trace();
  EXPECT_EQ(std::count(trace.begin(), trace.end(), "nl.hearth.test.good init"), 1);
}

TEST(PluginLifecycle, LoadingTheSameIdLaterIsRefusedToo) {
  RuntimeFixture fixture({"test_good"});
  fixture.open_and_load();
  Message error;
  EXPECT_EQ(hearth_runtime_load_plugin(fixture.runtime(), module_path("test_good_same_id").c_str(), error.out()),
            HEARTH_ERROR_CONFLICT);
  EXPECT_NE(error.str().find("already loaded"), std::string::npos) << error.str();
}

TEST(PluginLifecycle, DependenciesInitFirstAndDeinitLast) {
  // File names sort the user before the base; the runtime must still init the base first.
  RuntimeFixture fixture({"test_dep_user", "test_dep_base"});
  std::filesystem::rename(fixture.plugin_dir() / "test_dep_user.so", fixture.plugin_dir() / "a_user.so");
  fixture.open_and_load();
  fixture.close();
  const auto trace = fixture.trace();
  const auto base_init = position(trace, "nl.hearth.test.base init");
  const auto user_init = position(trace, "nl.hearth.test.user init");
  const auto user_deinit = position(trace, "nl.hearth.test.user deinit");
  const auto base_deinit = position(trace, "nl.hearth.test.base deinit");
  ASSERT_GE(base_init, 0);
  ASSERT_GE(user_init, 0);
  EXPECT_LT(base_init, user_init);
  EXPECT_LT(user_init, user_deinit);
  EXPECT_LT(user_deinit, base_deinit);
}

TEST(PluginLifecycle, MissingDependencyFailsOnlyTheDependent) {
  RuntimeFixture fixture({"test_dep_missing", "test_good"});
  fixture.open_and_load();
  const auto orphan = fixture.info_of("test_dep_missing");
  EXPECT_EQ(orphan.state, static_cast<uint32_t>(HEARTH_PLUGIN_STATE_FAILED));
  EXPECT_NE(std::string(orphan.message).find("depends on plugin 'nl.hearth.test.absent', which is not active"),
            std::string::npos)
      << orphan.message;
  EXPECT_EQ(position(fixture.trace(), "nl.hearth.test.orphan init"), -1) << "a plugin whose dependency is missing must not init";
  EXPECT_EQ(fixture.info_of("test_good").state, static_cast<uint32_t>(HEARTH_PLUGIN_STATE_ACTIVE));
}

TEST(PluginLifecycle, DependencyThatFailsFailsItsDependents) {
  RuntimeFixture fixture({"test_dep_user"});
  fixture.open_and_load();
  EXPECT_EQ(fixture.info_of("test_dep_user").state, static_cast<uint32_t>(HEARTH_PLUGIN_STATE_FAILED));
}

TEST(PluginLifecycle, DisabledPluginIsNotInitialised) {
  RuntimeFixture fixture({"test_good", "test_configurable"}, "[plugins]\ndisabled = nl.hearth.test.configurable\n");
  fixture.open_and_load();
  const auto disabled = fixture.info_of("test_configurable");
  EXPECT_EQ(disabled.state, static_cast<uint32_t>(HEARTH_PLUGIN_STATE_STOPPED));
  EXPECT_NE(std::string(disabled.message).find("disabled"), std::string::npos);
  EXPECT_EQ(position(fixture.trace(), "nl.hearth.test.configurable init"), -1);
}

TEST(PluginLifecycle, CloseDeinitsEveryActivePluginOnce) {
  RuntimeFixture fixture({"test_good", "test_configurable"});
  fixture.open_and_load();
  fixture.close();
  const auto trace = fixture.trace();
  EXPECT_EQ(std::count(trace.begin(), trace.end(), "nl.hearth.test.good deinit"), 1);
  EXPECT_EQ(std::count(trace.begin(), trace.end(), "nl.hearth.test.configurable deinit"), 1);
}

TEST(PluginServices, ConfigurationSectionAndEnvironmentOverride) {
  RuntimeFixture fixture({"test_good"}, "[plugin.nl.hearth.test.good]\ngreeting = Goedemorgen\n");
  fixture.open_and_load();
  std::string answer;
  ASSERT_EQ(fixture.query("nl.hearth.test.good", "config", answer), HEARTH_OK) << answer;
  EXPECT_EQ(answer, R"({"greeting":"Goedemorgen"})");
  fixture.close();

  ::setenv("HEARTH_PLUGIN_NL_HEARTH_TEST_GOOD_GREETING", "Goedenavond", 1);
  fixture.open_and_load();
  ASSERT_EQ(fixture.query("nl.hearth.test.good", "config", answer), HEARTH_OK) << answer;
  ::unsetenv("HEARTH_PLUGIN_NL_HEARTH_TEST_GOOD_GREETING");
  EXPECT_EQ(answer, R"({"greeting":"Goedenavond"})");
}

TEST(PluginServices, ClockIsReplaceable) {
  RuntimeFixture fixture({"test_good"});
  fixture.open_and_load();
  static int64_t fake_now = 1'700'000'000'000;
  ASSERT_EQ(hearth_runtime_set_clock(fixture.runtime(), [](void *) { return fake_now; }, nullptr), HEARTH_OK);
  std::string answer;
  ASSERT_EQ(fixture.query("nl.hearth.test.good", "now", answer), HEARTH_OK);
  EXPECT_EQ(answer, R"({"now":1700000000000})");
  fake_now += 86'400'000;
  ASSERT_EQ(fixture.query("nl.hearth.test.good", "now", answer), HEARTH_OK);
  EXPECT_EQ(answer, R"({"now":1700086400000})");
  EXPECT_EQ(hearth_runtime_now_ms(fixture.runtime()), fake_now);
  ASSERT_EQ(hearth_runtime_set_clock(fixture.runtime(), nullptr, nullptr), HEARTH_OK);
  EXPECT_GT(hearth_runtime_now_ms(fixture.runtime()), fake_now);
}

TEST(PluginServices, PolicyExtensionDecidesForPlugins) {
  RuntimeFixture fixture({"test_good"});
  fixture.open_and_load();
  std::string answer;
  ASSERT_EQ(fixture.query("nl.hearth.test.good", "policy", answer), HEARTH_OK) << answer;
  EXPECT_EQ(answer, R"({"member":0,"outsider":-3,"outsider_reason_names_case":true,"unknown_action":-1})");
}

TEST(PluginServices, QueryFailuresBecomeStatuses) {
  RuntimeFixture fixture({"test_good", "test_configurable"});
  fixture.open_and_load();
  std::string answer;
  EXPECT_EQ(fixture.query("nl.hearth.test.good", "throw", answer), HEARTH_ERROR_PLUGIN);
  EXPECT_NE(answer.find("query exploded on purpose"), std::string::npos) << answer;
  EXPECT_EQ(fixture.query("nl.hearth.test.good", "no-such-query", answer), HEARTH_ERROR_NOT_FOUND);
  EXPECT_NE(answer.find("unknown query 'no-such-query'"), std::string::npos) << answer;
  EXPECT_EQ(fixture.query("nl.hearth.test.configurable", "anything", answer), HEARTH_ERROR_NOT_FOUND);
  EXPECT_NE(answer.find("answers no queries"), std::string::npos) << answer;
  EXPECT_EQ(fixture.query("nl.hearth.test.nobody", "anything", answer), HEARTH_ERROR_NOT_FOUND);
  // The plugin still works after all that.
  EXPECT_EQ(fixture.query("nl.hearth.test.good", "echo", answer, "[1]"), HEARTH_OK);
}

TEST(PluginServices, StorageSurvivesARestart) {
  RuntimeFixture fixture({"test_good"});
  fixture.open_and_load();
  for (int i = 1; i <= 3; ++i) {
    const std::string payload = std::to_string(i);
    hearth_event event{};
    event.struct_size = sizeof event;
    event.type = "nl.hearth.test.ping/1";
    event.subject = "tenancy:1";
    event.payload = payload.c_str();
    ASSERT_EQ(hearth_runtime_publish(fixture.runtime(), &event, nullptr), HEARTH_OK);
  }
  ASSERT_EQ(hearth_runtime_drain(fixture.runtime(), 10000), HEARTH_OK);
  fixture.close();
  fixture.open_and_load(); // the migration must not run twice
  std::string answer;
  ASSERT_EQ(fixture.query("nl.hearth.test.good", "stats", answer), HEARTH_OK) << answer;
  EXPECT_NE(answer.find(R"("rows":3)"), std::string::npos) << answer;
  EXPECT_EQ(fixture.info_of("test_good").state, static_cast<uint32_t>(HEARTH_PLUGIN_STATE_ACTIVE));
}

TEST(RuntimeOpen, BadConfigurationIsRefusedNamingTheKey) {
  struct Case {
    std::string ini;
    std::string expected;
  } cases[] = {
      {"[storage]\nbackend = oracle\n", "storage.backend: 'oracle' is not one of sqlite, postgresql"},
      {"[storage]\nbackend = postgresql\n", "storage.postgresql: a connection string is required"},
      {"[log]\nlevel = chatty\n", "log.level: 'chatty'"},
  };
  for (const auto &c : cases) {
    ScratchDir scratch;
    std::ofstream(scratch.path() / "hearth.ini") << c.ini;
    hearth_runtime *runtime = nullptr;
    Message error;
    EXPECT_EQ(hearth_runtime_open(scratch.path().c_str(), &runtime, error.out()), HEARTH_ERROR_INVALID_ARGUMENT) << c.ini;
    EXPECT_EQ(runtime, nullptr);
    EXPECT_NE(error.str().find(c.expected), std::string::npos) << error.str();
    EXPECT_NE(error.str().find("hearth.ini"), std::string::npos) << "the message names the file: " << error.str();
  }
}

TEST(RuntimeOpen, MissingConfigFolderIsRefused) {
  hearth_runtime *runtime = nullptr;
  Message error;
  EXPECT_EQ(hearth_runtime_open("no/such/folder", &runtime, error.out()), HEARTH_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(error.str().find("no/such/folder"), std::string::npos) << error.str();
}

TEST(RuntimeOpen, EnvironmentOverridesTheFile) {
  RuntimeFixture fixture({});
  ::setenv("HEARTH_STORAGE_BACKEND", "mysql", 1);
  const int32_t status = fixture.open();
  ::unsetenv("HEARTH_STORAGE_BACKEND");
  EXPECT_EQ(status, HEARTH_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(fixture.open_error().find("environment HEARTH_STORAGE_BACKEND: storage.backend: 'mysql'"), std::string::npos)
      << fixture.open_error();
}

TEST(RuntimeOpen, NullArgumentsAreRefused) {
  Message error;
  EXPECT_EQ(hearth_runtime_open(nullptr, nullptr, error.out()), HEARTH_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(error.str(), "runtime: missing");
  EXPECT_EQ(hearth_runtime_load_plugins(nullptr, nullptr), HEARTH_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(hearth_runtime_plugin_count(nullptr), 0u);
  hearth_runtime_close(nullptr);
}

} // namespace
} // namespace hearth::test
