// The dashboards' defences over real HTTP: the anti-forgery token on every POST, the
// Content-Security-Policy (frame-ancestors from config), one 404 for a forbidden route,
// a forbidden record and a missing one, escaped output, and no state change on GET.
#include <regex>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "dashboard_fixture.hpp"

namespace hearth::test::dashboards {
namespace {

// The status of flag `id` as the consultant who owns it sees it.
std::string flag_status(DashboardRuntime &runtime, const std::string &id) {
  const auto [status, answer] = runtime.call("housing_consultant", kConsultant, "nl.hearth.early-warning",
                                             "flag.explain", R"({"flag_id":")" + id + R"("})");
  EXPECT_EQ(status, HEARTH_OK) << answer;
  return status == HEARTH_OK
             ? Poco::JSON::Parser().parse(answer).extract<Poco::JSON::Object::Ptr>()->getValue<std::string>("status")
             : std::string();
}

TEST(DashboardSecurity, APostWithoutTheRightTokenIsRefusedAndChangesNothing) {
  DashboardRuntime runtime;
  const auto flags = portfolio_flags(runtime, kConsultant);
  ASSERT_FALSE(flags.empty()) << "the demo consultant has no proposed flags";
  Browser browser(runtime.port());
  browser.sign_in_as("housing_consultant");
  const std::vector<std::pair<std::string, std::string>> decision = {
      {"flag_id", flags[0]}, {"decision", "accept"}, {"reason", "forged"}};
  const Page without = browser.post("/dashboard/consultant/decide", decision);
  EXPECT_EQ(without.status, 403) << without.body;
  auto wrong = decision;
  wrong.emplace_back("csrf", std::string(64, '0'));
  EXPECT_EQ(browser.post("/dashboard/consultant/decide", wrong).status, 403);
  // The token of another session does not count either.
  Browser other(runtime.port());
  other.sign_in_as("housing_consultant");
  auto foreign = decision;
  foreign.emplace_back("csrf", other.csrf());
  EXPECT_EQ(browser.post("/dashboard/consultant/decide", foreign).status, 403);
  EXPECT_EQ(flag_status(runtime, flags[0]), "proposed");
  // Sign-out and the language switch are guarded the same way.
  EXPECT_EQ(browser.post("/dashboard/sign-out", {}).status, 403);
  EXPECT_EQ(browser.get("/dashboard/consultant").status, 200);
  EXPECT_EQ(browser.post("/dashboard/lang", {{"lang", "en"}}).status, 403);
  EXPECT_EQ(browser.cookies.count("hearth_lang"), 0u);
}

TEST(DashboardSecurity, EveryHtmlPageCarriesTheContentSecurityPolicy) {
  DashboardRuntime runtime;
  Browser browser(runtime.port());
  browser.sign_in_as("housing_consultant");
  const Page first = browser.get("/dashboard/consultant");
  const Page second = browser.get("/dashboard/consultant");
  const std::string csp = first.header("Content-Security-Policy");
  for (const char *directive : {"default-src 'none'", "style-src 'self'", "img-src 'self' data:", "connect-src 'self'",
                                "form-action 'self'", "frame-ancestors 'none'", "object-src 'none'", "base-uri 'none'"}) {
    EXPECT_NE(csp.find(directive), std::string::npos) << directive << " in " << csp;
  }
  std::smatch nonce;
  ASSERT_TRUE(std::regex_search(csp, nonce, std::regex("script-src 'self' 'nonce-([0-9a-f]{64})'"))) << csp;
  EXPECT_EQ(second.header("Content-Security-Policy").find(nonce[1].str()), std::string::npos); // fresh per response
  EXPECT_EQ(first.header("X-Frame-Options"), "DENY");
  EXPECT_EQ(first.header("X-Content-Type-Options"), "nosniff");
  EXPECT_FALSE(first.header("Referrer-Policy").empty());
  EXPECT_EQ(first.header("Cache-Control"), "no-store");
  EXPECT_EQ(first.body.find("<script>"), std::string::npos); // no inline script at all
  const Page sign_in = Browser(runtime.port()).get("/dashboard/sign-in");
  EXPECT_NE(sign_in.header("Content-Security-Policy").find("frame-ancestors 'none'"), std::string::npos);
  const Page missing = browser.get("/dashboard/nothing-here");
  EXPECT_NE(missing.header("Content-Security-Policy").find("object-src 'none'"), std::string::npos);
}

TEST(DashboardSecurity, FrameAncestorsComeFromTheConfiguration) {
  DashboardRuntime runtime(
      RuntimeOptions{"demo", "frame_ancestors = https://crm.example.nl https://crm2.example.nl:8443\n", ""});
  Browser browser(runtime.port());
  browser.sign_in_as("housing_consultant");
  const Page page = browser.get("/dashboard/consultant");
  EXPECT_NE(page.header("Content-Security-Policy")
                .find("frame-ancestors https://crm.example.nl https://crm2.example.nl:8443;"),
            std::string::npos)
      << page.header("Content-Security-Policy");
  EXPECT_EQ(page.header("X-Frame-Options"), ""); // it cannot name origins: CSP decides
}

TEST(DashboardSecurity, ForbiddenAndMissingAnswerTheVerySame404) {
  DashboardRuntime runtime;
  const auto own = portfolio_flags(runtime, kConsultant);
  const auto others = portfolio_flags(runtime, kOtherConsultant);
  ASSERT_FALSE(own.empty());
  ASSERT_FALSE(others.empty());

  Browser neighbour(runtime.port());
  neighbour.sign_in_as("neighbour");
  const Page missing_route = neighbour.get("/dashboard/no-such-page");
  ASSERT_EQ(missing_route.status, 404);
  const std::vector<std::string> targets = {"/dashboard/consultant", "/dashboard/consultant/flag?id=" + own[0],
                                           "/dashboard/consultant/flag?id=no-such-flag", "/dashboard/admin",
                                           "/dashboard/care", "/dashboard/case?id=" + own[0]};
  for (const auto &target : targets) {
    const Page page = neighbour.get(target);
    EXPECT_EQ(page.status, 404) << target;
    EXPECT_EQ(page.body, missing_route.body) << target;
  }

  Browser consultant(runtime.port());
  consultant.sign_in_as("housing_consultant");
  const Page missing_flag = consultant.get("/dashboard/consultant/flag?id=no-such-flag");
  const Page foreign_flag = consultant.get("/dashboard/consultant/flag?id=" + others[0]);
  EXPECT_EQ(missing_flag.status, 404);
  EXPECT_EQ(foreign_flag.status, 404);
  EXPECT_EQ(foreign_flag.body, missing_flag.body);
  EXPECT_EQ(consultant.get("/dashboard/admin").body, consultant.get("/dashboard/no-such-page").body);
  // Deciding on another portfolio's flag is "not found" too, and changes nothing.
  const Page decided = consultant.post("/dashboard/consultant/decide", {{"csrf", consultant.csrf()},
                                                                       {"flag_id", others[0]},
                                                                       {"decision", "dismiss"},
                                                                       {"reason", "not mine"}});
  EXPECT_EQ(decided.status, 404);
  const auto [status, answer] = runtime.call("housing_consultant", kOtherConsultant, "nl.hearth.early-warning",
                                             "flag.explain", R"({"flag_id":")" + others[0] + R"("})");
  ASSERT_EQ(status, HEARTH_OK);
  EXPECT_NE(answer.find(R"("status":"proposed")"), std::string::npos);
}

TEST(DashboardSecurity, WhatUsersTypeIsPrintedEscaped) {
  DashboardRuntime runtime;
  const auto flags = portfolio_flags(runtime, kConsultant);
  ASSERT_FALSE(flags.empty());
  Browser browser(runtime.port());
  browser.sign_in_as("housing_consultant");
  const std::string script = "<script>alert('x')</script> & \"quoted\"";
  const Page decided = browser.post("/dashboard/consultant/decide", {{"csrf", browser.csrf()},
                                                                    {"flag_id", flags[0]},
                                                                    {"decision", "dismiss"},
                                                                    {"reason", script}});
  ASSERT_EQ(decided.status, 303) << decided.body;
  const Page page = browser.get(decided.header("Location"));
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(page.body.find("<script>alert"), std::string::npos);
  EXPECT_NE(page.body.find("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quoted&quot;"), std::string::npos);
  // A query value the called plugin refuses comes back escaped in the error page.
  const Page bad = browser.get("/dashboard/consultant?status=%3Cscript%3Ex%3C%2Fscript%3E");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.body.find("<script>x"), std::string::npos);
  EXPECT_NE(bad.body.find("&lt;script&gt;x&lt;/script&gt;"), std::string::npos) << bad.body;
}

TEST(DashboardSecurity, AGetNeverChangesState) {
  DashboardRuntime runtime;
  const auto flags = portfolio_flags(runtime, kConsultant);
  ASSERT_FALSE(flags.empty());
  Browser browser(runtime.port());
  browser.sign_in_as("housing_consultant");
  const std::string csrf = browser.csrf();
  const Page by_get = browser.get("/dashboard/consultant/decide?flag_id=" + flags[0] +
                                  "&decision=accept&reason=by+link&csrf=" + csrf);
  EXPECT_EQ(by_get.status, 404);
  EXPECT_EQ(flag_status(runtime, flags[0]), "proposed");
  EXPECT_EQ(browser.get("/dashboard/sign-out?csrf=" + csrf).status, 404);
  EXPECT_EQ(browser.get("/dashboard/consultant").status, 200); // still signed in
  EXPECT_EQ(browser.get("/dashboard/lang?lang=en").status, 404);
  EXPECT_EQ(browser.cookies.count("hearth_lang"), 0u);
}

TEST(DashboardSecurity, WithoutASessionPagesSendToSignInAndPostsAreRefused) {
  DashboardRuntime runtime;
  Browser browser(runtime.port());
  const Page page = browser.get("/dashboard/consultant");
  EXPECT_EQ(page.status, 303);
  EXPECT_EQ(page.header("Location"), "/dashboard/sign-in");
  EXPECT_EQ(browser.post("/dashboard/consultant/decide", {{"flag_id", "x"}, {"decision", "accept"}}).status, 403);
  browser.cookies["hearth_session"] = std::string(64, 'f'); // a made-up session id
  EXPECT_EQ(browser.get("/dashboard/consultant").status, 303);
}

TEST(DashboardSecurity, SameSiteNoneMakesTheCookieSecure) {
  DashboardRuntime runtime(RuntimeOptions{"demo", "cookie_samesite = None\n", ""});
  Browser browser(runtime.port());
  const Page picker = browser.get("/dashboard/sign-in");
  const Page signed_in =
      browser.post("/dashboard/sign-in", {{"csrf", Browser::csrf_of(picker)}, {"persona", "administrator"}});
  ASSERT_EQ(signed_in.set_cookies().size(), 1u);
  EXPECT_NE(signed_in.set_cookies()[0].find("SameSite=None; Secure"), std::string::npos) << signed_in.set_cookies()[0];
}

} // namespace
} // namespace hearth::test::dashboards
