// Reference records from back-office systems — units, tenancies, persons, outcomes — as
// a JSON array, stored all-or-nothing (insert or update by id), audited, and checked
// against the policy. A person's BSN is validated, sealed with the field cipher and
// indexed blind; it is never stored or logged in clear.
#pragma once

#include <cstdint>
#include <string>

#include "audit/audit_log.hpp"
#include "policy/policy.hpp"
#include "privacy/field_cipher.hpp"
#include "runtime/clock.hpp"
#include "storage/store.hpp"

namespace hearth::data {

struct RecordsOutcome {
  std::int32_t status = 0; // a hearth_status
  std::string message;     // the first error, naming "records[i].field", when not OK
  std::uint32_t stored = 0;
};

class RecordStore {
public:
  // `cipher` may be null: then records carrying a BSN are refused.
  RecordStore(storage::Store &store, runtime::Clock &clock, audit::AuditLog &audit, const policy::Policy &policy,
              const privacy::FieldCipher *cipher);

  // `json` is an array of objects, each with "kind": "unit" | "tenancy" | "person" |
  // "outcome" and the fields docs/data.md lists. Never throws for bad input.
  RecordsOutcome put(const policy::Actor &actor, const std::string &json);

private:
  storage::Store &store_;
  runtime::Clock &clock_;
  audit::AuditLog &audit_;
  const policy::Policy &policy_;
  const privacy::FieldCipher *cipher_;
};

} // namespace hearth::data
