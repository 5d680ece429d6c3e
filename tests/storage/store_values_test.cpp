// Statements on both backends: values in and out, placeholders, and failures.
#include <cfloat>
#include <limits>

#include <gtest/gtest.h>

#include "store_fixture.hpp"

namespace hearth::storage::test {
namespace {

using Kind = StorageError::Kind;

// Runs `sql` on `store` and returns the StorageError it throws (fails the test when none).
StorageError failure_of(Store &store, const std::string &sql, const std::vector<Value> &params = {}) {
  try {
    store.execute(sql, params);
  } catch (const StorageError &error) {
    return error;
  }
  ADD_FAILURE() << "no error from " << sql;
  return StorageError(Kind::io, "");
}

class StoreValues : public StoreTest {
protected:
  // A table with one column of each kind, keyed by id.
  void create_values_table() {
    store->execute(per_backend(
        "CREATE TABLE vals (id INTEGER PRIMARY KEY, i INTEGER, r REAL, t TEXT, b BLOB)",
        "CREATE TABLE vals (id BIGINT PRIMARY KEY, i BIGINT, r DOUBLE PRECISION, t TEXT, b BYTEA)"));
  }

  // Inserts one row and reads it back as (i, r, t, b).
  ValueRow round_trip(std::int64_t id, const Value &i, const Value &r, const Value &t, const Value &b) {
    store->execute("INSERT INTO vals (id, i, r, t, b) VALUES (?, ?, ?, ?, ?)", std::vector<Value>{id, i, r, t, b});
    const auto rows = query(*store, "SELECT i, r, t, b FROM vals WHERE id = ?", {id});
    EXPECT_EQ(rows.size(), 1U);
    return rows.empty() ? ValueRow{} : rows[0];
  }
};

TEST_P(StoreValues, EveryValueTypeRoundTrips) {
  create_values_table();
  const Blob bytes{{0x00, 0x01, 0x7f, 0x80, 0xfe, 0xff, 0x00}};
  const ValueRow full = {std::int64_t{42}, 0.1 + 0.2, std::string("Oosterparkstraat ü ë"), bytes};
  EXPECT_EQ(round_trip(1, full[0], full[1], full[2], full[3]), full);

  const ValueRow nulls(4, std::monostate{});
  EXPECT_EQ(round_trip(2, nulls[0], nulls[1], nulls[2], nulls[3]), nulls);

  const ValueRow limits = {std::numeric_limits<std::int64_t>::max(), DBL_MAX, std::string(""), Blob{}};
  EXPECT_EQ(round_trip(3, limits[0], limits[1], limits[2], limits[3]), limits);

  const ValueRow other_limits = {std::numeric_limits<std::int64_t>::min(), -DBL_MIN,
                                 std::string("tab\tquote' newline\n"), Blob{{0x5c, 0x78}}};
  EXPECT_EQ(round_trip(4, other_limits[0], other_limits[1], other_limits[2], other_limits[3]),
            other_limits);
}

TEST_P(StoreValues, ColumnNamesAreLowerCaseAndExpressionsKeepTheirType) {
  create_values_table();
  store->execute("INSERT INTO vals (id, i) VALUES (1, 9223372036854775807)");
  std::vector<std::string> names;
  ValueRow values;
  store->execute("SELECT COUNT(*) AS Total, MAX(i) AS Biggest, 1.5 AS Half, 'x' AS Letter FROM vals",
                 {}, [&](const Row &row) {
                   names.assign(row.names.begin(), row.names.end());
                   values.assign(row.values.begin(), row.values.end());
                   return true;
                 });
  EXPECT_EQ(names, (std::vector<std::string>{"total", "biggest", "half", "letter"}));
  EXPECT_EQ(values, (ValueRow{std::int64_t{1}, std::numeric_limits<std::int64_t>::max(), 1.5,
                              std::string("x")}));
}

TEST_P(StoreValues, ReturningFalseStopsReadingRows) {
  create_values_table();
  for (std::int64_t id = 1; id <= 3; ++id) {
    store->execute("INSERT INTO vals (id) VALUES (?)", std::vector<Value>{id});
  }
  int calls = 0;
  store->execute("SELECT id FROM vals ORDER BY id", {}, [&calls](const Row &) {
    ++calls;
    return false;
  });
  EXPECT_EQ(calls, 1);
}

TEST_P(StoreValues, PlaceholderCountMustMatchParameters) {
  const StorageError error = failure_of(*store, "SELECT ? + ?", {std::int64_t{1}});
  EXPECT_EQ(error.kind(), Kind::invalid_argument);
  EXPECT_NE(std::string(error.what()).find("expects 2"), std::string::npos) << error.what();
  EXPECT_NE(std::string(error.what()).find("1 were given"), std::string::npos) << error.what();
  EXPECT_EQ(failure_of(*store, "SELECT 1", {std::int64_t{1}}).kind(), Kind::invalid_argument);
}

TEST_P(StoreValues, QuestionMarksInLiteralsIdentifiersAndCommentsAreNotPlaceholders) {
  const auto rows = query(*store,
                          "SELECT 'why?' AS \"q?\", CAST(? AS TEXT) AS p -- or ?\n",
                          {std::string("because")});
  ASSERT_EQ(rows.size(), 1U);
  EXPECT_EQ(rows[0], (ValueRow{std::string("why?"), std::string("because")}));
}

TEST_P(StoreValues, MoreThanOneStatementIsRefused) {
  EXPECT_EQ(failure_of(*store, "SELECT 1; SELECT 2").kind(), Kind::invalid_argument);
}

TEST_P(StoreValues, UniqueViolationIsAConflictAndHidesTheValue) {
  store->execute("CREATE TABLE people (id BIGINT PRIMARY KEY, email TEXT UNIQUE)");
  const std::string email = "jansen.private@example.org";
  store->execute("INSERT INTO people (id, email) VALUES (?, ?)", std::vector<Value>{std::int64_t{1}, email});
  const StorageError error =
      failure_of(*store, "INSERT INTO people (id, email) VALUES (?, ?)", {std::int64_t{2}, email});
  const std::string message = error.what();
  EXPECT_EQ(error.kind(), Kind::conflict) << message;
  EXPECT_NE(message.find("INSERT INTO people"), std::string::npos) << message;
  EXPECT_EQ(message.find(email), std::string::npos) << message;
}

TEST_P(StoreValues, FailingStatementNamesItButNotItsValues) {
  store->execute("CREATE TABLE notes (id BIGINT PRIMARY KEY, body TEXT CHECK (length(body) < 10))");
  const std::string body = "Jansen lives at Oosterparkstraat 12";
  const StorageError error =
      failure_of(*store, "INSERT INTO notes (id, body) VALUES (?, ?)", {std::int64_t{987654321}, body});
  const std::string message = error.what();
  EXPECT_EQ(error.kind(), Kind::io) << message;
  EXPECT_NE(message.find("INSERT INTO notes"), std::string::npos) << message;
  EXPECT_EQ(message.find("Oosterparkstraat"), std::string::npos) << message;
  EXPECT_EQ(message.find("987654321"), std::string::npos) << message;
}

TEST_P(StoreValues, BadSqlIsAnIoError) {
  const StorageError error = failure_of(*store, "SELEC 1");
  EXPECT_EQ(error.kind(), Kind::io);
  EXPECT_NE(std::string(error.what()).find("SELEC"), std::string::npos) << error.what();
}

TEST_P(StoreValues, TypeMismatchHidesTheValue) {
  store->execute(per_backend("CREATE TABLE counts (n INTEGER) STRICT", "CREATE TABLE counts (n BIGINT)"));
  const StorageError error =
      failure_of(*store, "INSERT INTO counts (n) VALUES (?)", {std::string("bsn-123456782")});
  EXPECT_EQ(error.kind(), Kind::io);
  EXPECT_NE(std::string(error.what()).find("INSERT INTO counts"), std::string::npos) << error.what();
  EXPECT_EQ(std::string(error.what()).find("123456782"), std::string::npos) << error.what();
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreValues,
                         ::testing::Values(Backend::sqlite, Backend::postgresql), backend_name);

} // namespace
} // namespace hearth::storage::test
