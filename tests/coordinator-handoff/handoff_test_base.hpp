// The parametrised test base: one runtime with the plugin and the standard neighbourhood,
// on SQLite and on PostgreSQL (skipped without HEARTH_TEST_POSTGRES, failed in CI).
#pragma once

#include <memory>

#include "handoff_fixture.hpp"

namespace hearth::test::handoff {

class HandoffTest : public testing::TestWithParam<Backend> {
protected:
  void SetUp() override {
    if (GetParam() == Backend::postgresql) {
      HEARTH_REQUIRE_OR_SKIP(postgres_url().has_value(),
                             "HEARTH_TEST_POSTGRES is not set (eval \"$(scripts/start-postgres.sh)\")");
    }
    store_ = std::make_unique<TestStore>(GetParam());
    rt_ = std::make_unique<HandoffRuntime>(*store_, config_dir(), extra_ini());
    ASSERT_EQ(rt_->plugin_state().first, static_cast<uint32_t>(HEARTH_PLUGIN_STATE_ACTIVE)) << rt_->plugin_state().second;
    rt_->seed();
  }
  void TearDown() override {
    rt_.reset();
    store_.reset();
  }
  // Overridden by suites that need another configuration.
  virtual std::optional<std::filesystem::path> config_dir() { return std::nullopt; }
  virtual std::string extra_ini() { return ""; }

  HandoffRuntime &rt() { return *rt_; }
  storage::Store &db() { return store_->direct(); }

  // A text column of the first row of `sql` ("" when none).
  std::string text(const std::string &sql, std::vector<storage::Value> params = {}) {
    std::string out;
    db().execute(sql, params, [&](const storage::Row &row) {
      const auto &v = row.values[0];
      if (const auto *s = std::get_if<std::string>(&v)) {
        out = *s;
      } else if (const auto *n = std::get_if<std::int64_t>(&v)) {
        out = std::to_string(*n);
      }
      return false;
    });
    return out;
  }
  std::int64_t number(const std::string &sql, std::vector<storage::Value> params = {}) {
    const std::string value = text(sql, std::move(params));
    return value.empty() ? 0 : std::stoll(value);
  }

  std::unique_ptr<TestStore> store_;
  std::unique_ptr<HandoffRuntime> rt_;
};

#define HANDOFF_BACKENDS(Suite)                                                                     \
  INSTANTIATE_TEST_SUITE_P(Backends, Suite,                                                        \
                           testing::Values(::hearth::test::handoff::Backend::sqlite,                \
                                           ::hearth::test::handoff::Backend::postgresql),           \
                           ::hearth::test::handoff::backend_name)

} // namespace hearth::test::handoff
