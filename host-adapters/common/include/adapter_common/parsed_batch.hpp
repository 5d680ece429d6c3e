// What an adapter makes of one input document: the signals it could build (owning their
// text) and, for every record it refused, which field was at fault and why. Part of
// hearth_adapter_common (host-adapters/common/). Since 0.1 (ABI 1.1).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <hearth/signals.h>

namespace hearth::adapters {

// One canonical signal whose strings live as long as it does. Fields mirror
// hearth_signal (hearth/signals.h); empty strings stand for NULL.
struct OwnedSignal {
  std::string source;        // "vera:woonstad": the source system (idempotency key part 1)
  std::string external_id;   // the record's id in the source (idempotency key part 2)
  std::string type;          // a code of the product's signal table ("SCH", "X-REP")
  std::string detail;        // its detail code ("BET") or ""
  std::string tenancy_id;    // the tenancy the signal concerns (pseudonymous reference)
  std::int64_t occurred_at_ms = 0;
  std::int64_t amount_cents = 0;
  std::int32_t severity = 0;
  std::string legal_basis;   // from the configured list ([data] legal_bases)
  std::string purpose;       // from the configured list ([data] purposes)
  std::string reporter_user; // optional

  // A hearth_signal pointing into this object: valid while it lives unchanged.
  hearth_signal view() const;
};

// One refused input record. `field` names the place in the input ("Signalering.soort.code",
// "rows[12].amount"); `reason` says what is wrong without repeating the value (values may be
// personal data). `payload` holds the record's raw bytes only so that a dead letter can
// store their SHA-256; it is never logged or stored itself.
struct Rejection {
  std::uint32_t item_index = 0; // the record's position in the input, from 0
  std::string field;
  std::string reason;
  std::string payload;

  // "field: reason"
  std::string message() const { return field + ": " + reason; }
};

// The result of parsing one document or file.
struct ParsedBatch {
  std::string source;                // the `source` of every signal in it
  std::uint32_t items = 0;           // records seen in the input
  std::uint32_t ignored = 0;         // records understood but not mapped to any signal
  std::vector<OwnedSignal> signals;  // in input order
  // Reference records for hearth_runtime_put_records (docs/data.md, "Ingestion"): one JSON
  // object text each, with "kind" unit, tenancy, person or outcome. Stored before the
  // signals, so that a signal may name a tenancy the same input creates.
  std::vector<std::string> records;
  // Called by the caller once the batch is ingested without a failure (every signal and
  // record stored, a duplicate, or refused with its dead letter); an incremental source
  // advances its watermark here. May be empty. May throw std::exception (the caller
  // reports it; the watermark then stays and the next run reads the rows again).
  std::function<void()> after_ingest;
  std::vector<Rejection> rejections; // in input order

  // Records a rejection of record `item_index`.
  void reject(std::uint32_t item_index, std::string field, std::string reason, std::string payload = {});
  // Appends `other`'s signals and rejections (item indexes shifted by this->items).
  void append(ParsedBatch &&other);
};

// The borrowed pointers hearth_runtime_ingest() takes, built from owned signals. Valid while
// both this object and the signals it was made from live unchanged. Not thread-safe.
class SignalPointers {
public:
  // Views signals[begin, end) (end clamped to the vector's size).
  explicit SignalPointers(const std::vector<OwnedSignal> &signals, std::size_t begin = 0,
                          std::size_t end = static_cast<std::size_t>(-1));
  SignalPointers(const SignalPointers &) = delete;
  SignalPointers &operator=(const SignalPointers &) = delete;

  const hearth_signal *const *data() const { return pointers_.data(); }
  std::uint32_t size() const { return static_cast<std::uint32_t>(pointers_.size()); }

private:
  std::vector<hearth_signal> views_;
  std::vector<const hearth_signal *> pointers_;
};

} // namespace hearth::adapters
