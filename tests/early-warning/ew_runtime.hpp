// A runtime with the early-warning plugin (and the flag-event probe) on SQLite or on a
// fresh PostgreSQL schema, opened through host.h at a fixed clock, with helpers to call
// operations, ingest signals and read the store directly.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <Poco/JSON/Object.h>
#include <gtest/gtest.h>
#include <hearth/early_warning.h>
#include <hearth/host.h>

#include "data_fixture.hpp"
#include "engine/score.hpp"

namespace hearth::test::early_warning {

// `json` (a JSON object's text) as an object; throws Poco::Exception when it is not one.
Poco::JSON::Object::Ptr object_of(const std::string &json);

// The text `text` holds ("" for null), after which it is given back with hearth_free().
std::string take(char *text);

// 2026-01-01T00:00:00Z: the clock every test runtime starts at.
constexpr std::int64_t kNowMs = 1'767'225'600'000;
constexpr std::int64_t kDayMs = 86'400'000;

// A status and the text that came with it (the answer, or the error).
struct CallResult {
  std::int32_t status = 0;
  std::string text;
};

class EwRuntime {
public:
  // `plugin_ini` is appended to the plugin's own section; `extra_ini` after everything.
  EwRuntime(const DataRuntime::Store &store, const std::string &plugin_ini = "", const std::string &extra_ini = "");
  ~EwRuntime();
  EwRuntime(const EwRuntime &) = delete;
  EwRuntime &operator=(const EwRuntime &) = delete;

  hearth_runtime *runtime() const { return runtime_; }
  // The plugin's typed flag lookup (hearth/early_warning.h) through the runtime's factory,
  // or nullptr when the plugin offers none.
  const hearth_ew_lookup_table *lookup_table() const;
  // A reader of lookup_table() for `who`; a refusal is a test failure (nullptr then).
  hearth_ew_reader *open_lookup_reader(const hearth_actor &who) const;
  const std::filesystem::path &config_dir() const { return scratch_.path(); }
  void close();

  // The plugin's state and message as the runtime reports it.
  std::uint32_t plugin_state(std::string &message) const;
  // The runtime's log so far (the file HEARTH_LOG_FILE names, else this runtime's own):
  // where a plugin's reason for a failed init is written.
  std::string log_text() const;

  CallResult call(const hearth_actor &actor, const std::string &operation, const std::string &args = "{}");
  // Calls and fails the test unless HEARTH_OK; returns the answer.
  std::string ok(const hearth_actor &actor, const std::string &operation, const std::string &args = "{}");
  // Units and tenancies: "T-<n>" in neighbourhood `buurt`, consultant and tenant given.
  void add_tenancy(const std::string &id, const std::string &consultant, const std::string &tenant,
                   const std::string &buurt = "BU00000001");
  // Ingests as the system role and waits until the plugin has seen every signal.
  void ingest(const std::vector<SignalSpec> &signals);
  // The flag events the probe recorded (JSON array).
  std::string flag_events();
  // Erases tenancy `tenancy_id` as an administrator (hearth_runtime_command
  // "erase-tenancy") and waits until the plugin has seen the erasure event. Until the
  // runtime publishes that event itself (HEARTH_EVENT_DATA_ERASED in hearth/event.h), the
  // test publishes it as the host, as the runtime is to.
  void erase_tenancy(const std::string &tenancy_id);
  // Publishes the erasure event for `tenancy_id` as the host and waits for its delivery.
  void announce_erasure(const std::string &tenancy_id);
  // Moves the runtime clock.
  void set_now(std::int64_t ms) { now_ms_ = ms; }

private:
  static std::int64_t clock(void *user_data) { return static_cast<EwRuntime *>(user_data)->now_ms_; }

  ScratchDir scratch_;
  hearth_runtime *runtime_ = nullptr;
  std::int64_t now_ms_ = kNowMs;
};

// A signal for `tenancy` of the given type `days_ago` days before kNowMs.
SignalSpec spec(const std::string &tenancy, const std::string &external_id, const std::string &type,
                const std::string &detail, double days_ago, std::int64_t amount_cents = 0, std::int32_t severity = 0);

// Rows of the audit log whose objects mention `object`, read from the store directly:
// "event outcome user role" per entry, oldest first.
std::vector<std::string> audit_lines(const DataRuntime::Store &store, const std::string &object);

// The single integer `sql` (with one text parameter `param`) answers, read from the store
// directly.
std::int64_t count_of(const DataRuntime::Store &store, const std::string &sql, const std::string &param);

// An actor with access point "test".
hearth_actor person(const char *role, const char *user);

// A test on the backend of its parameter, with a fresh store and a runtime with the
// plugin over it.
class EwTest : public testing::TestWithParam<Backend> {
protected:
  // Opens store_ on the parameter's backend. Returns false when the test must stop: on
  // PostgreSQL without HEARTH_TEST_POSTGRES it is skipped (a failure in CI).
  bool open_store();
  // open_store(), then runtime_ over it (`plugin_ini`, `extra_ini` as EwRuntime takes
  // them). Returns false when the test must stop.
  bool open_runtime(const std::string &plugin_ini = "", const std::string &extra_ini = "");

  std::unique_ptr<TestStore> store_;
  std::unique_ptr<EwRuntime> runtime_; // declared after store_: closed before it
};

} // namespace hearth::test::early_warning
