// Store::prepare: one statement prepared once and run many times, on both backends.
#include <gtest/gtest.h>

#include "store_fixture.hpp"

namespace hearth::storage::test {
namespace {

using Kind = StorageError::Kind;

class StorePrepared : public StoreTest {
protected:
  void create_table() {
    store->execute(per_backend(
        "CREATE TABLE vals (id INTEGER PRIMARY KEY, k TEXT UNIQUE, i INTEGER, r REAL, t TEXT, b BLOB)",
        "CREATE TABLE vals (id BIGSERIAL PRIMARY KEY, k TEXT UNIQUE, i BIGINT, r DOUBLE PRECISION, t TEXT,"
        " b BYTEA)"));
  }
};

TEST_P(StorePrepared, ReusesOneStatementForAThousandRuns) {
  create_table();
  std::int64_t sum = 0;
  store->transaction([&] {
    auto insert = store->prepare("INSERT INTO vals (k, i) VALUES (?, ?)");
    for (std::int64_t n = 0; n < 1000; ++n) {
      const Value params[] = {"key-" + std::to_string(n), n};
      EXPECT_EQ(insert->run(params), 1U);
    }
    auto select = store->prepare("SELECT i FROM vals WHERE k = ?");
    for (std::int64_t n = 0; n < 1000; n += 7) {
      const Value params[] = {"key-" + std::to_string(n)};
      select->run(params, [&](const Row &row) {
        sum += std::get<std::int64_t>(row.values[0]);
        EXPECT_EQ(row.names[0], "i");
        return true;
      });
    }
  });
  std::int64_t expected = 0;
  for (std::int64_t n = 0; n < 1000; n += 7) {
    expected += n;
  }
  EXPECT_EQ(sum, expected);
  EXPECT_EQ(scalar(*store, "SELECT COUNT(*) FROM vals"), Value{std::int64_t{1000}});
}

TEST_P(StorePrepared, BindsEveryValueTypeAndNullAcrossRuns) {
  create_table();
  const std::vector<std::vector<Value>> rows = {
      {std::int64_t{-9007199254740993}, 0.1, std::string("tekst 'met' quotes"), Blob{{0, 1, 255}}},
      {Value{}, Value{}, Value{}, Value{}},
      {std::int64_t{7}, -2.5e300, std::string(), Blob{}},
      {Value{}, 3.0, std::string("ü€"), Blob{{42}}},
  };
  store->transaction([&] {
    auto insert = store->prepare("INSERT INTO vals (k, i, r, t, b) VALUES (?, ?, ?, ?, ?)");
    for (std::size_t n = 0; n < rows.size(); ++n) {
      std::vector<Value> params{"row-" + std::to_string(n)};
      params.insert(params.end(), rows[n].begin(), rows[n].end());
      EXPECT_EQ(insert->run(params), 1U);
    }
  });
  for (std::size_t n = 0; n < rows.size(); ++n) {
    const auto read = query(*store, "SELECT i, r, t, b FROM vals WHERE k = ?", {"row-" + std::to_string(n)});
    ASSERT_EQ(read.size(), 1U);
    EXPECT_EQ(read[0], rows[n]) << "row " << n;
  }
}

TEST_P(StorePrepared, ReportsAffectedRowsAndLastInsertId) {
  create_table();
  store->transaction([&] {
    auto insert = store->prepare("INSERT INTO vals (k, i) VALUES (?, ?) ON CONFLICT (k) DO NOTHING");
    const Value first[] = {std::string("a"), std::int64_t{1}};
    EXPECT_EQ(insert->run(first), 1U);
    if (!on_postgresql()) {
      EXPECT_EQ(Value{insert->last_insert_rowid()}, scalar(*store, "SELECT id FROM vals WHERE k = 'a'"));
    } else {
      EXPECT_THROW(insert->last_insert_rowid(), StorageError);
    }
    EXPECT_EQ(insert->run(first), 0U);
    const Value second[] = {std::string("b"), Value{}};
    EXPECT_EQ(insert->run(second), 1U);
    auto update = store->prepare("UPDATE vals SET i = ? WHERE k <> ?");
    const Value update_params[] = {std::int64_t{5}, std::string("none")};
    EXPECT_EQ(update->run(update_params), 2U);
  });
}

TEST_P(StorePrepared, ReturningRowsOfAPreparedInsert) {
  create_table();
  store->transaction([&] {
    auto insert = store->prepare("INSERT INTO vals (k) VALUES (?) ON CONFLICT (k) DO NOTHING RETURNING id");
    for (const char *key : {"x", "y", "x"}) {
      std::optional<std::int64_t> id;
      const Value params[] = {std::string(key)};
      const auto changed = insert->run(params, [&](const Row &row) {
        id = std::get<std::int64_t>(row.values[0]);
        return false;
      });
      EXPECT_EQ(changed, id ? 1U : 0U) << key;
      EXPECT_EQ(id.has_value(), std::string(key) != "x" || changed == 1U);
    }
  });
  EXPECT_EQ(scalar(*store, "SELECT COUNT(*) FROM vals"), Value{std::int64_t{2}});
}

TEST_P(StorePrepared, RefusedOutsideItsTransaction) {
  create_table();
  try {
    store->prepare("SELECT 1");
    ADD_FAILURE() << "prepare outside a transaction was accepted";
  } catch (const StorageError &error) {
    EXPECT_EQ(error.kind(), Kind::invalid_argument);
  }
  std::unique_ptr<PreparedStatement> kept;
  store->transaction([&] { kept = store->prepare("INSERT INTO vals (k) VALUES (?)"); });
  const Value params[] = {std::string("late")};
  try {
    kept->run(params);
    ADD_FAILURE() << "a run after the transaction ended was accepted";
  } catch (const StorageError &error) {
    EXPECT_EQ(error.kind(), Kind::invalid_argument);
  }
  // Nor inside a later transaction.
  store->transaction([&] { EXPECT_THROW(kept->run(params), StorageError); });
  kept.reset();
  EXPECT_EQ(scalar(*store, "SELECT COUNT(*) FROM vals"), Value{std::int64_t{0}});
}

TEST_P(StorePrepared, RefusesAWrongParameterCountAndSeveralStatements) {
  create_table();
  EXPECT_THROW(store->transaction([&] { store->prepare("SELECT 1; SELECT 2"); }), StorageError);
  try {
    store->transaction([&] {
      auto insert = store->prepare("INSERT INTO vals (k, i) VALUES (?, ?)");
      const Value one[] = {std::string("a")};
      insert->run(one);
    });
    ADD_FAILURE() << "a wrong parameter count was accepted";
  } catch (const StorageError &error) {
    EXPECT_EQ(error.kind(), Kind::invalid_argument);
  }
}

TEST_P(StorePrepared, MapsAUniqueViolationToConflictAndDoomsTheTransaction) {
  create_table();
  store->execute("INSERT INTO vals (k) VALUES ('taken')");
  bool conflict = false;
  try {
    store->transaction([&] {
      auto insert = store->prepare("INSERT INTO vals (k, t) VALUES (?, ?)");
      const Value fresh[] = {std::string("fresh"), std::string("secret-value")};
      insert->run(fresh);
      const Value taken[] = {std::string("taken"), std::string("secret-value")};
      try {
        insert->run(taken);
      } catch (const StorageError &error) {
        conflict = error.kind() == Kind::conflict;
        EXPECT_EQ(std::string(error.what()).find("secret-value"), std::string::npos) << error.what();
      }
    });
    ADD_FAILURE() << "the doomed transaction committed";
  } catch (const StorageError &error) {
    EXPECT_EQ(error.kind(), Kind::io);
  }
  EXPECT_TRUE(conflict);
  EXPECT_EQ(scalar(*store, "SELECT COUNT(*) FROM vals"), Value{std::int64_t{1}});
  // The store goes on working.
  store->transaction([&] {
    auto insert = store->prepare("INSERT INTO vals (k) VALUES (?)");
    const Value again[] = {std::string("again")};
    EXPECT_EQ(insert->run(again), 1U);
  });
}

INSTANTIATE_TEST_SUITE_P(Backends, StorePrepared, ::testing::Values(Backend::sqlite, Backend::postgresql),
                         backend_name);

} // namespace
} // namespace hearth::storage::test
