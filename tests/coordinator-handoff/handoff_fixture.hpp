// A runtime with the coordinator-handoff plugin on SQLite or on a fresh PostgreSQL schema,
// opened through host.h, with a clock the test moves, a small neighbourhood of units and
// tenancies, named actors, and helpers to call operations and read the store directly.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <gtest/gtest.h>

#include <hearth/host.h>

#include "storage/store.hpp"
#include "test_environment.hpp"

namespace hearth::test::handoff {

enum class Backend { sqlite, postgresql };
std::string backend_name(const testing::TestParamInfo<Backend> &info);

inline constexpr const char *kPlugin = "nl.hearth.coordinator-handoff";

// A person calling: owns the strings a hearth_actor points to.
struct Who {
  std::string user, role, organisation;
  hearth_actor view() const;
};

// The cast of the standard neighbourhood (see HandoffRuntime::seed()).
namespace cast {
extern const Who coordinator;       // coord-1, gemeente:0363 (owns most cases)
extern const Who coordinator_care;  // coord-2, care:ggz-west
extern const Who coordinator_other; // coord-3, gemeente:0363 (no tie to any case)
extern const Who care_pro;          // cp-1, care:ggz-west
extern const Who consultant;        // hc-1, corp:woonstad: portfolio of T-1..T-4
extern const Who consultant_other;  // hc-2, corp:woonstad: portfolio of T-5
extern const Who tenant;            // tenant-1 of T-1
extern const Who tenant_other;      // tenant-2 of T-2
extern const Who neighbour;         // nb-1
extern const Who neighbour_other;   // nb-2
extern const Who auditor;
extern const Who administrator;
extern const Who system;
extern const Who mandate_holder;    // mandate-gemeente, gemeente:0363 (organisations.ini)
extern const Who intake;            // intake-coordinator, gemeente:0363
extern const Who ggz_consultant;    // ggz-consult-1, care:ggz-west (consults.ini)
} // namespace cast

// The answer of one operation.
struct Reply {
  int32_t status = HEARTH_ERROR_INTERNAL;
  std::string body; // the JSON answer, or the one-line reason
  Poco::JSON::Object::Ptr json() const;
  bool ok() const { return status == HEARTH_OK; }
};

// Where the store lives; a PostgreSQL schema is created and dropped with it.
class TestStore {
public:
  explicit TestStore(Backend backend);
  ~TestStore();
  Backend backend() const { return backend_; }
  const std::filesystem::path &sqlite_file() const { return sqlite_file_; }
  const std::string &postgresql() const { return postgresql_; }
  // A connection of the test's own to the same store (for direct checks).
  storage::Store &direct();

private:
  Backend backend_;
  ScratchDir scratch_;
  std::filesystem::path sqlite_file_;
  std::string schema_, postgresql_;
  std::unique_ptr<storage::Store> direct_;
};

// The test clock: 2026-03-02 (a Monday) 09:00 UTC at the start.
class TestClock {
public:
  static std::int64_t start_ms();
  std::int64_t now() const { return now_ms_.load(); }
  void set(std::int64_t ms) { now_ms_.store(ms); }
  void advance_days(int days) { now_ms_ += static_cast<std::int64_t>(days) * 86'400'000; }
  void advance_ms(std::int64_t ms) { now_ms_ += ms; }
  static int64_t read(void *self) { return static_cast<TestClock *>(self)->now(); }

private:
  std::atomic<std::int64_t> now_ms_{start_ms()};
};

// One runtime instance with the plugin. Several may share a TestStore.
class HandoffRuntime {
public:
  // `config_dir`: the plugin's config folder (default: the repository's config/handoff).
  // `extra_ini`: appended to hearth.ini. `with_listener` also loads the test module
  // test_handoff_event_listener (query "events" lists what the plugin published).
  explicit HandoffRuntime(TestStore &store, std::optional<std::filesystem::path> config_dir = std::nullopt,
                          const std::string &extra_ini = "", bool with_listener = false);
  ~HandoffRuntime();
  HandoffRuntime(const HandoffRuntime &) = delete;
  HandoffRuntime &operator=(const HandoffRuntime &) = delete;

  hearth_runtime *runtime() const { return runtime_; }
  TestClock &clock() { return clock_; }
  // The plugin's state and message as the runtime lists it.
  std::pair<uint32_t, std::string> plugin_state() const;

  // Runs an operation.
  Reply call(const Who &who, const std::string &operation, const std::string &args = "{}") const;
  // Runs an operation that must succeed and returns its answer.
  Poco::JSON::Object::Ptr ok(const Who &who, const std::string &operation, const std::string &args = "{}") const;

  // The standard neighbourhood: units U-1..U-6 and tenancies T-1..T-6 (docs in the .cpp).
  void seed();
  // Stores reference records as the system role.
  void put(const std::string &records_json);
  // Ingests a signal as the system role; returns the status.
  int32_t ingest(const std::string &external_id, const std::string &type, const std::string &tenancy_id,
                 std::int64_t occurred_at_ms, const std::string &reporter_user = "");
  // Publishes an event as the host.
  void publish(const std::string &type, const std::string &subject, const std::string &payload);
  // Waits until every event published so far was delivered.
  void drain();
  // The events the listener module saw (with_listener), as a JSON array.
  Poco::JSON::Array::Ptr published_events();

  // Opens a case on `tenancy` as `who` and returns its id (fails the test otherwise).
  std::string open_case(const Who &who, const std::string &tenancy, const std::string &extra_json = "");

private:
  ScratchDir scratch_;
  TestClock clock_;
  hearth_runtime *runtime_ = nullptr;
};

// Audit entries in the store whose objects mention `object`: (event, user, outcome) rows.
struct AuditRow {
  std::string event, user, outcome, objects;
};
std::vector<AuditRow> audit_rows(storage::Store &store, const std::string &object);

// Copies the repository's config/handoff into `folder` and replaces `key = ...` lines in
// `file` per `changes` ({"[section] key", "value"} pairs are written as they are given:
// the first line starting with "key =" after "[section]" is replaced).
void copy_config(const std::filesystem::path &folder,
                 const std::map<std::string, std::map<std::string, std::string>> &changes = {});

// JSON text of a string, for building arguments.
std::string quote(const std::string &text);

} // namespace hearth::test::handoff
