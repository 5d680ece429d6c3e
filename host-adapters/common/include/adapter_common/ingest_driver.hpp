// Ingests a ParsedBatch through the runtime: signals in chunks, the runtime's refusals
// isolated so that good records still land (or the whole batch refused, for a pushed
// message), and a dead letter for every record refused before ingestion. Counts what
// happened. Used by `hearth ingest` (host.h) and by adapters running as plugins
// (data_service.h). Part of hearth_adapter_common. Since 0.1.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <hearth/host.h>

#include "adapter_common/parsed_batch.hpp"

namespace hearth::adapters {

// Where signals and dead letters go.
class IngestTarget {
public:
  virtual ~IngestTarget() = default;
  // As hearth_runtime_ingest(): all or nothing for `signals`. Fills `result`; on failure
  // `error` gets the runtime's message.
  virtual std::int32_t ingest(const SignalPointers &signals, hearth_ingest_result &result, std::string &error) = 0;
  // As hearth_runtime_put_records(): `records_json` is a JSON array, stored all or nothing.
  // On HEARTH_OK `stored` holds the number stored.
  virtual std::int32_t put_records(const std::string &records_json, std::uint32_t &stored, std::string &error) = 0;
  // Records a dead letter for `rejection` of `source` (hearth_runtime_dead_letter: its
  // payload's hash, never the payload). HEARTH_ERROR_UNSUPPORTED when the runtime offers no
  // call for it (a data extension from before the call existed).
  virtual std::int32_t dead_letter(const std::string &source, const Rejection &rejection, std::string &error) = 0;
};

// The embedding API (host.h). Borrows both pointers; [any-thread] like the runtime.
class RuntimeTarget final : public IngestTarget {
public:
  RuntimeTarget(hearth_runtime *runtime, const hearth_actor *actor) : runtime_(runtime), actor_(actor) {}
  std::int32_t ingest(const SignalPointers &signals, hearth_ingest_result &result, std::string &error) override;
  std::int32_t put_records(const std::string &records_json, std::uint32_t &stored, std::string &error) override;
  std::int32_t dead_letter(const std::string &source, const Rejection &rejection, std::string &error) override;

private:
  hearth_runtime *runtime_;
  const hearth_actor *actor_;
};

// The data extension a plugin gets (data_service.h). Borrows all three pointers.
class PluginTarget final : public IngestTarget {
public:
  PluginTarget(const hearth_host *host, const hearth_data_extension *data, const hearth_actor *actor)
      : host_(host), data_(data), actor_(actor) {}
  std::int32_t ingest(const SignalPointers &signals, hearth_ingest_result &result, std::string &error) override;
  std::int32_t put_records(const std::string &records_json, std::uint32_t &stored, std::string &error) override;
  std::int32_t dead_letter(const std::string &source, const Rejection &rejection, std::string &error) override;

private:
  const hearth_host *host_;
  const hearth_data_extension *data_;
  const hearth_actor *actor_;
};

// What an ingestion did.
struct IngestSummary {
  std::uint64_t items = 0;        // records seen in the input
  std::uint64_t accepted = 0;     // signals stored now
  std::uint64_t duplicates = 0;   // signals stored before (same source and external id)
  std::uint64_t rejected = 0;     // records refused (by the parser or by the runtime)
  std::uint64_t denied = 0;       // signals the policy does not let the actor create (audited)
  std::uint64_t ignored = 0;      // records understood but not signals
  std::uint64_t records = 0;      // reference records stored (tenancies, outcomes ...)
  std::uint64_t dead_letters = 0; // parser refusals recorded as dead letters
  std::uint64_t dead_letters_unsupported = 0; // parser refusals the runtime could not record
  std::uint64_t withheld = 0;     // valid signals not stored because all_or_nothing refused the batch
  std::vector<std::string> problems; // "field: reason" per refusal, at most max_problems

  void add(const IngestSummary &other);
};

// How to ingest.
struct IngestOptions {
  std::size_t chunk_size = 256;   // signals per runtime call
  // true: any refusal refuses the whole batch (nothing stored; a pushed message);
  // false: refused records are counted and the rest is stored (a file import).
  bool all_or_nothing = false;
  std::size_t max_problems = 20;  // messages kept in IngestSummary::problems
  // Called after each chunk with the number of input records handled so far.
  std::function<void(std::uint64_t)> progress;
};

// A failure that is not about the input: storage down, the actor denied. The batch may be
// partly stored (earlier chunks) when all_or_nothing is false; sending it again is safe
// (ingestion is idempotent).
class IngestFailure : public std::runtime_error {
public:
  IngestFailure(std::int32_t status, const std::string &message) : std::runtime_error(message), status_(status) {}
  std::int32_t status() const { return status_; }

private:
  std::int32_t status_;
};

// Ingests `batch` into `target`: first the dead letters of the parser's refusals, then its
// reference records (units before tenancies before persons and outcomes) in one
// put_records call — when the runtime refuses them, each on its own, counting the refused
// ones as rejected — then the signals in chunks. A chunk the runtime refuses is narrowed
// down to the signal at fault (the runtime keeps its dead letter); a chunk the policy
// denies is retried signal by signal and the denied ones counted. Throws IngestFailure for failures other than refused input.
IngestSummary ingest_batch(IngestTarget &target, const ParsedBatch &batch, const IngestOptions &options);

} // namespace hearth::adapters
