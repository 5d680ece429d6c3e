// Opening a store: SQLite's settings, and failures that name the target but no password.
#include <gtest/gtest.h>

#include "store_fixture.hpp"

namespace hearth::storage::test {
namespace {

using Kind = StorageError::Kind;

// Runs `open` and returns the StorageError it throws (fails the test when none).
StorageError open_failure(const StoreOptions &options) {
  try {
    Store::open(options);
  } catch (const StorageError &error) {
    return error;
  }
  ADD_FAILURE() << "Store::open succeeded for " << options.target;
  return StorageError(Kind::io, "");
}

TEST(StoreOpen, SqliteRunsInWalWithFullSyncForeignKeysAndBusyTimeout) {
  hearth::test::ScratchDir scratch;
  const auto store = Store::open(
      StoreOptions{Backend::sqlite, (scratch.path() / "settings.db").string(), 4, 1234});
  EXPECT_EQ(scalar(*store, "PRAGMA journal_mode"), Value(std::string("wal")));
  EXPECT_EQ(scalar(*store, "PRAGMA synchronous"), Value(std::int64_t{2}));
  EXPECT_EQ(scalar(*store, "PRAGMA foreign_keys"), Value(std::int64_t{1}));
  EXPECT_EQ(scalar(*store, "PRAGMA busy_timeout"), Value(std::int64_t{1234}));
}

TEST(StoreOpen, SqliteInMemoryStoreWorks) {
  const auto store = Store::open(StoreOptions{Backend::sqlite, ":memory:"});
  store->execute("CREATE TABLE t (x INTEGER)");
  store->execute("INSERT INTO t (x) VALUES (?)", std::vector<Value>{std::int64_t{7}});
  EXPECT_EQ(scalar(*store, "SELECT x FROM t"), Value(std::int64_t{7}));
  EXPECT_EQ(store->backend(), Backend::sqlite);
}

TEST(StoreOpen, SqliteEnforcesForeignKeys) {
  hearth::test::ScratchDir scratch;
  const auto store = Store::open(StoreOptions{Backend::sqlite, (scratch.path() / "fk.db").string()});
  store->execute("CREATE TABLE parent (id INTEGER PRIMARY KEY)");
  store->execute("CREATE TABLE child (parent_id INTEGER REFERENCES parent (id))");
  const Value orphan[] = {std::int64_t{42}};
  try {
    store->execute("INSERT INTO child (parent_id) VALUES (?)", orphan);
    FAIL() << "a row without its parent was accepted";
  } catch (const StorageError &error) {
    EXPECT_EQ(error.kind(), Kind::io);
    EXPECT_NE(std::string(error.what()).find("FOREIGN KEY"), std::string::npos) << error.what();
  }
}

TEST(StoreOpen, SqlitePathWithSpacesIsKeptWhole) {
  hearth::test::ScratchDir scratch;
  const auto path = scratch.path() / "with space.db";
  Store::open(StoreOptions{Backend::sqlite, path.string()})->execute("CREATE TABLE t (x INTEGER)");
  EXPECT_TRUE(std::filesystem::exists(path));
}

TEST(StoreOpen, SqliteFailureNamesThePath) {
  hearth::test::ScratchDir scratch;
  const std::string path = (scratch.path() / "missing-folder" / "store.db").string();
  const StorageError error = open_failure(StoreOptions{Backend::sqlite, path});
  EXPECT_EQ(error.kind(), Kind::io);
  EXPECT_NE(std::string(error.what()).find(path), std::string::npos) << error.what();
}

TEST(StoreOpen, PostgresqlFailureNamesTheTargetButNotThePassword) {
  // Port 1 on the loopback interface: nothing listens there, no server needed.
  const StorageError error = open_failure(StoreOptions{
      Backend::postgresql, "host=127.0.0.1 port=1 dbname=nowhere user=hearth password=hunter2", 1});
  const std::string message = error.what();
  EXPECT_EQ(error.kind(), Kind::io);
  EXPECT_NE(message.find("host=127.0.0.1 port=1 dbname=nowhere"), std::string::npos) << message;
  EXPECT_EQ(message.find("hunter2"), std::string::npos) << message;
}

TEST(StoreOpen, PostgresqlUriPasswordIsMaskedToo) {
  const StorageError error = open_failure(StoreOptions{
      Backend::postgresql, "postgresql://hearth:hunter2@127.0.0.1:1/nowhere", 1});
  const std::string message = error.what();
  EXPECT_NE(message.find("127.0.0.1:1/nowhere"), std::string::npos) << message;
  EXPECT_EQ(message.find("hunter2"), std::string::npos) << message;
}

TEST(StoreOpen, PostgresqlReconnectsAfterTheServerDroppedTheConnection) {
  const auto url = hearth::test::postgres_url();
  HEARTH_REQUIRE_OR_SKIP(url.has_value(), postgres_missing);
  const auto store = Store::open(StoreOptions{Backend::postgresql, *url, 1});
  const Value pid = scalar(*store, "SELECT pg_backend_pid()");
  const auto admin = Store::open(StoreOptions{Backend::postgresql, *url, 1});
  admin->execute("SELECT pg_terminate_backend(CAST(? AS INTEGER))", std::vector<Value>{pid});

  // The statement that meets the dead connection fails; the next one gets a new one.
  EXPECT_THROW(store->execute("SELECT 1"), StorageError);
  EXPECT_EQ(scalar(*store, "SELECT 2"), Value(std::int64_t{2}));
  EXPECT_NE(scalar(*store, "SELECT pg_backend_pid()"), pid);
}

TEST(StoreOpen, EmptyTargetIsInvalid) {
  EXPECT_EQ(open_failure(StoreOptions{Backend::sqlite, ""}).kind(), Kind::invalid_argument);
}

} // namespace
} // namespace hearth::storage::test
