// Turning SOCI's exceptions into StorageError with messages that are safe to log: they
// name the statement by its first words and never carry bound values or passwords.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include <soci/soci.h>

#include "storage/store.hpp"

namespace hearth::storage {

// The StorageError for a failed statement: conflict for a unique-constraint violation
// (SQLite's "UNIQUE constraint failed", PostgreSQL's SQLSTATE 23505), io otherwise. The
// message names the statement's first words and the database's one-line reason, with
// DETAIL/CONTEXT lines dropped and every bound value in `params` masked.
StorageError statement_error(const soci::soci_error &error, std::string_view sql,
                             std::span<const Value> params);

// The StorageError(io) for a store that cannot be opened: names the backend and the
// target with any password masked, plus the database's reason.
StorageError open_error(Backend backend, std::string_view target, std::string_view reason);

// `target` (a libpq key=value string or URI, or a file path) with any password masked.
std::string describe_target(std::string_view target);

// Makes `message` safe to log: masks every bound value of `params` longer than one
// character (text as is, integers and reals in decimal, blobs in hex).
std::string mask_values(std::string message, std::span<const Value> params);

} // namespace hearth::storage
