// The [plugin.<id>] isolation keys: which plugins run isolated, their limits with defaults,
// and a configuration error naming the key for a bad value.
#include <fstream>

#include <gtest/gtest.h>

#include "isolation/settings.hpp"
#include "runtime/config.hpp"
#include "test_environment.hpp"

namespace hearth::isolation {
namespace {

runtime::Config config_with(const test::ScratchDir &dir, const std::string &ini) {
  std::ofstream(dir.path() / "hearth.ini") << ini;
  return runtime::Config::load(dir.path());
}

TEST(IsolationSettings, OnlyPluginsWithIsolationProcessAreIsolated) {
  test::ScratchDir dir;
  const auto config = config_with(dir, "[plugin.nl.test.a]\nisolation = process\n"
                                       "[plugin.nl.test.b]\nisolation = in-process\n"
                                       "[plugin.nl.test.c]\ncall_timeout_ms = 5\n");
  EXPECT_EQ(isolated_plugin_ids(config), (std::set<std::string>{"nl.test.a"}));
}

TEST(IsolationSettings, AnUnknownIsolationNamesTheKey) {
  test::ScratchDir dir;
  const auto config = config_with(dir, "[plugin.nl.test.a]\nisolation = container\n");
  try {
    isolated_plugin_ids(config);
    FAIL() << "accepted isolation = container";
  } catch (const runtime::ConfigError &error) {
    EXPECT_NE(std::string(error.what()).find("plugin.nl.test.a.isolation: 'container'"), std::string::npos)
        << error.what();
  }
}

TEST(IsolationSettings, DefaultsApplyAndConfiguredValuesWin) {
  test::ScratchDir dir;
  const auto config = config_with(dir, "[plugin.nl.test.a]\ncall_timeout_ms = 250\nmemory_limit_mb = 64\n"
                                       "crash_limit = 2\nrestart_delay_ms = 50\nrestart_delay_max_ms = 10\n");
  const auto defaults = IsolationSettings::from_config(config, "nl.test.other");
  EXPECT_EQ(defaults.call_timeout.count(), 30'000);
  EXPECT_EQ(defaults.memory_limit_mb, 0u);
  EXPECT_EQ(defaults.crash_limit, 5u);
  EXPECT_EQ(defaults.restart_delay.count(), 100);
  const auto set = IsolationSettings::from_config(config, "nl.test.a");
  EXPECT_EQ(set.call_timeout.count(), 250);
  EXPECT_EQ(set.memory_limit_mb, 64u);
  EXPECT_EQ(set.crash_limit, 2u);
  EXPECT_EQ(set.restart_delay.count(), 50);
  EXPECT_EQ(set.restart_delay_max.count(), 50) << "the cap is never below the first delay";
}

TEST(IsolationSettings, AnOutOfRangeValueNamesTheKey) {
  test::ScratchDir dir;
  const auto config = config_with(dir, "[plugin.nl.test.a]\ncall_timeout_ms = 0\n");
  EXPECT_THROW(IsolationSettings::from_config(config, "nl.test.a"), runtime::ConfigError);
}

TEST(IsolationSettings, TheEnvironmentNamesThePluginHostFirst) {
  test::ScratchDir dir;
  const auto config = config_with(dir, "[runtime]\nplugin_host = /from/config\n");
  EXPECT_EQ(find_plugin_host(config), std::filesystem::path("/from/config"));
  ::setenv("HEARTH_PLUGIN_HOST", "/from/environment", 1);
  EXPECT_EQ(find_plugin_host(config), std::filesystem::path("/from/environment"));
  ::unsetenv("HEARTH_PLUGIN_HOST");
}

} // namespace
} // namespace hearth::isolation
