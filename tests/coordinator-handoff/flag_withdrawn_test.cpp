// A withdrawn early-warning flag (nl.hearth.flag.withdrawn/1, published when a person's
// revision takes an acceptance back) on SQLite and PostgreSQL: the case the flag opened
// stops escalating while no coordinator has taken it up, with the reason on its timeline;
// a case in progress, or one the flag only raised, gets a timeline entry and goes on; a
// person closes a case, never the event. Taking the case up, or the flag accepted again,
// lets the ladder run again. Replays change nothing.
#include "handoff_test_base.hpp"

namespace hearth::test::handoff {
namespace {

using namespace cast;

constexpr std::int64_t kDay = 86'400'000;

class FlagWithdrawn : public HandoffTest {
protected:
  int level(const std::string &id) { return static_cast<int>(number("SELECT level FROM ch_case WHERE id = ?", {id})); }
  std::int64_t entries(const std::string &id, const std::string &kind) {
    return number("SELECT COUNT(*) FROM ch_timeline WHERE case_id = ? AND kind = ?", {id, kind});
  }
  bool stopped(const std::string &id) { return number("SELECT COUNT(*) FROM ch_ladder_stop WHERE case_id = ?", {id}) > 0; }
  void accept(const std::string &tenancy, const std::string &flag, int decision = 1) {
    rt().publish("nl.hearth.flag.accepted/1", "tenancy:" + tenancy,
                 R"({"tenancy_id":")" + tenancy + R"(","level":"red","flag_id":")" + flag +
                     R"(","decision":)" + std::to_string(decision) + "}");
    rt().drain();
  }
  void withdraw(const std::string &tenancy, const std::string &flag, int decision = 2,
                const std::string &status = "dismissed") {
    rt().publish("nl.hearth.flag.withdrawn/1", "tenancy:" + tenancy,
                 R"({"tenancy_id":")" + tenancy + R"(","level":"red","flag_id":")" + flag +
                     R"(","decision":)" + std::to_string(decision) + R"(,"status":")" + status + R"("})");
    rt().drain();
  }
  std::string case_of(const std::string &tenancy) {
    return text("SELECT id FROM ch_case WHERE tenancy_id = ? AND is_open = 1", {tenancy});
  }
  void transition(const Who &who, const std::string &id, const std::string &name) {
    rt().ok(who, "case.transition", R"({"case_id":")" + id + R"(","transition":")" + name + R"(","reason":"r"})");
  }
  void tick_after_days(int days) {
    rt().clock().advance_days(days);
    rt().ok(system, "escalation.tick");
  }
};

TEST_P(FlagWithdrawn, ACaseTheFlagOpenedStopsEscalatingUntilSomeoneTakesItUp) {
  accept("T-2", "F-1");
  accept("T-3", "F-2"); // the same start, never withdrawn: the comparison
  const std::string id = case_of("T-2");
  const std::string control = case_of("T-3");
  ASSERT_FALSE(id.empty());
  ASSERT_FALSE(control.empty());
  EXPECT_EQ(text("SELECT state FROM ch_case WHERE id = ?", {id}), "signalled");
  EXPECT_EQ(level(id), 1);

  withdraw("T-2", "F-1");
  EXPECT_TRUE(stopped(id));
  EXPECT_EQ(entries(id, "ladder-stopped"), 1);
  const std::string why = text("SELECT text FROM ch_timeline WHERE case_id = ? AND kind = 'ladder-stopped'", {id});
  EXPECT_EQ(why, "The early-warning flag this case was opened from was withdrawn (now dismissed) before a coordinator "
                 "took the case up. The escalation ladder stops; a person decides whether to close the case.");
  EXPECT_EQ(text("SELECT actor_role FROM ch_timeline WHERE case_id = ? AND kind = 'ladder-stopped'", {id}), "system");
  // The event closes nothing, and the change is audited.
  EXPECT_EQ(number("SELECT is_open FROM ch_case WHERE id = ?", {id}), 1);
  bool audited = false;
  for (const auto &row : audit_rows(store_->direct(), "case:" + id)) {
    audited |= row.event == "update" && row.user == "nl.hearth.coordinator-handoff";
  }
  EXPECT_TRUE(audited);
  // Its timeline shows it to the owner like every entry.
  const auto timeline = rt().ok(intake, "timeline.get", R"({"case_id":")" + id + R"("})")->getArray("entries");
  bool shown = false;
  for (unsigned i = 0; i < timeline->size(); ++i) {
    shown |= timeline->getObject(i)->getValue<std::string>("kind") == "ladder-stopped";
  }
  EXPECT_TRUE(shown);

  // A replay of the event (a restart replays the log) adds nothing.
  withdraw("T-2", "F-1");
  EXPECT_EQ(entries(id, "ladder-stopped"), 1);

  // No progress for weeks: the control case climbs, the stopped one does not; repeated
  // nuisance does not raise it either.
  tick_after_days(30);
  EXPECT_EQ(level(id), 1);
  EXPECT_GT(level(control), 1);
  for (int i = 0; i < 4; ++i) {
    rt().ingest("noise-w-" + std::to_string(i), "OVE", "T-2", rt().clock().now() - i * kDay);
  }
  rt().drain();
  EXPECT_EQ(level(id), 1);
  EXPECT_EQ(number("SELECT COUNT(*) FROM ch_escalation WHERE case_id = ?", {id}), 1); // only the flag's own raise
  // A person may still raise it by hand.
  rt().ok(intake, "escalation.raise", R"({"case_id":")" + id + R"(","reason":"seen in person"})");
  EXPECT_EQ(level(id), 2);

  // The intake coordinator takes the case up: the ladder runs again.
  transition(intake, id, "start-triage");
  EXPECT_FALSE(stopped(id));
  EXPECT_EQ(entries(id, "ladder-resumed"), 1);
  tick_after_days(30);
  EXPECT_GT(level(id), 2);
}

TEST_P(FlagWithdrawn, ACaseInProgressOrOnlyRaisedByTheFlagGetsATimelineEntryOnly) {
  // Opened by the flag, but triage has started: in progress.
  accept("T-2", "F-1");
  const std::string taken = case_of("T-2");
  transition(intake, taken, "start-triage");
  // Opened by a coordinator, later raised by a flag.
  const std::string raised = rt().open_case(coordinator, "T-1");
  accept("T-1", "F-5");
  EXPECT_EQ(level(raised), 1);

  withdraw("T-2", "F-1", 2, "overridden");
  withdraw("T-1", "F-5");
  for (const auto &id : {taken, raised}) {
    EXPECT_FALSE(stopped(id)) << id;
    EXPECT_EQ(entries(id, "ladder-stopped"), 0) << id;
    EXPECT_EQ(entries(id, "flag-withdrawn"), 1) << id;
    EXPECT_EQ(number("SELECT is_open FROM ch_case WHERE id = ?", {id}), 1) << id;
  }
  EXPECT_EQ(text("SELECT text FROM ch_timeline WHERE case_id = ? AND kind = 'flag-withdrawn'", {taken}),
            "The early-warning flag this case was opened from was withdrawn (now overridden). The case goes on; a "
            "person decides whether to close it.");
  EXPECT_EQ(text("SELECT text FROM ch_timeline WHERE case_id = ? AND kind = 'flag-withdrawn'", {raised}),
            "An early-warning flag that raised this case was withdrawn (now dismissed). The case goes on; a person "
            "decides whether to close it.");
  // The ladder goes on for both.
  const int before = level(taken);
  tick_after_days(30);
  EXPECT_GT(level(taken), before);

  // A closed case is left alone; a flag no case knows changes nothing.
  accept("T-4", "F-7");
  const std::string closed = case_of("T-4");
  transition(intake, closed, "close");
  const std::int64_t timeline_before = number("SELECT COUNT(*) FROM ch_timeline");
  withdraw("T-4", "F-7");
  withdraw("T-5", "F-unknown");
  rt().publish("nl.hearth.flag.withdrawn/1", "tenancy:T-5", R"({"tenancy_id":"T-5"})"); // no flag id: ignored
  rt().drain();
  EXPECT_EQ(number("SELECT COUNT(*) FROM ch_timeline"), timeline_before);
  EXPECT_EQ(rt().plugin_state().first, static_cast<uint32_t>(HEARTH_PLUGIN_STATE_ACTIVE));
}

TEST_P(FlagWithdrawn, TheFlagAcceptedAgainLetsTheLadderRunAndRaisesTheCase) {
  accept("T-2", "F-1");
  const std::string id = case_of("T-2");
  withdraw("T-2", "F-1", 2);
  ASSERT_TRUE(stopped(id));
  // A revision accepts it again (decision 3): a new event, not a replay of the first.
  accept("T-2", "F-1", 3);
  EXPECT_FALSE(stopped(id));
  EXPECT_EQ(entries(id, "ladder-resumed"), 1);
  EXPECT_EQ(level(id), 2);
  // Replays of either acceptance change nothing more.
  accept("T-2", "F-1", 1);
  accept("T-2", "F-1", 3);
  EXPECT_EQ(level(id), 2);
  // Withdrawn once more (decision 4): stopped again.
  withdraw("T-2", "F-1", 4);
  EXPECT_TRUE(stopped(id));
  EXPECT_EQ(entries(id, "ladder-stopped"), 2);
}

HANDOFF_BACKENDS(FlagWithdrawn);

} // namespace
} // namespace hearth::test::handoff
