// The hash chain on both backends: intact after appends, and a changed, removed or
// reordered entry is found and named. Also the canonical serialisation itself.
#include <stdexcept>

#include <gtest/gtest.h>

#include "audit/audit_chain.hpp"
#include "audit_fixture.hpp"

namespace hearth::audit::test {
namespace {

class AuditChain : public AuditTest {
protected:
  // Appends `count` entries at times 1000, 1001, ...
  void append_entries(int count) {
    for (int i = 0; i < count; ++i) {
      log->append(sample_entry("u-" + std::to_string(i)), 1000 + i);
    }
  }
};

TEST_P(AuditChain, EmptyLogIsIntact) {
  const VerifyResult result = log->verify();
  EXPECT_TRUE(result.intact);
  EXPECT_EQ(result.entries, 0U);
  EXPECT_FALSE(result.first_bad.has_value());
}

TEST_P(AuditChain, AppendsNumberFromOneAndVerifyIntact) {
  EXPECT_EQ(log->append(sample_entry(), 1000), 1U);
  EXPECT_EQ(log->append(sample_entry(), 1001), 2U);
  append_entries(8);
  const VerifyResult result = log->verify();
  EXPECT_TRUE(result.intact) << result.reason;
  EXPECT_EQ(result.entries, 10U);
  EXPECT_FALSE(result.first_bad.has_value());
}

TEST_P(AuditChain, StoresEveryFieldAndChainsHashes) {
  AuditEntry entry = sample_entry("u-7", " tenancy:T-1 , person:P-2 ");
  entry.on_behalf_of = "u-8";
  entry.emergency = true;
  entry.outcome = "denied";
  log->append(sample_entry(), 999);
  log->append(entry, 123456789);
  const auto found = log->search(AuditLog::Filter{.user = "u-7"});
  ASSERT_EQ(found.size(), 1U);
  const AuditEntry &stored = found[0];
  EXPECT_EQ(stored.sequence, 2U);
  EXPECT_EQ(stored.at_ms, 123456789);
  EXPECT_EQ(stored.event, "read");
  EXPECT_EQ(stored.on_behalf_of, "u-8");
  EXPECT_EQ(stored.organisation, "gemeente:0363");
  EXPECT_EQ(stored.role, "coordinator");
  EXPECT_EQ(stored.access_point, "crm:viewpoint");
  EXPECT_EQ(stored.objects, "tenancy:T-1,person:P-2"); // items trimmed
  EXPECT_TRUE(stored.emergency);
  EXPECT_EQ(stored.purpose, "wgs:vroegsignalering");
  EXPECT_EQ(stored.outcome, "denied");

  std::vector<std::pair<std::string, std::string>> links;
  store->execute("SELECT prev_hash, hash FROM hearth_audit_log ORDER BY sequence", {},
                 [&links](const storage::Row &row) {
                   links.emplace_back(std::get<std::string>(row.values[0]),
                                      std::get<std::string>(row.values[1]));
                   return true;
                 });
  ASSERT_EQ(links.size(), 2U);
  EXPECT_EQ(links[0].first, std::string(64, '0'));
  EXPECT_EQ(links[1].first, links[0].second);
  EXPECT_EQ(links[1].second, chain::entry_hash(stored, links[0].second));
}

TEST_P(AuditChain, ChangedFieldIsAHashMismatchAtThatEntry) {
  append_entries(6);
  tamper("UPDATE hearth_audit_log SET objects = ? WHERE sequence = 4",
         {std::string("tenancy:T-999")});
  const VerifyResult result = log->verify();
  EXPECT_FALSE(result.intact);
  ASSERT_TRUE(result.first_bad.has_value());
  EXPECT_EQ(*result.first_bad, 4U);
  EXPECT_NE(result.reason.find("hash mismatch"), std::string::npos) << result.reason;
}

TEST_P(AuditChain, EveryFieldIsCovered) {
  const std::vector<std::pair<std::string, Value>> changes{
      {"at_ms", std::int64_t{1}},         {"event", std::string("create")},
      {"user_id", std::string("u-x")},    {"on_behalf_of", std::string("u-y")},
      {"organisation", std::string("o")}, {"role", std::string("auditor")},
      {"access_point", std::string("a")}, {"emergency", std::int64_t{1}},
      {"purpose", std::string("p")},      {"outcome", std::string("denied")},
  };
  append_entries(3);
  for (const auto &[column, value] : changes) {
    std::vector<Value> original;
    store->execute("SELECT " + column + " FROM hearth_audit_log WHERE sequence = 2", {},
                   [&original](const storage::Row &row) {
                     original.assign(row.values.begin(), row.values.end());
                     return false;
                   });
    tamper("UPDATE hearth_audit_log SET " + column + " = ? WHERE sequence = 2", {value});
    const VerifyResult result = log->verify();
    EXPECT_FALSE(result.intact) << column;
    EXPECT_EQ(result.first_bad, std::optional<std::uint64_t>(2)) << column;
    tamper("UPDATE hearth_audit_log SET " + column + " = ? WHERE sequence = 2", original);
    EXPECT_TRUE(log->verify().intact) << column << " restored";
  }
}

TEST_P(AuditChain, RewrittenEntryWithRecomputedHashBreaksTheNextLink) {
  append_entries(5);
  // An attacker changes entry 3 and recomputes its hash: entry 3 itself looks fine...
  AuditEntry changed = log->search(AuditLog::Filter{.user = "u-2"}).at(0);
  ASSERT_EQ(changed.sequence, 3U);
  std::string prev_hash;
  store->execute("SELECT prev_hash FROM hearth_audit_log WHERE sequence = 3", {},
                 [&prev_hash](const storage::Row &row) {
                   prev_hash = std::get<std::string>(row.values[0]);
                   return false;
                 });
  changed.user = "u-someone-else";
  tamper("UPDATE hearth_audit_log SET user_id = ?, hash = ? WHERE sequence = 3",
         {changed.user, chain::entry_hash(changed, prev_hash)});
  // ...but entry 4 no longer links to it.
  const VerifyResult result = log->verify();
  EXPECT_FALSE(result.intact);
  EXPECT_EQ(result.first_bad, std::optional<std::uint64_t>(4));
  EXPECT_NE(result.reason.find("out of order"), std::string::npos) << result.reason;
}

TEST_P(AuditChain, DeletedMiddleEntryIsNamed) {
  append_entries(7);
  tamper("DELETE FROM hearth_audit_log WHERE sequence = 4");
  const VerifyResult result = log->verify();
  EXPECT_FALSE(result.intact);
  EXPECT_EQ(result.first_bad, std::optional<std::uint64_t>(4));
  EXPECT_NE(result.reason.find("missing entry 4"), std::string::npos) << result.reason;
}

TEST_P(AuditChain, DeletedFirstEntryIsNamed) {
  append_entries(3);
  tamper("DELETE FROM hearth_audit_log WHERE sequence = 1");
  const VerifyResult result = log->verify();
  EXPECT_FALSE(result.intact);
  EXPECT_EQ(result.first_bad, std::optional<std::uint64_t>(1));
  EXPECT_NE(result.reason.find("missing entry 1"), std::string::npos) << result.reason;
}

TEST_P(AuditChain, DeletedAndRenumberedEntryIsOutOfOrder) {
  append_entries(5);
  tamper("DELETE FROM hearth_audit_log WHERE sequence = 3");
  tamper("UPDATE hearth_audit_log SET sequence = 3 WHERE sequence = 4");
  tamper("UPDATE hearth_audit_log SET sequence = 4 WHERE sequence = 5");
  const VerifyResult result = log->verify();
  EXPECT_FALSE(result.intact);
  EXPECT_EQ(result.first_bad, std::optional<std::uint64_t>(3));
  EXPECT_NE(result.reason.find("out of order"), std::string::npos) << result.reason;
}

TEST_P(AuditChain, SwappedEntriesAreOutOfOrder) {
  append_entries(6);
  tamper("UPDATE hearth_audit_log SET sequence = -1 WHERE sequence = 3");
  tamper("UPDATE hearth_audit_log SET sequence = 3 WHERE sequence = 4");
  tamper("UPDATE hearth_audit_log SET sequence = 4 WHERE sequence = -1");
  const VerifyResult result = log->verify();
  EXPECT_FALSE(result.intact);
  EXPECT_EQ(result.first_bad, std::optional<std::uint64_t>(3));
  EXPECT_NE(result.reason.find("out of order"), std::string::npos) << result.reason;
}

TEST_P(AuditChain, AppendJoinsTheCallersTransactionAndRollsBackWithIt) {
  log->append(sample_entry(), 1000);
  EXPECT_THROW(store->transaction([&] {
                 store->execute("CREATE TABLE tenancy_note (id BIGINT)");
                 log->append(sample_entry("u-rolled-back"), 1001);
                 throw std::runtime_error("the business change failed");
               }),
               std::runtime_error);
  EXPECT_EQ(entry_count(), 1);
  EXPECT_TRUE(log->search(AuditLog::Filter{.user = "u-rolled-back"}).empty());

  store->transaction([&] { EXPECT_EQ(log->append(sample_entry("u-kept"), 1002), 2U); });
  EXPECT_EQ(entry_count(), 2);
  EXPECT_TRUE(log->verify().intact);
}

TEST_P(AuditChain, MissingFieldIsRefusedByName) {
  const std::vector<std::pair<std::string, std::string AuditEntry::*>> required{
      {"event", &AuditEntry::event},
      {"user", &AuditEntry::user},
      {"role", &AuditEntry::role},
      {"organisation", &AuditEntry::organisation},
      {"access_point", &AuditEntry::access_point},
  };
  for (const auto &[name, field] : required) {
    AuditEntry entry = sample_entry();
    entry.*field = "";
    try {
      log->append(entry, 1000);
      ADD_FAILURE() << "accepted an entry without " << name;
    } catch (const std::invalid_argument &error) {
      EXPECT_NE(std::string(error.what()).find(name), std::string::npos) << error.what();
    }
  }
  EXPECT_EQ(entry_count(), 0);
}

TEST_P(AuditChain, UnknownEventOutcomeOrEmptyObjectItemIsRefused) {
  AuditEntry entry = sample_entry();
  entry.event = "view";
  EXPECT_THROW(log->append(entry, 1), std::invalid_argument);
  entry = sample_entry();
  entry.outcome = "maybe";
  EXPECT_THROW(log->append(entry, 1), std::invalid_argument);
  entry = sample_entry("u-1", "tenancy:T-1,,person:P-1");
  EXPECT_THROW(log->append(entry, 1), std::invalid_argument);
  EXPECT_EQ(entry_count(), 0);
}

TEST_P(AuditChain, BsnInAnyFieldIsRefusedWithoutRepeatingIt) {
  const std::vector<std::pair<std::string, std::string AuditEntry::*>> fields{
      {"user", &AuditEntry::user},       {"on_behalf_of", &AuditEntry::on_behalf_of},
      {"organisation", &AuditEntry::organisation}, {"access_point", &AuditEntry::access_point},
      {"objects", &AuditEntry::objects}, {"purpose", &AuditEntry::purpose},
  };
  for (const auto &[name, field] : fields) {
    AuditEntry entry = sample_entry();
    entry.*field = "person:111222333";
    try {
      log->append(entry, 1000);
      ADD_FAILURE() << "accepted a BSN in " << name;
    } catch (const std::invalid_argument &error) {
      EXPECT_NE(std::string(error.what()).find(name), std::string::npos) << error.what();
      EXPECT_EQ(std::string(error.what()).find("111222333"), std::string::npos) << error.what();
    }
  }
  EXPECT_EQ(entry_count(), 0);
  // Nine digits that fail the elfproef are an ordinary id.
  EXPECT_EQ(log->append(sample_entry("u-1", "person:111222334"), 1000), 1U);
}

INSTANTIATE_TEST_SUITE_P(Backends, AuditChain,
                         ::testing::Values(Backend::sqlite, Backend::postgresql), backend_name);

TEST(AuditCanonical, LengthPrefixesKeepFieldsApart) {
  AuditEntry a = sample_entry();
  AuditEntry b = a;
  a.user = "u-1";
  a.on_behalf_of = "2";
  b.user = "u-";
  b.on_behalf_of = "12";
  EXPECT_NE(chain::canonical(a, "p"), chain::canonical(b, "p"));
  EXPECT_NE(chain::entry_hash(a, "p"), chain::entry_hash(b, "p"));
}

TEST(AuditCanonical, HashIsSha256OfTheCanonicalText) {
  AuditEntry entry = sample_entry();
  entry.sequence = 1;
  entry.at_ms = 1000;
  const std::string text = chain::canonical(entry, chain::genesis_hash);
  EXPECT_EQ(text, "15:hearth-audit-v1" "1:1" "4:1000" "4:read" "5:u-100" "0:"
                  "13:gemeente:0363" "11:coordinator" "13:crm:viewpoint"
                  "22:tenancy:T-1,person:P-1" "1:0" "20:wgs:vroegsignalering" "7:allowed"
                  "64:" + std::string(64, '0'));
  // Computed independently (Python hashlib.sha256 of the text above).
  const std::string hash = chain::entry_hash(entry, chain::genesis_hash);
  EXPECT_EQ(hash, "563d07597aca27a75710f107d0b8eff5f702635535a7c9949a4ae9ef36118400");
  entry.emergency = true;
  EXPECT_NE(hash, chain::entry_hash(entry, chain::genesis_hash));
}

} // namespace
} // namespace hearth::audit::test
