// Stores a demo neighbourhood in a runtime through the public embedding API, as the
// "system" role: records through hearth_runtime_put_records, signals through
// hearth_runtime_ingest.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>

#include <hearth/host.h>

#include "demo/demo_data.hpp"

namespace hearth::demo {

// Where storing has got to.
struct LoadProgress {
  const char *stage = "";  // "records" or "signals"
  std::size_t done = 0;
  std::size_t total = 0;
};

// What storing did.
struct LoadSummary {
  std::size_t records = 0;        // records stored (inserted or updated)
  std::uint64_t accepted = 0;     // signals stored now
  std::uint64_t duplicates = 0;   // signals stored before (same source and external id)
  std::size_t skipped_future = 0; // signals dated after the runtime's clock, not sent
};

// Batch sizes for storing.
struct LoadOptions {
  std::size_t record_batch = 1000;
  std::size_t signal_batch = 5000;
  std::function<void(const LoadProgress &)> progress; // called after every batch; may be empty
};

// Stores `neighbourhood` in `runtime`. Signals dated after hearth_runtime_now_ms() are
// left out and counted. Throws std::runtime_error naming the batch and the library's
// message when a batch is refused; batches stored before stay stored (a rerun completes
// them, as everything is idempotent).
LoadSummary store_neighbourhood(hearth_runtime *runtime, const DemoNeighbourhood &neighbourhood,
                                const LoadOptions &options = {});

} // namespace hearth::demo
