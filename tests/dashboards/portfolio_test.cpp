// The early-warning plugin's flags.portfolio, which the consultant view runs on every page,
// on the demo neighbourhood: it asks the policy once per kind of record in a request and
// writes its audit entries together with concurrent requests' (one transaction per group).
// Its answer must be exactly what the per-tenancy reads allow (a tenancy outside the
// portfolio stays refused), and every search must be in the audit log, with an intact
// chain, once the calls have returned — also when many run at once.
#include <algorithm>
#include <map>
#include <set>
#include <thread>
#include <tuple>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "dashboard_fixture.hpp"

namespace hearth::test::dashboards {
namespace {

constexpr const char *kEarlyWarning = "nl.hearth.early-warning";

Poco::JSON::Object::Ptr object_of(const std::string &json) {
  return Poco::JSON::Parser().parse(json).extract<Poco::JSON::Object::Ptr>();
}

int rank(const std::string &level) { return level == "red" ? 3 : level == "amber" ? 2 : level == "green" ? 1 : 0; }

// One row of a portfolio: tenancy, flag, level, status.
using Row = std::tuple<std::string, std::string, std::string, std::string>;

// flags.portfolio as (role, user) with `args`, as rows.
std::vector<Row> portfolio(DashboardRuntime &runtime, const std::string &role, const std::string &user,
                           const std::string &args) {
  const auto [status, answer] = runtime.call(role, user, kEarlyWarning, "flags.portfolio", args);
  EXPECT_EQ(status, HEARTH_OK) << answer;
  std::vector<Row> rows;
  if (status != HEARTH_OK) {
    return rows;
  }
  const auto flags = object_of(answer)->getArray("flags");
  for (unsigned i = 0; i < flags->size(); ++i) {
    const auto f = flags->getObject(i);
    rows.emplace_back(f->getValue<std::string>("tenancy_id"), f->getValue<std::string>("flag_id"),
                      f->getValue<std::string>("level"), f->getValue<std::string>("status"));
  }
  return rows;
}

// What the portfolio must hold, from flags.for-tenancy of every demo tenancy as (role,
// user): for each tenancy it may read, its latest flag at the level a person set (an
// override's) or its own, with the latest decision's status. Tenancies it may not read
// answer NOT_FOUND and are left out; `refused` counts them.
std::vector<Row> expected_portfolio(DashboardRuntime &runtime, const std::string &role, const std::string &user,
                                    int &refused) {
  std::vector<Row> rows;
  refused = 0;
  for (int n = 1; n <= 200; ++n) {
    char id[32];
    std::snprintf(id, sizeof id, "tenancy-%06d", n);
    const auto [status, answer] =
        runtime.call(role, user, kEarlyWarning, "flags.for-tenancy", std::string(R"({"tenancy_id":")") + id + "\"}");
    if (status == HEARTH_ERROR_NOT_FOUND) {
      ++refused;
      continue;
    }
    EXPECT_EQ(status, HEARTH_OK) << answer;
    const auto flags = object_of(answer)->getArray("flags");
    if (flags.isNull() || flags->size() == 0) {
      continue;
    }
    const auto latest = flags->getObject(flags->size() - 1);
    const std::string status_text = latest->getValue<std::string>("status");
    std::string level = latest->getValue<std::string>("level");
    if (status_text == "overridden") {
      level = latest->getObject("decision")->getValue<std::string>("level");
    }
    rows.emplace_back(id, latest->getValue<std::string>("id"), level, status_text);
  }
  return rows;
}

std::vector<Row> sorted(std::vector<Row> rows) {
  std::sort(rows.begin(), rows.end());
  return rows;
}

// Audit entries with event `search` by `user` (the auditor's view, newest first).
std::vector<std::string> search_entries_of(DashboardRuntime &runtime, const std::string &user) {
  hearth_actor auditor{};
  auditor.struct_size = sizeof auditor;
  auditor.user = "auditor-01";
  auditor.role = "auditor";
  auditor.organisation = "corp:demo";
  auditor.access_point = "test";
  char *result = nullptr;
  char *error = nullptr;
  const std::string args = R"({"user":")" + user + R"(","event":"search","limit":1000})";
  const std::int32_t status = hearth_runtime_read(runtime.runtime(), &auditor, "audit.search", args.c_str(), &result, &error);
  const std::string answer = result != nullptr ? result : (error != nullptr ? error : "");
  hearth_free(result);
  hearth_free(error);
  EXPECT_EQ(status, HEARTH_OK) << answer;
  std::vector<std::string> objects;
  if (status != HEARTH_OK) {
    return objects;
  }
  const auto entries = object_of(answer)->getArray("entries");
  for (unsigned i = 0; i < entries->size(); ++i) {
    const auto entry = entries->getObject(i);
    if (entry->getValue<std::string>("purpose") == "early-warning") {
      objects.push_back(entry->getValue<std::string>("objects"));
    }
  }
  return objects;
}

// The objects a portfolio answer's audit entry names.
std::string objects_of(const std::vector<Row> &rows) {
  std::string objects;
  for (const auto &[tenancy, flag, level, status] : rows) {
    objects += (objects.empty() ? "" : ",") + ("tenancy:" + tenancy) + ",flag:" + flag;
  }
  return objects.empty() ? "flags:portfolio" : objects;
}

TEST(EarlyWarningPortfolio, HoldsExactlyWhatThePerTenancyReadsAllow) {
  DashboardRuntime runtime;
  // Decisions of every kind, so that statuses and an override's level are compared too.
  const auto open = portfolio_flags(runtime, kConsultant);
  ASSERT_GE(open.size(), 3u);
  const auto decide = [&](const std::string &id, const std::string &how) {
    const auto [status, answer] = runtime.call("housing_consultant", kConsultant, kEarlyWarning, "flag.decide",
                                               R"({"flag_id":")" + id + R"(","reason":"test",)" + how + "}");
    ASSERT_EQ(status, HEARTH_OK) << answer;
  };
  decide(open[0], R"("decision":"accept")");
  decide(open[1], R"("decision":"dismiss")");
  decide(open[2], R"("decision":"override","level":"green")");

  struct Who {
    std::string role, user;
  };
  for (const Who &who : {Who{"housing_consultant", kConsultant}, Who{"housing_consultant", kOtherConsultant},
                         Who{"tenant", "tenant-000005"}, Who{"housing_consultant", "consultant-99"}}) {
    int refused = 0;
    const auto expected = expected_portfolio(runtime, who.role, who.user, refused);
    EXPECT_GT(refused, 0) << who.user << ": tenancies outside the portfolio are refused";
    if (who.user == "consultant-99") {
      EXPECT_EQ(refused, 200) << "an empty portfolio reads nothing";
    } else if (who.role == "tenant") {
      EXPECT_EQ(refused, 199) << "a tenant reads their own tenancy only";
    }
    const auto all = portfolio(runtime, who.role, who.user, R"({"status":"any","min_level":"green","limit":1000})");
    EXPECT_EQ(sorted(all), sorted(expected)) << who.user;
    // The filters and the order: by level, highest first.
    std::vector<Row> open_amber;
    for (const auto &row : expected) {
      if (std::get<3>(row) == "proposed" && rank(std::get<2>(row)) >= rank("amber")) {
        open_amber.push_back(row);
      }
    }
    const auto shown = portfolio(runtime, who.role, who.user, "{}");
    EXPECT_EQ(sorted(shown), sorted(open_amber)) << who.user;
    for (std::size_t i = 1; i < shown.size(); ++i) {
      EXPECT_GE(rank(std::get<2>(shown[i - 1])), rank(std::get<2>(shown[i]))) << who.user << " row " << i;
    }
  }
  // consultant-01's decisions show with their statuses; the override at its level.
  const auto mine = portfolio(runtime, "housing_consultant", kConsultant, R"({"status":"any","min_level":"green","limit":1000})");
  std::map<std::string, std::pair<std::string, std::string>> by_flag;
  for (const auto &[tenancy, flag, level, status] : mine) {
    by_flag[flag] = {level, status};
  }
  EXPECT_EQ(by_flag[open[0]].second, "accepted");
  EXPECT_EQ(by_flag[open[1]].second, "dismissed");
  EXPECT_EQ(by_flag[open[2]], std::make_pair(std::string("green"), std::string("overridden")));

  // A flag of a tenancy outside the portfolio stays refused, and never shows.
  const auto others = portfolio_flags(runtime, kOtherConsultant);
  ASSERT_FALSE(others.empty());
  for (const auto &id : others) {
    EXPECT_EQ(by_flag.count(id), 0u) << id;
    const auto [status, answer] = runtime.call("housing_consultant", kConsultant, kEarlyWarning, "flag.explain",
                                               R"({"flag_id":")" + id + R"("})");
    EXPECT_EQ(status, HEARTH_ERROR_NOT_FOUND) << id << ": " << answer;
  }
  // A role that may not read flags at all is still refused outright.
  const auto [status, answer] = runtime.call("neighbour", "tenant-000022", kEarlyWarning, "flags.portfolio", "{}");
  EXPECT_EQ(status, HEARTH_ERROR_DENIED) << answer;
}

TEST(EarlyWarningPortfolio, EveryConcurrentSearchIsInTheAuditLogWhenItReturns) {
  DashboardRuntime runtime;
  struct Who {
    std::string role, user;
  };
  const std::vector<Who> people = {{"housing_consultant", kConsultant},
                                   {"housing_consultant", kOtherConsultant},
                                   {"tenant", "tenant-000005"},
                                   {"housing_consultant", "consultant-99"}}; // an empty portfolio
  std::map<std::string, std::size_t> before;
  for (const auto &who : people) {
    before[who.user] = search_entries_of(runtime, who.user).size();
  }
  constexpr int kThreads = 16;
  constexpr int kCallsEach = 6;
  std::vector<std::vector<std::string>> answered(kThreads); // objects each call's entry must name
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      const Who &who = people[static_cast<std::size_t>(t) % people.size()];
      for (int i = 0; i < kCallsEach; ++i) {
        const auto rows = portfolio(runtime, who.role, who.user, R"({"status":"any","min_level":"green"})");
        answered[static_cast<std::size_t>(t)].push_back(objects_of(rows));
      }
    });
  }
  for (auto &thread : threads) {
    thread.join();
  }
  // Every call has its own entry, naming exactly what it answered.
  for (std::size_t p = 0; p < people.size(); ++p) {
    std::multiset<std::string> expected;
    for (std::size_t t = p; t < answered.size(); t += people.size()) {
      expected.insert(answered[t].begin(), answered[t].end());
    }
    const auto entries = search_entries_of(runtime, people[p].user);
    ASSERT_EQ(entries.size(), before[people[p].user] + expected.size()) << people[p].user;
    const std::multiset<std::string> written(entries.begin(),
                                             entries.begin() + static_cast<std::ptrdiff_t>(expected.size()));
    EXPECT_EQ(written, expected) << people[p].user;
  }
  // The chain stays whole with entries written in groups.
  hearth_actor auditor{};
  auditor.struct_size = sizeof auditor;
  auditor.user = "auditor-01";
  auditor.role = "auditor";
  auditor.organisation = "corp:demo";
  auditor.access_point = "test";
  char *result = nullptr;
  char *error = nullptr;
  ASSERT_EQ(hearth_runtime_read(runtime.runtime(), &auditor, "audit.verify", "{}", &result, &error), HEARTH_OK);
  const auto verified = object_of(result);
  hearth_free(result);
  hearth_free(error);
  EXPECT_TRUE(verified->getValue<bool>("intact"));
}

} // namespace
} // namespace hearth::test::dashboards
