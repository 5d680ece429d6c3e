// Signing in to the dashboards: the demo persona picker (demo mode and demo_sign_in only),
// the exchange of a CRM token for a session (good, expired, badly signed, an API key
// refused), sign-out, and sessions that end by idle time and with their token.
#include <regex>

#include "dashboard_fixture.hpp"

namespace hearth::test::dashboards {
namespace {

TEST(DashboardSignIn, DemoModeOffersOneButtonPerPersona) {
  DashboardRuntime runtime;
  Browser browser(runtime.port());
  const Page page = browser.get("/dashboard/sign-in");
  ASSERT_EQ(page.status, 200) << page.body;
  for (const char *persona : {"tenant", "neighbour", "housing_consultant", "care_professional", "coordinator",
                              "auditor", "administrator"}) {
    EXPECT_NE(page.body.find(std::string("name=\"persona\" value=\"") + persona + "\""), std::string::npos) << persona;
  }
  EXPECT_NE(page.body.find(">Woonconsulent</button>"), std::string::npos); // Dutch by default
  EXPECT_EQ(Browser::csrf_of(page).size(), 64u);
  EXPECT_EQ(browser.cookies.count("hearth_csrf"), 1u);
}

TEST(DashboardSignIn, ADemoPersonaGetsASessionAndItsStartPage) {
  DashboardRuntime runtime;
  Browser browser(runtime.port());
  const Page picker = browser.get("/dashboard/sign-in");
  const Page signed_in = browser.post("/dashboard/sign-in", {{"csrf", Browser::csrf_of(picker)}, {"persona", "housing_consultant"}});
  ASSERT_EQ(signed_in.status, 303) << signed_in.body;
  EXPECT_EQ(signed_in.header("Location"), "/dashboard/consultant");
  const auto cookies = signed_in.set_cookies();
  ASSERT_EQ(cookies.size(), 1u);
  EXPECT_TRUE(std::regex_search(cookies[0], std::regex("^hearth_session=[0-9a-f]{64}; Path=/; HttpOnly; SameSite=Strict$")))
      << cookies[0];
  const Page start = browser.get("/dashboard");
  EXPECT_EQ(start.status, 303);
  EXPECT_EQ(start.header("Location"), "/dashboard/consultant");
  const Page flags = browser.get("/dashboard/consultant");
  EXPECT_EQ(flags.status, 200) << flags.body;
  EXPECT_NE(flags.body.find(kConsultant), std::string::npos); // who is signed in
}

TEST(DashboardSignIn, ADemoSignInWithoutTheFormsTokenIsRefused) {
  DashboardRuntime runtime;
  Browser browser(runtime.port());
  browser.get("/dashboard/sign-in"); // sets the pre-session cookie
  EXPECT_EQ(browser.post("/dashboard/sign-in", {{"persona", "administrator"}}).status, 403);
  EXPECT_EQ(browser.post("/dashboard/sign-in", {{"csrf", std::string(64, 'a')}, {"persona", "administrator"}}).status, 403);
  EXPECT_EQ(browser.cookies.count("hearth_session"), 0u);
  const Page picker = browser.get("/dashboard/sign-in");
  EXPECT_EQ(browser.post("/dashboard/sign-in", {{"csrf", Browser::csrf_of(picker)}, {"persona", "superuser"}}).status, 400);
  EXPECT_EQ(browser.cookies.count("hearth_session"), 0u);
}

TEST(DashboardSignIn, OutsideDemoModeThereIsNoPersonaPicker) {
  DashboardRuntime runtime(RuntimeOptions{"production", "", ""});
  Browser browser(runtime.port());
  const Page page = browser.get("/dashboard/sign-in");
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(page.body.find("name=\"persona\""), std::string::npos);
  EXPECT_NE(page.body.find("data-test=\"open-from-crm\""), std::string::npos);
  const Page refused = browser.post("/dashboard/sign-in", {{"csrf", Browser::csrf_of(page)}, {"persona", "administrator"}});
  EXPECT_EQ(refused.status, 403);
  EXPECT_EQ(browser.cookies.count("hearth_session"), 0u);
}

TEST(DashboardSignIn, DemoSignInSwitchedOffInDemoModeToo) {
  DashboardRuntime runtime(RuntimeOptions{"demo", "demo_sign_in = off\n", ""});
  Browser browser(runtime.port());
  const Page page = browser.get("/dashboard/sign-in");
  EXPECT_EQ(page.body.find("name=\"persona\""), std::string::npos);
  EXPECT_EQ(browser.post("/dashboard/sign-in", {{"csrf", Browser::csrf_of(page)}, {"persona", "tenant"}}).status, 403);
}

TEST(DashboardSignIn, ACrmTokenBecomesASessionThatEndsWithTheToken) {
  DashboardRuntime runtime(RuntimeOptions{"production", "", ""});
  Browser browser(runtime.port());
  const std::string token = crm_token(runtime.now(), 600, kConsultant, "housing_consultant", "portfolio");
  const Page signed_in = browser.post("/dashboard/session", {{"token", token}, {"next", "/dashboard/consultant"}});
  ASSERT_EQ(signed_in.status, 303) << signed_in.body;
  EXPECT_EQ(signed_in.header("Location"), "/dashboard/consultant");
  EXPECT_EQ(browser.get("/dashboard/consultant").status, 200);
  runtime.set_now(runtime.now() + 599'000);
  EXPECT_EQ(browser.get("/dashboard/consultant").status, 200);
  runtime.set_now(runtime.now() + 2'000); // past the token's exp: the session is over
  const Page after = browser.get("/dashboard/consultant");
  EXPECT_EQ(after.status, 303);
  EXPECT_EQ(after.header("Location"), "/dashboard/sign-in");
}

TEST(DashboardSignIn, ATokenInTheAuthorizationHeaderWorksToo) {
  DashboardRuntime runtime(RuntimeOptions{"production", "", ""});
  Browser browser(runtime.port());
  const std::string token = crm_token(runtime.now(), 300, kConsultant, "housing_consultant");
  const Page signed_in = browser.post("/dashboard/session", {}, {{"Authorization", "Bearer " + token}});
  ASSERT_EQ(signed_in.status, 303) << signed_in.body;
  EXPECT_EQ(signed_in.header("Location"), "/dashboard/consultant");
}

TEST(DashboardSignIn, BadTokensAndApiKeysGetNoSession) {
  DashboardRuntime runtime(RuntimeOptions{"production", "", ""});
  const std::vector<std::tuple<std::string, std::string, int>> cases = {
      {"expired", crm_token(runtime.now(), -600, kConsultant, "housing_consultant"), 401},
      {"bad signature", crm_token(runtime.now(), 300, kConsultant, "housing_consultant", "", "another-secret-that-is-32-bytes-long!"), 401},
      {"garbage", "aaa.bbb.ccc", 401},
      {"an API key", kApiKey, 403},
      {"empty", "", 400},
  };
  for (const auto &[what, token, status] : cases) {
    Browser browser(runtime.port());
    const Page page = browser.post("/dashboard/session", {{"token", token}});
    EXPECT_EQ(page.status, status) << what << ": " << page.body;
    EXPECT_EQ(browser.cookies.count("hearth_session"), 0u) << what;
    EXPECT_EQ(page.body.find(token.empty() ? "\x01" : token), std::string::npos) << what; // never echoed
  }
}

TEST(DashboardSignIn, NextMustBeADashboardPath) {
  DashboardRuntime runtime(RuntimeOptions{"production", "", ""});
  for (const char *next : {"https://evil.example/", "//evil.example/x", "/dashboard/../api", "/widgets/x"}) {
    Browser browser(runtime.port());
    const Page page = browser.post("/dashboard/session",
                                   {{"token", crm_token(runtime.now(), 300, kConsultant, "housing_consultant")}, {"next", next}});
    ASSERT_EQ(page.status, 303) << next;
    EXPECT_EQ(page.header("Location"), "/dashboard/consultant") << next;
  }
}

TEST(DashboardSignIn, AnIdleSessionEnds) {
  DashboardRuntime runtime(RuntimeOptions{"demo", "session_idle_minutes = 10\n", ""});
  Browser browser(runtime.port());
  browser.sign_in_as("housing_consultant");
  runtime.set_now(runtime.now() + 9 * kMinuteMs);
  EXPECT_EQ(browser.get("/dashboard/consultant").status, 200); // still in use
  runtime.set_now(runtime.now() + 9 * kMinuteMs);
  EXPECT_EQ(browser.get("/dashboard/consultant").status, 200); // idle 9 minutes again: fine
  runtime.set_now(runtime.now() + 10 * kMinuteMs);
  EXPECT_EQ(browser.get("/dashboard/consultant").status, 303); // idle 10 minutes: over
}

TEST(DashboardSignIn, ASessionEndsAtItsMaximumAgeHoweverBusy) {
  DashboardRuntime runtime(RuntimeOptions{"demo", "session_idle_minutes = 10\nsession_max_minutes = 25\n", ""});
  Browser browser(runtime.port());
  browser.sign_in_as("administrator");
  for (int i = 0; i < 4; ++i) {
    runtime.set_now(runtime.now() + 6 * kMinuteMs);
    EXPECT_EQ(browser.get("/dashboard/admin").status, 200) << i;
  }
  runtime.set_now(runtime.now() + 2 * kMinuteMs); // 26 minutes after sign-in
  EXPECT_EQ(browser.get("/dashboard/admin").status, 303);
}

TEST(DashboardSignIn, SignOutEndsTheSession) {
  DashboardRuntime runtime;
  Browser browser(runtime.port());
  browser.sign_in_as("administrator");
  const std::string session = browser.cookies["hearth_session"];
  const std::string csrf = browser.csrf("/dashboard/admin");
  const Page out = browser.post("/dashboard/sign-out", {{"csrf", csrf}});
  EXPECT_EQ(out.status, 303);
  EXPECT_EQ(browser.cookies.count("hearth_session"), 0u);
  browser.cookies["hearth_session"] = session; // replaying the old cookie does not help
  EXPECT_EQ(browser.get("/dashboard/admin").status, 303);
}

} // namespace
} // namespace hearth::test::dashboards

namespace hearth::test::dashboards {
namespace {

TEST(DashboardSettingsAtStart, ABadSettingStopsThePluginNamingTheKey) {
  DashboardRuntime runtime(RuntimeOptions{"demo", "session_idle_minutes = forever\n", ""});
  std::string message;
  EXPECT_EQ(runtime.plugin_state("hearth_dashboards", message), static_cast<std::uint32_t>(HEARTH_PLUGIN_STATE_FAILED));
  EXPECT_NE(message.find("session_idle_minutes"), std::string::npos) << message;
  // Its routes are not served; the runtime's own still are.
  Browser browser(runtime.port());
  EXPECT_EQ(browser.get("/dashboard/sign-in").status, 404);
  EXPECT_EQ(browser.get("/healthz").status, 200);
}

} // namespace
} // namespace hearth::test::dashboards
