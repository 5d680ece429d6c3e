// flags.portfolio keeps what it read of a person's tenancies and flags between requests
// (plugins/early-warning/src/plugin/portfolio_cache.hpp) and checks it against the store
// on every request. What it keeps must never show once the store says otherwise: a
// tenancy moved to another consultant, a new tenant, an erasure, a change written straight
// into the store by another process, and a decision or a move made through another
// instance on the same store are all in the very next answer; the policy is asked and the
// search audited on every request. On SQLite and PostgreSQL.
#include <set>
#include <string>

#include <gtest/gtest.h>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "ew_runtime.hpp"
#include "storage/store.hpp"

using namespace hearth::test;
using namespace hearth::test::early_warning;

namespace {

constexpr const char *kEveryFlag = R"({"status":"any","min_level":"green"})";

class EarlyWarningPortfolioKept : public EwTest {
protected:
  void SetUp() override {
    if (!open_runtime()) {
      return;
    }
    for (const char *tenancy : {"T-1", "T-2", "T-3"}) {
      runtime_->add_tenancy(tenancy, "consultant-1", std::string("tenant-") + tenancy);
    }
    runtime_->add_tenancy("T-4", "consultant-1", "tenant-T-4"); // without flags
    for (const char *tenancy : {"T-1", "T-2", "T-3"}) {
      const std::string prefix = std::string("k-") + tenancy;
      runtime_->ingest(
          {spec(tenancy, prefix + "-1", "SCH", "DEU", 1, 300'000), spec(tenancy, prefix + "-2", "X-BTR", "VBR", 0, 1'000)});
    }
    for (const char *tenancy : {"T-1", "T-2", "T-3"}) {
      const auto flags = object_of(runtime_->ok(consultant_, "flags.for-tenancy",
                                                R"({"tenancy_id":")" + std::string(tenancy) + R"("})"))
                             ->getArray("flags");
      ASSERT_EQ(flags->size(), 1u) << tenancy;
      flag_[tenancy] = flags->getObject(0)->getValue<std::string>("id");
    }
  }

  // The tenancy ids of `who`'s flags.portfolio answer (every status and level) on `runtime`.
  static std::set<std::string> tenancies_shown(EwRuntime &runtime, const hearth_actor &who) {
    const auto flags = object_of(runtime.ok(who, "flags.portfolio", kEveryFlag))->getArray("flags");
    std::set<std::string> shown;
    for (unsigned i = 0; i < flags->size(); ++i) {
      shown.insert(flags->getObject(i)->getValue<std::string>("tenancy_id"));
    }
    return shown;
  }
  std::set<std::string> tenancies_shown(const hearth_actor &who) { return tenancies_shown(*runtime_, who); }

  // The status flags.portfolio shows for `tenancy`'s flag to consultant-1 on `runtime`.
  std::string status_shown(EwRuntime &runtime, const std::string &tenancy) {
    const auto flags = object_of(runtime.ok(consultant_, "flags.portfolio", kEveryFlag))->getArray("flags");
    for (unsigned i = 0; i < flags->size(); ++i) {
      if (flags->getObject(i)->getValue<std::string>("tenancy_id") == tenancy) {
        return flags->getObject(i)->getValue<std::string>("status");
      }
    }
    return "";
  }

  // Runs `sql` on the store directly, as another process (an operator, another program) would.
  void write_directly(const std::string &sql, const std::string &param) {
    hearth::storage::StoreOptions options;
    const auto &store = store_->store();
    options.backend =
        store.backend == Backend::sqlite ? hearth::storage::Backend::sqlite : hearth::storage::Backend::postgresql;
    options.target = store.backend == Backend::sqlite ? store.sqlite_file.string() : store.postgresql;
    options.pool_size = 1;
    const auto direct = hearth::storage::Store::open(options);
    const hearth::storage::Value params[] = {param};
    direct->execute(sql, params);
  }

  std::map<std::string, std::string> flag_;
  hearth_actor consultant_ = person("housing_consultant", "consultant-1");
  hearth_actor other_consultant_ = person("housing_consultant", "consultant-2");
};

} // namespace

TEST_P(EarlyWarningPortfolioKept, EveryChangeOfATenancyIsInTheNextAnswer) {
  const std::set<std::string> all = {"T-1", "T-2", "T-3"};
  EXPECT_EQ(tenancies_shown(consultant_), all);
  EXPECT_EQ(tenancies_shown(consultant_), all); // the second time from what was kept
  EXPECT_TRUE(tenancies_shown(other_consultant_).empty());

  // Moved to consultant-2 through the runtime (put_records).
  runtime_->add_tenancy("T-1", "consultant-2", "tenant-T-1");
  EXPECT_EQ(tenancies_shown(consultant_), (std::set<std::string>{"T-2", "T-3"}));
  EXPECT_EQ(tenancies_shown(other_consultant_), (std::set<std::string>{"T-1"}));

  // A new tenant: the old one sees nothing more, the new one their tenancy's flag.
  const hearth_actor old_tenant = person("tenant", "tenant-T-2");
  const hearth_actor new_tenant = person("tenant", "tenant-new");
  EXPECT_EQ(tenancies_shown(old_tenant), (std::set<std::string>{"T-2"}));
  EXPECT_TRUE(tenancies_shown(new_tenant).empty());
  runtime_->add_tenancy("T-2", "consultant-1", "tenant-new");
  EXPECT_TRUE(tenancies_shown(old_tenant).empty());
  EXPECT_EQ(tenancies_shown(new_tenant), (std::set<std::string>{"T-2"}));
  EXPECT_EQ(tenancies_shown(consultant_), (std::set<std::string>{"T-2", "T-3"}));

  // Written straight into the store by another process: T-3 to consultant-2 and back.
  write_directly("UPDATE hearth_tenancy SET portfolio_owner = 'consultant-2' WHERE id = ?", "T-3");
  EXPECT_EQ(tenancies_shown(consultant_), (std::set<std::string>{"T-2"}));
  EXPECT_EQ(tenancies_shown(other_consultant_), (std::set<std::string>{"T-1", "T-3"}));
  write_directly("UPDATE hearth_tenancy SET portfolio_owner = 'consultant-1' WHERE id = ?", "T-3");
  EXPECT_EQ(tenancies_shown(consultant_), (std::set<std::string>{"T-2", "T-3"}));
  // Its tenant changed in the store alone: the tenant's own list follows at once.
  write_directly("UPDATE hearth_tenancy SET tenant_user = NULL WHERE id = ?", "T-3");
  EXPECT_TRUE(tenancies_shown(person("tenant", "tenant-T-3")).empty());

  // A tenancy without flags joining or leaving changes nothing shown, and breaks nothing.
  runtime_->add_tenancy("T-4", "consultant-2", "tenant-T-4");
  EXPECT_EQ(tenancies_shown(consultant_), (std::set<std::string>{"T-2", "T-3"}));

  // Erased by the runtime: the tenancy leaves the portfolio (its consultant is cleared)
  // even before the plugin hears of the erasure.
  const auto admin = person("administrator", "admin-1");
  char *result = nullptr;
  char *error = nullptr;
  ASSERT_EQ(hearth_runtime_command(runtime_->runtime(), &admin, "erase-tenancy", R"({"tenancy_id":"T-2"})", &result,
                                   &error),
            HEARTH_OK)
      << take(error);
  take(result);
  EXPECT_EQ(tenancies_shown(consultant_), (std::set<std::string>{"T-3"}));
}

TEST_P(EarlyWarningPortfolioKept, ASwapThatKeepsEveryCountIsInTheNextAnswer) {
  runtime_->add_tenancy("T-3", "consultant-2", "tenant-T-3");
  EXPECT_EQ(tenancies_shown(consultant_), (std::set<std::string>{"T-1", "T-2"}));
  EXPECT_EQ(tenancies_shown(other_consultant_), (std::set<std::string>{"T-3"}));
  const hearth_actor tenant_one = person("tenant", "tenant-T-1");
  const hearth_actor tenant_two = person("tenant", "tenant-T-2");
  EXPECT_EQ(tenancies_shown(tenant_one), (std::set<std::string>{"T-1"}));
  EXPECT_EQ(tenancies_shown(tenant_two), (std::set<std::string>{"T-2"}));

  // Each consultant gives one tenancy for one of the other's, and the two tenants swap
  // homes: every list keeps its length, and every list is another.
  runtime_->add_tenancy("T-1", "consultant-2", "tenant-T-2");
  runtime_->add_tenancy("T-3", "consultant-1", "tenant-T-3");
  runtime_->add_tenancy("T-2", "consultant-1", "tenant-T-1");
  EXPECT_EQ(tenancies_shown(consultant_), (std::set<std::string>{"T-2", "T-3"}));
  EXPECT_EQ(tenancies_shown(other_consultant_), (std::set<std::string>{"T-1"}));
  EXPECT_EQ(tenancies_shown(tenant_one), (std::set<std::string>{"T-2"}));
  EXPECT_EQ(tenancies_shown(tenant_two), (std::set<std::string>{"T-1"}));
}

TEST_P(EarlyWarningPortfolioKept, AChangeThroughAnotherInstanceIsInTheNextAnswer) {
  EwRuntime other(store_->store());
  EXPECT_EQ(status_shown(*runtime_, "T-1"), "proposed");
  EXPECT_EQ(status_shown(*runtime_, "T-1"), "proposed"); // kept now
  EXPECT_EQ(status_shown(other, "T-1"), "proposed");

  // A decision through the other instance.
  other.ok(consultant_, "flag.decide", R"({"flag_id":")" + flag_["T-1"] + R"(","decision":"accept","reason":"test"})");
  EXPECT_EQ(status_shown(*runtime_, "T-1"), "accepted");
  // Its revision through this one, seen by the other.
  runtime_->ok(consultant_, "flag.revise",
               R"({"flag_id":")" + flag_["T-1"] + R"(","decision":"dismiss","revises":1,"reason":"test"})");
  EXPECT_EQ(status_shown(other, "T-1"), "dismissed");

  // A move through the other instance.
  other.add_tenancy("T-3", "consultant-2", "tenant-T-3");
  EXPECT_EQ(tenancies_shown(consultant_), (std::set<std::string>{"T-1", "T-2"}));
  EXPECT_EQ(tenancies_shown(*runtime_, other_consultant_), (std::set<std::string>{"T-3"}));
}

TEST_P(EarlyWarningPortfolioKept, ThePolicyIsAskedAndTheSearchAuditedOnEveryRequest) {
  const std::string object = "flag:" + flag_["T-1"];
  const auto searches = [&] {
    std::size_t count = 0;
    for (const auto &line : audit_lines(store_->store(), object)) {
      count += line == "search allowed consultant-1 housing_consultant" ? 1 : 0;
    }
    return count;
  };
  const std::size_t before = searches();
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(tenancies_shown(consultant_).count("T-1"), 1u);
  }
  EXPECT_EQ(searches(), before + 3) << "one audited search per request, also when the rows were kept";

  // The same user in a role that may not read flags is refused (and that is audited),
  // however much was kept for them.
  const auto refused = runtime_->call(person("neighbour", "consultant-1"), "flags.portfolio", kEveryFlag);
  EXPECT_EQ(refused.status, HEARTH_ERROR_DENIED) << refused.text;
  const auto lines = audit_lines(store_->store(), "flags:portfolio");
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines.back(), "search denied consultant-1 neighbour");
  // And the policy's answer for a tenancy is not kept: the tenant of T-1 sees T-1 only.
  EXPECT_EQ(tenancies_shown(person("tenant", "tenant-T-1")), (std::set<std::string>{"T-1"}));
}

INSTANTIATE_TEST_SUITE_P(Backends, EarlyWarningPortfolioKept, testing::Values(Backend::sqlite, Backend::postgresql),
                         backend_name);
