// Runs one statement on one SOCI session: rewrites `?` placeholders, binds Values, and
// hands typed result rows to a callback.
#pragma once

#include <span>
#include <string_view>

#include <soci/soci.h>

#include "storage/store.hpp"

namespace hearth::storage {

// Runs `sql` (exactly one statement, `?` placeholders) on `session` with `params` bound in
// order, passing each result row to `on_row` (when set) until it returns false.
// Throws StorageError as documented on Store::execute. Exceptions thrown by `on_row`
// pass through unchanged.
void run_statement(soci::session &session, Backend backend, std::string_view sql,
                   std::span<const Value> params, const RowCallback &on_row);

} // namespace hearth::storage
