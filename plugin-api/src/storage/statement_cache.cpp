#include "storage/statement_cache.hpp"

#include <algorithm>

#include "storage/sql_text.hpp"

namespace hearth::storage {

StatementCache::StatementCache(std::size_t capacity) : capacity_(std::max<std::size_t>(capacity, 1)) {}

StatementCache::~StatementCache() { clear(); }

void StatementCache::run(soci::session &session, std::string_view sql, std::span<const Value> params,
                         const RowCallback &on_row) {
  auto found = kept_.find(sql);
  if (found == kept_.end()) {
    if (sql_text::split_statements(sql).size() > 1) {
      throw StorageError(StorageError::Kind::invalid_argument,
                         "`" + sql_text::first_words(sql) + " ...` holds more than one statement; execute runs one");
    }
    std::unique_ptr<NativeStatement> prepared = prepare_native(session, Backend::sqlite, sql);
    if (kept_.size() >= capacity_) {
      drop_idle();
    }
    found = kept_.emplace(std::string(sql), Kept{std::move(prepared), false}).first;
  }
  Kept &kept = found->second;
  if (kept.running) {
    prepare_native(session, Backend::sqlite, sql)->run(params, on_row);
    return;
  }
  // Marks the statement running for as long as it runs, whatever way run() ends.
  struct Running {
    bool &flag;
    explicit Running(bool &f) : flag(f) { flag = true; }
    ~Running() { flag = false; }
  } running(kept.running);
  kept.statement->run(params, on_row);
}

void StatementCache::drop_idle() noexcept {
  std::erase_if(kept_, [](const auto &entry) { return !entry.second.running; });
}

void StatementCache::clear() noexcept { kept_.clear(); }

} // namespace hearth::storage
