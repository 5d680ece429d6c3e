// The risk badge (HTML and JSON; by session, API key or token; forbidden looks missing;
// audited through the early-warning plugin's flag readers) and the administrator's page (plugins with versions and health, settings without
// secret values).
#include <chrono>
#include <sstream>
#include <thread>
#include <vector>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "dashboard_fixture.hpp"

namespace hearth::test::dashboards {
namespace {

// The tenancy and level of the first proposed flag of the consultant's portfolio.
std::pair<std::string, std::string> first_flag(DashboardRuntime &runtime, std::string &flag_id) {
  const auto [status, answer] = runtime.call("housing_consultant", kConsultant, "nl.hearth.early-warning",
                                             "flags.portfolio", R"({"min_level":"green"})");
  EXPECT_EQ(status, HEARTH_OK) << answer;
  const auto flags = Poco::JSON::Parser().parse(answer).extract<Poco::JSON::Object::Ptr>()->getArray("flags");
  if (flags->size() == 0) {
    return {};
  }
  const auto flag = flags->getObject(0);
  flag_id = flag->getValue<std::string>("flag_id");
  return {flag->getValue<std::string>("tenancy_id"), flag->getValue<std::string>("level")};
}

// The objects of the "read" audit entries of `user` with `outcome` ("allowed" or
// "denied") that name `object`, found with the read view audit.search as an auditor.
std::vector<std::string> audited_objects(DashboardRuntime &runtime, const std::string &user, const std::string &outcome,
                                         const std::string &object) {
  hearth_actor auditor{};
  auditor.struct_size = sizeof auditor;
  auditor.user = "auditor-01";
  auditor.role = HEARTH_ROLE_AUDITOR;
  auditor.organisation = "corp:demo";
  auditor.access_point = "test";
  Poco::JSON::Object args;
  args.set("user", user);
  args.set("limit", 1000);
  std::ostringstream text;
  args.stringify(text);
  char *result = nullptr;
  char *error = nullptr;
  const std::int32_t status = hearth_runtime_read(runtime.runtime(), &auditor, "audit.search", text.str().c_str(), &result, &error);
  const std::string answer = result != nullptr ? result : "";
  const std::string failure = error != nullptr ? error : "";
  hearth_free(result);
  hearth_free(error);
  EXPECT_EQ(status, HEARTH_OK) << failure;
  std::vector<std::string> found;
  if (status != HEARTH_OK) {
    return found;
  }
  const auto entries = Poco::JSON::Parser().parse(answer).extract<Poco::JSON::Object::Ptr>()->getArray("entries");
  for (unsigned i = 0; i < entries->size(); ++i) {
    const auto entry = entries->getObject(i);
    const std::string objects = entry->getValue<std::string>("objects");
    if (entry->getValue<std::string>("event") == "read" && entry->getValue<std::string>("outcome") == outcome &&
        ("," + objects + ",").find("," + object + ",") != std::string::npos) {
      found.push_back(objects);
    }
  }
  return found;
}

// Polls audited_objects() until it finds something or 10 s have passed (the entries are
// written on the early-warning plugin's audit thread).
std::vector<std::string> await_audit(DashboardRuntime &runtime, const std::string &user, const std::string &outcome,
                                     const std::string &object) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  for (;;) {
    auto found = audited_objects(runtime, user, outcome, object);
    if (!found.empty() || std::chrono::steady_clock::now() > deadline) {
      return found;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

TEST(DashboardBadge, JsonGivesLevelReasonAndLinkForATokenHolder) {
  DashboardRuntime runtime(RuntimeOptions{"production", "", ""});
  std::string flag_id;
  const auto [tenancy, level] = first_flag(runtime, flag_id);
  ASSERT_FALSE(tenancy.empty());
  Browser crm(runtime.port());
  const std::string bearer = "Bearer " + crm_token(runtime.now(), 300, kConsultant, "housing_consultant");
  const Page page = crm.get("/widgets/risk-badge.json?tenancy=" + tenancy, {{"Authorization", bearer}});
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_EQ(page.header("Content-Type"), "application/json");
  const auto badge = Poco::JSON::Parser().parse(page.body).extract<Poco::JSON::Object::Ptr>();
  EXPECT_EQ(badge->getValue<std::string>("tenancy_id"), tenancy);
  EXPECT_EQ(badge->getValue<std::string>("level"), level);
  EXPECT_FALSE(badge->getValue<std::string>("reason").empty());
  EXPECT_EQ(badge->getValue<std::string>("href"), "/dashboard/consultant/flag?id=" + flag_id);
}

TEST(DashboardBadge, HtmlIsATinyFramablePageForASession) {
  DashboardRuntime runtime(RuntimeOptions{"demo", "frame_ancestors = https://crm.example.nl\n", ""});
  std::string flag_id;
  const auto [tenancy, level] = first_flag(runtime, flag_id);
  ASSERT_FALSE(tenancy.empty());
  Browser browser(runtime.port());
  browser.sign_in_as("housing_consultant");
  const Page page = browser.get("/widgets/risk-badge?tenancy=" + tenancy);
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_EQ(page.header("Content-Type"), "text/html; charset=utf-8");
  EXPECT_NE(page.body.find("data-test=\"risk-badge\" data-level=\"" + level + "\""), std::string::npos) << page.body;
  EXPECT_NE(page.body.find("href=\"/dashboard/consultant/flag?id=" + flag_id + "\""), std::string::npos);
  const std::string csp = page.header("Content-Security-Policy");
  EXPECT_NE(csp.find("frame-ancestors https://crm.example.nl;"), std::string::npos) << csp;
  EXPECT_NE(csp.find("script-src 'none'"), std::string::npos);
  EXPECT_EQ(page.body.find("<script"), std::string::npos);
  EXPECT_LT(page.body.size(), 1500u);
}

TEST(DashboardBadge, ForbiddenMissingAndAnonymousGetNothing) {
  DashboardRuntime runtime(RuntimeOptions{"production", "", ""});
  std::string flag_id;
  const auto [tenancy, level] = first_flag(runtime, flag_id);
  ASSERT_FALSE(tenancy.empty());
  Browser anyone(runtime.port());
  EXPECT_EQ(anyone.get("/widgets/risk-badge.json?tenancy=" + tenancy).status, 401);
  const std::string other = "Bearer " + crm_token(runtime.now(), 300, kOtherConsultant, "housing_consultant");
  const Page foreign = anyone.get("/widgets/risk-badge.json?tenancy=" + tenancy, {{"Authorization", other}});
  const Page missing = anyone.get("/widgets/risk-badge.json?tenancy=tenancy-999999", {{"Authorization", other}});
  EXPECT_EQ(foreign.status, 404);
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(foreign.body, missing.body);
  EXPECT_EQ(anyone.get("/widgets/risk-badge.json", {{"Authorization", other}}).status, 400);
  // The CRM's system key reads no flags (policy: systems see none): "not found".
  EXPECT_EQ(anyone.get("/widgets/risk-badge.json?tenancy=" + tenancy, {{"X-API-KEY", kApiKey}}).status, 404);
  EXPECT_EQ(anyone.get("/widgets/nothing", {{"Authorization", other}}).status, 404);
}

TEST(DashboardBadge, HtmlShowsTheFlagsReasonLineEscaped) {
  DashboardRuntime runtime(RuntimeOptions{"production", "", ""});
  std::string flag_id;
  const auto [tenancy, level] = first_flag(runtime, flag_id);
  ASSERT_FALSE(tenancy.empty());
  // The reason line is the weightiest line of the flag's explanation.
  const auto [status, explained] = runtime.call("housing_consultant", kConsultant, "nl.hearth.early-warning",
                                                "flag.explain", R"({"flag_id":")" + flag_id + R"(","lang":"en"})");
  ASSERT_EQ(status, HEARTH_OK) << explained;
  const auto lines = Poco::JSON::Parser()
                         .parse(explained)
                         .extract<Poco::JSON::Object::Ptr>()
                         ->getObject("explanation")
                         ->getArray("lines");
  ASSERT_GT(lines->size(), 0u);
  Browser crm(runtime.port());
  const std::string bearer = "Bearer " + crm_token(runtime.now(), 300, kConsultant, "housing_consultant");
  for (int round = 0; round < 2; ++round) { // the second answer comes from the reason cache
    const Page page = crm.get("/widgets/risk-badge?lang=en&tenancy=" + tenancy, {{"Authorization", bearer}});
    ASSERT_EQ(page.status, 200) << page.body;
    const auto open = page.body.find("data-test=\"badge-reason\">");
    ASSERT_NE(open, std::string::npos) << page.body;
    const auto begin = open + std::string("data-test=\"badge-reason\">").size();
    const std::string shown = page.body.substr(begin, page.body.find("</span>", begin) - begin);
    bool is_a_line = false;
    for (unsigned i = 0; i < lines->size(); ++i) {
      is_a_line = is_a_line || shown == lines->getElement<std::string>(i); // the lines hold nothing to escape
    }
    EXPECT_TRUE(is_a_line) << shown;
    EXPECT_NE(shown.find(": +"), std::string::npos) << shown;
    EXPECT_NE(page.body.find("<html lang=\"en\">"), std::string::npos);
  }
  // In Dutch the line is the Dutch one.
  const Page dutch = crm.get("/widgets/risk-badge.json?lang=nl&tenancy=" + tenancy, {{"Authorization", bearer}});
  ASSERT_EQ(dutch.status, 200) << dutch.body;
  const auto badge = Poco::JSON::Parser().parse(dutch.body).extract<Poco::JSON::Object::Ptr>();
  EXPECT_NE(badge->getValue<std::string>("reason").find(": +"), std::string::npos);
  EXPECT_EQ(badge->getValue<std::string>("status"), "proposed");
}

TEST(DashboardBadge, AnActorWhoMayNotSeeTheTenancyGetsTheUnknownOnesAnswerAndIsAudited) {
  DashboardRuntime runtime(RuntimeOptions{"demo", "", ""});
  // A flagged tenancy of the portfolio that is not the demo tenant's own (tenancy-000005).
  const auto [status, answer] = runtime.call("housing_consultant", kConsultant, "nl.hearth.early-warning",
                                             "flags.portfolio", R"({"min_level":"green"})");
  ASSERT_EQ(status, HEARTH_OK) << answer;
  const auto flags = Poco::JSON::Parser().parse(answer).extract<Poco::JSON::Object::Ptr>()->getArray("flags");
  std::string tenancy;
  for (unsigned i = 0; i < flags->size() && tenancy.empty(); ++i) {
    const std::string id = flags->getObject(i)->getValue<std::string>("tenancy_id");
    tenancy = id != "tenancy-000005" ? id : std::string();
  }
  ASSERT_FALSE(tenancy.empty());
  Browser tenant(runtime.port());
  tenant.sign_in_as("tenant");
  for (const char *path : {"/widgets/risk-badge?tenancy=", "/widgets/risk-badge.json?tenancy="}) {
    const Page foreign = tenant.get(path + tenancy);
    const Page missing = tenant.get(std::string(path) + "tenancy-999999");
    EXPECT_EQ(foreign.status, 404) << path;
    EXPECT_EQ(missing.status, 404) << path;
    EXPECT_EQ(foreign.body, missing.body) << path;
    EXPECT_EQ(foreign.header("Content-Type"), missing.header("Content-Type")) << path;
    EXPECT_EQ(foreign.body.find(tenancy), std::string::npos);
  }
  // The refusal is on record once the tenant's reader is closed (here: the reader's
  // minute is over, so the next badge opens a new reader and closes the old one).
  runtime.set_now(runtime.now() + 61'000);
  EXPECT_EQ(tenant.get("/widgets/risk-badge.json?tenancy=tenancy-999998").status, 404);
  EXPECT_FALSE(await_audit(runtime, "tenant-000005", "denied", "tenancy:" + tenancy).empty());
  EXPECT_FALSE(await_audit(runtime, "tenant-000005", "denied", "tenancy:unknown").empty()); // no typed id kept
}

TEST(DashboardBadge, EveryBadgeIsAuditedAsAReadOfTheTenancy) {
  // badge_reader_lookups = 1: each reader is closed (its entries written) after one badge.
  DashboardRuntime runtime(RuntimeOptions{"production", "badge_reader_lookups = 1\n", ""});
  std::string flag_id;
  const auto [tenancy, level] = first_flag(runtime, flag_id);
  ASSERT_FALSE(tenancy.empty());
  EXPECT_TRUE(audited_objects(runtime, kConsultant, "allowed", "tenancy:" + tenancy).empty());
  Browser crm(runtime.port());
  const std::string bearer = "Bearer " + crm_token(runtime.now(), 300, kConsultant, "housing_consultant");
  ASSERT_EQ(crm.get("/widgets/risk-badge?tenancy=" + tenancy, {{"Authorization", bearer}}).status, 200);
  ASSERT_EQ(crm.get("/widgets/risk-badge?tenancy=" + tenancy, {{"Authorization", bearer}}).status, 200);
  // The lookups (objects exactly "tenancy:<id>"; flag.explain's entry also names the flag).
  const auto entries = await_audit(runtime, kConsultant, "allowed", "tenancy:" + tenancy);
  std::size_t lookups = 0;
  for (const auto &objects : entries) {
    lookups += objects == "tenancy:" + tenancy ? 1 : 0;
  }
  EXPECT_EQ(lookups, 2u);
}

TEST(DashboardBadge, ReaderSettingsAreChecked) {
  for (const char *line : {"badge_reader_seconds = 0\n", "badge_reader_lookups = many\n", "badge_readers = 100001\n"}) {
    DashboardRuntime runtime(RuntimeOptions{"production", line, ""});
    std::string message;
    EXPECT_NE(runtime.plugin_state("hearth_dashboards", message), HEARTH_PLUGIN_STATE_ACTIVE) << line;
    const std::string key = std::string(line).substr(0, std::string(line).find(' '));
    EXPECT_NE(message.find(key), std::string::npos) << message;
  }
}

TEST(DashboardAdmin, ShowsPluginsWithVersionAndHealthAndNoSecrets) {
  DashboardRuntime runtime;
  Browser browser(runtime.port());
  browser.sign_in_as("administrator");
  const Page start = browser.get("/dashboard");
  EXPECT_EQ(start.header("Location"), "/dashboard/admin");
  const Page page = browser.get("/dashboard/admin");
  ASSERT_EQ(page.status, 200) << page.body;
  for (const char *id : {"nl.hearth.early-warning", "nl.hearth.coordinator-handoff", "nl.hearth.dashboards"}) {
    EXPECT_NE(page.body.find(std::string("<td>") + id + "</td>"), std::string::npos) << id;
  }
  EXPECT_NE(page.body.find("data-test=\"plugin-version\">0.1.0<"), std::string::npos);
  EXPECT_NE(page.body.find("data-test=\"plugin-state\">active<"), std::string::npos);
  EXPECT_NE(page.body.find("data-test=\"settings-table\""), std::string::npos);
  EXPECT_NE(page.body.find("auth.jwt.hs256_secret"), std::string::npos); // the key is listed...
  EXPECT_EQ(page.body.find(kJwtSecret), std::string::npos);            // ...its value is not
  EXPECT_EQ(page.body.find(kApiKey), std::string::npos);
  // Nobody else sees it.
  Browser consultant(runtime.port());
  consultant.sign_in_as("housing_consultant");
  EXPECT_EQ(consultant.get("/dashboard/admin").status, 404);
}

} // namespace
} // namespace hearth::test::dashboards
