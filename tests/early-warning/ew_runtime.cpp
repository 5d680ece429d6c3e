#include "ew_runtime.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <hearth/event.h>

#include "audit/audit_log.hpp"
#include "storage/store.hpp"

namespace hearth::test::early_warning {

Poco::JSON::Object::Ptr object_of(const std::string &json) {
  return Poco::JSON::Parser().parse(json).extract<Poco::JSON::Object::Ptr>();
}

std::string take(char *text) {
  std::string out = text != nullptr ? text : "";
  hearth_free(text);
  return out;
}

namespace {

std::filesystem::path source_path(const char *relative) { return std::filesystem::path(HEARTH_TEST_SOURCE_DIR) / relative; }

} // namespace

hearth_actor person(const char *role, const char *user) { return actor(role, user, "corp:test"); }

EwRuntime::EwRuntime(const DataRuntime::Store &store, const std::string &plugin_ini, const std::string &extra_ini) {
  const auto plugins = scratch_.path() / "plugins";
  std::filesystem::create_directories(plugins);
  std::filesystem::copy_file(std::filesystem::path(HEARTH_TEST_PLUGIN_DIR) / "hearth_early_warning.so",
                             plugins / "hearth_early_warning.so");
  std::filesystem::copy_file(std::filesystem::path(HEARTH_TEST_MODULE_DIR) / "hearth_test_flag_event_probe.so",
                             plugins / "hearth_test_flag_event_probe.so");
  {
    std::ofstream ini(scratch_.path() / "hearth.ini");
    if (store.backend == Backend::sqlite) {
      ini << "[storage]\nbackend = sqlite\nsqlite_path = " << store.sqlite_file.string() << "\n";
    } else {
      ini << "[storage]\nbackend = postgresql\npostgresql = " << store.postgresql << "\npool_size = 2\n";
    }
    ini << "[plugins]\nbundled = false\npath = " << plugins.string() << "\n[log]\nlevel = info\nfile = "
        << (scratch_.path() / "hearth.log").string() << "\n"
        << "[events]\npoll_ms = 50\n"
        << "[plugin.nl.hearth.early-warning]\n"
        << "rule_set = " << source_path("config/scoring/default.ini").string() << "\n"
        << "protected_attributes = " << source_path("config/scoring/protected-attributes.txt").string() << "\n"
        << plugin_ini << "\n"
        << extra_ini;
  }
  char *error = nullptr;
  const int32_t status = hearth_runtime_open(scratch_.path().c_str(), &runtime_, &error);
  const std::string message = take(error);
  if (status != HEARTH_OK) {
    ADD_FAILURE() << "open: " << message;
    return;
  }
  hearth_runtime_set_clock(runtime_, &EwRuntime::clock, this);
  if (hearth_runtime_load_plugins(runtime_, nullptr) != HEARTH_OK) {
    ADD_FAILURE() << "load plugins";
  }
}

EwRuntime::~EwRuntime() { close(); }

void EwRuntime::close() {
  hearth_runtime_close(runtime_);
  runtime_ = nullptr;
}

std::uint32_t EwRuntime::plugin_state(std::string &message) const {
  for (std::uint32_t i = 0; i < hearth_runtime_plugin_count(runtime_); ++i) {
    hearth_plugin_info info{};
    info.struct_size = sizeof info;
    hearth_runtime_plugin_at(runtime_, i, &info);
    if (std::string(info.path).find("hearth_early_warning") != std::string::npos) {
      message = info.message;
      return info.state;
    }
  }
  message = "not listed";
  return HEARTH_PLUGIN_STATE_REFUSED;
}

std::string EwRuntime::log_text() const {
  const char *shared = std::getenv("HEARTH_LOG_FILE");
  std::ifstream in(shared != nullptr && *shared != '\0' ? std::filesystem::path(shared) : scratch_.path() / "hearth.log");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

CallResult EwRuntime::call(const hearth_actor &who, const std::string &operation, const std::string &args) {
  char *result = nullptr;
  char *error = nullptr;
  CallResult out;
  out.status = hearth_runtime_call(runtime_, &who, "nl.hearth.early-warning", operation.c_str(), args.c_str(), &result,
                                   &error);
  const std::string answer = take(result);
  const std::string failure = take(error);
  out.text = out.status == HEARTH_OK ? answer : failure;
  return out;
}

std::string EwRuntime::ok(const hearth_actor &who, const std::string &operation, const std::string &args) {
  const CallResult result = call(who, operation, args);
  EXPECT_EQ(result.status, HEARTH_OK) << operation << ": " << result.text;
  return result.text;
}

void EwRuntime::add_tenancy(const std::string &id, const std::string &consultant, const std::string &tenant,
                            const std::string &buurt) {
  Poco::JSON::Array records;
  Poco::JSON::Object unit;
  unit.set("kind", "unit");
  unit.set("id", "unit-" + id);
  unit.set("street", "Teststraat");
  unit.set("house_number", "1");
  unit.set("neighbourhood_code", buurt);
  records.add(unit);
  Poco::JSON::Object tenancy;
  tenancy.set("kind", "tenancy");
  tenancy.set("id", id);
  tenancy.set("unit_id", "unit-" + id);
  tenancy.set("start_date", "2020-01-01");
  if (!consultant.empty()) {
    tenancy.set("portfolio_owner", consultant);
  }
  if (!tenant.empty()) {
    tenancy.set("tenant_user", tenant);
  }
  records.add(tenancy);
  std::ostringstream json;
  records.stringify(json);
  const auto system = actor("system", "adapter-test", "corp:test");
  char *error = nullptr;
  const auto status = hearth_runtime_put_records(runtime_, &system, json.str().c_str(), nullptr, &error);
  const std::string message = take(error);
  ASSERT_EQ(status, HEARTH_OK) << message;
}

void EwRuntime::ingest(const std::vector<SignalSpec> &signals) {
  std::vector<hearth_signal> views;
  views.reserve(signals.size());
  for (const auto &s : signals) {
    views.push_back(s.view());
  }
  std::vector<const hearth_signal *> pointers;
  for (const auto &v : views) {
    pointers.push_back(&v);
  }
  hearth_ingest_result result{};
  result.struct_size = sizeof result;
  const auto system = actor("system", "adapter-test", "corp:test");
  char *error = nullptr;
  const auto status = hearth_runtime_ingest(runtime_, &system, pointers.data(), static_cast<uint32_t>(pointers.size()),
                                            &result, &error);
  const std::string message = take(error);
  ASSERT_EQ(status, HEARTH_OK) << message;
  ASSERT_EQ(hearth_runtime_drain(runtime_, 30'000), HEARTH_OK);
}

std::string EwRuntime::flag_events() {
  EXPECT_EQ(hearth_runtime_drain(runtime_, 30'000), HEARTH_OK);
  char *result = nullptr;
  char *error = nullptr;
  const auto status =
      hearth_runtime_query(runtime_, "nl.hearth.test.flag-event-probe", "events", "{}", &result, &error);
  const std::string answer = take(result);
  const std::string failure = take(error);
  EXPECT_EQ(status, HEARTH_OK) << failure;
  return answer;
}

void EwRuntime::erase_tenancy(const std::string &tenancy_id) {
  const auto admin = actor("administrator", "admin-1", "corp:test");
  Poco::JSON::Object args;
  args.set("tenancy_id", tenancy_id);
  std::ostringstream json;
  args.stringify(json);
  char *result = nullptr;
  char *error = nullptr;
  const auto status = hearth_runtime_command(runtime_, &admin, "erase-tenancy", json.str().c_str(), &result, &error);
  take(result);
  const std::string message = take(error);
  ASSERT_EQ(status, HEARTH_OK) << message;
#ifndef HEARTH_EVENT_DATA_ERASED
  announce_erasure(tenancy_id);
#endif
  ASSERT_EQ(hearth_runtime_drain(runtime_, 30'000), HEARTH_OK);
}

void EwRuntime::announce_erasure(const std::string &tenancy_id) {
  Poco::JSON::Object payload;
  payload.set("kind", "tenancy");
  payload.set("tenancy_id", tenancy_id);
  std::ostringstream json;
  payload.stringify(json);
  const std::string text = json.str();
  const std::string subject = "tenancy:" + tenancy_id;
  hearth_event event{};
  event.struct_size = sizeof event;
  event.occurred_at_ms = now_ms_;
  event.type = "nl.hearth.data.erased/1";
  event.subject = subject.c_str();
  event.payload = text.c_str();
  char *error = nullptr;
  const auto status = hearth_runtime_publish(runtime_, &event, &error);
  const std::string message = take(error);
  ASSERT_EQ(status, HEARTH_OK) << message;
  ASSERT_EQ(hearth_runtime_drain(runtime_, 30'000), HEARTH_OK);
}

std::int64_t count_of(const DataRuntime::Store &store, const std::string &sql, const std::string &param) {
  storage::StoreOptions options;
  options.backend = store.backend == Backend::sqlite ? storage::Backend::sqlite : storage::Backend::postgresql;
  options.target = store.backend == Backend::sqlite ? store.sqlite_file.string() : store.postgresql;
  options.pool_size = 1;
  const auto direct = storage::Store::open(options);
  std::int64_t count = -1;
  const storage::Value params[] = {param};
  direct->execute(sql, params, [&](const storage::Row &row) {
    if (const auto *value = std::get_if<std::int64_t>(&row.values[0])) {
      count = *value;
    }
    return false;
  });
  return count;
}

SignalSpec spec(const std::string &tenancy, const std::string &external_id, const std::string &type,
                const std::string &detail, double days_ago, std::int64_t amount_cents, std::int32_t severity) {
  SignalSpec s;
  s.source = "vera:test";
  s.external_id = external_id;
  s.type = type;
  s.detail = detail;
  s.tenancy_id = tenancy;
  s.occurred_at_ms = kNowMs - static_cast<std::int64_t>(days_ago * static_cast<double>(kDayMs));
  s.amount_cents = amount_cents;
  s.severity = severity;
  const bool finance = type == "SCH" || type == "X-BTR";
  s.legal_basis = finance ? "avg-6-1-f" : "avg-6-1-e";
  s.purpose = "early-warning";
  return s;
}

std::vector<std::string> audit_lines(const DataRuntime::Store &store, const std::string &object) {
  storage::StoreOptions options;
  options.backend = store.backend == Backend::sqlite ? storage::Backend::sqlite : storage::Backend::postgresql;
  options.target = store.backend == Backend::sqlite ? store.sqlite_file.string() : store.postgresql;
  options.pool_size = 1;
  const auto direct = storage::Store::open(options);
  audit::AuditLog::Filter filter;
  filter.object_id = object;
  auto entries = audit::AuditLog(*direct).search(filter);
  std::reverse(entries.begin(), entries.end());
  std::vector<std::string> lines;
  for (const auto &entry : entries) {
    lines.push_back(entry.event + " " + entry.outcome + " " + entry.user + " " + entry.role);
  }
  return lines;
}

const hearth_ew_lookup_table *EwRuntime::lookup_table() const {
  return static_cast<const hearth_ew_lookup_table *>(
      hearth_runtime_plugin_factory(runtime_, HEARTH_EW_PLUGIN_ID, HEARTH_EW_LOOKUP_FACTORY_ID));
}

hearth_ew_reader *EwRuntime::open_lookup_reader(const hearth_actor &who) const {
  const hearth_ew_lookup_table *table = lookup_table();
  if (table == nullptr) {
    ADD_FAILURE() << "the early-warning plugin offers no lookup table";
    return nullptr;
  }
  hearth_ew_reader *reader = nullptr;
  char *error = nullptr;
  EXPECT_EQ(table->open_reader(&who, &reader, &error), HEARTH_OK) << (error != nullptr ? error : "");
  table->free(error);
  return reader;
}

bool EwTest::open_store() {
  if (GetParam() == Backend::postgresql && !postgres_url().has_value()) {
    [] { HEARTH_REQUIRE_OR_SKIP(false, "HEARTH_TEST_POSTGRES is not set (scripts/start-postgres.sh)"); }();
    return false;
  }
  store_ = std::make_unique<TestStore>(GetParam());
  return true;
}

bool EwTest::open_runtime(const std::string &plugin_ini, const std::string &extra_ini) {
  if (!open_store()) {
    return false;
  }
  runtime_ = std::make_unique<EwRuntime>(store_->store(), plugin_ini, extra_ini);
  return true;
}

} // namespace hearth::test::early_warning
