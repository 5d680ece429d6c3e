#include "audit_fixture.hpp"

#include <atomic>
#include <unistd.h>

namespace hearth::audit::test {
namespace {

// Opens a one-connection store on the test server itself, to create and drop schemas.
std::unique_ptr<Store> open_admin_store(const std::string &url) {
  return Store::open(storage::StoreOptions{Backend::postgresql, url, 1, 5000});
}

// The options of the test's database: SQLite file `sqlite_path` or PostgreSQL `schema`.
storage::StoreOptions options_for(Backend backend, const std::string &sqlite_path,
                                  const std::string &schema) {
  storage::StoreOptions options;
  options.backend = backend;
  if (backend == Backend::postgresql) {
    options.target = *hearth::test::postgres_url() + " options='-csearch_path=" + schema + "'";
  } else {
    options.target = sqlite_path;
  }
  return options;
}

} // namespace

void AuditTest::SetUp() {
  if (on_postgresql()) {
    const auto url = hearth::test::postgres_url();
    HEARTH_REQUIRE_OR_SKIP(url.has_value(),
                           "HEARTH_TEST_POSTGRES is not set (eval \"$(scripts/start-postgres.sh)\")");
    static std::atomic<unsigned> counter{0};
    schema_ = "hearth_audit_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++);
    open_admin_store(*url)->execute("CREATE SCHEMA " + schema_);
  } else {
    scratch_ = std::make_unique<hearth::test::ScratchDir>();
  }
  store = open_another();
  store->migrate(AuditLog::migration_owner, AuditLog::migrations());
  log = std::make_unique<AuditLog>(*store);
}

void AuditTest::TearDown() {
  log.reset();
  store.reset();
  if (!schema_.empty()) {
    open_admin_store(*hearth::test::postgres_url())->execute("DROP SCHEMA " + schema_ + " CASCADE");
  }
}

std::unique_ptr<Store> AuditTest::open_another() const {
  const std::string sqlite_path = scratch_ ? (scratch_->path() / "audit.db").string() : "";
  return Store::open(options_for(GetParam(), sqlite_path, schema_));
}

void AuditTest::tamper(const std::string &sql, const std::vector<Value> &params) {
  store->execute(sql, params);
}

std::int64_t AuditTest::entry_count() {
  std::int64_t count = -1;
  store->execute("SELECT COUNT(*) FROM hearth_audit_log", {}, [&count](const storage::Row &row) {
    count = std::get<std::int64_t>(row.values[0]);
    return false;
  });
  return count;
}

AuditEntry sample_entry(const std::string &user, const std::string &objects,
                        const std::string &event) {
  AuditEntry entry;
  entry.event = event;
  entry.user = user;
  entry.organisation = "gemeente:0363";
  entry.role = "coordinator";
  entry.access_point = "crm:viewpoint";
  entry.objects = objects;
  entry.purpose = "wgs:vroegsignalering";
  return entry;
}

std::string backend_name(const ::testing::TestParamInfo<Backend> &info) {
  return info.param == Backend::sqlite ? "sqlite" : "postgresql";
}

} // namespace hearth::audit::test
