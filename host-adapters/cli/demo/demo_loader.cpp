// Storing a demo neighbourhood: records first (units before the tenancies naming them),
// then the signals in time order.
#include "demo/demo_loader.hpp"

#include <stdexcept>
#include <string>

#include "demo/demo_json.hpp"
#include "demo/demo_runtime.hpp"
#include "demo/signal_batch.hpp"

namespace hearth::demo {

namespace {

// The actor behind every demo write: an ingesting system.
hearth_actor demo_system_actor() {
  hearth_actor actor{};
  actor.struct_size = sizeof actor;
  actor.user = "demo-data";
  actor.role = HEARTH_ROLE_SYSTEM;
  actor.organisation = "hearth:demo";
  actor.access_point = "cli";
  return actor;
}

// Calls `progress` when it is set.
void report(const LoadOptions &options, const char *stage, std::size_t done, std::size_t total) {
  if (options.progress) {
    options.progress(LoadProgress{stage, done, total});
  }
}

} // namespace

LoadSummary store_neighbourhood(hearth_runtime *runtime, const DemoNeighbourhood &neighbourhood,
                                const LoadOptions &options) {
  const hearth_actor actor = demo_system_actor();
  LoadSummary summary;

  const std::size_t records_total = record_count(neighbourhood);
  std::size_t records_sent = 0;
  for_each_record_batch(neighbourhood, options.record_batch, [&](const std::string &json, std::size_t count) {
    std::uint32_t stored = 0;
    char *error = nullptr;
    const std::int32_t status = hearth_runtime_put_records(runtime, &actor, json.c_str(), &stored, &error);
    if (status != HEARTH_OK) {
      throw std::runtime_error("cannot store records " + std::to_string(records_sent + 1) + " to " +
                               std::to_string(records_sent + count) + ": " + take_error(status, error));
    }
    hearth_free(error);
    records_sent += count;
    summary.records += stored;
    report(options, "records", records_sent, records_total);
  });

  // The signals are in time order, so the ones after the clock are at the end.
  const std::int64_t now_ms = hearth_runtime_now_ms(runtime);
  std::size_t sendable = neighbourhood.signals.size();
  while (sendable > 0 && neighbourhood.signals[sendable - 1].occurred_at_ms > now_ms) {
    --sendable;
  }
  summary.skipped_future = neighbourhood.signals.size() - sendable;
  const std::size_t batch_size = options.signal_batch == 0 ? 1 : options.signal_batch;
  for (std::size_t begin = 0; begin < sendable; begin += batch_size) {
    const std::size_t end = std::min(sendable, begin + batch_size);
    const SignalBatch batch(neighbourhood, begin, end);
    hearth_ingest_result result{};
    result.struct_size = sizeof result;
    char *error = nullptr;
    const std::int32_t status =
        hearth_runtime_ingest(runtime, &actor, batch.pointers(), batch.size(), &result, &error);
    if (status != HEARTH_OK || result.rejected != 0) {
      throw std::runtime_error("cannot ingest signals " + std::to_string(begin + 1) + " to " +
                               std::to_string(end) + ": " + take_error(status, error));
    }
    hearth_free(error);
    summary.accepted += result.accepted;
    summary.duplicates += result.duplicates;
    report(options, "signals", end, sendable);
  }
  return summary;
}

} // namespace hearth::demo
