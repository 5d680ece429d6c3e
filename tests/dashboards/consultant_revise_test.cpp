// The consultant's flag page after a decision: every decision on the flag (who and in
// which role, when, what, the level, why) and the form that revises the latest one
// (POST /dashboard/consultant/revise), its anti-forgery check, and a stale decision
// number (someone revised the flag meanwhile) answered 409 naming the field `revises`.
#include <regex>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "dashboard_fixture.hpp"

namespace hearth::test::dashboards {
namespace {

constexpr const char *kEarlyWarning = "nl.hearth.early-warning";

Poco::JSON::Object::Ptr explained(DashboardRuntime &runtime, const std::string &id) {
  const auto [status, answer] =
      runtime.call("housing_consultant", kConsultant, kEarlyWarning, "flag.explain", R"({"flag_id":")" + id + R"("})");
  EXPECT_EQ(status, HEARTH_OK) << answer;
  return Poco::JSON::Parser().parse(answer).extract<Poco::JSON::Object::Ptr>();
}

std::size_t count_of(const std::string &text, const std::string &what) {
  std::size_t count = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) {
    ++count;
  }
  return count;
}

// The value of the hidden field `name` in the form with data-test `form`, or "".
std::string hidden_value(const Page &page, const std::string &form, const std::string &name) {
  const auto start = page.body.find("data-test=\"" + form + "\"");
  if (start == std::string::npos) {
    return {};
  }
  const auto end = page.body.find("</form>", start);
  const std::string html = page.body.substr(start, end - start);
  std::smatch match;
  if (!std::regex_search(html, match, std::regex("name=\"" + name + "\" value=\"([^\"]*)\""))) {
    return {};
  }
  return match[1];
}

// Signs in as the demo consultant and accepts `id` through the decision form.
void accept_through_the_page(Browser &browser, const std::string &id) {
  const Page done = browser.post("/dashboard/consultant/decide", {{"csrf", browser.csrf()},
                                                                  {"flag_id", id},
                                                                  {"decision", "accept"},
                                                                  {"reason", "Besproken met de huurder"},
                                                                  {"level", "amber"}});
  ASSERT_EQ(done.status, 303) << done.body;
}

TEST(DashboardConsultantRevise, ADecidedFlagShowsItsHistoryAndARevisionForm) {
  DashboardRuntime runtime;
  const auto flags = portfolio_flags(runtime, kConsultant);
  ASSERT_FALSE(flags.empty());
  Browser browser(runtime.port());
  browser.sign_in_as("housing_consultant");
  const std::string path = "/dashboard/consultant/flag?id=" + flags[0];
  const Page before = browser.get(path);
  EXPECT_EQ(before.body.find("data-test=\"decision-history\""), std::string::npos) << "no decision yet";
  EXPECT_EQ(before.body.find("data-test=\"revise-form\""), std::string::npos);
  accept_through_the_page(browser, flags[0]);

  const Page decided = browser.get(path);
  ASSERT_EQ(decided.status, 200) << decided.body;
  EXPECT_EQ(decided.body.find("data-test=\"decision-form\""), std::string::npos);
  EXPECT_EQ(count_of(decided.body, "data-test=\"decision-history-row\""), 1u);
  EXPECT_NE(decided.body.find("data-test=\"decision-history-reason\">Besproken met de huurder<"), std::string::npos);
  EXPECT_NE(decided.body.find("consultant-01 (Woonconsulent)"), std::string::npos) << decided.body;
  EXPECT_NE(decided.body.find("<caption>Besluiten over dit signaal, oudste eerst</caption>"), std::string::npos);
  // The revision form: POST, the anti-forgery token, the number of the decision it revises.
  EXPECT_NE(decided.body.find("<form method=\"post\" action=\"/dashboard/consultant/revise\" data-test=\"revise-form\">"),
            std::string::npos);
  EXPECT_FALSE(hidden_value(decided, "revise-form", "csrf").empty());
  EXPECT_EQ(hidden_value(decided, "revise-form", "revises"), "1");
  EXPECT_EQ(hidden_value(decided, "revise-form", "flag_id"), flags[0]);
  EXPECT_NE(decided.body.find("<label for=\"revise-reason\">"), std::string::npos);
  EXPECT_NE(decided.body.find(">Besluit herzien</button>"), std::string::npos);

  // Revise: dismissed, with its own reason; the history keeps both, oldest first.
  const Page revised = browser.post("/dashboard/consultant/revise", {{"csrf", Browser::csrf_of(decided)},
                                                                     {"flag_id", flags[0]},
                                                                     {"revises", "1"},
                                                                     {"decision", "dismiss"},
                                                                     {"reason", "Huurachterstand is betaald"},
                                                                     {"level", "amber"}});
  ASSERT_EQ(revised.status, 303) << revised.body;
  EXPECT_EQ(revised.header("Location"), path);
  const auto flag = explained(runtime, flags[0]);
  EXPECT_EQ(flag->getValue<std::string>("status"), "dismissed");
  const auto decisions = flag->getArray("decisions");
  ASSERT_EQ(decisions->size(), 2u);
  EXPECT_EQ(decisions->getObject(1)->getValue<std::string>("reason"), "Huurachterstand is betaald");
  EXPECT_EQ(decisions->getObject(1)->getValue<std::string>("by"), kConsultant);

  const Page after = browser.get(path);
  EXPECT_EQ(count_of(after.body, "data-test=\"decision-history-row\""), 2u);
  const auto first = after.body.find("data-test=\"decision-history-reason\">Besproken met de huurder<");
  const auto second = after.body.find("data-test=\"decision-history-reason\">Huurachterstand is betaald<");
  ASSERT_NE(first, std::string::npos);
  ASSERT_NE(second, std::string::npos);
  EXPECT_LT(first, second) << "oldest first";
  EXPECT_NE(after.body.find("data-test=\"decision-history-status\">afgewezen<"), std::string::npos) << after.body;
  EXPECT_EQ(hidden_value(after, "revise-form", "revises"), "2");

  // In English.
  ASSERT_EQ(browser.post("/dashboard/lang", {{"csrf", Browser::csrf_of(after)}, {"lang", "en"}, {"next", path}}).status,
            303);
  const Page english = browser.get(path);
  EXPECT_NE(english.body.find("<caption>Decisions on this flag, oldest first</caption>"), std::string::npos);
  EXPECT_NE(english.body.find("consultant-01 (Housing consultant)"), std::string::npos) << english.body;
  EXPECT_NE(english.body.find(">Revise the decision</button>"), std::string::npos);
}

TEST(DashboardConsultantRevise, AStaleDecisionNumberAnswers409NamingTheFieldAndChangesNothing) {
  DashboardRuntime runtime;
  const auto flags = portfolio_flags(runtime, kConsultant);
  ASSERT_FALSE(flags.empty());
  Browser browser(runtime.port());
  browser.sign_in_as("housing_consultant");
  accept_through_the_page(browser, flags[0]);
  const Page read = browser.get("/dashboard/consultant/flag?id=" + flags[0]);
  ASSERT_EQ(hidden_value(read, "revise-form", "revises"), "1");
  // Meanwhile someone else (the same consultant, elsewhere) revises the flag.
  const auto [status, answer] =
      runtime.call("housing_consultant", kConsultant, kEarlyWarning, "flag.revise",
                   R"({"flag_id":")" + flags[0] + R"(","decision":"dismiss","reason":"elsewhere","revises":1})");
  ASSERT_EQ(status, HEARTH_OK) << answer;

  const std::vector<std::pair<std::string, std::string>> stale = {{"csrf", Browser::csrf_of(read)},
                                                                  {"flag_id", flags[0]},
                                                                  {"revises", "1"},
                                                                  {"decision", "accept"},
                                                                  {"reason", "from the old page"}};
  const Page conflict = browser.post("/dashboard/consultant/revise", stale);
  EXPECT_EQ(conflict.status, 409) << conflict.body;
  EXPECT_NE(conflict.body.find("<h1>Besluit intussen gewijzigd</h1>"), std::string::npos) << conflict.body;
  EXPECT_NE(conflict.body.find("data-test=\"error\">revises: besluit 1 is niet het laatste; het laatste is 2 (iemand "
                               "was u voor; laad de pagina opnieuw)</p>"),
            std::string::npos)
      << conflict.body;
  const auto flag = explained(runtime, flags[0]);
  EXPECT_EQ(flag->getValue<std::string>("status"), "dismissed");
  EXPECT_EQ(flag->getArray("decisions")->size(), 2u);

  // In English the same, the field named.
  ASSERT_EQ(browser.post("/dashboard/lang", {{"csrf", Browser::csrf_of(read)}, {"lang", "en"}, {"next", "/dashboard"}})
                .status,
            303);
  const Page english = browser.post("/dashboard/consultant/revise", stale);
  EXPECT_EQ(english.status, 409);
  EXPECT_NE(english.body.find("data-test=\"error\">revises: decision 1 is not its latest; the latest is 2</p>"),
            std::string::npos)
      << english.body;

  // A flag nobody decided on yet has nothing to revise: 409 as well, the field named.
  ASSERT_GE(flags.size(), 2u);
  const Page undecided = browser.post("/dashboard/consultant/revise", {{"csrf", Browser::csrf_of(read)},
                                                                       {"flag_id", flags[1]},
                                                                       {"revises", "1"},
                                                                       {"decision", "dismiss"},
                                                                       {"reason", "x"}});
  EXPECT_EQ(undecided.status, 409) << undecided.body;
  EXPECT_NE(undecided.body.find("revises: "), std::string::npos) << undecided.body;
  EXPECT_EQ(explained(runtime, flags[1])->getValue<std::string>("status"), "proposed");
}

TEST(DashboardConsultantRevise, BadRevisionInputIsRefusedNamingTheField) {
  DashboardRuntime runtime;
  const auto flags = portfolio_flags(runtime, kConsultant);
  ASSERT_FALSE(flags.empty());
  Browser browser(runtime.port());
  browser.sign_in_as("housing_consultant");
  accept_through_the_page(browser, flags[0]);
  const std::string csrf = browser.csrf();
  struct Case {
    std::string revises, decision, reason, expected;
  };
  const std::vector<Case> cases = {
      {"one", "dismiss", "x", "revises: is geen geheel getal"},
      {"0", "dismiss", "x", "revises: 0 ligt niet tussen 1 en 1000000"},
      {"", "dismiss", "x", "revises: ontbreekt: het nummer van het besluit dat u herziet"},
      {"1", "dismiss", " ", "reason: is leeg: elke herziening van een besluit heeft een reden nodig"},
      {"1", "accept", "x", "decision: dit is al het huidige besluit over het signaal"},
      {"1", "maybe", "x", "decision: &#39;maybe&#39; is niet een van: accept, override, dismiss"},
  };
  for (const auto &c : cases) {
    const Page page = browser.post("/dashboard/consultant/revise", {{"csrf", csrf},
                                                                    {"flag_id", flags[0]},
                                                                    {"revises", c.revises},
                                                                    {"decision", c.decision},
                                                                    {"reason", c.reason}});
    EXPECT_EQ(page.status, 400) << c.revises << "/" << c.decision << ": " << page.body;
    EXPECT_NE(page.body.find(c.expected), std::string::npos) << c.expected << " in " << page.body;
  }
  const auto flag = explained(runtime, flags[0]);
  EXPECT_EQ(flag->getValue<std::string>("status"), "accepted");
  EXPECT_EQ(flag->getArray("decisions")->size(), 1u);
  // An unknown flag and one of another consultant's portfolio answer the same 404.
  const auto others = portfolio_flags(runtime, kOtherConsultant);
  ASSERT_FALSE(others.empty());
  const Page missing = browser.post("/dashboard/consultant/revise", {{"csrf", csrf},
                                                                     {"flag_id", "no-such-flag"},
                                                                     {"revises", "1"},
                                                                     {"decision", "dismiss"},
                                                                     {"reason", "x"}});
  const Page foreign = browser.post("/dashboard/consultant/revise", {{"csrf", csrf},
                                                                     {"flag_id", others[0]},
                                                                     {"revises", "1"},
                                                                     {"decision", "dismiss"},
                                                                     {"reason", "x"}});
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(foreign.status, 404);
  EXPECT_EQ(missing.body, foreign.body);
}

TEST(DashboardConsultantRevise, AForgedRevisionIsRefusedAndAGetChangesNothing) {
  DashboardRuntime runtime;
  const auto flags = portfolio_flags(runtime, kConsultant);
  ASSERT_FALSE(flags.empty());
  Browser browser(runtime.port());
  browser.sign_in_as("housing_consultant");
  accept_through_the_page(browser, flags[0]);
  const std::vector<std::pair<std::string, std::string>> revision = {
      {"flag_id", flags[0]}, {"revises", "1"}, {"decision", "dismiss"}, {"reason", "forged"}};
  const Page without = browser.post("/dashboard/consultant/revise", revision);
  EXPECT_EQ(without.status, 403) << without.body;
  EXPECT_NE(without.body.find("controle op vervalsing"), std::string::npos) << without.body;
  auto wrong = revision;
  wrong.emplace_back("csrf", std::string(64, '0'));
  EXPECT_EQ(browser.post("/dashboard/consultant/revise", wrong).status, 403);
  Browser other(runtime.port());
  other.sign_in_as("housing_consultant");
  auto foreign = revision;
  foreign.emplace_back("csrf", other.csrf());
  EXPECT_EQ(browser.post("/dashboard/consultant/revise", foreign).status, 403);
  // A form posted from another site: no session cookie, no token.
  Browser stranger(runtime.port());
  EXPECT_EQ(stranger.post("/dashboard/consultant/revise", revision).status, 403);
  // GET never changes state: the route is POST only.
  const std::string csrf = browser.csrf();
  EXPECT_EQ(browser
                .get("/dashboard/consultant/revise?flag_id=" + flags[0] +
                     "&revises=1&decision=dismiss&reason=by+link&csrf=" + csrf)
                .status,
            404);
  const auto flag = explained(runtime, flags[0]);
  EXPECT_EQ(flag->getValue<std::string>("status"), "accepted");
  EXPECT_EQ(flag->getArray("decisions")->size(), 1u);
}

} // namespace
} // namespace hearth::test::dashboards
