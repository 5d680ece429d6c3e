// Reading the log: "who viewed this file" with exact object matching, and the auditor's
// search with its filters.
#include <gtest/gtest.h>

#include "audit_fixture.hpp"

namespace hearth::audit::test {
namespace {

class AuditQueries : public AuditTest {
protected:
  // The users of `entries`, in order.
  static std::vector<std::string> users(const std::vector<AuditEntry> &entries) {
    std::vector<std::string> list;
    for (const auto &entry : entries) {
      list.push_back(entry.user);
    }
    return list;
  }
};

TEST_P(AuditQueries, ViewersOfMatchesWholeObjectIdsOnly) {
  log->append(sample_entry("u-a", "tenancy:T-1"), 1000);
  log->append(sample_entry("u-b", "tenancy:T-10"), 1001);
  log->append(sample_entry("u-c", "person:P-1,tenancy:T-1"), 1002);
  log->append(sample_entry("u-d", "tenancy:T-1,person:P-2"), 1003);
  log->append(sample_entry("u-e", "xtenancy:T-1"), 1004);
  log->append(sample_entry("u-f", "tenancy:t-1"), 1005);
  log->append(sample_entry("u-g", "tenancy:T-1 "), 1006); // stored trimmed
  EXPECT_EQ(users(log->viewers_of("tenancy:T-1")),
            (std::vector<std::string>{"u-g", "u-d", "u-c", "u-a"}));
  EXPECT_EQ(users(log->viewers_of("tenancy:T-10")), std::vector<std::string>{"u-b"});
  EXPECT_TRUE(log->viewers_of("tenancy:T").empty());
  EXPECT_TRUE(log->viewers_of("").empty());
}

TEST_P(AuditQueries, ViewersOfCountsReadSearchAndExportOnly) {
  for (const std::string event : {"create", "read", "update", "delete", "search", "export"}) {
    log->append(sample_entry("u-" + event, "tenancy:T-1", event), 1000);
  }
  EXPECT_EQ(users(log->viewers_of("tenancy:T-1")),
            (std::vector<std::string>{"u-export", "u-search", "u-read"}));
}

TEST_P(AuditQueries, ViewersOfTreatsLikeWildcardsLiterally) {
  log->append(sample_entry("u-a", "file:100%_x"), 1000);
  log->append(sample_entry("u-b", "file:100ab_x"), 1001);
  log->append(sample_entry("u-c", "file:a\\b"), 1002);
  EXPECT_EQ(users(log->viewers_of("file:100%_x")), std::vector<std::string>{"u-a"});
  EXPECT_EQ(users(log->viewers_of("file:a\\b")), std::vector<std::string>{"u-c"});
  EXPECT_TRUE(log->viewers_of("file:100%").empty());
}

TEST_P(AuditQueries, ViewersOfHonoursTheLimitNewestFirst) {
  for (int i = 0; i < 5; ++i) {
    log->append(sample_entry("u-" + std::to_string(i), "tenancy:T-1"), 1000 + i);
    log->append(sample_entry("u-other", "tenancy:T-11"), 1000 + i);
  }
  EXPECT_EQ(users(log->viewers_of("tenancy:T-1", 2)), (std::vector<std::string>{"u-4", "u-3"}));
  EXPECT_TRUE(log->viewers_of("tenancy:T-1", 0).empty());
}

TEST_P(AuditQueries, SearchFiltersCombine) {
  log->append(sample_entry("u-a", "tenancy:T-1", "read"), 1000);
  log->append(sample_entry("u-a", "tenancy:T-2", "update"), 2000);
  log->append(sample_entry("u-b", "tenancy:T-1", "read"), 3000);
  log->append(sample_entry("u-a", "tenancy:T-1", "export"), 4000);
  log->append(sample_entry("u-a", "tenancy:T-12", "read"), 5000);

  EXPECT_EQ(log->search({}).size(), 5U);
  EXPECT_EQ(log->search({.user = "u-a"}).size(), 4U);
  EXPECT_EQ(log->search({.user = "u-"}).size(), 0U);
  EXPECT_EQ(log->search({.event = "read"}).size(), 3U);

  const auto on_t1 = log->search({.object_id = "tenancy:T-1"});
  ASSERT_EQ(on_t1.size(), 3U);
  EXPECT_EQ(on_t1[0].at_ms, 4000);
  EXPECT_EQ(on_t1[2].at_ms, 1000);

  const auto window = log->search({.from_ms = 2000, .to_ms = 4000});
  ASSERT_EQ(window.size(), 2U); // from inclusive, to exclusive
  EXPECT_EQ(window[0].at_ms, 3000);
  EXPECT_EQ(window[1].at_ms, 2000);

  const auto combined =
      log->search({.user = "u-a", .object_id = "tenancy:T-1", .event = "read", .from_ms = 0});
  ASSERT_EQ(combined.size(), 1U);
  EXPECT_EQ(combined[0].sequence, 1U);

  EXPECT_EQ(log->search({.limit = 2}).size(), 2U);
  EXPECT_EQ(log->search({.limit = 2})[0].sequence, 5U);
  EXPECT_EQ(log->search({.object_id = "tenancy:T-1", .limit = 1}).size(), 1U);
}

INSTANTIATE_TEST_SUITE_P(Backends, AuditQueries,
                         ::testing::Values(Backend::sqlite, Backend::postgresql), backend_name);

} // namespace
} // namespace hearth::audit::test
