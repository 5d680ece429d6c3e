// Queries outside transactions (ADR 0015): on SQLite they run on reader connections and
// never wait for another thread's transaction; writes from a query's row callback still
// reach the writer; the write-ahead log still reaches the database file.
#include <chrono>
#include <filesystem>
#include <future>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "store_fixture.hpp"

namespace hearth::storage::test {
namespace {

using namespace std::chrono_literals;

class StoreReaders : public StoreTest {
protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (store) {
      store->execute("CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL)");
    }
  }

  // The number of items, as `target` sees it now.
  static std::int64_t item_count(Store &target) {
    return std::get<std::int64_t>(scalar(target, "SELECT COUNT(*) FROM items"));
  }

  // Adds item `id`.
  void add(std::int64_t id) {
    store->execute("INSERT INTO items (id, name) VALUES (?, ?)", std::vector<Value>{id, "item-" + std::to_string(id)});
  }
};

TEST_P(StoreReaders, AQueryDoesNotWaitForAnotherThreadsOpenTransaction) {
  add(1);
  std::promise<void> inside, finish;
  std::shared_future<void> may_finish = finish.get_future().share();
  std::thread writer([&] {
    store->transaction([&] {
      add(2);
      inside.set_value();
      may_finish.wait();
    });
  });
  inside.get_future().wait();

  // With the transaction still open, a query from another thread answers at once, from the
  // last committed state. (A query that waited for the writer would wait for `finish`,
  // which only comes after it.)
  auto counted = std::async(std::launch::async, [&] { return item_count(*store); });
  const bool answered = counted.wait_for(60s) == std::future_status::ready;
  finish.set_value();
  writer.join();
  ASSERT_TRUE(answered) << "the query waited for another thread's open transaction";
  EXPECT_EQ(counted.get(), 1) << "a query saw another thread's uncommitted row";
  EXPECT_EQ(item_count(*store), 2) << "the committed row is visible to the next query";
}

TEST_P(StoreReaders, ARowCallbackOfAQueryMayWriteAndOpenATransaction) {
  for (std::int64_t id = 1; id <= 3; ++id) {
    add(id);
  }
  store->execute("CREATE TABLE copies (id INTEGER PRIMARY KEY)");
  store->execute("CREATE TABLE moved (id INTEGER PRIMARY KEY)");
  store->execute("SELECT id FROM items ORDER BY id", {}, [&](const Row &row) {
    const Value id = row.values[0];
    store->execute("INSERT INTO copies (id) VALUES (?)", std::vector<Value>{id});
    store->transaction([&] {
      store->execute("INSERT INTO moved (id) VALUES (?)", std::vector<Value>{id});
      // A query inside that transaction sees the transaction's own write.
      EXPECT_EQ(std::get<std::int64_t>(scalar(*store, "SELECT COUNT(*) FROM moved WHERE id = ?", {id})), 1);
    });
    return true;
  });
  EXPECT_EQ(std::get<std::int64_t>(scalar(*store, "SELECT COUNT(*) FROM copies")), 3);
  EXPECT_EQ(std::get<std::int64_t>(scalar(*store, "SELECT COUNT(*) FROM moved")), 3);
}

TEST_P(StoreReaders, QueriesFromManyThreadsSeeCommitsInOrderWhileOneThreadWrites) {
  constexpr int rows = 150;
  constexpr int readers = 8;
  std::atomic<bool> writing{true};
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int reader = 0; reader < readers; ++reader) {
    threads.emplace_back([&] {
      std::int64_t seen = 0;
      while (writing.load()) {
        try {
          const std::int64_t now = item_count(*store);
          if (now < seen) {
            ++failures; // a later query saw fewer committed rows than an earlier one
          }
          seen = now;
        } catch (const StorageError &) {
          ++failures;
        }
      }
    });
  }
  for (std::int64_t id = 1; id <= rows; ++id) {
    store->transaction([&] { add(id); });
  }
  writing = false;
  for (auto &thread : threads) {
    thread.join();
  }
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(item_count(*store), rows);
}

// More than SQLite's checkpoint size (1000 pages of 4 KiB) written: the checkpointing
// thread moves the pages into the database file, so the file grows while the store stays
// open (without a checkpoint everything would stay in the -wal file).
using SqliteWal = StoreReaders;

TEST_P(SqliteWal, CommittedPagesReachTheDatabaseFileWhileTheStoreIsOpen) {
  store->execute("CREATE TABLE pages (id INTEGER PRIMARY KEY, body BLOB NOT NULL)");
  const std::filesystem::path file = options().target;
  const auto size_before = std::filesystem::file_size(file);
  constexpr std::int64_t transactions = 40;
  constexpr std::size_t bytes_each = 200 * 1024; // 40 x 200 KiB: about 2,000 pages
  for (std::int64_t id = 1; id <= transactions; ++id) {
    store->execute("INSERT INTO pages (id, body) VALUES (?, ?)",
                   std::vector<Value>{id, Blob{std::vector<std::uint8_t>(bytes_each, static_cast<std::uint8_t>(id))}});
  }
  const auto wanted = size_before + 1000 * 4096;
  const auto deadline = std::chrono::steady_clock::now() + 60s;
  while (std::filesystem::file_size(file) < wanted && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(20ms);
  }
  EXPECT_GE(std::filesystem::file_size(file), wanted) << "the write-ahead log was not checkpointed";
  EXPECT_EQ(std::get<std::int64_t>(scalar(*store, "SELECT COUNT(*) FROM pages")), transactions);
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreReaders, ::testing::Values(Backend::sqlite, Backend::postgresql),
                         backend_name);
INSTANTIATE_TEST_SUITE_P(Backends, SqliteWal, ::testing::Values(Backend::sqlite), backend_name);

} // namespace
} // namespace hearth::storage::test
