// The risk badge's remembered bytes: what a flag shows (its reason line and the HTML after
// the level) is kept per flag and language, but every badge is still looked up and decided
// per request — the level and status come from the lookup each time, each flag links its
// own page, each language has its own text, and the HTML badge carries its headers.
#include <chrono>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "dashboard_fixture.hpp"

namespace hearth::test::dashboards {
namespace {

// Flagged tenancies of the consultant's portfolio and their flag ids (flags.portfolio).
std::vector<std::pair<std::string, std::string>> flagged_tenancies(DashboardRuntime &runtime) {
  const auto [status, answer] = runtime.call("housing_consultant", kConsultant, "nl.hearth.early-warning",
                                             "flags.portfolio", R"({"min_level":"green"})");
  EXPECT_EQ(status, HEARTH_OK) << answer;
  std::vector<std::pair<std::string, std::string>> found;
  std::set<std::string> seen;
  const auto flags = Poco::JSON::Parser().parse(answer).extract<Poco::JSON::Object::Ptr>()->getArray("flags");
  for (unsigned i = 0; i < flags->size(); ++i) {
    const auto flag = flags->getObject(i);
    const std::string tenancy = flag->getValue<std::string>("tenancy_id");
    if (seen.insert(tenancy).second) {
      found.emplace_back(tenancy, flag->getValue<std::string>("flag_id"));
    }
  }
  return found;
}

// The text between data-test="badge-reason"> and the next </span>, or "".
std::string shown_reason(const std::string &body) {
  const std::string marker = "data-test=\"badge-reason\">";
  const auto open = body.find(marker);
  if (open == std::string::npos) {
    return {};
  }
  const auto begin = open + marker.size();
  return body.substr(begin, body.find("</span>", begin) - begin);
}

TEST(DashboardBadgeBytes, TheSameBadgeTwiceIsTheSameBytesWithItsHeaders) {
  DashboardRuntime runtime(RuntimeOptions{"production", "frame_ancestors = 'none'\n", ""});
  const auto flagged = flagged_tenancies(runtime);
  ASSERT_FALSE(flagged.empty());
  Browser crm(runtime.port());
  const std::string bearer = "Bearer " + crm_token(runtime.now(), 300, kConsultant, "housing_consultant");
  const Page first = crm.get("/widgets/risk-badge?tenancy=" + flagged[0].first, {{"Authorization", bearer}});
  const Page second = crm.get("/widgets/risk-badge?tenancy=" + flagged[0].first, {{"Authorization", bearer}});
  ASSERT_EQ(first.status, 200) << first.body;
  ASSERT_EQ(second.status, 200) << second.body;
  EXPECT_EQ(first.body, second.body);
  for (const Page *page : {&first, &second}) {
    EXPECT_EQ(page->header("Content-Type"), "text/html; charset=utf-8");
    EXPECT_EQ(page->header("Cache-Control"), "no-store");
    EXPECT_EQ(page->header("X-Content-Type-Options"), "nosniff");
    EXPECT_EQ(page->header("X-Frame-Options"), "DENY");
    EXPECT_NE(page->header("Content-Security-Policy").find("frame-ancestors 'none'"), std::string::npos);
    EXPECT_EQ(page->body.substr(page->body.size() - 21), "</div></body></html>\n");
  }
  EXPECT_NE(first.body.find("href=\"/dashboard/consultant/flag?id=" + flagged[0].second + "\""), std::string::npos)
      << first.body;
}

TEST(DashboardBadgeBytes, EachFlagShowsItsOwnLinkAndEachLanguageItsOwnText) {
  DashboardRuntime runtime(RuntimeOptions{"production", "", ""});
  const auto flagged = flagged_tenancies(runtime);
  ASSERT_GE(flagged.size(), 2u);
  Browser crm(runtime.port());
  const std::string bearer = "Bearer " + crm_token(runtime.now(), 300, kConsultant, "housing_consultant");
  for (int round = 0; round < 2; ++round) { // the second round is answered from remembered texts
    for (std::size_t i = 0; i < 2; ++i) {
      const auto &[tenancy, flag_id] = flagged[i];
      const std::string &other_flag = flagged[1 - i].second;
      const Page dutch = crm.get("/widgets/risk-badge?tenancy=" + tenancy, {{"Authorization", bearer}});
      const Page english = crm.get("/widgets/risk-badge?lang=en&tenancy=" + tenancy, {{"Authorization", bearer}});
      ASSERT_EQ(dutch.status, 200) << dutch.body;
      ASSERT_EQ(english.status, 200) << english.body;
      const std::string link = "href=\"/dashboard/consultant/flag?id=" + flag_id + "\"";
      for (const Page *page : {&dutch, &english}) {
        EXPECT_NE(page->body.find(link), std::string::npos) << page->body;
        EXPECT_EQ(page->body.find("id=" + other_flag + "\""), std::string::npos) << page->body;
      }
      EXPECT_NE(dutch.body.find("<html lang=\"nl\">"), std::string::npos);
      EXPECT_NE(dutch.body.find(">Bekijk</a>"), std::string::npos);
      EXPECT_NE(english.body.find("<html lang=\"en\">"), std::string::npos);
      EXPECT_NE(english.body.find(">Open</a>"), std::string::npos);
      // The JSON badge gives the same reason line as the HTML one (it holds nothing to escape).
      using LangPage = std::pair<std::string, const Page *>;
      for (const auto &[lang, page] : {LangPage{"nl", &dutch}, LangPage{"en", &english}}) {
        const Page json =
            crm.get("/widgets/risk-badge.json?lang=" + lang + "&tenancy=" + tenancy, {{"Authorization", bearer}});
        ASSERT_EQ(json.status, 200) << json.body;
        const auto badge = Poco::JSON::Parser().parse(json.body).extract<Poco::JSON::Object::Ptr>();
        EXPECT_EQ(badge->getValue<std::string>("reason"), shown_reason(page->body)) << lang;
        EXPECT_EQ(badge->getValue<std::string>("flag_id"), flag_id);
      }
    }
  }
}

TEST(DashboardBadgeBytes, ADecisionOnTheFlagShowsInTheNextBadge) {
  DashboardRuntime runtime(RuntimeOptions{"production", "", ""});
  const auto flagged = flagged_tenancies(runtime);
  ASSERT_FALSE(flagged.empty());
  const auto &[tenancy, flag_id] = flagged[0];
  Browser crm(runtime.port());
  const std::string bearer = "Bearer " + crm_token(runtime.now(), 300, kConsultant, "housing_consultant");
  const auto badge_of = [&] {
    const Page page = crm.get("/widgets/risk-badge.json?tenancy=" + tenancy, {{"Authorization", bearer}});
    EXPECT_EQ(page.status, 200) << page.body;
    return Poco::JSON::Parser().parse(page.body).extract<Poco::JSON::Object::Ptr>();
  };
  const auto before = badge_of(); // remembers the flag's text
  EXPECT_EQ(before->getValue<std::string>("status"), "proposed");
  const auto [status, answer] =
      runtime.call("housing_consultant", kConsultant, "nl.hearth.early-warning", "flag.decide",
                   R"({"flag_id":")" + flag_id + R"(","decision":"accept","reason":"gesprek gehad"})");
  ASSERT_EQ(status, HEARTH_OK) << answer;
  // The lookup reflects the decision once the plugin's board has it.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  auto after = badge_of();
  while (after->getValue<std::string>("status") == "proposed" && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    after = badge_of();
  }
  EXPECT_EQ(after->getValue<std::string>("status"), "accepted");
  EXPECT_EQ(after->getValue<std::string>("flag_id"), flag_id);
  EXPECT_EQ(after->getValue<std::string>("reason"), before->getValue<std::string>("reason"));
}

} // namespace
} // namespace hearth::test::dashboards
