// The owner invariant: one accountable owner at every moment. A property test applies long
// random sequences of operations (offers, accepts, declines, withdrawals, transitions,
// escalations, binding mandate decisions, timer ticks), one after another and from several
// threads at once, and checks after each step (and at the end) that every case has exactly
// one current owner, that the ownership history has no gap and no overlap, and that the
// owner changed exactly when an acceptance or a binding decision said so. The store itself
// refuses a second current owner or an empty one.
#include <mutex>
#include <random>
#include <thread>

#include "handoff_test_base.hpp"

namespace hearth::test::handoff {
namespace {

using namespace cast;

// Every person who may hold a case in these tests.
const std::vector<const Who *> &owners() {
  static const std::vector<const Who *> all{&coordinator, &coordinator_care, &coordinator_other, &mandate_holder};
  return all;
}

class OwnerInvariant : public HandoffTest {
protected:
  // Checks the invariant for every case straight in the store.
  void check_all_cases() {
    std::vector<std::string> ids;
    db().execute("SELECT id FROM ch_case", {}, [&](const storage::Row &row) {
      ids.push_back(std::get<std::string>(row.values[0]));
      return true;
    });
    for (const auto &id : ids) {
      check_case(id);
    }
  }

  void check_case(const std::string &id) {
    const std::string owner = text("SELECT owner_user || '@' || owner_org FROM ch_case WHERE id = ?", {id});
    ASSERT_FALSE(owner.empty()) << id;
    struct Span {
      std::string who;
      std::int64_t from;
      std::optional<std::int64_t> until;
    };
    std::vector<Span> spans;
    db().execute("SELECT owner_user || '@' || owner_org, from_ms, until_ms FROM ch_ownership WHERE case_id = ?"
                 " ORDER BY seq",
                 std::vector<storage::Value>{id}, [&](const storage::Row &row) {
                   Span s{std::get<std::string>(row.values[0]), std::get<std::int64_t>(row.values[1]), std::nullopt};
                   if (const auto *until = std::get_if<std::int64_t>(&row.values[2])) {
                     s.until = *until;
                   }
                   spans.push_back(s);
                   return true;
                 });
    ASSERT_FALSE(spans.empty()) << id;
    int current = 0;
    for (std::size_t i = 0; i < spans.size(); ++i) {
      current += !spans[i].until.has_value();
      if (i > 0) {
        ASSERT_TRUE(spans[i - 1].until.has_value()) << id << ": two owners at once";
        ASSERT_EQ(*spans[i - 1].until, spans[i].from) << id << ": a gap or overlap between owners";
      }
    }
    ASSERT_EQ(current, 1) << id;
    ASSERT_FALSE(spans.back().until.has_value()) << id;
    ASSERT_EQ(spans.back().who, owner) << id << ": case row and history disagree";
  }

  std::vector<std::string> open_offers() {
    // One thread at a time on the test's own connection (see the report: a shared
    // single-connection PostgreSQL store crashed inside SOCI when threads raced on it).
    std::lock_guard lock(direct_mutex_);
    std::vector<std::string> ids;
    db().execute("SELECT id FROM ch_offer WHERE status = 'offered' ORDER BY id", {}, [&](const storage::Row &row) {
      ids.push_back(std::get<std::string>(row.values[0]));
      return true;
    });
    return ids;
  }

  // One random step by a random person; returns the status. Accepted ownership changes
  // are counted in `changes`.
  int32_t random_step(std::mt19937 &random, const std::vector<std::string> &cases, std::atomic<int> &changes) {
    const auto pick = [&](std::size_t n) { return static_cast<std::size_t>(random() % n); };
    const Who &who = *owners()[pick(owners().size())];
    const std::string &case_id = cases[pick(cases.size())];
    const std::string case_arg = R"({"case_id":")" + case_id + "\"";
    switch (pick(10)) {
    case 0:
    case 1: {
      const Who &to = *owners()[pick(owners().size())];
      return rt().call(who, "handoff.offer",
                       case_arg + R"(,"to_user":")" + to.user + R"(","to_organisation":")" + to.organisation +
                           R"(","to_role":"coordinator","reason":"random"})")
          .status;
    }
    case 2:
    case 3: {
      const auto offers = open_offers();
      if (offers.empty()) {
        return HEARTH_OK;
      }
      const auto reply = rt().call(who, "handoff.accept", R"({"offer_id":")" + offers[pick(offers.size())] + R"("})");
      if (reply.ok()) {
        ++changes;
      }
      return reply.status;
    }
    case 4: {
      const auto offers = open_offers();
      if (offers.empty()) {
        return HEARTH_OK;
      }
      const std::string op = pick(2) == 0 ? "handoff.decline" : "handoff.withdraw";
      return rt().call(who, op, R"({"offer_id":")" + offers[pick(offers.size())] + R"(","reason":"random"})").status;
    }
    case 5: {
      static const char *const names[] = {"start-triage", "assign", "agree-plan", "activate", "monitor",
                                          "resume",       "close",  "reopen"};
      return rt().call(who, "case.transition", case_arg + R"(,"transition":")" + names[pick(8)] + R"(","reason":"r"})")
          .status;
    }
    case 6:
      return rt().call(who, pick(2) == 0 ? "escalation.raise" : "escalation.lower",
                       case_arg + R"(,"levels":)" + std::to_string(1 + pick(4)) + R"(,"reason":"r"})")
          .status;
    case 7: {
      const Who &to = *owners()[pick(owners().size())];
      const auto reply = rt().call(who, "mandate.decide",
                                   case_arg + R"(,"kind":"assign_owner","reason":"binding","assign_to":{"user":")" +
                                       to.user + R"(","organisation":")" + to.organisation + R"(","role":"coordinator"}})");
      if (reply.ok() && reply.json()->getValue<bool>("owner_changed")) {
        ++changes;
      }
      return reply.status;
    }
    case 8:
      rt().clock().advance_ms(static_cast<std::int64_t>(pick(5)) * 86'400'000 + static_cast<std::int64_t>(pick(1000)));
      return rt().call(system, "escalation.tick").status;
    default:
      return rt().call(who, "case.get", case_arg + "}").status;
    }
  }

  std::vector<std::string> open_cases(int n) {
    std::vector<std::string> ids;
    for (int i = 1; i <= n; ++i) {
      ids.push_back(rt().open_case(coordinator, "T-" + std::to_string(i)));
    }
    return ids;
  }

  std::mutex direct_mutex_;

  // Every accepted handoff or effective binding assignment added one ownership row.
  void check_changes_were_counted(int changes, std::size_t cases) {
    EXPECT_EQ(number("SELECT COUNT(*) FROM ch_ownership"), static_cast<std::int64_t>(changes + cases));
    EXPECT_EQ(number("SELECT COUNT(*) FROM ch_offer WHERE status = 'accepted'") +
                  number("SELECT COUNT(*) FROM ch_ownership WHERE how = 'mandate'"),
              changes);
  }
};

bool expected_status(int32_t status) {
  return status == HEARTH_OK || status == HEARTH_ERROR_NOT_FOUND || status == HEARTH_ERROR_DENIED ||
         status == HEARTH_ERROR_CONFLICT || status == HEARTH_ERROR_INVALID_ARGUMENT;
}

TEST_P(OwnerInvariant, HoldsAfterEveryStepOfALongRandomSequence) {
  const auto seed = static_cast<unsigned>(std::random_device{}());
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937 random(seed);
  const auto cases = open_cases(4);
  std::atomic<int> changes{0};
  int ok = 0;
  for (int step = 0; step < 400; ++step) {
    const int32_t status = random_step(random, cases, changes);
    ASSERT_TRUE(expected_status(status)) << "step " << step << " status " << status;
    ok += status == HEARTH_OK;
    check_all_cases();
    if (HasFatalFailure()) {
      FAIL() << "after step " << step;
    }
  }
  EXPECT_GT(ok, 100);
  check_changes_were_counted(changes.load(), cases.size());
}

TEST_P(OwnerInvariant, HoldsUnderConcurrentOperations) {
  const auto seed = static_cast<unsigned>(std::random_device{}());
  SCOPED_TRACE("seed " + std::to_string(seed));
  const auto cases = open_cases(2); // few cases: many collisions
  std::atomic<int> changes{0};
  std::atomic<int> unexpected{0};
  std::vector<std::thread> threads;
  for (unsigned t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      std::mt19937 random(seed + t);
      for (int step = 0; step < 120; ++step) {
        if (!expected_status(random_step(random, cases, changes))) {
          ++unexpected;
        }
      }
    });
  }
  for (auto &thread : threads) {
    thread.join();
  }
  EXPECT_EQ(unexpected.load(), 0);
  check_all_cases();
  check_changes_were_counted(changes.load(), cases.size());
}

TEST_P(OwnerInvariant, ConcurrentAcceptsOfOneOfferMakeOneOwner) {
  const std::string id = rt().open_case(coordinator, "T-1");
  const auto offer = rt().ok(coordinator, "handoff.offer",
                             R"({"case_id":")" + id +
                                 R"(","to_organisation":"gemeente:0363","to_role":"coordinator","reason":"anyone of us"})");
  const std::string offer_id = offer->getValue<std::string>("offer_id");
  // Everyone in the organisation with the role may accept; exactly one wins.
  const std::vector<Who> candidates{coordinator_other, Who{"coord-4", "coordinator", "gemeente:0363"},
                                    Who{"coord-5", "coordinator", "gemeente:0363"},
                                    Who{"coord-6", "coordinator", "gemeente:0363"}};
  std::atomic<int> accepted{0}, conflicts{0};
  std::vector<std::thread> threads;
  for (const auto &who : candidates) {
    threads.emplace_back([&, who] {
      const auto reply = rt().call(who, "handoff.accept", R"({"offer_id":")" + offer_id + R"("})");
      if (reply.ok()) {
        ++accepted;
      } else if (reply.status == HEARTH_ERROR_CONFLICT) {
        ++conflicts;
      }
    });
  }
  for (auto &thread : threads) {
    thread.join();
  }
  EXPECT_EQ(accepted.load(), 1);
  EXPECT_EQ(conflicts.load(), 3);
  check_case(id);
  EXPECT_EQ(number("SELECT COUNT(*) FROM ch_ownership WHERE case_id = ?", {id}), 2);
}

TEST_P(OwnerInvariant, TheStoreRefusesASecondOrAnEmptyOwner) {
  const std::string id = rt().open_case(coordinator, "T-1");
  const std::vector<storage::Value> params{id};
  EXPECT_THROW(db().execute("INSERT INTO ch_ownership (case_id, seq, owner_user, owner_org, owner_role, from_ms,"
                            " until_ms, how) VALUES (?, 2, 'x', 'y', 'coordinator', 0, NULL, 'test')",
                            params),
               storage::StorageError);
  EXPECT_THROW(db().execute("UPDATE ch_case SET owner_user = '' WHERE id = ?", params), storage::StorageError);
  EXPECT_THROW(db().execute("UPDATE ch_case SET owner_user = NULL WHERE id = ?", params), storage::StorageError);
  check_case(id);
}

TEST_P(OwnerInvariant, ABrokenHistoryRollsTheNextChangeBack) {
  // Damage the history behind the plugin's back (a second, ended row that overlaps): the
  // next ownership change finds the invariant broken and rolls back completely.
  const std::string id = rt().open_case(coordinator, "T-1");
  db().execute("UPDATE ch_ownership SET from_ms = from_ms + 5 WHERE case_id = ?", std::vector<storage::Value>{id});
  const auto offer = rt().call(coordinator, "handoff.offer",
                               R"({"case_id":")" + id +
                                   R"(","to_user":"coord-3","to_organisation":"gemeente:0363","to_role":"coordinator","reason":"r"})");
  EXPECT_EQ(offer.status, HEARTH_ERROR_INTERNAL); // the offer checks the invariant before commit
  EXPECT_NE(offer.body.find("owner invariant broken"), std::string::npos) << offer.body;
  EXPECT_EQ(number("SELECT COUNT(*) FROM ch_offer"), 0);
  EXPECT_EQ(text("SELECT owner_user FROM ch_case WHERE id = ?", {id}), "coord-1");
}

HANDOFF_BACKENDS(OwnerInvariant);

} // namespace
} // namespace hearth::test::handoff
