// The housing consultant's pages end to end: the portfolio's flags by level and age, a
// flag's explanation and history, and accept / override / dismiss with a reason through
// POST forms, each recorded by the early-warning plugin.
#include <regex>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "dashboard_fixture.hpp"

namespace hearth::test::dashboards {
namespace {

Poco::JSON::Object::Ptr explain(DashboardRuntime &runtime, const std::string &id) {
  const auto [status, answer] = runtime.call("housing_consultant", kConsultant, "nl.hearth.early-warning",
                                             "flag.explain", R"({"flag_id":")" + id + R"("})");
  EXPECT_EQ(status, HEARTH_OK) << answer;
  return Poco::JSON::Parser().parse(answer).extract<Poco::JSON::Object::Ptr>();
}

int rank(const std::string &level) { return level == "red" ? 3 : level == "amber" ? 2 : level == "green" ? 1 : 0; }

TEST(DashboardConsultant, TheFlagListShowsThePortfolioByLevelThenAge) {
  DashboardRuntime runtime;
  const auto expected = portfolio_flags(runtime, kConsultant);
  Browser browser(runtime.port());
  browser.sign_in_as("housing_consultant");
  const Page page = browser.get("/dashboard/consultant?status=proposed&min_level=green");
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_NE(page.body.find("<h1>Signalen in mijn portefeuille</h1>"), std::string::npos);
  EXPECT_NE(page.body.find("<caption>"), std::string::npos);
  EXPECT_NE(page.body.find("<th scope=\"col\">"), std::string::npos);
  const std::regex row("data-test=\"flag-row\" data-flag=\"([^\"]+)\"><td><span class=\"level level-([a-z]+)\"");
  std::vector<std::string> shown;
  std::vector<std::string> levels;
  for (auto it = std::sregex_iterator(page.body.begin(), page.body.end(), row); it != std::sregex_iterator(); ++it) {
    shown.push_back((*it)[1]);
    levels.push_back((*it)[2]);
  }
  ASSERT_FALSE(shown.empty());
  EXPECT_EQ(shown.size(), expected.size());
  for (std::size_t i = 1; i < levels.size(); ++i) {
    EXPECT_GE(rank(levels[i - 1]), rank(levels[i])) << i;
  }
  for (const auto &id : shown) {
    EXPECT_NE(std::find(expected.begin(), expected.end(), id), expected.end()) << id;
  }
  // Only the consultant's own portfolio: nothing of another consultant's.
  for (const auto &id : portfolio_flags(runtime, kOtherConsultant)) {
    EXPECT_EQ(page.body.find(id), std::string::npos) << id;
  }
}

TEST(DashboardConsultant, AFlagPageExplainsAndShowsTheSignalsAndADecisionForm) {
  DashboardRuntime runtime;
  const auto flags = portfolio_flags(runtime, kConsultant);
  ASSERT_FALSE(flags.empty());
  Browser browser(runtime.port());
  browser.sign_in_as("housing_consultant");
  const Page page = browser.get("/dashboard/consultant/flag?id=" + flags[0]);
  ASSERT_EQ(page.status, 200) << page.body;
  const auto flag = explain(runtime, flags[0]);
  const auto lines = flag->getObject("explanation")->getArray("lines");
  ASSERT_GT(lines->size(), 0u);
  EXPECT_NE(page.body.find("data-test=\"explanation\""), std::string::npos);
  EXPECT_NE(page.body.find("data-test=\"signal-table\""), std::string::npos);
  EXPECT_NE(page.body.find("data-test=\"decision-form\""), std::string::npos);
  EXPECT_NE(page.body.find("name=\"reason\""), std::string::npos);
  EXPECT_NE(page.body.find("<label for=\"reason\">"), std::string::npos);
  EXPECT_NE(page.body.find(flag->getValue<std::string>("tenancy_id")), std::string::npos);
  // English on request; the switch comes back to this very page.
  EXPECT_NE(page.body.find("name=\"next\" value=\"/dashboard/consultant/flag?id=" + flags[0] + "\""), std::string::npos);
  const std::string csrf = Browser::csrf_of(page);
  const Page switched = browser.post("/dashboard/lang", {{"csrf", csrf}, {"lang", "en"}, {"next", "/dashboard/consultant"}});
  EXPECT_EQ(switched.status, 303);
  EXPECT_EQ(switched.header("Location"), "/dashboard/consultant");
  const Page english = browser.get("/dashboard/consultant/flag?id=" + flags[0]);
  EXPECT_NE(english.body.find("<html lang=\"en\">"), std::string::npos);
  EXPECT_NE(english.body.find("Record the decision"), std::string::npos);
}

TEST(DashboardConsultant, AcceptOverrideAndDismissAreRecordedWithTheirReasons) {
  DashboardRuntime runtime;
  const auto flags = portfolio_flags(runtime, kConsultant);
  ASSERT_GE(flags.size(), 3u);
  Browser browser(runtime.port());
  browser.sign_in_as("housing_consultant");
  const std::string own_level = explain(runtime, flags[1])->getValue<std::string>("level");
  const std::string other_level = own_level == "red" ? "green" : "red";
  struct Case {
    std::string id, decision, level, status;
  };
  const std::vector<Case> cases = {{flags[0], "accept", "", "accepted"},
                                   {flags[1], "override", other_level, "overridden"},
                                   {flags[2], "dismiss", "", "dismissed"}};
  for (const auto &c : cases) {
    std::vector<std::pair<std::string, std::string>> form = {
        {"csrf", browser.csrf()}, {"flag_id", c.id}, {"decision", c.decision}, {"reason", "reason for " + c.decision}};
    form.emplace_back("level", c.level.empty() ? "amber" : c.level); // the form always sends a level
    const Page done = browser.post("/dashboard/consultant/decide", form);
    ASSERT_EQ(done.status, 303) << c.decision << ": " << done.body;
    EXPECT_EQ(done.header("Location"), "/dashboard/consultant/flag?id=" + c.id);
    const auto flag = explain(runtime, c.id);
    EXPECT_EQ(flag->getValue<std::string>("status"), c.status);
    const auto decision = flag->getObject("decision");
    EXPECT_EQ(decision->getValue<std::string>("reason"), "reason for " + c.decision);
    EXPECT_EQ(decision->getValue<std::string>("by"), kConsultant);
    if (!c.level.empty()) {
      EXPECT_EQ(decision->getValue<std::string>("level"), c.level);
    }
    const Page page = browser.get(done.header("Location"));
    EXPECT_NE(page.body.find("data-test=\"decision-reason\">reason for " + c.decision), std::string::npos);
    EXPECT_EQ(page.body.find("data-test=\"decision-form\""), std::string::npos);
  }
  // A second decision is refused and changes nothing.
  const Page again = browser.post("/dashboard/consultant/decide", {{"csrf", browser.csrf()},
                                                                  {"flag_id", flags[0]},
                                                                  {"decision", "dismiss"},
                                                                  {"reason", "again"}});
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(explain(runtime, flags[0])->getValue<std::string>("status"), "accepted");
}

TEST(DashboardConsultant, ADecisionWithoutAReasonIsRefusedNamingTheField) {
  DashboardRuntime runtime;
  const auto flags = portfolio_flags(runtime, kConsultant);
  ASSERT_FALSE(flags.empty());
  Browser browser(runtime.port());
  browser.sign_in_as("housing_consultant");
  const Page page = browser.post("/dashboard/consultant/decide",
                                 {{"csrf", browser.csrf()}, {"flag_id", flags[0]}, {"decision", "accept"}, {"reason", "  "}});
  EXPECT_EQ(page.status, 400);
  // The field as the form names it, the reason in the page's language (Dutch by default).
  EXPECT_NE(page.body.find("reason: is leeg: elke beslissing over een signaal heeft een reden nodig"), std::string::npos)
      << page.body;
  const Page bad_choice = browser.post("/dashboard/consultant/decide",
                                       {{"csrf", browser.csrf()}, {"flag_id", flags[0]}, {"decision", "maybe"}, {"reason", "x"}});
  EXPECT_EQ(bad_choice.status, 400);
  EXPECT_NE(bad_choice.body.find("decision: &#39;maybe&#39; is niet een van: accept, override, dismiss"), std::string::npos)
      << bad_choice.body;
  EXPECT_EQ(explain(runtime, flags[0])->getValue<std::string>("status"), "proposed");
}

} // namespace
} // namespace hearth::test::dashboards

namespace hearth::test::dashboards {
namespace {

// The tenancy of a flag, as its consultant sees it.
std::string tenancy_of(DashboardRuntime &runtime, const std::string &flag_id) {
  const auto [status, answer] = runtime.call("housing_consultant", kConsultant, "nl.hearth.early-warning",
                                             "flag.explain", R"({"flag_id":")" + flag_id + R"("})");
  EXPECT_EQ(status, HEARTH_OK) << answer;
  return Poco::JSON::Parser().parse(answer).extract<Poco::JSON::Object::Ptr>()->getValue<std::string>("tenancy_id");
}

TEST(DashboardScope, ATokenForOneTenancyShowsThatTenancyOnly) {
  DashboardRuntime runtime(RuntimeOptions{"production", "", ""});
  const auto flags = portfolio_flags(runtime, kConsultant);
  ASSERT_GE(flags.size(), 2u);
  const std::string inside = tenancy_of(runtime, flags[0]);
  std::string outside_flag;
  for (const auto &id : flags) {
    if (tenancy_of(runtime, id) != inside) {
      outside_flag = id;
      break;
    }
  }
  ASSERT_FALSE(outside_flag.empty());
  const std::string outside = tenancy_of(runtime, outside_flag);
  const std::string token = crm_token(runtime.now(), 600, kConsultant, "housing_consultant", "tenancy:" + inside);

  Browser browser(runtime.port());
  ASSERT_EQ(browser.post("/dashboard/session", {{"token", token}}).status, 303);
  EXPECT_EQ(browser.get("/dashboard/consultant/flag?id=" + flags[0]).status, 200);
  const Page out_of_scope = browser.get("/dashboard/consultant/flag?id=" + outside_flag);
  EXPECT_EQ(out_of_scope.status, 404);
  EXPECT_EQ(out_of_scope.body, browser.get("/dashboard/consultant/flag?id=no-such-flag").body);
  const Page list = browser.get("/dashboard/consultant?min_level=green");
  EXPECT_NE(list.body.find(">" + inside + "<"), std::string::npos);
  EXPECT_EQ(list.body.find(">" + outside + "<"), std::string::npos);
  const Page decided = browser.post("/dashboard/consultant/decide", {{"csrf", Browser::csrf_of(list)},
                                                                    {"flag_id", outside_flag},
                                                                    {"decision", "dismiss"},
                                                                    {"reason", "out of scope"}});
  EXPECT_EQ(decided.status, 404);
  EXPECT_EQ(explain(runtime, outside_flag)->getValue<std::string>("status"), "proposed");
  EXPECT_EQ(browser.get("/widgets/risk-badge.json?tenancy=" + outside).status, 404);
  EXPECT_EQ(browser.get("/widgets/risk-badge.json?tenancy=" + inside).status, 200);

  // The same token as a bearer on the badge is limited the same way.
  Browser crm(runtime.port());
  EXPECT_EQ(crm.get("/widgets/risk-badge.json?tenancy=" + outside, {{"Authorization", "Bearer " + token}}).status, 404);
  EXPECT_EQ(crm.get("/widgets/risk-badge.json?tenancy=" + inside, {{"Authorization", "Bearer " + token}}).status, 200);
}

} // namespace
} // namespace hearth::test::dashboards
