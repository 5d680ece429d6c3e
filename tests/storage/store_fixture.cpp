#include "store_fixture.hpp"

#include <atomic>
#include <unistd.h>

namespace hearth::storage::test {
namespace {

// Opens a one-connection store on the test server itself, to create and drop schemas.
std::unique_ptr<Store> open_admin_store(const std::string &url) {
  return Store::open(StoreOptions{Backend::postgresql, url, 1, 5000});
}

} // namespace

void StoreTest::SetUp() {
  if (on_postgresql()) {
    const auto url = hearth::test::postgres_url();
    HEARTH_REQUIRE_OR_SKIP(url.has_value(), postgres_missing);
    static std::atomic<unsigned> counter{0};
    schema_ = "hearth_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++);
    open_admin_store(*url)->execute("CREATE SCHEMA " + schema_);
  } else {
    scratch_ = std::make_unique<hearth::test::ScratchDir>();
  }
  store = Store::open(options());
}

void StoreTest::TearDown() {
  store.reset();
  if (!schema_.empty()) {
    open_admin_store(*hearth::test::postgres_url())->execute("DROP SCHEMA " + schema_ + " CASCADE");
  }
}

StoreOptions StoreTest::options() const {
  StoreOptions options;
  options.backend = GetParam();
  if (on_postgresql()) {
    options.target = *hearth::test::postgres_url() + " options='-csearch_path=" + schema_ + "'";
  } else {
    options.target = (scratch_->path() / "store.db").string();
  }
  return options;
}

std::unique_ptr<Store> StoreTest::open_another() const { return Store::open(options()); }

std::vector<ValueRow> query(Store &store, const std::string &sql, const std::vector<Value> &params) {
  std::vector<ValueRow> rows;
  store.execute(sql, params, [&rows](const Row &row) {
    rows.emplace_back(row.values.begin(), row.values.end());
    return true;
  });
  return rows;
}

Value scalar(Store &store, const std::string &sql, const std::vector<Value> &params) {
  const auto rows = query(store, sql, params);
  EXPECT_EQ(rows.size(), 1U) << sql;
  if (rows.size() != 1 || rows[0].empty()) {
    return std::monostate{};
  }
  return rows[0][0];
}

std::string backend_name(const ::testing::TestParamInfo<Backend> &info) {
  return info.param == Backend::sqlite ? "sqlite" : "postgresql";
}

} // namespace hearth::storage::test
