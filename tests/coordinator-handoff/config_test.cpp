// The plugin's configuration: the shipped files load, and a mistake stops the plugin (and
// only the plugin) with the file, the key and the reason in the log.
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "handoff_test_base.hpp"

namespace hearth::test::handoff {
namespace {

// Starts a runtime on `folder`, returns the plugin's state and the log's text.
std::pair<uint32_t, std::string> start_with(const std::filesystem::path &folder) {
  TestStore store(Backend::sqlite);
  ScratchDir logs;
  const auto log_file = logs.path() / "hearth.log";
  // HEARTH_LOG_FILE (set by CTest for the log scan) would override [log] file: point it
  // here for the run, then hand the lines on to the scanned file.
  const char *shared = std::getenv("HEARTH_LOG_FILE");
  const std::string shared_file = shared != nullptr ? shared : "";
  ::setenv("HEARTH_LOG_FILE", log_file.c_str(), 1);
  uint32_t state = 0;
  {
    HandoffRuntime runtime(store, folder, "[log]\nfile = " + log_file.string() + "\n");
    state = runtime.plugin_state().first;
  }
  if (shared_file.empty()) {
    ::unsetenv("HEARTH_LOG_FILE");
  } else {
    ::setenv("HEARTH_LOG_FILE", shared_file.c_str(), 1);
  }
  std::ifstream in(log_file);
  std::stringstream text;
  text << in.rdbuf();
  if (!shared_file.empty()) {
    std::ofstream(shared_file, std::ios::app) << text.str();
  }
  return {state, text.str()};
}

TEST(HandoffConfig, TheShippedConfigurationLoads) {
  const auto [state, log] = start_with(std::filesystem::path(HEARTH_TEST_SOURCE_DIR) / "config" / "handoff");
  EXPECT_EQ(state, static_cast<uint32_t>(HEARTH_PLUGIN_STATE_ACTIVE)) << log;
  EXPECT_NE(log.find("coordinator handoff ready"), std::string::npos) << log;
}

TEST(HandoffConfig, MistakesStopThePluginNamingFileKeyAndReason) {
  const struct {
    const char *file;
    const char *key;
    const char *value;
    const char *expected;
  } mistakes[] = {
      {"states.ini", "[transition.assign] to", "nowhere", "states.ini: transition.assign.to: unknown state 'nowhere'"},
      {"states.ini", "[transition.assign] roles", "coordinator, mayor", "states.ini: transition.assign.roles: unknown role 'mayor'"},
      {"ladder.ini", "[ladder] mandate_level", "9", "ladder.ini: ladder.mandate_level: 9 is outside 1..4"},
      {"ladder.ini", "[up.stalled_case] states", "limbo", "up.stalled_case.states: unknown state 'limbo'"},
      {"handoff.ini", "[calendar] holidays", "2026-02-30", "handoff.ini: calendar.holidays: '2026-02-30' is not a date"},
      {"handoff.ini", "[offers] answer_within_working_days", "three", "offers.answer_within_working_days: 'three' is not a whole number"},
      {"handoff.ini", "[cases] stalled_after_calendar_days", "0", "handoff.ini: cases.stalled_after_calendar_days: 0 is outside 1..365"},
      {"placement.ini", "[overview] min_count", "0", "placement.ini: overview.min_count: 0 is outside 1..100"},
      {"places.ini", "[place.TO-WEST-1] kind", "hotel", "places.ini: place.TO-WEST-1.kind: 'hotel' is not time-out or crisis"},
      {"operations.ini", "[operations] case.open", "coordinator, king", "operations.ini: operations.case.open: unknown role 'king'"},
      {"operations.ini", "[operations] case.fly", "coordinator", "operations.ini: operations.case.fly: the plugin has no such operation"},
  };
  for (const auto &m : mistakes) {
    ScratchDir folder;
    copy_config(folder.path(), {{m.file, {{m.key, m.value}}}});
    const auto [state, log] = start_with(folder.path());
    EXPECT_EQ(state, static_cast<uint32_t>(HEARTH_PLUGIN_STATE_FAILED)) << m.key;
    EXPECT_NE(log.find(m.expected), std::string::npos) << m.key << "\n" << log;
  }
}

TEST(HandoffConfig, AMissingFileOrFolderStopsThePlugin) {
  ScratchDir folder;
  copy_config(folder.path());
  std::filesystem::remove(folder.path() / "consults.ini");
  auto [state, log] = start_with(folder.path());
  EXPECT_EQ(state, static_cast<uint32_t>(HEARTH_PLUGIN_STATE_FAILED));
  EXPECT_NE(log.find("consults.ini: the file is missing"), std::string::npos) << log;
  std::tie(state, log) = start_with(folder.path() / "nowhere");
  EXPECT_EQ(state, static_cast<uint32_t>(HEARTH_PLUGIN_STATE_FAILED));
  EXPECT_NE(log.find("is not a folder"), std::string::npos) << log;
}

} // namespace
} // namespace hearth::test::handoff
