// How many rows the store holds, read through the "store.counts" view.
#pragma once

#include <cstdint>

#include <hearth/host.h>

namespace hearth::demo {

// The rows per table of the store (no personal data).
struct StoreCounts {
  std::int64_t units = 0;
  std::int64_t tenancies = 0;
  std::int64_t persons = 0;
  std::int64_t signals = 0;
  std::int64_t outcomes = 0;
};

// Reads "store.counts" as an administrator of the demo tooling. Throws
// std::runtime_error when the read fails.
StoreCounts read_store_counts(hearth_runtime *runtime);

} // namespace hearth::demo
