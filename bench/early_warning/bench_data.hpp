// Synthetic signals for the early-warning benchmarks: `tenancies` tenancies
// ("tenancy-0000001" ...) with about `per_tenancy` signals each over the two years before
// `as_of_ms`, of the kinds the default rule set scores (and a few it ignores), in the
// order an ingestor would have stored them (by time). Deterministic.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace hearth::bench::early_warning {

struct BenchSignal {
  std::uint64_t seq = 0;
  std::uint32_t tenancy = 0; // index; its id is tenancy_id(tenancy)
  const char *type = "";
  const char *detail = "";
  std::int64_t occurred_at_ms = 0;
  std::int64_t amount_cents = 0;
  std::int32_t severity = 0;
};

struct BenchData {
  std::size_t tenancies = 0;
  std::int64_t as_of_ms = 0;
  std::vector<BenchSignal> signals; // seq 1, 2, ... in time order
};

BenchData generate_bench_data(std::size_t tenancies, std::size_t per_tenancy, std::uint64_t seed);

// "tenancy-0000042" for index 42.
std::string tenancy_id(std::uint32_t tenancy);

// Reads a positive whole number from the environment variable `name`, or `fallback`.
std::size_t env_size(const char *name, std::size_t fallback);

} // namespace hearth::bench::early_warning
