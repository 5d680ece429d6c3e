// Transactions on both backends: commit, rollback, nesting, and concurrent writers.
#include <atomic>
#include <stdexcept>
#include <thread>

#include <gtest/gtest.h>

#include "store_fixture.hpp"

namespace hearth::storage::test {
namespace {

using Kind = StorageError::Kind;

class StoreTransactions : public StoreTest {
protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (store) {
      store->execute("CREATE TABLE items (name TEXT PRIMARY KEY)");
    }
  }

  // Adds an item named `name`.
  void add(Store &target, const std::string &name) {
    target.execute("INSERT INTO items (name) VALUES (?)", std::vector<Value>{name});
  }

  // The number of items, as `target` sees it.
  std::int64_t item_count(Store &target) {
    return std::get<std::int64_t>(scalar(target, "SELECT COUNT(*) FROM items"));
  }
};

TEST_P(StoreTransactions, CommitMakesWorkVisibleToOtherConnections) {
  store->transaction([&] {
    add(*store, "a");
    add(*store, "b");
    EXPECT_EQ(item_count(*store), 2);
  });
  const auto other = open_another();
  EXPECT_EQ(item_count(*other), 2);
}

TEST_P(StoreTransactions, ThrowRollsBackAndRethrows) {
  EXPECT_THROW(store->transaction([&] {
    add(*store, "a");
    throw std::logic_error("plugin gave up");
  }),
               std::logic_error);
  EXPECT_EQ(item_count(*store), 0);
  add(*store, "after"); // the store is usable again
  EXPECT_EQ(item_count(*store), 1);
}

TEST_P(StoreTransactions, NestedTransactionJoinsTheOuterOne) {
  store->transaction([&] {
    add(*store, "outer");
    store->transaction([&] {
      EXPECT_EQ(item_count(*store), 1); // sees the outer's uncommitted row
      add(*store, "inner");
    });
  });
  EXPECT_EQ(item_count(*store), 2);
}

TEST_P(StoreTransactions, InnerThrowRollsBackEverything) {
  EXPECT_THROW(store->transaction([&] {
    add(*store, "outer");
    store->transaction([&] {
      add(*store, "inner");
      throw std::runtime_error("inner failed");
    });
  }),
               std::runtime_error);
  EXPECT_EQ(item_count(*store), 0);
}

TEST_P(StoreTransactions, InnerThrowCaughtByTheOuterStillRollsBackEverything) {
  try {
    store->transaction([&] {
      add(*store, "outer");
      try {
        store->transaction([&] {
          add(*store, "inner");
          throw std::runtime_error("inner failed");
        });
      } catch (const std::runtime_error &) {
        // The plugin swallows it and carries on.
      }
      add(*store, "later");
    });
    FAIL() << "the doomed transaction committed";
  } catch (const StorageError &error) {
    EXPECT_EQ(error.kind(), Kind::io);
  }
  EXPECT_EQ(item_count(*store), 0);
}

TEST_P(StoreTransactions, FailedStatementDoomsTheTransaction) {
  add(*store, "taken");
  EXPECT_THROW(store->transaction([&] {
    add(*store, "fresh");
    try {
      add(*store, "taken");
    } catch (const StorageError &error) {
      EXPECT_EQ(error.kind(), Kind::conflict);
    }
  }),
               StorageError);
  EXPECT_EQ(item_count(*store), 1);
}

TEST_P(StoreTransactions, ConcurrentTransactionsGiveTheExactTotal) {
  constexpr int threads = 4;
  constexpr int increments = 200;
  store->execute("CREATE TABLE counter (id BIGINT PRIMARY KEY, n BIGINT NOT NULL)");
  store->execute("CREATE TABLE seen (n BIGINT PRIMARY KEY)");
  store->execute("INSERT INTO counter (id, n) VALUES (1, 0)");

  std::vector<std::thread> workers;
  std::atomic<int> failures{0};
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&] {
      for (int i = 0; i < increments; ++i) {
        try {
          store->transaction([&] {
            store->execute("UPDATE counter SET n = n + 1 WHERE id = 1");
            // Reads its own increment: under correct isolation every transaction sees a
            // different n, so `seen` never conflicts.
            const Value n = scalar(*store, "SELECT n FROM counter WHERE id = 1");
            store->execute("INSERT INTO seen (n) VALUES (?)", std::vector<Value>{n});
          });
        } catch (const std::exception &error) {
          ++failures;
          ADD_FAILURE() << error.what();
        }
      }
    });
  }
  for (auto &worker : workers) {
    worker.join();
  }
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(scalar(*store, "SELECT n FROM counter WHERE id = 1"),
            Value(std::int64_t{threads * increments}));
  EXPECT_EQ(scalar(*store, "SELECT COUNT(*) FROM seen"), Value(std::int64_t{threads * increments}));
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreTransactions,
                         ::testing::Values(Backend::sqlite, Backend::postgresql), backend_name);

} // namespace
} // namespace hearth::storage::test
