#include "data_fixture.hpp"

#include <atomic>
#include <fstream>
#include <random>

#include <unistd.h>

#include "storage/store.hpp"

namespace hearth::test {
namespace {

std::unique_ptr<storage::Store> admin_store() {
  storage::StoreOptions options;
  options.backend = storage::Backend::postgresql;
  options.target = *postgres_url();
  options.pool_size = 1;
  return storage::Store::open(options);
}

std::string take(char *text) {
  std::string out = text != nullptr ? text : "";
  hearth_free(text);
  return out;
}

} // namespace

std::string backend_name(const testing::TestParamInfo<Backend> &info) {
  return info.param == Backend::sqlite ? "SQLite" : "PostgreSQL";
}

PostgresSchema::PostgresSchema() {
  static std::atomic<int> counter{0};
  schema_ = "hearth_data_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++);
  admin_store()->execute("CREATE SCHEMA " + schema_);
}

PostgresSchema::~PostgresSchema() {
  try {
    admin_store()->execute("DROP SCHEMA " + schema_ + " CASCADE");
  } catch (...) {
  }
}

std::string PostgresSchema::connection_string() const {
  return *postgres_url() + " options='-csearch_path=" + schema_ + "'";
}

hearth_signal SignalSpec::view() const {
  hearth_signal s{};
  s.struct_size = sizeof s;
  s.source = source.c_str();
  s.external_id = external_id.c_str();
  s.type = type.c_str();
  s.detail = detail.c_str();
  s.tenancy_id = tenancy_id.c_str();
  s.occurred_at_ms = occurred_at_ms;
  s.amount_cents = amount_cents;
  s.severity = severity;
  s.legal_basis = legal_basis.c_str();
  s.purpose = purpose.c_str();
  s.reporter_user = reporter_user.empty() ? nullptr : reporter_user.c_str();
  return s;
}

hearth_actor actor(const char *role, const char *user, const char *organisation) {
  hearth_actor a{};
  a.struct_size = sizeof a;
  a.user = user;
  a.role = role;
  a.organisation = organisation;
  a.access_point = "test";
  return a;
}

TestStore::TestStore(Backend backend) {
  store_.backend = backend;
  if (backend == Backend::sqlite) {
    store_.sqlite_file = scratch_.path() / "hearth.db";
  } else {
    schema_ = std::make_unique<PostgresSchema>();
    store_.postgresql = schema_->connection_string();
  }
}

DataRuntime::DataRuntime(const Store &store, const std::vector<std::string> &modules, const std::string &extra_ini) {
  const auto plugins = scratch_.path() / "plugins";
  std::filesystem::create_directories(plugins);
  for (const auto &name : modules) {
    std::filesystem::copy_file(std::filesystem::path(HEARTH_TEST_MODULE_DIR) / (name + ".so"), plugins / (name + ".so"));
  }
  {
    std::ofstream ini(scratch_.path() / "hearth.ini");
    if (store.backend == Backend::sqlite) {
      ini << "[storage]\nbackend = sqlite\nsqlite_path = " << store.sqlite_file.string() << "\n";
    } else {
      ini << "[storage]\nbackend = postgresql\npostgresql = " << store.postgresql << "\npool_size = 2\n";
    }
    ini << "[plugins]\nbundled = false\npath = " << plugins.string() << "\n[log]\nlevel = info\n"
        << "[events]\npoll_ms = 100\n"
        << "[privacy]\nfield_key = AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n"
        << extra_ini;
  }
  char *error = nullptr;
  const int32_t status = hearth_runtime_open(scratch_.path().c_str(), &runtime_, &error);
  const std::string message = take(error);
  if (status != HEARTH_OK) {
    ADD_FAILURE() << "open: " << message;
    return;
  }
  if (hearth_runtime_load_plugins(runtime_, nullptr) != HEARTH_OK) {
    ADD_FAILURE() << "load plugins";
  }
}

DataRuntime::~DataRuntime() { close(); }

void DataRuntime::close() {
  hearth_runtime_close(runtime_);
  runtime_ = nullptr;
}

int32_t DataRuntime::put(const hearth_actor &who, const std::string &records_json, std::string &error) {
  char *message = nullptr;
  const int32_t status = hearth_runtime_put_records(runtime_, &who, records_json.c_str(), nullptr, &message);
  error = take(message);
  return status;
}

void DataRuntime::put(const std::string &records_json) {
  std::string error;
  const auto system = actor("system", "adapter-test", "corp:test");
  ASSERT_EQ(put(system, records_json, error), HEARTH_OK) << error;
}

int32_t DataRuntime::ingest(const hearth_actor &who, const std::vector<SignalSpec> &signals, hearth_ingest_result &result,
                            std::string &error) {
  std::vector<hearth_signal> views;
  views.reserve(signals.size());
  for (const auto &s : signals) {
    views.push_back(s.view());
  }
  std::vector<const hearth_signal *> pointers;
  for (const auto &v : views) {
    pointers.push_back(&v);
  }
  result = hearth_ingest_result{};
  result.struct_size = sizeof result;
  char *message = nullptr;
  const int32_t status = hearth_runtime_ingest(runtime_, &who, pointers.data(), static_cast<uint32_t>(pointers.size()),
                                               &result, &message);
  error = take(message);
  return status;
}

int32_t DataRuntime::read(const hearth_actor &who, const std::string &view, const std::string &args, std::string &out) {
  char *result = nullptr;
  char *message = nullptr;
  const int32_t status = hearth_runtime_read(runtime_, &who, view.c_str(), args.c_str(), &result, &message);
  std::string answer = take(result);
  std::string reason = take(message);
  out = status == HEARTH_OK ? answer : reason;
  return status;
}

int32_t DataRuntime::query(const std::string &plugin, const std::string &name, std::string &out) {
  char *result = nullptr;
  char *message = nullptr;
  const int32_t status = hearth_runtime_query(runtime_, plugin.c_str(), name.c_str(), nullptr, &result, &message);
  std::string answer = take(result);
  std::string reason = take(message);
  out = status == HEARTH_OK ? answer : reason;
  return status;
}

void DataRuntime::add_tenancy(const std::string &id, const std::string &consultant, const std::string &tenant) {
  put(R"([{"kind":"unit","id":"U-)" + id + R"(","street":"Oosterparkstraat","house_number":"12","entrance":"A",)"
      R"("neighbourhood_code":"BU03630402"},)"
      R"({"kind":"tenancy","id":")" + id + R"(","unit_id":"U-)" + id + R"(","start_date":"2019-04-01",)"
      R"("portfolio_owner":")" + consultant + R"(","tenant_user":")" + tenant + R"("}])");
}

} // namespace hearth::test
