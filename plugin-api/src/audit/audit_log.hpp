// The NEN 7513 access log: every create, read, update, delete, search and export of
// personal data leaves an entry, hash-chained so that a changed, removed or reordered
// entry is detected. Entries are written in the caller's store transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "storage/store.hpp"

namespace hearth::audit {

struct AuditEntry {
  std::uint64_t sequence = 0;      // set by append()
  std::int64_t at_ms = 0;          // set by append() from the runtime clock
  std::string event;               // create | read | update | delete | search | export
  std::string user, on_behalf_of, organisation, role, access_point;
  std::string objects;             // object ids, e.g. "tenancy:T-0042,person:P-17"; never a BSN or name
  bool emergency = false;
  std::string purpose;             // optional: why (legal basis / purpose code)
  std::string outcome = "allowed"; // allowed | denied
};

struct VerifyResult {
  bool intact = true;
  std::uint64_t entries = 0;               // how many were checked
  std::optional<std::uint64_t> first_bad;  // sequence of the first bad entry
  std::string reason;                      // "hash mismatch", "missing entry 17", "out of order"
};

class AuditLog {
public:
  // The runtime's migrations for the audit table(s) (owner "nl.hearth.audit").
  static std::vector<storage::Migration> migrations();

  explicit AuditLog(storage::Store &store);

  // Appends `entry` (its sequence and hash computed here) inside the current store
  // transaction, or in its own when there is none. Concurrent appends from several
  // threads or several runtime instances on one PostgreSQL keep one unbroken chain.
  // Throws std::invalid_argument naming the field when event, user, role, organisation
  // or access_point is empty. Returns the sequence.
  std::uint64_t append(AuditEntry entry, std::int64_t now_ms);

  // Walks the chain from the first entry; names the first bad one.
  VerifyResult verify() const;

  // Entries with event "read", "search" or "export" whose objects name `object_id`
  // (exact token match), newest first: "who viewed this file".
  std::vector<AuditEntry> viewers_of(const std::string &object_id, std::size_t limit = 100) const;

  // Entries matching every given filter, newest first (for the auditor's search).
  struct Filter {
    std::optional<std::string> user, object_id, event;
    std::optional<std::int64_t> from_ms, to_ms;
    std::size_t limit = 100;
  };
  std::vector<AuditEntry> search(const Filter &filter) const;

private:
  storage::Store &store_;
};

} // namespace hearth::audit
