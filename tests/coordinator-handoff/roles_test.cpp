// Each role's allowed and forbidden actions. The role table (config/handoff/operations.ini)
// refuses an operation a role may not use at all (HEARTH_ERROR_DENIED, audited); the policy
// service then decides per record, and a record the actor may not see answers exactly like
// a missing one (HEARTH_ERROR_NOT_FOUND, audited as a refusal).
#include <fstream>

#include "handoff_test_base.hpp"

namespace hearth::test::handoff {
namespace {

using namespace cast;

// operation -> roles, read from the repository's operations.ini.
std::map<std::string, std::set<std::string>> role_table() {
  std::map<std::string, std::set<std::string>> table;
  std::ifstream in(std::filesystem::path(HEARTH_TEST_SOURCE_DIR) / "config" / "handoff" / "operations.ini");
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == ';' || line[0] == '[') {
      continue;
    }
    const auto eq = line.find('=');
    std::string op = line.substr(0, eq);
    op.erase(op.find_last_not_of(' ') + 1);
    std::set<std::string> roles;
    std::stringstream rest(line.substr(eq + 1));
    for (std::string role; std::getline(rest, role, ',');) {
      role.erase(0, role.find_first_not_of(' '));
      role.erase(role.find_last_not_of(' ') + 1);
      if (!role.empty()) {
        roles.insert(role);
      }
    }
    table[op] = roles;
  }
  return table;
}

const std::vector<const Who *> &everyone() {
  static const std::vector<const Who *> all{&coordinator, &care_pro, &consultant, &tenant, &neighbour,
                                            &auditor,     &administrator, &system};
  return all;
}

class Roles : public HandoffTest {
protected:
  // A case on T-1 owned by coord-1 with a plan, cp-1 in the network (may see plan and
  // timeline), an open consult and an open offer; a neighbour's report on T-1.
  void SetUp() override {
    HandoffTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) {
      return;
    }
    rt().ingest("report-1", "OVE", "T-1", rt().clock().now(), "nb-1");
    rt().drain();
    case_id_ = rt().open_case(coordinator, "T-1");
    rt().ok(coordinator, "plan.update",
            R"({"case_id":")" + case_id_ +
                R"(","what_do_you_need":"Rust","what_can_you_offer":"Help in the garden","in_words_of":"tenant"})");
    rt().ok(coordinator, "network.add",
            R"({"case_id":")" + case_id_ +
                R"(","kind":"professional","relation":"care","user":"cp-1","organisation":"care:ggz-west","role":"care_professional","consent":{"status":"given","basis":"consent","on":"2026-03-01"},"may_see":["plan","timeline"]})");
    rt().ok(coordinator, "consult.request",
            R"({"case_id":")" + case_id_ + R"(","expertise":"mental-health","question":"What support fits?"})");
    rt().ok(coordinator, "handoff.offer",
            R"({"case_id":")" + case_id_ +
                R"(","to_user":"coord-2","to_organisation":"care:ggz-west","to_role":"coordinator","reason":"r"})");
    report_id_ = text("SELECT id FROM ch_report");
  }
  std::string on_case() { return R"({"case_id":")" + case_id_ + R"("})"; }
  std::int64_t refusals() { return number("SELECT COUNT(*) FROM hearth_audit_log WHERE outcome = 'denied'"); }

  std::string case_id_, report_id_;
};

TEST_P(Roles, EveryRoleOutsideTheTableIsDeniedAndAudited) {
  const auto table = role_table();
  ASSERT_GE(table.size(), 40u);
  for (const auto &[operation, roles] : table) {
    for (const Who *who : everyone()) {
      if (roles.contains(who->role)) {
        continue;
      }
      const std::int64_t before = refusals();
      const auto reply = rt().call(*who, operation, on_case());
      EXPECT_EQ(reply.status, HEARTH_ERROR_DENIED) << operation << " as " << who->role << ": " << reply.body;
      EXPECT_EQ(refusals(), before + 1) << operation << " as " << who->role;
    }
  }
}

TEST_P(Roles, TenantReadsTheirOwnCaseAndNothingElse) {
  EXPECT_EQ(rt().call(tenant, "case.get", on_case()).status, HEARTH_OK);
  EXPECT_EQ(rt().call(tenant, "plan.get", on_case()).status, HEARTH_OK);
  EXPECT_EQ(rt().call(tenant, "timeline.get", on_case()).status, HEARTH_OK);
  EXPECT_EQ(rt().call(tenant, "network.list", on_case()).status, HEARTH_OK);
  EXPECT_EQ(rt().ok(tenant, "case.list")->getArray("cases")->size(), 1u);
  EXPECT_EQ(rt().call(tenant_other, "case.get", on_case()).status, HEARTH_ERROR_NOT_FOUND);
  EXPECT_EQ(rt().call(tenant_other, "plan.get", on_case()).status, HEARTH_ERROR_NOT_FOUND);
  EXPECT_EQ(rt().ok(tenant_other, "case.list")->getArray("cases")->size(), 0u);
}

TEST_P(Roles, NeighbourFollowsOnlyTheirReport) {
  EXPECT_EQ(rt().ok(neighbour, "report.mine")->getArray("reports")->size(), 1u);
  EXPECT_EQ(rt().call(neighbour, "report.get", R"({"report_id":")" + report_id_ + R"("})").status, HEARTH_OK);
  const std::int64_t before = refusals();
  const auto other = rt().call(neighbour_other, "report.get", R"({"report_id":")" + report_id_ + R"("})");
  EXPECT_EQ(other.status, HEARTH_ERROR_NOT_FOUND);
  EXPECT_EQ(other.body, rt().call(neighbour_other, "report.get", R"({"report_id":"report-999"})").body);
  EXPECT_EQ(refusals(), before + 1);
  EXPECT_EQ(rt().ok(neighbour_other, "report.mine")->getArray("reports")->size(), 0u);
}

TEST_P(Roles, ConsultantWorksWithinTheirPortfolio) {
  EXPECT_EQ(rt().call(consultant, "case.get", on_case()).status, HEARTH_OK);
  EXPECT_EQ(rt().call(consultant, "plan.get", on_case()).status, HEARTH_OK);
  EXPECT_EQ(rt().call(consultant, "timeline.get", on_case()).status, HEARTH_OK);
  EXPECT_EQ(rt().call(consultant, "case.transition",
                      R"({"case_id":")" + case_id_ + R"(","transition":"start-triage","reason":"r"})")
                .status,
            HEARTH_ERROR_DENIED); // not the owner
  EXPECT_EQ(rt().call(consultant, "report.update", R"({"report_id":")" + report_id_ + R"(","status":"being_handled"})")
                .status,
            HEARTH_OK);
  EXPECT_EQ(rt().call(consultant_other, "case.get", on_case()).status, HEARTH_ERROR_NOT_FOUND);
  EXPECT_EQ(rt().call(consultant_other, "report.update",
                      R"({"report_id":")" + report_id_ + R"(","status":"being_handled"})")
                .status,
            HEARTH_ERROR_NOT_FOUND);
  EXPECT_EQ(rt().call(consultant, "network.add", on_case()).status, HEARTH_ERROR_DENIED);
}

TEST_P(Roles, CareProfessionalSeesWhatTheNetworkConsentAllows) {
  EXPECT_EQ(rt().call(care_pro, "case.get", on_case()).status, HEARTH_OK);
  EXPECT_EQ(rt().call(care_pro, "plan.get", on_case()).status, HEARTH_OK);
  EXPECT_EQ(rt().call(care_pro, "timeline.get", on_case()).status, HEARTH_OK);
  EXPECT_EQ(rt().call(care_pro, "network.list", on_case()).status, HEARTH_ERROR_NOT_FOUND); // not in may_see
  EXPECT_EQ(rt().call(ggz_consultant, "case.get", on_case()).status, HEARTH_ERROR_NOT_FOUND);
  EXPECT_EQ(rt().ok(ggz_consultant, "consult.inbox")->getArray("consults")->size(), 1u);
  const std::string member = text("SELECT id FROM ch_network");
  rt().ok(coordinator, "network.update", R"({"member_id":")" + member + R"(","consent":"withdrawn"})");
  EXPECT_EQ(rt().call(care_pro, "case.get", on_case()).status, HEARTH_ERROR_NOT_FOUND);
  EXPECT_EQ(rt().call(care_pro, "plan.get", on_case()).status, HEARTH_ERROR_NOT_FOUND);
}

TEST_P(Roles, CoordinatorsReachOnlyTheirCases) {
  for (const char *op : {"case.get", "plan.get", "timeline.get", "case.history", "consult.list"}) {
    EXPECT_EQ(rt().call(coordinator, op, on_case()).status, HEARTH_OK) << op;
    EXPECT_EQ(rt().call(coordinator_other, op, on_case()).status, HEARTH_ERROR_NOT_FOUND) << op;
  }
  EXPECT_EQ(rt().call(mandate_holder, "case.get", on_case()).status, HEARTH_ERROR_NOT_FOUND); // not at the top
  EXPECT_EQ(rt().ok(coordinator_other, "case.list")->getArray("cases")->size(), 0u);
  EXPECT_EQ(rt().ok(coordinator, "case.list")->getArray("cases")->size(), 1u);
}

TEST_P(Roles, OperatorsSeeCountsNotCases) {
  EXPECT_EQ(rt().call(administrator, "metrics.neighbourhood").status, HEARTH_OK);
  EXPECT_EQ(rt().call(administrator, "escalation.tick").status, HEARTH_OK);
  EXPECT_EQ(rt().call(system, "escalation.tick").status, HEARTH_OK);
  EXPECT_EQ(rt().call(administrator, "case.get", on_case()).status, HEARTH_ERROR_DENIED);
  EXPECT_EQ(rt().call(auditor, "metrics.neighbourhood").status, HEARTH_ERROR_DENIED);
  EXPECT_EQ(rt().call(system, "case.open", R"({"tenancy_id":"T-2"})").status, HEARTH_ERROR_DENIED);
}

TEST_P(Roles, AnActorWithoutARequiredFieldIsRefused) {
  Who nobody{"", "coordinator", "gemeente:0363"};
  const auto reply = rt().call(nobody, "case.get", on_case());
  EXPECT_EQ(reply.status, HEARTH_ERROR_INVALID_ARGUMENT) << reply.body;
}

HANDOFF_BACKENDS(Roles);

} // namespace
} // namespace hearth::test::handoff
