// The tenant's plan (needs and offers in their own words, housing wishes, actions with an
// owner and a due date), the support network with consent and visibility, and consults from
// the directory with an answer-by date that escalates when missed.
#include "handoff_test_base.hpp"

namespace hearth::test::handoff {
namespace {

using namespace cast;

constexpr std::int64_t kDay = 86'400'000;

class PlanNetworkConsult : public HandoffTest {
protected:
  void SetUp() override {
    HandoffTest::SetUp();
    if (!IsSkipped() && !HasFatalFailure()) {
      case_id_ = rt().open_case(coordinator, "T-1");
    }
  }
  std::string with_case(const std::string &rest = "") {
    return R"({"case_id":")" + case_id_ + "\"" + (rest.empty() ? "" : "," + rest) + "}";
  }
  std::string case_id_;
};

TEST_P(PlanNetworkConsult, PlanInTheTenantsOwnWords) {
  const auto empty = rt().ok(tenant, "plan.get", with_case());
  EXPECT_TRUE(empty->isNull("what_do_you_need"));
  rt().ok(coordinator, "plan.update",
          with_case(R"("what_do_you_need":"Peace and quiet, and someone who calls back","what_can_you_offer":"I can fix bikes for the neighbours","in_words_of":"tenant","housing_wishes":{"small_scale":true,"group_living":false,"home_type":"ground floor flat","notes":"Near my sister"})"));
  const auto plan = rt().ok(tenant, "plan.get", with_case());
  EXPECT_EQ(plan->getValue<std::string>("what_do_you_need"), "Peace and quiet, and someone who calls back");
  EXPECT_EQ(plan->getValue<std::string>("what_can_you_offer"), "I can fix bikes for the neighbours");
  EXPECT_EQ(plan->getValue<std::string>("in_words_of"), "tenant");
  EXPECT_TRUE(plan->getObject("housing_wishes")->getValue<bool>("small_scale"));
  EXPECT_EQ(plan->getObject("housing_wishes")->getValue<std::string>("home_type"), "ground floor flat");
  // The tenant reads but does not write; bad input names the field.
  EXPECT_EQ(rt().call(tenant, "plan.update", with_case()).status, HEARTH_ERROR_DENIED);
  const auto missing = rt().call(coordinator, "plan.update", with_case(R"("what_can_you_offer":"x","in_words_of":"tenant")"));
  EXPECT_EQ(missing.status, HEARTH_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(missing.body.find("what_do_you_need: missing"), std::string::npos);
  const auto wishes = rt().call(coordinator, "plan.update",
                                with_case(R"("what_do_you_need":"a","what_can_you_offer":"b","in_words_of":"tenant","housing_wishes":{"small_scale":"yes"})"));
  EXPECT_EQ(wishes.status, HEARTH_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(wishes.body.find("housing_wishes.small_scale: must be true or false"), std::string::npos) << wishes.body;
  EXPECT_EQ(number("SELECT COUNT(*) FROM ch_plan"), 1);
}

TEST_P(PlanNetworkConsult, ActionsHaveAnOwnerAndADueDate) {
  const auto past = rt().call(coordinator, "plan.add_action",
                              with_case(R"("description":"Call the debt helper","owner_user":"hc-1","owner_organisation":"corp:woonstad","due_date":"2026-03-01")"));
  EXPECT_EQ(past.status, HEARTH_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(past.body.find("due_date"), std::string::npos);
  const auto bad = rt().call(coordinator, "plan.add_action",
                             with_case(R"("description":"x","owner_user":"hc-1","owner_organisation":"corp:woonstad","due_date":"2026-02-30")"));
  EXPECT_EQ(bad.status, HEARTH_ERROR_INVALID_ARGUMENT);
  const auto added = rt().ok(consultant, "plan.add_action",
                             with_case(R"("description":"Arrange a payment plan","owner_user":"hc-1","owner_organisation":"corp:woonstad","due_date":"2026-03-16")"));
  const std::string action_id = added->getValue<std::string>("action_id");
  const auto plan = rt().ok(coordinator, "plan.get", with_case());
  ASSERT_EQ(plan->getArray("actions")->size(), 1u);
  EXPECT_EQ(plan->getArray("actions")->getObject(0)->getValue<std::string>("due_date"), "2026-03-16");
  EXPECT_EQ(plan->getArray("actions")->getObject(0)->getObject("owner")->getValue<std::string>("user"), "hc-1");
  rt().ok(consultant, "plan.complete_action", R"({"action_id":")" + action_id + R"("})");
  EXPECT_EQ(rt().call(coordinator, "plan.complete_action", R"({"action_id":")" + action_id + R"("})").status,
            HEARTH_ERROR_CONFLICT);
  EXPECT_EQ(rt().call(coordinator_other, "plan.complete_action", R"({"action_id":")" + action_id + R"("})").status,
            HEARTH_ERROR_NOT_FOUND);
}

TEST_P(PlanNetworkConsult, NetworkMembersSeeWhatTheTenantAllows) {
  // The buddy for life: a neighbour without an account, recorded by relation only.
  rt().ok(coordinator, "network.add",
          with_case(R"("kind":"buddy","relation":"neighbour","consent":{"status":"given","basis":"consent","on":"2026-03-02"},"may_see":["plan"])"));
  const auto professional = rt().ok(coordinator, "network.add",
                                    with_case(R"("kind":"professional","relation":"care","user":"cp-1","organisation":"care:ggz-west","role":"care_professional","consent":{"status":"given","basis":"consent","on":"2026-03-02"},"may_see":["timeline"])"));
  const auto no_user = rt().call(coordinator, "network.add",
                                 with_case(R"("kind":"professional","relation":"care","consent":{"status":"given","basis":"consent","on":"2026-03-02"})"));
  EXPECT_EQ(no_user.status, HEARTH_ERROR_INVALID_ARGUMENT);
  const auto bad_consent = rt().call(coordinator, "network.add",
                                     with_case(R"("kind":"family","relation":"relative","consent":{"status":"maybe","basis":"consent","on":"2026-03-02"})"));
  EXPECT_EQ(bad_consent.status, HEARTH_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(bad_consent.body.find("consent.status"), std::string::npos);
  const auto twice = rt().call(coordinator, "network.add",
                               with_case(R"("kind":"professional","relation":"care","user":"cp-1","organisation":"care:ggz-west","role":"care_professional","consent":{"status":"given","basis":"consent","on":"2026-03-02"})"));
  EXPECT_EQ(twice.status, HEARTH_ERROR_CONFLICT);
  const auto members = rt().ok(tenant, "network.list", with_case())->getArray("members");
  ASSERT_EQ(members->size(), 2u);
  const unsigned buddy = members->getObject(0)->getValue<std::string>("kind") == "buddy" ? 0 : 1;
  EXPECT_TRUE(members->getObject(buddy)->getValue<bool>("buddy_for_life"));
  EXPECT_TRUE(members->getObject(buddy)->isNull("user"));
  EXPECT_EQ(members->getObject(buddy)->getObject("consent")->getValue<std::string>("status"), "given");
  EXPECT_EQ(members->getObject(1 - buddy)->getValue<std::string>("user"), "cp-1");
  // cp-1 may see the timeline, not the plan.
  EXPECT_EQ(rt().call(care_pro, "timeline.get", with_case()).status, HEARTH_OK);
  EXPECT_EQ(rt().call(care_pro, "plan.get", with_case()).status, HEARTH_ERROR_NOT_FOUND);
  const std::string member_id = professional->getValue<std::string>("member_id");
  rt().ok(coordinator, "network.update", R"({"member_id":")" + member_id + R"(","may_see":["plan","timeline"]})");
  EXPECT_EQ(rt().call(care_pro, "plan.get", with_case()).status, HEARTH_OK);
  // Without consent there is no access at all.
  rt().ok(coordinator, "network.update", R"({"member_id":")" + member_id + R"(","consent":"withdrawn"})");
  EXPECT_EQ(rt().call(care_pro, "timeline.get", with_case()).status, HEARTH_ERROR_NOT_FOUND);
  EXPECT_EQ(rt().call(coordinator, "network.update", R"({"member_id":")" + member_id + R"("})").status,
            HEARTH_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(rt().call(coordinator_other, "network.update", R"({"member_id":")" + member_id + R"(","consent":"given"})").status,
            HEARTH_ERROR_NOT_FOUND);
}

TEST_P(PlanNetworkConsult, ConsultIsAnsweredByTheDirectorysExpert) {
  const auto directory = rt().ok(coordinator, "consult.directory")->getArray("directory");
  EXPECT_EQ(directory->size(), 4u);
  EXPECT_EQ(rt().call(coordinator, "consult.request", with_case(R"("expertise":"astrology","question":"q")")).status,
            HEARTH_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(rt().call(coordinator_other, "consult.request", with_case(R"("expertise":"debts","question":"q")")).status,
            HEARTH_ERROR_NOT_FOUND);
  const auto requested = rt().ok(coordinator, "consult.request",
                                 with_case(R"("expertise":"mental-health","question":"Is a time-out home wise?")"));
  const std::string consult_id = requested->getValue<std::string>("consult_id");
  EXPECT_EQ(requested->getValue<std::int64_t>("answer_by_ms"), TestClock::start_ms() + 7 * kDay); // 5 working days
  const auto inbox = rt().ok(ggz_consultant, "consult.inbox")->getArray("consults");
  ASSERT_EQ(inbox->size(), 1u);
  EXPECT_EQ(inbox->getObject(0)->getValue<std::string>("question"), "Is a time-out home wise?");
  EXPECT_EQ(rt().call(care_pro, "consult.answer", R"({"consult_id":")" + consult_id + R"(","answer":"x"})").status,
            HEARTH_ERROR_NOT_FOUND);
  rt().ok(ggz_consultant, "consult.answer", R"({"consult_id":")" + consult_id + R"(","answer":"Yes, for two weeks"})");
  EXPECT_EQ(rt().call(ggz_consultant, "consult.answer", R"({"consult_id":")" + consult_id + R"(","answer":"again"})").status,
            HEARTH_ERROR_CONFLICT);
  const auto list = rt().ok(coordinator, "consult.list", with_case())->getArray("consults");
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ(list->getObject(0)->getValue<std::string>("answer"), "Yes, for two weeks");
  EXPECT_EQ(list->getObject(0)->getValue<std::string>("status"), "answered");
}

TEST_P(PlanNetworkConsult, MissedAnswerByDateEscalates) {
  const auto requested = rt().ok(coordinator, "consult.request",
                                 with_case(R"("expertise":"debts","question":"Can the arrears be frozen?")"));
  const std::string consult_id = requested->getValue<std::string>("consult_id");
  rt().clock().set(requested->getValue<std::int64_t>("answer_by_ms") - 1);
  EXPECT_EQ(rt().ok(system, "escalation.tick")->getValue<int>("consults_overdue"), 0);
  rt().clock().set(requested->getValue<std::int64_t>("answer_by_ms"));
  EXPECT_EQ(rt().ok(system, "escalation.tick")->getValue<int>("consults_overdue"), 1);
  EXPECT_EQ(text("SELECT status FROM ch_consult WHERE id = ?", {consult_id}), "overdue");
  EXPECT_EQ(text("SELECT escalated_to FROM ch_consult WHERE id = ?", {consult_id}), "debt-lead-1");
  EXPECT_EQ(number("SELECT level FROM ch_case WHERE id = ?", {case_id_}), 1);
  EXPECT_EQ(rt().ok(system, "escalation.tick")->getValue<int>("consults_overdue"), 0);
  // A late answer is still welcome.
  const Who debts{"debt-consult-1", "coordinator", "gemeente:0363"};
  rt().ok(debts, "consult.answer", R"({"consult_id":")" + consult_id + R"(","answer":"Yes"})");
}

HANDOFF_BACKENDS(PlanNetworkConsult);

} // namespace
} // namespace hearth::test::handoff
