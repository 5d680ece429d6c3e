// Durable, idempotent, audited ingestion of signals: a batch is validated whole, checked
// against the policy, written in one transaction with its audit entry (each signal row is
// its own event-log entry, ADR 7), and acknowledged only after commit. A rejected batch stores nothing but
// dead-letter records (reason, source, time, payload hash — no personal data).
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "audit/audit_log.hpp"
#include "data/event_log.hpp"
#include "data/signal_validation.hpp"
#include "hearth/signals.h"
#include "policy/policy.hpp"
#include "runtime/clock.hpp"
#include "storage/store.hpp"

namespace hearth::data {

struct IngestOutcome {
  std::int32_t status = 0; // a hearth_status
  std::string message;     // the first error, naming the field, when status is not OK
  std::uint32_t accepted = 0, duplicates = 0, rejected = 0, first_rejected = 0;
  std::uint64_t first_sequence = 0, last_sequence = 0;
};

class Ingestor {
public:
  Ingestor(storage::Store &store, runtime::Clock &clock, ValidationRules rules, audit::AuditLog &audit,
           const policy::Policy &policy, EventLogFollower &follower);

  // Ingests `signals` as one all-or-nothing batch on behalf of `actor`. Never throws for
  // bad input; storage failures come back as HEARTH_ERROR_IO with nothing stored.
  IngestOutcome ingest(const policy::Actor &actor, std::span<const hearth_signal *const> signals);

private:
  // Records why each rejected item was refused, in a transaction of its own.
  void dead_letter(const std::string &source, std::span<const std::pair<std::uint32_t, FieldError>> errors,
                   std::span<const hearth_signal *const> signals);

  storage::Store &store_;
  runtime::Clock &clock_;
  ValidationRules rules_;
  audit::AuditLog &audit_;
  const policy::Policy &policy_;
  EventLogFollower &follower_;
};

// SHA-256 (hex) of a signal's fields as received: lets an operator match a dead letter to
// the source record without Hearth keeping the record.
std::string signal_fingerprint(const hearth_signal *signal);

} // namespace hearth::data
