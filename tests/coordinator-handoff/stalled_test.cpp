// Stalled cases: one rule in the plugin (handoff.ini [cases] stalled_after_calendar_days,
// 14 calendar days by default, only in ladder.ini's stalled states) behind case.get's and
// case.list's "stalled" and metrics.neighbourhood's stalled_cases, checked at the boundary.
#include "handoff_test_base.hpp"

namespace hearth::test::handoff {
namespace {

using namespace cast;

constexpr std::int64_t kDay = 86'400'000;

class Stalled : public HandoffTest {
protected:
  bool stalled(const std::string &id) {
    return rt().ok(coordinator, "case.get", R"({"case_id":")" + id + R"("})")->getValue<bool>("stalled");
  }
  int stalled_in_metrics() {
    const auto list = rt().ok(coordinator, "metrics.neighbourhood", R"({"neighbourhood_code":"BU03630402"})")
                          ->getArray("neighbourhoods");
    return list->size() == 0 ? 0 : list->getObject(0)->getValue<int>("stalled_cases");
  }
};

TEST_P(Stalled, ThirteenDaysIsNotStalledFourteenCalendarDaysIs) {
  const std::string id = rt().open_case(coordinator, "T-1");
  const auto list = rt().ok(coordinator, "case.list");
  EXPECT_EQ(list->getValue<int>("stalled_after_calendar_days"), 14);
  EXPECT_FALSE(list->getArray("cases")->getObject(0)->getValue<bool>("stalled"));
  EXPECT_EQ(rt().ok(coordinator, "metrics.neighbourhood")->getValue<int>("stalled_after_calendar_days"), 14);

  rt().clock().advance_days(13);
  EXPECT_FALSE(stalled(id));
  EXPECT_EQ(stalled_in_metrics(), 0);
  rt().clock().advance_ms(kDay - 1); // one millisecond short of 14 days
  EXPECT_FALSE(stalled(id));
  EXPECT_EQ(stalled_in_metrics(), 0);
  rt().clock().advance_ms(1); // 14 calendar days (a weekend included: calendar, not working days)
  EXPECT_TRUE(stalled(id));
  EXPECT_EQ(stalled_in_metrics(), 1);
  EXPECT_TRUE(rt().ok(coordinator, "case.list")->getArray("cases")->getObject(0)->getValue<bool>("stalled"));

  // Progress (a note on the timeline) starts the count again.
  rt().ok(coordinator, "timeline.add_note", R"({"case_id":")" + id + R"(","data_class":"case_plan","text":"Visited"})");
  EXPECT_FALSE(stalled(id));
  EXPECT_EQ(stalled_in_metrics(), 0);
}

TEST_P(Stalled, OnlyOpenCasesInTheLaddersStalledStatesStall) {
  const std::string id = rt().open_case(coordinator, "T-1");
  rt().ok(coordinator, "case.transition", R"({"case_id":")" + id + R"(","transition":"close","reason":"done"})");
  rt().clock().advance_days(30);
  EXPECT_FALSE(rt().ok(coordinator, "case.get", R"({"case_id":")" + id + R"("})")->getValue<bool>("stalled"));
  EXPECT_EQ(stalled_in_metrics(), 0);
}

HANDOFF_BACKENDS(Stalled);

class StalledAfterThreeDays : public Stalled {
protected:
  std::optional<std::filesystem::path> config_dir() override {
    folder_ = std::make_unique<ScratchDir>();
    copy_config(folder_->path(), {{"handoff.ini", {{"[cases] stalled_after_calendar_days", "3"}}}});
    return folder_->path();
  }
  std::unique_ptr<ScratchDir> folder_;
};

TEST_P(StalledAfterThreeDays, TheNumberOfDaysComesFromTheConfiguration) {
  const std::string id = rt().open_case(coordinator, "T-1");
  EXPECT_EQ(rt().ok(coordinator, "case.list")->getValue<int>("stalled_after_calendar_days"), 3);
  rt().clock().advance_ms(3 * kDay - 1);
  EXPECT_FALSE(stalled(id));
  rt().clock().advance_ms(1);
  EXPECT_TRUE(stalled(id));
  EXPECT_EQ(stalled_in_metrics(), 1);
}

HANDOFF_BACKENDS(StalledAfterThreeDays);

} // namespace
} // namespace hearth::test::handoff
