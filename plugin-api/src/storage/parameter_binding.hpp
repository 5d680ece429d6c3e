// Binding Values to a SOCI statement: keeps the bound objects alive for the statement's
// life and decides how each `?` is written for the backend.
#pragma once

#include <cstddef>
#include <deque>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include <soci/soci.h>

#include "storage/store.hpp"

namespace hearth::storage {

// bytea's hex input format: "\\x" followed by two hex digits per byte.
std::string bytea_hex(const Blob &blob);

// The shortest decimal text that reads back as exactly `real`, in PostgreSQL's spelling
// for infinities and NaN.
std::string exact_decimal(double real);

// The Values of one statement, converted to objects SOCI can bind by reference. Must
// outlive the soci::statement it is bound to.
//
// NULL binds through an indicator. On SQLite a blob binds as a real BLOB through
// soci::blob, except an empty one, which SOCI 4.0 would bind as NULL and which is
// therefore written inline as the literal x''. On PostgreSQL SOCI 4.0's soci::blob means
// a large object, not bytea, and parameters travel as text anyway: a blob binds as
// bytea's hex text ("\x0a1b..."), which the server turns into bytea when the parameter's
// place expects bytea (a bytea column or a CAST(? AS BYTEA)). Reals on PostgreSQL bind as
// their shortest exact decimal text so that they round-trip bit for bit.
class BoundParameters {
public:
  // Prepares `params` for `backend`; `session` is needed to create soci::blob objects.
  BoundParameters(soci::session &session, Backend backend, std::span<const Value> params);

  // How placeholder `index` (0-based) is written in the SQL sent to SOCI: ":pN" for a bound
  // parameter (N counting bound parameters from 1), or an inline literal.
  std::string placeholder_for(std::size_t index) const;

  // Adds a use() element for every bound parameter to `statement`, in order.
  void bind_to(soci::statement &statement);

private:
  // True when parameter `index` is written inline instead of bound.
  bool is_inline(std::size_t index) const;

  soci::session &session_;
  Backend backend_;
  std::span<const Value> params_;
  std::deque<long long> integers_;
  std::deque<double> reals_;
  std::deque<std::string> texts_;
  std::deque<soci::indicator> indicators_;
  std::vector<std::unique_ptr<soci::blob>> blobs_;
};

} // namespace hearth::storage
