// The NEN 7513 access log: every create, read, update, delete, search and export of
// personal data leaves an entry, hash-chained so that a changed, removed or reordered
// entry is detected. Entries are written in the caller's store transaction.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "storage/store.hpp"

namespace hearth::audit {

// One access to personal data: who (user, on behalf of whom, organisation, role), what
// (event, objects), when (at_ms), from where (access_point), emergency or not, and
// whether it was allowed. Holds pseudonymous ids only, never a name or a BSN.
struct AuditEntry {
  std::uint64_t sequence = 0;      // set by append(): 1, 2, 3 ... without gaps
  std::int64_t at_ms = 0;          // set by append() from the runtime clock
  std::string event;               // create | read | update | delete | search | export
  std::string user, on_behalf_of, organisation, role, access_point;
  std::string objects;             // object ids, e.g. "tenancy:T-0042,person:P-17"; never a BSN or name
  bool emergency = false;
  std::string purpose;             // optional: why (legal basis / purpose code)
  std::string outcome = "allowed"; // allowed | denied
};

// What verify() found.
struct VerifyResult {
  bool intact = true;
  std::uint64_t entries = 0;               // how many were checked
  std::optional<std::uint64_t> first_bad;  // sequence of the first bad entry
  std::string reason;                      // "hash mismatch", "missing entry 17", "out of order"
};

class AuditLog {
public:
  // The owner the audit migrations are recorded under.
  static constexpr const char *migration_owner = "nl.hearth.audit";
  // The runtime's migrations for the audit table(s) (owner migration_owner): the table
  // hearth_audit_log. Apply with store.migrate(migration_owner, migrations()).
  static std::vector<storage::Migration> migrations();

  // A log over `store`, which must outlive it and have the migrations applied.
  // Thread-safe as the store is.
  explicit AuditLog(storage::Store &store);
  ~AuditLog();
  AuditLog(const AuditLog &) = delete;
  AuditLog &operator=(const AuditLog &) = delete;

  // Appends `entry` (its sequence and hash computed here) inside the calling thread's
  // store transaction; a rollback of that transaction takes the entry with it. A thread
  // without one (see Store::thread_holds_session) joins a group commit: its entry is
  // written, with the entries other threads appended meanwhile, in one transaction by
  // one of them, and append() returns once that transaction committed (or throws what
  // writing this entry threw; an entry that fails is retried alone, so it never takes the
  // others down with it). Concurrent appends from several threads or several runtime
  // instances on one PostgreSQL keep one unbroken chain: the sequence is max+1, read
  // under pg_advisory_xact_lock (held until the transaction ends, so keep audited
  // transactions short) on PostgreSQL and under SQLite's single write lock (BEGIN
  // IMMEDIATE) on SQLite. Expects PostgreSQL's default READ COMMITTED isolation.
  // The items of `objects` are trimmed. Throws std::invalid_argument naming the field
  // when event, user, role, organisation or access_point is empty, when event or outcome
  // is not one of the listed values, when objects has an empty item, or when a text field
  // holds a valid BSN (privacy::redact_bsns would change it).
  // Returns the sequence.
  std::uint64_t append(AuditEntry entry, std::int64_t now_ms);

  // Walks the chain from sequence 1 (prev_hash "000...0") and stops at the first bad
  // entry: a missing sequence ("missing entry N", first_bad N), a prev_hash that does not
  // match the entry before ("out of order", also after a removal or a rewritten
  // predecessor), or a stored hash that does not match the entry ("hash mismatch").
  // Limits: a removed tail, or a rewrite that recomputes every later hash, is not
  // detected by the chain alone (anchor the head hash elsewhere for that).
  VerifyResult verify() const;

  // Entries with event "read", "search" or "export" whose objects name `object_id`
  // (exact token match), newest first: "who viewed this file".
  std::vector<AuditEntry> viewers_of(const std::string &object_id, std::size_t limit = 100) const;

  // Entries matching every given filter, newest first (for the auditor's search).
  // `user` matches the acting user exactly, `object_id` an item of objects exactly,
  // `event` exactly; from_ms is inclusive, to_ms exclusive.
  struct Filter {
    std::optional<std::string> user{}, object_id{}, event{};
    std::optional<std::int64_t> from_ms{}, to_ms{};
    std::size_t limit = 100;
  };
  std::vector<AuditEntry> search(const Filter &filter) const;

private:
  struct GroupCommit;
  struct PendingEntry;
  // Writes `entry` (validated, at_ms set) as the chain's next entry, inside the current
  // store transaction or a new one; returns its sequence.
  std::uint64_t write(AuditEntry &entry);
  // Writes every entry of `group` in one transaction; when that fails, each one alone.
  void write_group(std::vector<PendingEntry *> &group);

  storage::Store &store_;
  std::unique_ptr<GroupCommit> group_; // the entries waiting for a group commit
};

} // namespace hearth::audit
