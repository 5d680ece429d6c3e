// Dead letters for input an adapter rejected before it became a signal
// (hearth_runtime_dead_letter, and dead_letter of "nl.hearth.data/1"). The ingestor keeps
// its own for signals it refuses; both write the same table, hearth_dead_letter.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "policy/policy.hpp"
#include "runtime/clock.hpp"
#include "storage/store.hpp"

namespace hearth::data {

// What one rejected item was.
struct RejectedInput {
  std::string source;       // required: the source system, e.g. "vera:woonstad"
  std::uint32_t item_index = 0;
  std::string field;        // the field at fault, "" for the whole item
  std::string reason;       // required: why, never the value itself
  std::string_view payload; // hashed (SHA-256), never stored
};

class DeadLetterRecorder {
public:
  // `store` and `clock` must outlive the recorder.
  DeadLetterRecorder(storage::Store &store, runtime::Clock &clock);

  // Stores one row for `input` on behalf of `actor` in its own transaction. BSNs in field
  // and reason are masked. Throws std::invalid_argument naming the argument ("source:
  // missing", "reason: missing"), PolicyDenied (a std::runtime_error) for a role other
  // than system or administrator, and storage errors as the store does. [any-thread]
  void record(const policy::Actor &actor, const RejectedInput &input);

private:
  storage::Store &store_;
  runtime::Clock &clock_;
};

// Raised when the actor may not record dead letters.
class DeadLetterDenied : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

} // namespace hearth::data
