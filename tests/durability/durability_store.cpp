#include "durability_store.hpp"

#include <atomic>
#include <fstream>

#include <unistd.h>

namespace hearth::test {
namespace {

// A one-connection store on the test server's default schema, to create and drop schemas.
std::unique_ptr<storage::Store> open_admin_store() {
  return storage::Store::open(storage::StoreOptions{storage::Backend::postgresql, *postgres_url(), 1, 5000});
}

} // namespace

DurabilityStore::DurabilityStore(storage::Backend backend) : backend_(backend) {
  std::ofstream ini(scratch_.path() / "hearth.ini");
  if (backend_ == storage::Backend::postgresql) {
    static std::atomic<unsigned> counter{0};
    schema_ = "hearth_durability_" + std::to_string(::getpid()) + "_" + std::to_string(counter++);
    open_admin_store()->execute("CREATE SCHEMA " + schema_);
    target_ = *postgres_url() + " options='-csearch_path=" + schema_ + "'";
    ini << "[storage]\nbackend = postgresql\npostgresql = " << target_ << "\npool_size = 2\n";
  } else {
    target_ = (scratch_.path() / "hearth.db").string();
    ini << "[storage]\nbackend = sqlite\nsqlite_path = " << target_ << "\n";
  }
  ini << "[plugins]\nbundled = false\n[log]\nlevel = warn\n";
}

DurabilityStore::~DurabilityStore() {
  if (!schema_.empty()) {
    try {
      open_admin_store()->execute("DROP SCHEMA " + schema_ + " CASCADE");
    } catch (const storage::StorageError &) {
      // A leftover schema in a test database harms nothing.
    }
  }
}

std::unique_ptr<storage::Store> DurabilityStore::open_store() const {
  storage::StoreOptions options;
  options.backend = backend_;
  options.target = target_;
  options.pool_size = 1;
  return storage::Store::open(options);
}

} // namespace hearth::test
