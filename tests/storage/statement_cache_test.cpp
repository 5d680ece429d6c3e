// The SQLite session's kept statements (src/storage/statement_cache.hpp): one statement per
// SQL text, run again with other parameters; a text run again from its own row callback gets
// a statement of its own; a text that does not prepare is not kept; a full cache makes room;
// a statement outlives a change of its table's shape; every refusal names the statement.
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include "storage/statement_cache.hpp"
#include "test_environment.hpp"

namespace hearth::storage::test {
namespace {

class StatementCacheTest : public ::testing::Test {
protected:
  void SetUp() override { session_.open(*soci::factory_sqlite3(), "db=\"" + (scratch_.path() / "kept.db").string() + "\""); }
  void TearDown() override { cache_.clear(); }

  void run(std::string_view sql, std::vector<Value> params = {}, const RowCallback &on_row = {}) {
    cache_.run(session_, sql, params, on_row);
  }
  // The integer column 0 of every row of `sql`.
  std::vector<std::int64_t> integers(std::string_view sql, std::vector<Value> params = {}) {
    std::vector<std::int64_t> out;
    run(sql, std::move(params), [&](const Row &row) {
      out.push_back(std::get<std::int64_t>(row.values[0]));
      return true;
    });
    return out;
  }

  hearth::test::ScratchDir scratch_;
  soci::session session_;
  StatementCache cache_{8};
};

TEST_F(StatementCacheTest, OneStatementPerTextRunAgainWithOtherParameters) {
  run("CREATE TABLE t (k TEXT PRIMARY KEY, n INTEGER)");
  for (std::int64_t n = 1; n <= 5; ++n) {
    run("INSERT INTO t (k, n) VALUES (?, ?)", {"key-" + std::to_string(n), n});
  }
  EXPECT_EQ(integers("SELECT n FROM t WHERE n >= ? ORDER BY n", {std::int64_t{4}}), (std::vector<std::int64_t>{4, 5}));
  EXPECT_EQ(integers("SELECT n FROM t WHERE n >= ? ORDER BY n", {std::int64_t{2}}),
            (std::vector<std::int64_t>{2, 3, 4, 5}));
  EXPECT_EQ(cache_.size(), 3u) << "CREATE, INSERT and SELECT, each kept once";
}

TEST_F(StatementCacheTest, ATextRunAgainFromItsOwnRowCallbackGetsAStatementOfItsOwn) {
  run("CREATE TABLE t (n INTEGER)");
  for (std::int64_t n = 1; n <= 3; ++n) {
    run("INSERT INTO t (n) VALUES (?)", {n});
  }
  std::vector<std::string> pairs;
  run("SELECT n FROM t ORDER BY n", {}, [&](const Row &outer) {
    const auto a = std::get<std::int64_t>(outer.values[0]);
    for (const std::int64_t b : integers("SELECT n FROM t ORDER BY n")) {
      pairs.push_back(std::to_string(a) + std::to_string(b));
    }
    return true;
  });
  EXPECT_EQ(pairs, (std::vector<std::string>{"11", "12", "13", "21", "22", "23", "31", "32", "33"}));
  EXPECT_EQ(integers("SELECT n FROM t ORDER BY n"), (std::vector<std::int64_t>{1, 2, 3})) << "the kept one still runs";
}

TEST_F(StatementCacheTest, ATextThatDoesNotPrepareIsRefusedNamingItAndNotKept) {
  try {
    run("SELEKT n FROM t");
    FAIL() << "a misspelt statement ran";
  } catch (const StorageError &error) {
    EXPECT_EQ(error.kind(), StorageError::Kind::io);
    EXPECT_NE(std::string(error.what()).find("`SELEKT n FROM ...` failed"), std::string::npos) << error.what();
  }
  EXPECT_EQ(cache_.size(), 0u);
  try {
    run("CREATE TABLE a (x INT); CREATE TABLE b (y INT)");
    FAIL() << "two statements ran as one";
  } catch (const StorageError &error) {
    EXPECT_EQ(error.kind(), StorageError::Kind::invalid_argument);
    EXPECT_NE(std::string(error.what()).find("holds more than one statement; execute runs one"), std::string::npos);
  }
  EXPECT_EQ(cache_.size(), 0u);
}

TEST_F(StatementCacheTest, AWrongNumberOfParametersIsRefusedAndTheStatementStaysUsable) {
  run("CREATE TABLE t (n INTEGER)");
  EXPECT_THROW(run("INSERT INTO t (n) VALUES (?)", {}), StorageError);
  run("INSERT INTO t (n) VALUES (?)", {std::int64_t{7}});
  EXPECT_EQ(integers("SELECT n FROM t"), (std::vector<std::int64_t>{7}));
}

TEST_F(StatementCacheTest, AFullCacheMakesRoomAndEveryTextStillRuns) {
  run("CREATE TABLE t (n INTEGER)");
  for (std::int64_t n = 0; n < 20; ++n) {
    run("INSERT INTO t (n) VALUES (" + std::to_string(n) + ")"); // 20 texts, 8 places
    EXPECT_LE(cache_.size(), 8u);
  }
  EXPECT_EQ(integers("SELECT count(*) FROM t"), (std::vector<std::int64_t>{20}));
}

TEST_F(StatementCacheTest, AKeptStatementFollowsAChangeOfItsTablesShape) {
  run("CREATE TABLE t (n INTEGER)");
  run("INSERT INTO t (n) VALUES (1)");
  EXPECT_EQ(integers("SELECT * FROM t"), (std::vector<std::int64_t>{1}));
  run("DROP TABLE t");
  run("CREATE TABLE t (m INTEGER, n INTEGER)");
  run("INSERT INTO t (m, n) VALUES (40, 2)");
  std::vector<std::string> names;
  run("SELECT * FROM t", {}, [&](const Row &row) {
    names.assign(row.names.begin(), row.names.end());
    return true;
  });
  EXPECT_EQ(names, (std::vector<std::string>{"m", "n"}));
  run("DROP TABLE t");
  EXPECT_THROW(run("SELECT * FROM t"), StorageError) << "a kept statement of a dropped table";
}

} // namespace
} // namespace hearth::storage::test
