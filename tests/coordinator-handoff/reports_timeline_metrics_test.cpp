// Everyone heard, nobody exposed: a neighbour's report status that never reveals the
// tenant's situation, one timeline per case whose entries each role sees only as the policy
// allows, and the neighbourhood metrics (the pass-the-buck picture).
#include "handoff_test_base.hpp"

namespace hearth::test::handoff {
namespace {

using namespace cast;

constexpr std::int64_t kDay = 86'400'000;

class ReportsTimelineMetrics : public HandoffTest {};

TEST_P(ReportsTimelineMetrics, AReferenceThatCarriesTheTenancyIdIsNeverShownToTheNeighbour) {
  rt().ingest("T-1-melding-0003", "OVE", "T-1", rt().clock().now(), "nb-1");
  rt().drain();
  const auto reports = rt().ok(neighbour, "report.mine")->getArray("reports");
  ASSERT_EQ(reports->size(), 1u);
  const std::string reference = reports->getObject(0)->getValue<std::string>("your_reference");
  EXPECT_EQ(reference.find("T-1"), std::string::npos) << reference;
  EXPECT_EQ(reference.rfind("ref-", 0), 0u) << reference;
  EXPECT_EQ(reference.size(), 16u) << reference;
  // Stable: the same report shows the same reference again.
  EXPECT_EQ(rt().ok(neighbour, "report.mine")->getArray("reports")->getObject(0)->getValue<std::string>("your_reference"),
            reference);
}

TEST_P(ReportsTimelineMetrics, NeighbourHearsAboutTheirReportOnly) {
  rt().ingest("sig-77", "OVE", "T-1", rt().clock().now(), "nb-1");
  rt().ingest("sig-78", "SCH", "T-1", rt().clock().now(), "nb-1"); // not a report type
  rt().drain();
  auto reports = rt().ok(neighbour, "report.mine")->getArray("reports");
  ASSERT_EQ(reports->size(), 1u);
  auto report = reports->getObject(0);
  EXPECT_EQ(report->getValue<std::string>("status"), "received");
  EXPECT_EQ(report->getValue<std::string>("your_reference"), "sig-77");
  EXPECT_EQ(report->getValue<std::string>("received_on"), "2026-03-02");
  EXPECT_EQ(report->getValue<std::string>("next_update_by"), "2026-03-16"); // ten working days
  // Exactly these fields: nothing about the tenant, the tenancy or a case.
  std::vector<std::string> names;
  report->getNames(names);
  EXPECT_EQ(std::set<std::string>(names.begin(), names.end()),
            (std::set<std::string>{"report_id", "your_reference", "status", "message", "received_on",
                                   "next_update_by", "closed_on"}));
  const std::string report_id = report->getValue<std::string>("report_id");
  // A case is opened: the report is being handled; still nothing about the case.
  const std::string case_id = rt().open_case(coordinator, "T-1");
  const std::string seen = rt().call(neighbour, "report.get", R"({"report_id":")" + report_id + R"("})").body;
  EXPECT_NE(seen.find("being_handled"), std::string::npos) << seen;
  EXPECT_EQ(seen.find(case_id), std::string::npos);
  EXPECT_EQ(seen.find("T-1"), std::string::npos);
  EXPECT_EQ(seen.find("coord-1"), std::string::npos);
  // The consultant promises the next update; bad dates are refused.
  EXPECT_EQ(rt().call(consultant, "report.update",
                      R"({"report_id":")" + report_id + R"(","status":"being_handled","next_update_by":"2026-01-01"})")
                .status,
            HEARTH_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(rt().call(consultant, "report.update", R"({"report_id":")" + report_id + R"(","status":"lost"})").status,
            HEARTH_ERROR_INVALID_ARGUMENT);
  rt().ok(consultant, "report.update",
          R"({"report_id":")" + report_id + R"(","status":"being_handled","next_update_by":"2026-03-09"})");
  EXPECT_EQ(rt().ok(neighbour, "report.get", R"({"report_id":")" + report_id + R"("})")->getValue<std::string>("next_update_by"),
            "2026-03-09");
  // Closing the case closes the report.
  rt().ok(coordinator, "case.transition", R"({"case_id":")" + case_id + R"(","transition":"close","reason":"resolved"})");
  report = rt().ok(neighbour, "report.get", R"({"report_id":")" + report_id + R"("})");
  EXPECT_EQ(report->getValue<std::string>("status"), "closed");
  EXPECT_TRUE(report->isNull("next_update_by"));
  EXPECT_EQ(report->getValue<std::string>("closed_on"), "2026-03-02");
  // Every read is audited.
  std::size_t reads = 0;
  for (const auto &row : audit_rows(db(), "report:" + report_id)) {
    reads += row.event == "read" && row.user == "nb-1";
  }
  EXPECT_GE(reads, 4u);
}

TEST_P(ReportsTimelineMetrics, OneTimelineWithEntriesPerRole) {
  const std::string id = rt().open_case(coordinator, "T-1");
  rt().ok(coordinator, "case.set_care_basis", R"({"case_id":")" + id + R"(","care_basis":"consent","reason":"signed"})");
  rt().ok(coordinator, "network.add",
          R"({"case_id":")" + id +
              R"(","kind":"professional","relation":"care","user":"cp-1","organisation":"care:ggz-west","role":"care_professional","consent":{"status":"given","basis":"consent","on":"2026-03-02"},"may_see":["timeline"]})");
  rt().ok(care_pro, "timeline.add_note", R"({"case_id":")" + id + R"(","data_class":"care","text":"Missed two depot injections"})");
  rt().ok(consultant, "timeline.add_note", R"({"case_id":")" + id + R"(","data_class":"nuisance","text":"Loud music at night"})");
  // A coordinator reads care data but may not record it (policy.ini); a consultant never
  // writes care data.
  EXPECT_EQ(rt().call(coordinator, "timeline.add_note", R"({"case_id":")" + id + R"(","data_class":"care","text":"x"})").status,
            HEARTH_ERROR_DENIED);
  EXPECT_EQ(rt().call(consultant, "timeline.add_note", R"({"case_id":")" + id + R"(","data_class":"care","text":"x"})").status,
            HEARTH_ERROR_DENIED);
  const auto kinds_and_classes = [&](const Who &who) {
    std::set<std::string> classes;
    const auto entries = rt().ok(who, "timeline.get", R"({"case_id":")" + id + R"("})")->getArray("entries");
    for (unsigned i = 0; i < entries->size(); ++i) {
      classes.insert(entries->getObject(i)->getValue<std::string>("data_class"));
    }
    return classes;
  };
  EXPECT_TRUE(kinds_and_classes(coordinator).contains("care"));
  EXPECT_TRUE(kinds_and_classes(care_pro).contains("care"));
  EXPECT_FALSE(kinds_and_classes(care_pro).empty());
  EXPECT_FALSE(kinds_and_classes(tenant).contains("care"));   // from their care provider instead
  EXPECT_TRUE(kinds_and_classes(tenant).contains("nuisance"));
  EXPECT_FALSE(kinds_and_classes(consultant).contains("care"));
  // Withdrawn basis: care entries disappear for everyone.
  rt().ok(coordinator, "case.set_care_basis", R"({"case_id":")" + id + R"(","care_basis":"none","reason":"withdrawn"})");
  EXPECT_FALSE(kinds_and_classes(coordinator).contains("care"));
  EXPECT_FALSE(kinds_and_classes(care_pro).contains("care"));
}

TEST_P(ReportsTimelineMetrics, NeighbourhoodMetricsShowThePassTheBuckPicture) {
  const std::string a = rt().open_case(coordinator, "T-1");
  const std::string b = rt().open_case(coordinator, "T-2");
  rt().open_case(coordinator_care, "T-3");
  rt().open_case(coordinator, "T-5"); // another neighbourhood
  const auto offer = [&](const std::string &id) {
    return rt().ok(coordinator, "handoff.offer",
                   R"({"case_id":")" + id +
                       R"(","to_user":"coord-3","to_organisation":"gemeente:0363","to_role":"coordinator","reason":"r"})")
        ->getValue<std::string>("offer_id");
  };
  const std::string declined = offer(a);
  rt().ok(coordinator_other, "handoff.decline", R"({"offer_id":")" + declined + R"(","reason":"full"})");
  const std::string accepted = offer(a);
  rt().clock().advance_days(2);
  rt().ok(coordinator_other, "handoff.accept", R"({"offer_id":")" + accepted + R"("})");
  offer(b); // still waiting
  rt().clock().advance_days(14);
  const auto all = rt().ok(administrator, "metrics.neighbourhood")->getArray("neighbourhoods");
  ASSERT_EQ(all->size(), 2u);
  const auto m = all->getObject(0);
  EXPECT_EQ(m->getValue<std::string>("neighbourhood_code"), "BU03630402");
  EXPECT_EQ(m->getValue<int>("open_cases"), 3);
  EXPECT_EQ(m->getObject("cases_per_owner")->getValue<int>("owners"), 3);
  EXPECT_EQ(m->getObject("cases_per_owner")->getValue<int>("max"), 1);
  EXPECT_DOUBLE_EQ(m->getValue<double>("handoffs_per_open_case"), 0.3);
  EXPECT_EQ(m->getValue<int>("declined_offers"), 1);
  const auto waiting = m->getObject("days_waiting_for_acceptance");
  EXPECT_DOUBLE_EQ(waiting->getValue<double>("mean_days"), 2.0);
  EXPECT_EQ(waiting->getValue<int>("pending_offers"), 1);
  EXPECT_DOUBLE_EQ(waiting->getValue<double>("longest_pending_days"), 14.0);
  // Sixteen days in: the last progress was at most two days in for all three cases, so
  // 14 calendar days (handoff.ini [cases] stalled_after_calendar_days) have passed for each.
  EXPECT_EQ(m->getValue<int>("stalled_cases"), 3);
  const auto one = rt().ok(coordinator, "metrics.neighbourhood", R"({"neighbourhood_code":"BU03630403"})");
  ASSERT_EQ(one->getArray("neighbourhoods")->size(), 1u);
  EXPECT_EQ(one->getArray("neighbourhoods")->getObject(0)->getValue<int>("open_cases"), 1);
  const std::string text_of_metrics = rt().call(administrator, "metrics.neighbourhood").body;
  EXPECT_EQ(text_of_metrics.find("coord-1"), std::string::npos); // counts, not people
  EXPECT_EQ(text_of_metrics.find("T-1"), std::string::npos);
}

HANDOFF_BACKENDS(ReportsTimelineMetrics);

} // namespace
} // namespace hearth::test::handoff
