// Owned result rows over the host's storage service (hearth::Host::execute). Plain SQL
// with `?` placeholders that runs the same on SQLite and PostgreSQL.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <hearth/plugin.hpp>

namespace hearth::handoff {

// One row, copied out of the storage callback.
class Row {
public:
  // Takes the row's values, in the statement's column order.
  explicit Row(std::vector<Value> values) : values_(std::move(values)) {}
  // Column `i` as text ("" for NULL; an integer as its digits).
  std::string text(std::size_t i) const;
  // Column `i` as text, nullopt for NULL.
  std::optional<std::string> optional_text(std::size_t i) const;
  // Column `i` as an integer (0 for NULL; text is parsed).
  std::int64_t integer(std::size_t i) const;
  // Column `i` as an integer, nullopt for NULL.
  std::optional<std::int64_t> optional_integer(std::size_t i) const;
  // True when column `i` is NULL.
  bool is_null(std::size_t i) const;

private:
  std::vector<Value> values_;
};

// Statements through one Host. Cheap to copy; copy per thread (Host keeps the last error
// message). Every call throws hearth::Error on failure.
class Database {
public:
  // Runs statements through `host` (joining the calling thread's open transaction).
  explicit Database(Host host) : host_(host) {}
  // Runs a statement that returns no rows.
  void run(const std::string &sql, const std::vector<Value> &params = {}) const;
  // Every row of a query.
  std::vector<Row> rows(const std::string &sql, const std::vector<Value> &params = {}) const;
  // The first row of a query, or nullopt.
  std::optional<Row> row(const std::string &sql, const std::vector<Value> &params = {}) const;
  // The first column of the first row as an integer (0 when there is no row).
  std::int64_t scalar(const std::string &sql, const std::vector<Value> &params = {}) const;
  // The host these statements run through.
  const Host &host() const { return host_; }

private:
  Host host_;
};

// A Value holding `text`, or NULL when it is nullopt.
Value text_or_null(const std::optional<std::string> &text);

} // namespace hearth::handoff
