#include "bench_database.hpp"

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <stdexcept>

#include <unistd.h>

#include <hearth/host.h>

namespace hearth::bench {
namespace {

// A one-connection store on the server's default schema, to create and drop schemas.
std::unique_ptr<storage::Store> open_admin_store() {
  return storage::Store::open(storage::StoreOptions{storage::Backend::postgresql, postgres_url(), 1, 5000});
}

// A fresh folder under $HEARTH_BENCH_DIR (default /tmp).
std::filesystem::path make_folder(const std::string &name) {
  const char *root = std::getenv("HEARTH_BENCH_DIR");
  std::string pattern = (std::filesystem::path(root != nullptr && *root != '\0' ? root : "/tmp") /
                         ("hearth-bench-" + name + "-XXXXXX"))
                            .string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    throw std::runtime_error("cannot create a folder like " + pattern);
  }
  return pattern;
}

// Opens a runtime on `config_dir` (migrating the store) and stores the tenancy.
void prepare_schema(const std::filesystem::path &config_dir) {
  hearth_runtime *runtime = nullptr;
  char *error = nullptr;
  if (hearth_runtime_open(config_dir.c_str(), &runtime, &error) != HEARTH_OK) {
    const std::string message = error != nullptr ? error : "";
    hearth_free(error);
    throw std::runtime_error("hearth_runtime_open: " + message);
  }
  hearth_actor actor{};
  actor.struct_size = sizeof actor;
  actor.user = "adapter-bench";
  actor.role = HEARTH_ROLE_SYSTEM;
  actor.organisation = "corp:bench";
  actor.access_point = "bench";
  const char *records =
      "[{\"kind\":\"unit\",\"id\":\"u-bench-1\",\"street\":\"Benchstraat\",\"house_number\":\"1\","
      "\"neighbourhood_code\":\"BU03630000\"},"
      "{\"kind\":\"tenancy\",\"id\":\"t-bench-1\",\"unit_id\":\"u-bench-1\",\"start_date\":\"2020-01-01\"}]";
  const std::int32_t status = hearth_runtime_put_records(runtime, &actor, records, nullptr, &error);
  const std::string message = error != nullptr ? error : "";
  hearth_free(error);
  hearth_runtime_close(runtime);
  if (status != HEARTH_OK) {
    throw std::runtime_error("hearth_runtime_put_records: " + message);
  }
}

} // namespace

std::string postgres_url() {
  const char *url = std::getenv("HEARTH_TEST_POSTGRES");
  return url != nullptr ? url : "";
}

BenchDatabase::BenchDatabase(storage::Backend backend, const std::string &name)
    : backend_(backend), folder_(make_folder(name)) {
  std::ofstream ini(folder_ / "hearth.ini");
  if (backend_ == storage::Backend::postgresql) {
    static std::atomic<unsigned> counter{0};
    schema_ = "hearth_bench_" + std::to_string(::getpid()) + "_" + std::to_string(counter++);
    open_admin_store()->execute("CREATE SCHEMA " + schema_);
    target_ = postgres_url() + " options='-csearch_path=" + schema_ + "'";
    ini << "[storage]\nbackend = postgresql\npostgresql = " << target_ << "\npool_size = 2\n";
  } else {
    target_ = (folder_ / "hearth.db").string();
    ini << "[storage]\nbackend = sqlite\nsqlite_path = " << target_ << "\n";
  }
  ini << "[plugins]\nbundled = false\n[events]\nstart = end\n[log]\nlevel = warn\n";
  ini.close();
  prepare_schema(folder_);
}

BenchDatabase::~BenchDatabase() {
  if (!schema_.empty()) {
    try {
      open_admin_store()->execute("DROP SCHEMA " + schema_ + " CASCADE");
    } catch (const std::exception &) {
      // A leftover schema on a test server harms nothing.
    }
  }
  std::error_code ignored;
  std::filesystem::remove_all(folder_, ignored);
}

std::string BenchDatabase::soci_connect_string() const {
  return backend_ == storage::Backend::sqlite ? "db=\"" + target_ + "\"" : target_;
}

storage::StoreOptions BenchDatabase::store_options() const {
  storage::StoreOptions options;
  options.backend = backend_;
  options.target = target_;
  options.pool_size = 1;
  return options;
}

} // namespace hearth::bench
