#include "handoff_fixture.hpp"

#include <fstream>
#include <sstream>

#include <unistd.h>

#include <Poco/JSON/Parser.h>

namespace hearth::test::handoff {
namespace {

std::string take(char *text) {
  std::string out = text != nullptr ? text : "";
  hearth_free(text);
  return out;
}

std::unique_ptr<storage::Store> open_store(storage::Backend backend, const std::string &target) {
  storage::StoreOptions options;
  options.backend = backend;
  options.target = target;
  options.pool_size = 1;
  return storage::Store::open(options);
}

std::string trim(const std::string &s) {
  const auto begin = s.find_first_not_of(" \t\r");
  if (begin == std::string::npos) {
    return "";
  }
  return s.substr(begin, s.find_last_not_of(" \t\r") - begin + 1);
}

} // namespace

std::string backend_name(const testing::TestParamInfo<Backend> &info) {
  return info.param == Backend::sqlite ? "SQLite" : "PostgreSQL";
}

hearth_actor Who::view() const {
  hearth_actor a{};
  a.struct_size = sizeof a;
  a.user = user.c_str();
  a.role = role.c_str();
  a.organisation = organisation.c_str();
  a.access_point = "test";
  return a;
}

namespace cast {
const Who coordinator{"coord-1", "coordinator", "gemeente:0363"};
const Who coordinator_care{"coord-2", "coordinator", "care:ggz-west"};
const Who coordinator_other{"coord-3", "coordinator", "gemeente:0363"};
const Who care_pro{"cp-1", "care_professional", "care:ggz-west"};
const Who consultant{"hc-1", "housing_consultant", "corp:woonstad"};
const Who consultant_other{"hc-2", "housing_consultant", "corp:woonstad"};
const Who tenant{"tenant-1", "tenant", "corp:woonstad"};
const Who tenant_other{"tenant-2", "tenant", "corp:woonstad"};
const Who neighbour{"nb-1", "neighbour", "public"};
const Who neighbour_other{"nb-2", "neighbour", "public"};
const Who auditor{"audit-1", "auditor", "gemeente:0363"};
const Who administrator{"admin-1", "administrator", "gemeente:0363"};
const Who system{"scheduler", "system", "gemeente:0363"};
const Who mandate_holder{"mandate-gemeente", "coordinator", "gemeente:0363"};
const Who intake{"intake-coordinator", "coordinator", "gemeente:0363"};
const Who ggz_consultant{"ggz-consult-1", "care_professional", "care:ggz-west"};
} // namespace cast

Poco::JSON::Object::Ptr Reply::json() const {
  try {
    return Poco::JSON::Parser().parse(body).extract<Poco::JSON::Object::Ptr>();
  } catch (...) {
    ADD_FAILURE() << "not a JSON object: " << body;
    return new Poco::JSON::Object();
  }
}

TestStore::TestStore(Backend backend) : backend_(backend) {
  if (backend == Backend::sqlite) {
    sqlite_file_ = scratch_.path() / "hearth.db";
    return;
  }
  static std::atomic<int> counter{0};
  schema_ = "hearth_handoff_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++);
  open_store(storage::Backend::postgresql, *postgres_url())->execute("CREATE SCHEMA " + schema_);
  postgresql_ = *postgres_url() + " options='-csearch_path=" + schema_ + "'";
}

TestStore::~TestStore() {
  direct_.reset();
  if (!schema_.empty()) {
    try {
      open_store(storage::Backend::postgresql, *postgres_url())->execute("DROP SCHEMA " + schema_ + " CASCADE");
    } catch (...) {
    }
  }
}

storage::Store &TestStore::direct() {
  if (!direct_) {
    direct_ = backend_ == Backend::sqlite ? open_store(storage::Backend::sqlite, sqlite_file_.string())
                                          : open_store(storage::Backend::postgresql, postgresql_);
  }
  return *direct_;
}

std::int64_t TestClock::start_ms() {
  using namespace std::chrono;
  const sys_days day = year{2026} / March / 2;
  return duration_cast<milliseconds>(day.time_since_epoch()).count() + 9 * 3'600'000;
}

HandoffRuntime::HandoffRuntime(TestStore &store, std::optional<std::filesystem::path> config_dir,
                               const std::string &extra_ini, bool with_listener) {
  const auto plugins = scratch_.path() / "plugins";
  std::filesystem::create_directories(plugins);
  if (with_listener) {
    std::filesystem::copy_file(std::filesystem::path(HEARTH_TEST_MODULE_DIR) / "test_handoff_event_listener.so",
                               plugins / "test_handoff_event_listener.so");
  }
  std::filesystem::copy_file(std::filesystem::path(HEARTH_TEST_PLUGIN_DIR) / "hearth_coordinator_handoff.so",
                             plugins / "hearth_coordinator_handoff.so");
  const auto folder = config_dir.value_or(std::filesystem::path(HEARTH_TEST_SOURCE_DIR) / "config" / "handoff");
  {
    std::ofstream ini(scratch_.path() / "hearth.ini");
    if (store.backend() == Backend::sqlite) {
      ini << "[storage]\nbackend = sqlite\nsqlite_path = " << store.sqlite_file().string() << "\n";
    } else {
      ini << "[storage]\nbackend = postgresql\npostgresql = " << store.postgresql() << "\npool_size = 4\n";
    }
    ini << "[plugins]\nbundled = false\npath = " << plugins.string() << "\n[log]\nlevel = info\n"
        << "[events]\npoll_ms = 100\n"
        << "[plugin.nl.hearth.coordinator-handoff]\nconfig_dir = " << folder.string() << "\n"
        << extra_ini;
  }
  char *error = nullptr;
  const int32_t status = hearth_runtime_open(scratch_.path().c_str(), &runtime_, &error);
  const std::string message = take(error);
  if (status != HEARTH_OK) {
    ADD_FAILURE() << "open: " << message;
    return;
  }
  hearth_runtime_set_clock(runtime_, &TestClock::read, &clock_);
  if (hearth_runtime_load_plugins(runtime_, nullptr) != HEARTH_OK) {
    ADD_FAILURE() << "load plugins";
  }
}

HandoffRuntime::~HandoffRuntime() { hearth_runtime_close(runtime_); }

std::pair<uint32_t, std::string> HandoffRuntime::plugin_state() const {
  for (uint32_t i = 0; i < hearth_runtime_plugin_count(runtime_); ++i) {
    hearth_plugin_info info{};
    info.struct_size = sizeof info;
    if (hearth_runtime_plugin_at(runtime_, i, &info) == HEARTH_OK &&
        std::string(info.path).find("hearth_coordinator_handoff") != std::string::npos) {
      return {info.state, info.message};
    }
  }
  return {HEARTH_PLUGIN_STATE_REFUSED, "not listed"};
}

Reply HandoffRuntime::call(const Who &who, const std::string &operation, const std::string &args) const {
  const hearth_actor actor = who.view();
  char *result = nullptr;
  char *error = nullptr;
  Reply reply;
  reply.status = hearth_runtime_call(runtime_, &actor, kPlugin, operation.c_str(), args.c_str(), &result, &error);
  const std::string answer = take(result);
  const std::string reason = take(error);
  reply.body = reply.status == HEARTH_OK ? answer : reason;
  return reply;
}

Poco::JSON::Object::Ptr HandoffRuntime::ok(const Who &who, const std::string &operation, const std::string &args) const {
  const Reply reply = call(who, operation, args);
  EXPECT_EQ(reply.status, HEARTH_OK) << operation << " as " << who.user << ": " << reply.body;
  if (!reply.ok()) {
    return new Poco::JSON::Object();
  }
  return reply.json();
}

void HandoffRuntime::put(const std::string &records_json) {
  const hearth_actor actor = cast::system.view();
  char *error = nullptr;
  const int32_t status = hearth_runtime_put_records(runtime_, &actor, records_json.c_str(), nullptr, &error);
  const std::string message = take(error);
  ASSERT_EQ(status, HEARTH_OK) << message;
}

void HandoffRuntime::seed() {
  const auto unit = [](const std::string &id, const std::string &street, const std::string &number,
                       const std::string &postcode, const std::string &entrance, const std::string &code) {
    std::string json = R"({"kind":"unit","id":")" + id + R"(","street":")" + street + R"(","house_number":")" + number +
                       R"(","postcode":")" + postcode + R"(","neighbourhood_code":")" + code + "\"";
    if (!entrance.empty()) {
      json += R"(,"entrance":")" + entrance + "\"";
    }
    return json + "}";
  };
  const auto tenancy = [](const std::string &id, const std::string &unit_id, const std::string &consultant,
                          const std::string &tenant, const std::string &end_date) {
    std::string json = R"({"kind":"tenancy","id":")" + id + R"(","unit_id":")" + unit_id +
                       R"(","start_date":"2019-04-01","portfolio_owner":")" + consultant + R"(","tenant_user":")" +
                       tenant + "\"";
    if (!end_date.empty()) {
      json += R"(,"end_date":")" + end_date + "\"";
    }
    return json + "}";
  };
  put("[" + unit("U-1", "Oosterparkstraat", "12-1", "1091AB", "A", "BU03630402") + "," +
      unit("U-2", "Oosterparkstraat", "12-2", "1091AB", "A", "BU03630402") + "," +
      unit("U-3", "Oosterparkstraat", "14-1", "1091AB", "B", "BU03630402") + "," +
      unit("U-4", "Oosterparkstraat", "80", "1091AD", "", "BU03630402") + "," +
      unit("U-5", "Wibautstraat", "3", "1091GH", "A", "BU03630403") + "," +
      unit("U-6", "Oosterparkstraat", "12-3", "1091AB", "A", "BU03630402") + "," +
      tenancy("T-1", "U-1", "hc-1", "tenant-1", "") + "," + tenancy("T-2", "U-2", "hc-1", "tenant-2", "") + "," +
      tenancy("T-3", "U-3", "hc-1", "tenant-3", "") + "," + tenancy("T-4", "U-4", "hc-1", "tenant-4", "") + "," +
      tenancy("T-5", "U-5", "hc-2", "tenant-5", "") + "," + tenancy("T-6", "U-6", "hc-1", "tenant-6", "2026-01-31") +
      "]");
}

int32_t HandoffRuntime::ingest(const std::string &external_id, const std::string &type, const std::string &tenancy_id,
                               std::int64_t occurred_at_ms, const std::string &reporter_user) {
  hearth_signal s{};
  s.struct_size = sizeof s;
  s.source = "signalen:test";
  s.external_id = external_id.c_str();
  s.type = type.c_str();
  s.detail = "";
  s.tenancy_id = tenancy_id.c_str();
  s.occurred_at_ms = occurred_at_ms;
  s.severity = 3;
  s.legal_basis = "avg-6-1-e";
  s.purpose = "nuisance-handling";
  s.reporter_user = reporter_user.empty() ? nullptr : reporter_user.c_str();
  const hearth_signal *signals[] = {&s};
  const hearth_actor actor = cast::system.view();
  hearth_ingest_result result{};
  result.struct_size = sizeof result;
  char *error = nullptr;
  const int32_t status = hearth_runtime_ingest(runtime_, &actor, signals, 1, &result, &error);
  const std::string message = take(error);
  EXPECT_EQ(status, HEARTH_OK) << message;
  return status;
}

void HandoffRuntime::publish(const std::string &type, const std::string &subject, const std::string &payload) {
  hearth_event event{};
  event.struct_size = sizeof event;
  event.occurred_at_ms = clock_.now();
  event.type = type.c_str();
  event.subject = subject.c_str();
  event.payload = payload.c_str();
  char *error = nullptr;
  const int32_t status = hearth_runtime_publish(runtime_, &event, &error);
  const std::string message = take(error);
  ASSERT_EQ(status, HEARTH_OK) << message;
}

void HandoffRuntime::drain() { ASSERT_EQ(hearth_runtime_drain(runtime_, 30'000), HEARTH_OK); }

Poco::JSON::Array::Ptr HandoffRuntime::published_events() {
  drain();
  char *result = nullptr;
  char *error = nullptr;
  const int32_t status =
      hearth_runtime_query(runtime_, "nl.hearth.test.handoff-events", "events", nullptr, &result, &error);
  const std::string answer = take(result);
  const std::string reason = take(error);
  EXPECT_EQ(status, HEARTH_OK) << reason;
  if (status != HEARTH_OK) {
    return new Poco::JSON::Array();
  }
  return Poco::JSON::Parser().parse(answer).extract<Poco::JSON::Array::Ptr>();
}

std::string HandoffRuntime::open_case(const Who &who, const std::string &tenancy, const std::string &extra_json) {
  const auto answer = ok(who, "case.open",
                         R"({"tenancy_id":")" + tenancy + R"(","legal_basis":"avg-6-1-e","reason":"Worries about rent and noise")" +
                             extra_json + "}");
  return answer->has("case_id") ? answer->getValue<std::string>("case_id") : "";
}

std::vector<AuditRow> audit_rows(storage::Store &store, const std::string &object) {
  std::vector<AuditRow> rows;
  const storage::Value params[] = {"%" + object + "%"};
  store.execute("SELECT event, user_id, outcome, objects FROM hearth_audit_log WHERE objects LIKE ? ORDER BY sequence",
                params, [&](const storage::Row &row) {
                  AuditRow r;
                  r.event = std::get<std::string>(row.values[0]);
                  r.user = std::get<std::string>(row.values[1]);
                  r.outcome = std::get<std::string>(row.values[2]);
                  r.objects = std::get<std::string>(row.values[3]);
                  rows.push_back(r);
                  return true;
                });
  return rows;
}

void copy_config(const std::filesystem::path &folder,
                 const std::map<std::string, std::map<std::string, std::string>> &changes) {
  const auto source = std::filesystem::path(HEARTH_TEST_SOURCE_DIR) / "config" / "handoff";
  std::filesystem::create_directories(folder);
  for (const auto &entry : std::filesystem::directory_iterator(source)) {
    std::filesystem::copy_file(entry.path(), folder / entry.path().filename(),
                               std::filesystem::copy_options::overwrite_existing);
  }
  for (const auto &[file, edits] : changes) {
    std::ifstream in(folder / file);
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) {
      lines.push_back(line);
    }
    in.close();
    for (const auto &[where, value] : edits) {
      const auto close = where.find(']');
      const std::string section = where.substr(0, close + 1);
      const std::string key = trim(where.substr(close + 1));
      bool in_section = false, done = false;
      for (auto &line : lines) {
        const std::string t = trim(line);
        if (!t.empty() && t[0] == '[') {
          in_section = t == section;
          continue;
        }
        if (in_section && t.rfind(key + " ", 0) == 0 && t.find('=') != std::string::npos) {
          line = key + " = " + value;
          done = true;
          break;
        }
      }
      if (!done) {
        lines.push_back(section);
        lines.push_back(key + " = " + value);
      }
    }
    std::ofstream out(folder / file, std::ios::trunc);
    for (const auto &line : lines) {
      out << line << "\n";
    }
  }
}

std::string quote(const std::string &text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
    }
    out += c;
  }
  return out + "\"";
}

} // namespace hearth::test::handoff
