// The escalation ladder on the runtime clock: the tests move time instead of waiting.
// Unanswered offers after the configured working days (weekends and holidays skipped),
// stalled cases, stable cases coming down, repeated nuisance and accepted red flags on
// events, scaling by hand, and the mandate holder's binding decisions.
#include "handoff_test_base.hpp"

namespace hearth::test::handoff {
namespace {

using namespace cast;

constexpr std::int64_t kDay = 86'400'000;

class Escalation : public HandoffTest {
protected:
  int level(const std::string &id) { return static_cast<int>(number("SELECT level FROM ch_case WHERE id = ?", {id})); }
  Poco::JSON::Object::Ptr tick() { return rt().ok(system, "escalation.tick"); }
  std::string offer(const std::string &id) {
    const auto reply = rt().ok(coordinator, "handoff.offer",
                               R"({"case_id":")" + id +
                                   R"(","to_user":"coord-2","to_organisation":"care:ggz-west","to_role":"coordinator","reason":"r"})");
    return reply->has("offer_id") ? reply->getValue<std::string>("offer_id") : "";
  }
  void move(const std::string &id, const std::string &transition) {
    rt().ok(coordinator, "case.transition",
            R"({"case_id":")" + id + R"(","transition":")" + transition + R"(","reason":"r"})");
  }
};

TEST_P(Escalation, UnansweredOfferEscalatesAfterThreeWorkingDays) {
  const std::string id = rt().open_case(coordinator, "T-1"); // Monday 09:00
  const std::string offer_id = offer(id);
  const std::int64_t deadline = number("SELECT deadline_ms FROM ch_offer WHERE id = ?", {offer_id});
  EXPECT_EQ(deadline, TestClock::start_ms() + 3 * kDay); // Thursday 09:00
  rt().clock().set(deadline - 1);
  EXPECT_EQ(tick()->getValue<int>("offers_escalated"), 0);
  EXPECT_EQ(level(id), 0);
  rt().clock().set(deadline);
  const auto counts = tick();
  EXPECT_EQ(counts->getValue<int>("offers_escalated"), 1);
  EXPECT_EQ(counts->getValue<int>("raised"), 1);
  EXPECT_EQ(level(id), 1);
  EXPECT_EQ(text("SELECT owner_user FROM ch_case WHERE id = ?", {id}), "coord-1"); // still the sender
  EXPECT_EQ(text("SELECT status FROM ch_offer WHERE id = ?", {offer_id}), "offered");
  EXPECT_EQ(tick()->getValue<int>("offers_escalated"), 0); // once per offer
  EXPECT_EQ(level(id), 1);
  EXPECT_EQ(text("SELECT trigger_name FROM ch_escalation WHERE case_id = ?", {id}), "unanswered_offer");
  // The receiver sees the offer marked as escalated and can still accept.
  const auto inbox = rt().ok(coordinator_care, "handoff.inbox")->getArray("offers");
  ASSERT_EQ(inbox->size(), 1u);
  EXPECT_TRUE(inbox->getObject(0)->getValue<bool>("escalated"));
  rt().ok(coordinator_care, "handoff.accept", R"({"offer_id":")" + offer_id + R"("})");
}

TEST_P(Escalation, WorkingDaysSkipTheWeekend) {
  rt().clock().set(TestClock::start_ms() + 4 * kDay); // Friday 09:00
  const std::string id = rt().open_case(coordinator, "T-1");
  const std::string offer_id = offer(id);
  EXPECT_EQ(number("SELECT deadline_ms FROM ch_offer WHERE id = ?", {offer_id}),
            TestClock::start_ms() + 9 * kDay); // Wednesday 09:00
}

TEST_P(Escalation, TimersAlsoRunWhenEventsArrive) {
  const std::string id = rt().open_case(coordinator, "T-1");
  offer(id);
  rt().clock().set(TestClock::start_ms() + 3 * kDay);
  rt().ingest("unrelated-1", "SCH", "T-5", rt().clock().now());
  rt().drain();
  EXPECT_EQ(level(id), 1);
}

TEST_P(Escalation, StalledCaseGoesUpButAQuietMonitoringCaseDoesNot) {
  const std::string stalled = rt().open_case(coordinator, "T-1");
  const std::string quiet = rt().open_case(coordinator, "T-2");
  for (const char *t : {"start-triage", "assign", "agree-plan", "activate", "monitor"}) {
    move(quiet, t);
  }
  rt().clock().set(TestClock::start_ms() + 11 * kDay); // Friday of the next week: 9 working days
  tick();
  EXPECT_EQ(level(stalled), 0);
  rt().clock().set(TestClock::start_ms() + 14 * kDay); // Monday: 10 working days
  EXPECT_EQ(tick()->getValue<int>("raised"), 1);
  EXPECT_EQ(level(stalled), 1);
  EXPECT_EQ(level(quiet), 0);
  EXPECT_EQ(text("SELECT trigger_name FROM ch_escalation WHERE case_id = ?", {stalled}), "stalled_case");
  // The level change restarts the timer; progress (a note) does too.
  rt().clock().set(TestClock::start_ms() + 27 * kDay);
  rt().ok(coordinator, "timeline.add_note", R"({"case_id":")" + stalled + R"(","data_class":"case_plan","text":"Visited"})");
  rt().clock().set(TestClock::start_ms() + 40 * kDay);
  tick();
  EXPECT_EQ(level(stalled), 1);
}

TEST_P(Escalation, StableCaseComesDownAfterSixQuietWeeks) {
  const std::string id = rt().open_case(coordinator, "T-1");
  for (const char *t : {"start-triage", "assign", "agree-plan", "activate", "monitor"}) {
    move(id, t);
  }
  rt().ok(coordinator, "escalation.raise", R"({"case_id":")" + id + R"(","levels":2,"reason":"threats"})");
  EXPECT_EQ(level(id), 2);
  const std::int64_t raised_at = rt().clock().now();
  // Three weeks in, a new nuisance signal: the quiet period starts again.
  rt().clock().set(raised_at + 21 * kDay);
  rt().ingest("noise-1", "OVE", "T-1", rt().clock().now());
  rt().drain();
  rt().clock().set(raised_at + 42 * kDay);
  tick();
  EXPECT_EQ(level(id), 2);
  rt().clock().set(raised_at + 63 * kDay - 1);
  tick();
  EXPECT_EQ(level(id), 2);
  rt().clock().set(raised_at + 63 * kDay);
  EXPECT_EQ(tick()->getValue<int>("lowered"), 1);
  EXPECT_EQ(level(id), 1);
  rt().clock().set(raised_at + 105 * kDay);
  tick();
  EXPECT_EQ(level(id), 0);
  rt().clock().set(raised_at + 200 * kDay);
  tick();
  EXPECT_EQ(level(id), 0);
}

TEST_P(Escalation, RepeatedNuisanceRaisesOnceAndSurvivesAReplay) {
  const std::string id = rt().open_case(coordinator, "T-1");
  rt().ingest("noise-1", "OVE", "T-1", rt().clock().now() - 20 * kDay);
  rt().ingest("noise-2", "AGR", "T-1", rt().clock().now() - 2 * kDay);
  rt().ingest("old-noise", "OVE", "T-1", rt().clock().now() - 40 * kDay); // outside 28 days
  rt().ingest("arrears", "SCH", "T-1", rt().clock().now());               // not nuisance
  rt().drain();
  EXPECT_EQ(level(id), 0);
  rt().ingest("noise-3", "OVE", "T-1", rt().clock().now());
  rt().drain();
  EXPECT_EQ(level(id), 1);
  EXPECT_EQ(text("SELECT trigger_name FROM ch_escalation WHERE case_id = ?", {id}), "repeated_nuisance");
  rt().ingest("noise-4", "OVE", "T-1", rt().clock().now());
  rt().drain();
  EXPECT_EQ(level(id), 1); // a new series is needed
  // A restarted instance replays the event log from the beginning: nothing doubles.
  rt_.reset();
  rt_ = std::make_unique<HandoffRuntime>(*store_);
  rt().drain();
  EXPECT_EQ(level(id), 1);
  EXPECT_EQ(number("SELECT COUNT(*) FROM ch_escalation WHERE case_id = ?", {id}), 1);
}

TEST_P(Escalation, AcceptedRedFlagOpensOrRaisesACase) {
  rt().publish("nl.hearth.flag.accepted/1", "tenancy:T-2", R"({"tenancy_id":"T-2","level":"red","flag_id":"F-1"})");
  rt().drain();
  const std::string id = text("SELECT id FROM ch_case WHERE tenancy_id = 'T-2'");
  ASSERT_FALSE(id.empty());
  EXPECT_EQ(text("SELECT owner_user FROM ch_case WHERE id = ?", {id}), "intake-coordinator");
  EXPECT_EQ(level(id), 1);
  const auto listed = rt().ok(intake, "case.list")->getArray("cases");
  ASSERT_EQ(listed->size(), 1u);
  // The same flag again (a replay) changes nothing; an amber flag is not a trigger.
  rt().publish("nl.hearth.flag.accepted/1", "tenancy:T-2", R"({"tenancy_id":"T-2","level":"red","flag_id":"F-1"})");
  rt().publish("nl.hearth.flag.accepted/1", "tenancy:T-2", R"({"tenancy_id":"T-2","level":"amber","flag_id":"F-2"})");
  rt().publish("nl.hearth.flag.accepted/1", "tenancy:T-99", R"({"tenancy_id":"T-99","level":"red","flag_id":"F-3"})");
  rt().publish("nl.hearth.flag.accepted/1", "tenancy:T-2", R"({"level":"red"})");
  rt().drain();
  EXPECT_EQ(level(id), 1);
  EXPECT_EQ(number("SELECT COUNT(*) FROM ch_case"), 1);
  // A new red flag on the open case raises it.
  rt().publish("nl.hearth.flag.accepted/1", "tenancy:T-2", R"({"tenancy_id":"T-2","level":"red","flag_id":"F-4"})");
  rt().drain();
  EXPECT_EQ(level(id), 2);
}

TEST_P(Escalation, ScalingDownIsAsEasyAsUpButOnlyForTheOwner) {
  const std::string id = rt().open_case(coordinator, "T-1");
  rt().ok(consultant, "escalation.raise", R"({"case_id":")" + id + R"(","reason":"threatened a neighbour"})");
  EXPECT_EQ(level(id), 1);
  EXPECT_EQ(rt().call(consultant, "escalation.lower", R"({"case_id":")" + id + R"(","reason":"r"})").status,
            HEARTH_ERROR_DENIED);
  EXPECT_EQ(rt().call(consultant_other, "escalation.raise", R"({"case_id":")" + id + R"(","reason":"r"})").status,
            HEARTH_ERROR_NOT_FOUND);
  EXPECT_EQ(rt().call(coordinator, "escalation.lower", R"({"case_id":")" + id + R"(","levels":2,"reason":"r"})").status,
            HEARTH_ERROR_CONFLICT);
  EXPECT_EQ(rt().call(coordinator, "escalation.raise", R"({"case_id":")" + id + R"(","levels":0,"reason":"r"})").status,
            HEARTH_ERROR_INVALID_ARGUMENT);
  rt().ok(coordinator, "escalation.lower", R"({"case_id":")" + id + R"(","reason":"support is in place"})");
  EXPECT_EQ(level(id), 0);
  const auto history = rt().ok(coordinator, "case.history", R"({"case_id":")" + id + R"("})")->getArray("escalations");
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ(history->getObject(0)->getValue<std::string>("trigger"), "by_hand_up");
  EXPECT_EQ(history->getObject(1)->getValue<std::string>("trigger"), "by_hand_down");
}

TEST_P(Escalation, MandateHolderDecidesBindinglyAtTheTop) {
  const std::string id = rt().open_case(coordinator, "T-1");
  const std::string args = R"({"case_id":")" + id +
                           R"(","kind":"assign_owner","reason":"The care side leads","assign_to":{"user":"coord-2","organisation":"care:ggz-west","role":"coordinator"}})";
  EXPECT_EQ(rt().call(mandate_holder, "mandate.decide", args).status, HEARTH_ERROR_NOT_FOUND); // not yet at the top
  rt().ok(coordinator, "escalation.raise", R"({"case_id":")" + id + R"(","levels":4,"reason":"nobody moves"})");
  const auto c = rt().ok(coordinator, "case.get", R"({"case_id":")" + id + R"("})");
  EXPECT_EQ(c->getValue<int>("level"), 4);
  EXPECT_EQ(c->getValue<std::string>("level_name"), "mandate holder decides");
  EXPECT_EQ(c->getObject("mandate_holder")->getValue<std::string>("user"), "mandate-gemeente");
  EXPECT_EQ(rt().call(coordinator, "mandate.decide", args).status, HEARTH_ERROR_DENIED); // the owner is not the holder
  EXPECT_EQ(rt().call(coordinator_other, "mandate.decide", args).status, HEARTH_ERROR_NOT_FOUND);
  // A pending offer is superseded by the binding decision.
  const auto offer = rt().ok(coordinator, "handoff.offer",
                             R"({"case_id":")" + id +
                                 R"(","to_user":"coord-3","to_organisation":"gemeente:0363","to_role":"coordinator","reason":"r"})");
  const auto decided = rt().ok(mandate_holder, "mandate.decide", args);
  EXPECT_TRUE(decided->getValue<bool>("binding"));
  EXPECT_TRUE(decided->getValue<bool>("owner_changed"));
  EXPECT_EQ(text("SELECT owner_user FROM ch_case WHERE id = ?", {id}), "coord-2");
  EXPECT_EQ(text("SELECT status FROM ch_offer WHERE id = ?", {offer->getValue<std::string>("offer_id")}), "superseded");
  EXPECT_EQ(text("SELECT how FROM ch_ownership WHERE case_id = ? AND until_ms IS NULL", {id}), "mandate");
  // A binding directive becomes an action only its owner (or the holder) completes.
  const auto directive = rt().ok(mandate_holder, "mandate.decide",
                                 R"({"case_id":")" + id +
                                     R"(","kind":"directive","reason":"Housing first","action":{"description":"Offer a time-out home","owner_user":"hc-1","owner_organisation":"corp:woonstad","due_date":"2026-03-20"}})");
  const std::string action_id = text("SELECT id FROM ch_action WHERE case_id = ? AND binding = 1", {id});
  ASSERT_FALSE(action_id.empty());
  EXPECT_EQ(rt().call(coordinator_care, "plan.complete_action", R"({"action_id":")" + action_id + R"("})").status,
            HEARTH_ERROR_DENIED);
  rt().ok(consultant, "plan.complete_action", R"({"action_id":")" + action_id + R"("})");
  const auto decisions = rt().ok(coordinator_care, "case.history", R"({"case_id":")" + id + R"("})")->getArray("decisions");
  EXPECT_EQ(decisions->size(), 2u);
  // Coming down from the top releases the holder.
  rt().ok(mandate_holder, "escalation.lower", R"({"case_id":")" + id + R"(","reason":"decided"})");
  EXPECT_TRUE(rt().ok(coordinator_care, "case.get", R"({"case_id":")" + id + R"("})")->isNull("mandate_holder"));
  EXPECT_EQ(rt().call(mandate_holder, "case.get", R"({"case_id":")" + id + R"("})").status, HEARTH_ERROR_NOT_FOUND);
}

HANDOFF_BACKENDS(Escalation);

class EscalationWithHoliday : public Escalation {
protected:
  std::optional<std::filesystem::path> config_dir() override {
    folder_ = std::make_unique<ScratchDir>();
    copy_config(folder_->path(), {{"handoff.ini", {{"[calendar] holidays", "2026-03-09"}}}});
    return folder_->path();
  }
  std::unique_ptr<ScratchDir> folder_;
};

TEST_P(EscalationWithHoliday, HolidaysAreNotWorkingDays) {
  rt().clock().set(TestClock::start_ms() + 4 * kDay); // Friday 2026-03-06
  const std::string id = rt().open_case(coordinator, "T-1");
  const std::string offer_id = offer(id);
  EXPECT_EQ(number("SELECT deadline_ms FROM ch_offer WHERE id = ?", {offer_id}),
            TestClock::start_ms() + 10 * kDay); // Monday off: Tuesday, Wednesday, Thursday
}

HANDOFF_BACKENDS(EscalationWithHoliday);

} // namespace
} // namespace hearth::test::handoff
