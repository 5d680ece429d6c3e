// flags.portfolio keeps what it read of a person's tenancies and flags between requests
// (plugins/early-warning/src/plugin/portfolio_cache.hpp). What it keeps must never show:
// every decision, revision, new flag and change of a portfolio is on the very next page
// load, one person's kept rows never reach another, and the policy is still asked on
// every request.
#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <hearth/signals.h>

#include "dashboard_fixture.hpp"

namespace hearth::test::dashboards {
namespace {

constexpr const char *kEarlyWarning = "nl.hearth.early-warning";
constexpr const char *kEveryFlag = "/dashboard/consultant?status=any&min_level=green";
constexpr std::int64_t kDayMs = 86'400'000;

Poco::JSON::Object::Ptr object_of(const std::string &json) {
  return Poco::JSON::Parser().parse(json).extract<Poco::JSON::Object::Ptr>();
}

std::string take(char *text) {
  std::string out = text != nullptr ? text : "";
  hearth_free(text);
  return out;
}

hearth_actor system_actor() {
  hearth_actor actor{};
  actor.struct_size = sizeof actor;
  actor.user = "crm";
  actor.role = "system";
  actor.organisation = "corp:demo";
  actor.access_point = "test";
  return actor;
}

// The flag ids flags.portfolio answers (every status, every level) as (role, user).
std::set<std::string> portfolio_of(DashboardRuntime &runtime, const std::string &role, const std::string &user) {
  const auto [status, answer] =
      runtime.call(role, user, kEarlyWarning, "flags.portfolio", R"({"status":"any","min_level":"green","limit":1000})");
  EXPECT_EQ(status, HEARTH_OK) << answer;
  std::set<std::string> ids;
  if (status != HEARTH_OK) {
    return ids;
  }
  const auto flags = object_of(answer)->getArray("flags");
  for (unsigned i = 0; i < flags->size(); ++i) {
    ids.insert(flags->getObject(i)->getValue<std::string>("flag_id"));
  }
  return ids;
}

// The row of flag `id` on `page` (from its <tr> to its </tr>), or "" when it is not there.
std::string row_of(const Page &page, const std::string &id) {
  const auto start = page.body.find("data-flag=\"" + id + "\"");
  if (start == std::string::npos) {
    return {};
  }
  return page.body.substr(start, page.body.find("</tr>", start) - start);
}

// The flags of tenancy `tenancy` as consultant-01 (ids, oldest first); empty when none
// or not readable.
std::vector<std::string> flags_of(DashboardRuntime &runtime, const std::string &tenancy, std::int32_t &status) {
  const auto [answer_status, answer] = runtime.call("housing_consultant", kConsultant, kEarlyWarning, "flags.for-tenancy",
                                                    R"({"tenancy_id":")" + tenancy + R"("})");
  status = answer_status;
  std::vector<std::string> ids;
  if (answer_status != HEARTH_OK) {
    return ids;
  }
  const auto flags = object_of(answer)->getArray("flags");
  for (unsigned i = 0; i < flags->size(); ++i) {
    ids.push_back(flags->getObject(i)->getValue<std::string>("id"));
  }
  return ids;
}

std::string demo_tenancy(int n) {
  char id[32];
  std::snprintf(id, sizeof id, "tenancy-%06d", n);
  return id;
}

// Moves demo tenancy number `n` (tenancy-00000n on unit-00000n) to `owner`'s portfolio,
// as the CRM system would.
void move_tenancy(DashboardRuntime &runtime, int n, const std::string &owner) {
  char unit[32];
  std::snprintf(unit, sizeof unit, "unit-%06d", n);
  const std::string records = R"([{"kind":"tenancy","id":")" + demo_tenancy(n) + R"(","unit_id":")" + unit +
                              R"(","start_date":"2019-04-01","portfolio_owner":")" + owner + R"("}])";
  const hearth_actor actor = system_actor();
  std::uint32_t stored = 0;
  char *error = nullptr;
  ASSERT_EQ(hearth_runtime_put_records(runtime.runtime(), &actor, records.c_str(), &stored, &error), HEARTH_OK)
      << take(error);
  ASSERT_EQ(stored, 1u);
}

// The tenancy number (1..200) of flag `id` in consultant `user`'s portfolio, or 0.
int tenancy_number_of(DashboardRuntime &runtime, const std::string &user, const std::string &id) {
  const auto [status, answer] = runtime.call("housing_consultant", user, kEarlyWarning, "flag.explain",
                                             R"({"flag_id":")" + id + R"("})");
  EXPECT_EQ(status, HEARTH_OK) << answer;
  if (status != HEARTH_OK) {
    return 0;
  }
  const std::string tenancy = object_of(answer)->getValue<std::string>("tenancy_id");
  return std::stoi(tenancy.substr(tenancy.find('-') + 1));
}

void decide(DashboardRuntime &runtime, const std::string &operation, const std::string &args) {
  const auto [status, answer] = runtime.call("housing_consultant", kConsultant, kEarlyWarning, operation, args);
  ASSERT_EQ(status, HEARTH_OK) << operation << " " << args << ": " << answer;
}

TEST(PortfolioCache, EveryDecisionAndRevisionIsOnTheNextPageLoad) {
  DashboardRuntime runtime;
  Browser browser(runtime.port());
  browser.sign_in_as("housing_consultant");
  const auto open = portfolio_flags(runtime, kConsultant);
  ASSERT_GE(open.size(), 3u);
  Page page = browser.get(kEveryFlag); // read once, so that the next loads could use a kept copy
  ASSERT_EQ(page.status, 200) << page.body;
  for (const auto &id : open) {
    EXPECT_NE(row_of(page, id).find("voorgesteld"), std::string::npos) << id;
  }

  decide(runtime, "flag.decide", R"({"flag_id":")" + open[0] + R"(","decision":"accept","reason":"test"})");
  page = browser.get(kEveryFlag);
  EXPECT_NE(row_of(page, open[0]).find("overgenomen"), std::string::npos) << row_of(page, open[0]);
  // The default list (proposed only) no longer has it.
  EXPECT_TRUE(row_of(browser.get("/dashboard/consultant?min_level=green"), open[0]).empty());

  decide(runtime, "flag.decide",
         R"({"flag_id":")" + open[1] + R"(","decision":"override","level":"green","reason":"test"})");
  page = browser.get(kEveryFlag);
  EXPECT_NE(row_of(page, open[1]).find("aangepast"), std::string::npos) << row_of(page, open[1]);
  EXPECT_NE(row_of(page, open[1]).find("level-green"), std::string::npos) << row_of(page, open[1]);

  decide(runtime, "flag.decide", R"({"flag_id":")" + open[2] + R"(","decision":"dismiss","reason":"test"})");
  page = browser.get(kEveryFlag);
  EXPECT_NE(row_of(page, open[2]).find("afgewezen"), std::string::npos) << row_of(page, open[2]);

  // The accepted flag withdrawn: its revision to dismissed shows at once.
  decide(runtime, "flag.revise",
         R"({"flag_id":")" + open[0] + R"(","decision":"dismiss","revises":1,"reason":"withdrawn"})");
  page = browser.get(kEveryFlag);
  EXPECT_NE(row_of(page, open[0]).find("afgewezen"), std::string::npos) << row_of(page, open[0]);
}

TEST(PortfolioCache, ANewFlagIsOnTheNextPageLoad) {
  DashboardRuntime runtime;
  Browser browser(runtime.port());
  browser.sign_in_as("housing_consultant");
  // A tenancy of consultant-01 without flags.
  std::string tenancy;
  for (int n = 1; n <= 200 && tenancy.empty(); ++n) {
    std::int32_t status = 0;
    if (flags_of(runtime, demo_tenancy(n), status).empty() && status == HEARTH_OK) {
      tenancy = demo_tenancy(n);
    }
  }
  ASSERT_FALSE(tenancy.empty()) << "consultant-01 has a tenancy without flags";
  const Page before = browser.get(kEveryFlag);
  ASSERT_EQ(before.status, 200);
  ASSERT_EQ(before.body.find(">" + tenancy + "<"), std::string::npos);

  // Rent arrears of 3,000 euro and a payment arrangement broken: a flag.
  const auto signal = [&](const char *id, const char *type, const char *detail, std::int64_t days_ago,
                          std::int64_t cents) {
    hearth_signal s{};
    s.struct_size = sizeof s;
    s.source = "vera:test";
    s.external_id = id;
    s.type = type;
    s.detail = detail;
    s.tenancy_id = tenancy.c_str();
    s.occurred_at_ms = runtime.now() - days_ago * kDayMs;
    s.amount_cents = cents;
    s.severity = 0;
    s.legal_basis = "avg-6-1-f";
    s.purpose = "early-warning";
    return s;
  };
  const hearth_signal debt = signal("cache-test-1", "SCH", "DEU", 1, 300'000);
  const hearth_signal broken = signal("cache-test-2", "X-BTR", "VBR", 0, 1'000);
  const hearth_signal *batch[] = {&debt, &broken};
  const hearth_actor actor = system_actor();
  hearth_ingest_result result{};
  result.struct_size = sizeof result;
  char *error = nullptr;
  ASSERT_EQ(hearth_runtime_ingest(runtime.runtime(), &actor, batch, 2, &result, &error), HEARTH_OK) << take(error);
  ASSERT_EQ(hearth_runtime_drain(runtime.runtime(), 10'000), HEARTH_OK);
  std::int32_t status = 0;
  const auto raised = flags_of(runtime, tenancy, status);
  ASSERT_EQ(raised.size(), 1u) << tenancy << ": the signals raised a flag";

  const Page after = browser.get(kEveryFlag);
  ASSERT_EQ(after.status, 200);
  EXPECT_FALSE(row_of(after, raised[0]).empty()) << raised[0];
  EXPECT_EQ(portfolio_of(runtime, "housing_consultant", kConsultant).count(raised[0]), 1u);
}

TEST(PortfolioCache, APortfolioChangeIsOnTheNextPageLoadOfBothConsultants) {
  DashboardRuntime runtime;
  Browser browser(runtime.port());
  browser.sign_in_as("housing_consultant");
  const auto mine = portfolio_of(runtime, "housing_consultant", kConsultant);
  const auto theirs = portfolio_of(runtime, "housing_consultant", kOtherConsultant);
  ASSERT_FALSE(mine.empty());
  ASSERT_FALSE(theirs.empty());
  Page page = browser.get(kEveryFlag);
  ASSERT_FALSE(row_of(page, *mine.begin()).empty());

  // One of my tenancies goes to consultant-02, one of theirs comes to me.
  const std::string leaving = *mine.begin();
  const std::string coming = *theirs.begin();
  const int leaving_tenancy = tenancy_number_of(runtime, kConsultant, leaving);
  const int coming_tenancy = tenancy_number_of(runtime, kOtherConsultant, coming);
  ASSERT_GT(leaving_tenancy, 0);
  ASSERT_GT(coming_tenancy, 0);
  move_tenancy(runtime, leaving_tenancy, kOtherConsultant);
  move_tenancy(runtime, coming_tenancy, kConsultant);

  page = browser.get(kEveryFlag);
  ASSERT_EQ(page.status, 200);
  EXPECT_TRUE(row_of(page, leaving).empty()) << leaving << " left the portfolio";
  EXPECT_FALSE(row_of(page, coming).empty()) << coming << " joined the portfolio";
  const auto mine_now = portfolio_of(runtime, "housing_consultant", kConsultant);
  const auto theirs_now = portfolio_of(runtime, "housing_consultant", kOtherConsultant);
  EXPECT_EQ(mine_now.count(leaving), 0u);
  EXPECT_EQ(mine_now.count(coming), 1u);
  EXPECT_EQ(theirs_now.count(leaving), 1u);
  EXPECT_EQ(theirs_now.count(coming), 0u);

  // A tenancy leaving every portfolio leaves mine as well.
  move_tenancy(runtime, coming_tenancy, "consultant-99");
  EXPECT_TRUE(row_of(browser.get(kEveryFlag), coming).empty());
  EXPECT_EQ(portfolio_of(runtime, "housing_consultant", kConsultant).count(coming), 0u);
}

TEST(PortfolioCache, OnePersonsKeptRowsNeverReachAnother) {
  DashboardRuntime runtime;
  // Each reads twice (the second time from what was kept): never anything of the other's.
  for (int round = 0; round < 2; ++round) {
    const auto mine = portfolio_of(runtime, "housing_consultant", kConsultant);
    const auto theirs = portfolio_of(runtime, "housing_consultant", kOtherConsultant);
    const auto nobody = portfolio_of(runtime, "housing_consultant", "consultant-99");
    ASSERT_FALSE(mine.empty());
    ASSERT_FALSE(theirs.empty());
    EXPECT_TRUE(nobody.empty()) << "an empty portfolio shows nothing";
    for (const auto &id : mine) {
      EXPECT_EQ(theirs.count(id), 0u) << id;
    }
    // Exactly what each may read flag by flag.
    for (const auto &id : mine) {
      const auto [status, answer] = runtime.call("housing_consultant", kOtherConsultant, kEarlyWarning, "flag.explain",
                                                 R"({"flag_id":")" + id + R"("})");
      EXPECT_EQ(status, HEARTH_ERROR_NOT_FOUND) << id;
    }
  }
}

TEST(PortfolioCache, ThePolicyIsAskedOnEveryRequestNotKept) {
  DashboardRuntime runtime;
  const auto as_consultant = portfolio_of(runtime, "housing_consultant", kConsultant);
  ASSERT_FALSE(as_consultant.empty());
  // The same user in another role shares the kept rows (the same portfolio) but not the
  // consultant's answer from the policy: what that role may read, tenancy by tenancy.
  for (const char *role : {"coordinator", "housing_consultant", "coordinator"}) {
    const auto shown = portfolio_of(runtime, role, kConsultant);
    std::set<std::string> readable;
    for (int n = 1; n <= 200; ++n) {
      const auto [status, answer] = runtime.call(role, kConsultant, kEarlyWarning, "flags.for-tenancy",
                                                 R"({"tenancy_id":")" + demo_tenancy(n) + R"("})");
      if (status != HEARTH_OK) {
        continue;
      }
      const auto flags = object_of(answer)->getArray("flags");
      // Only the portfolio's tenancies (a coordinator may read others through a case).
      const std::string latest = flags->size() > 0 ? flags->getObject(flags->size() - 1)->getValue<std::string>("id") : "";
      if (as_consultant.count(latest) > 0) {
        readable.insert(latest);
      }
    }
    EXPECT_EQ(shown, readable) << role;
  }
  // A role that may not read flags is refused however much was kept.
  const auto [status, answer] = runtime.call("neighbour", kConsultant, kEarlyWarning, "flags.portfolio", "{}");
  EXPECT_EQ(status, HEARTH_ERROR_DENIED) << answer;
}

} // namespace
} // namespace hearth::test::dashboards
