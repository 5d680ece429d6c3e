// Concurrent appends keep one unbroken chain: several threads on one store, and two
// stores (two runtime instances) on one database.
#include <atomic>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>
#include <thread>

#include <gtest/gtest.h>

#include "audit_fixture.hpp"

namespace hearth::audit::test {
namespace {

using AuditConcurrency = AuditTest;

// Runs `threads` threads that each append `per_thread` entries to `logs[i % logs.size()]`,
// and returns every sequence they got back.
std::vector<std::uint64_t> append_concurrently(const std::vector<AuditLog *> &logs, int threads,
                                               int per_thread) {
  std::vector<std::vector<std::uint64_t>> sequences(static_cast<std::size_t>(threads));
  std::atomic<int> failures{0};
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      AuditLog &log = *logs[static_cast<std::size_t>(t) % logs.size()];
      for (int i = 0; i < per_thread; ++i) {
        try {
          sequences[static_cast<std::size_t>(t)].push_back(
              log.append(sample_entry("u-thread-" + std::to_string(t)), 1000 + i));
        } catch (const std::exception &error) {
          ADD_FAILURE() << "thread " << t << ": " << error.what();
          ++failures;
        }
      }
    });
  }
  for (auto &worker : workers) {
    worker.join();
  }
  EXPECT_EQ(failures.load(), 0);
  std::vector<std::uint64_t> all;
  for (const auto &list : sequences) {
    all.insert(all.end(), list.begin(), list.end());
  }
  return all;
}

// Expects `sequences` to be exactly 1..count.
void expect_one_to(const std::vector<std::uint64_t> &sequences, std::uint64_t count) {
  const std::set<std::uint64_t> unique(sequences.begin(), sequences.end());
  EXPECT_EQ(sequences.size(), count);
  EXPECT_EQ(unique.size(), count);
  if (!unique.empty()) {
    EXPECT_EQ(*unique.begin(), 1U);
    EXPECT_EQ(*unique.rbegin(), count);
  }
}

TEST_P(AuditConcurrency, FourThreadsOfFiftyKeepTheChain) {
  const auto sequences = append_concurrently({log.get()}, 4, 50);
  expect_one_to(sequences, 200);
  EXPECT_EQ(entry_count(), 200);
  const VerifyResult result = log->verify();
  EXPECT_TRUE(result.intact) << result.reason;
  EXPECT_EQ(result.entries, 200U);
}

TEST_P(AuditConcurrency, TwoInstancesOnOneDatabaseKeepTheChain) {
  const auto second_store = open_another();
  AuditLog second(*second_store);
  log->append(sample_entry("u-first"), 1);
  // Four threads, alternating between the two instances.
  const auto sequences = append_concurrently({log.get(), &second}, 4, 40);
  std::vector<std::uint64_t> all = sequences;
  all.push_back(1);
  expect_one_to(all, 161);
  const VerifyResult seen_by_first = log->verify();
  EXPECT_TRUE(seen_by_first.intact) << seen_by_first.reason;
  EXPECT_EQ(seen_by_first.entries, 161U);
  EXPECT_TRUE(second.verify().intact);
}

// Concurrent appends share commits; an entry the database refuses fails its own append
// only, and the others (often in the same group) are written with an unbroken chain.
TEST_P(AuditConcurrency, AnEntryTheDatabaseRefusesFailsOnlyItsOwnAppend) {
  if (on_postgresql()) {
    tamper("CREATE FUNCTION refuse_poison() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
           "IF NEW.user_id = 'u-poison' THEN RAISE EXCEPTION 'refused by the test'; END IF; "
           "RETURN NEW; END $$");
    tamper("CREATE TRIGGER refuse_poison BEFORE INSERT ON hearth_audit_log FOR EACH ROW "
           "EXECUTE FUNCTION refuse_poison()");
  } else {
    tamper("CREATE TRIGGER refuse_poison BEFORE INSERT ON hearth_audit_log "
           "WHEN NEW.user_id = 'u-poison' BEGIN SELECT RAISE(ABORT, 'refused by the test'); END");
  }
  constexpr int threads = 6;
  constexpr int per_thread = 30;
  std::atomic<int> refused{0};
  std::atomic<int> unexpected{0};
  std::vector<std::vector<std::uint64_t>> sequences(threads);
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      const std::string user = t == 0 ? "u-poison" : "u-thread-" + std::to_string(t);
      for (int i = 0; i < per_thread; ++i) {
        try {
          sequences[static_cast<std::size_t>(t)].push_back(log->append(sample_entry(user), 1000 + i));
          if (t == 0) {
            ++unexpected;
          }
        } catch (const std::exception &) {
          (t == 0 ? refused : unexpected)++;
        }
      }
    });
  }
  for (auto &worker : workers) {
    worker.join();
  }
  EXPECT_EQ(refused.load(), per_thread);
  EXPECT_EQ(unexpected.load(), 0);
  std::vector<std::uint64_t> written;
  for (const auto &list : sequences) {
    written.insert(written.end(), list.begin(), list.end());
  }
  constexpr std::uint64_t expected = (threads - 1) * per_thread;
  expect_one_to(written, expected);
  EXPECT_EQ(entry_count(), static_cast<std::int64_t>(expected));
  const VerifyResult result = log->verify();
  EXPECT_TRUE(result.intact) << result.reason;
}

// An append inside the caller's transaction is part of it: the rollback takes it along,
// and the next append (outside, through a group commit) continues the chain.
TEST_P(AuditConcurrency, AnAppendInsideARolledBackTransactionLeavesNoEntry) {
  EXPECT_THROW(store->transaction([&] {
    log->append(sample_entry("u-inside"), 1);
    throw std::runtime_error("the caller's work failed");
  }),
               std::runtime_error);
  EXPECT_EQ(entry_count(), 0);
  EXPECT_EQ(log->append(sample_entry("u-after"), 2), 1U);
  EXPECT_TRUE(log->verify().intact);
}

INSTANTIATE_TEST_SUITE_P(Backends, AuditConcurrency,
                         ::testing::Values(Backend::sqlite, Backend::postgresql), backend_name);

} // namespace
} // namespace hearth::audit::test
