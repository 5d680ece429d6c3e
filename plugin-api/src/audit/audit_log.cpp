// Appending to the audit log's hash chain and verifying it.
#include "audit/audit_log.hpp"

#include <array>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <stdexcept>
#include <string_view>

#include "audit/audit_chain.hpp"
#include "audit/audit_rows.hpp"
#include "privacy/bsn.hpp"

namespace hearth::audit {
namespace {

using storage::Value;

// The PostgreSQL advisory lock that serialises appends across runtime instances:
// "hearth" in ASCII followed by 0x0001.
constexpr std::int64_t append_lock_key = 0x6865617274680001;

// The events NEN 7513 names, and the outcomes an entry can record.
constexpr std::array<std::string_view, 6> known_events{"create", "read",   "update",
                                                       "delete", "search", "export"};
constexpr std::array<std::string_view, 2> known_outcomes{"allowed", "denied"};

// `text` without leading and trailing blanks.
std::string_view trimmed(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) {
    return {};
  }
  return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

// Throws std::invalid_argument naming `field` when `value` is empty.
void require(const std::string &value, const char *field) {
  if (value.empty()) {
    throw std::invalid_argument(std::string("audit entry: ") + field + " is required");
  }
}

// Throws std::invalid_argument naming `field` when `value` is not one of `allowed`.
template <std::size_t N>
void require_one_of(const std::string &value, const char *field,
                    const std::array<std::string_view, N> &allowed) {
  for (const auto candidate : allowed) {
    if (value == candidate) {
      return;
    }
  }
  std::string list;
  for (const auto candidate : allowed) {
    list += (list.empty() ? "" : ", ") + std::string(candidate);
  }
  throw std::invalid_argument(std::string("audit entry: ") + field + " must be one of " + list);
}

// Throws std::invalid_argument naming `field` when `value` holds a valid BSN (the log
// keeps pseudonymous ids only; the message never repeats the value).
void refuse_bsn(const std::string &value, const char *field) {
  if (privacy::redact_bsns(value) != value) {
    throw std::invalid_argument(std::string("audit entry: ") + field +
                                " holds a BSN; log pseudonymous ids only");
  }
}

// `objects` with every comma-separated item trimmed; throws std::invalid_argument for an
// empty item ("a,,b").
std::string normalised_objects(std::string_view objects) {
  if (trimmed(objects).empty()) {
    return {};
  }
  std::string out;
  std::size_t start = 0;
  while (true) {
    const auto comma = objects.find(',', start);
    const auto item = trimmed(objects.substr(
        start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
    if (item.empty()) {
      throw std::invalid_argument("audit entry: objects has an empty item");
    }
    out += (out.empty() ? "" : ",") + std::string(item);
    if (comma == std::string_view::npos) {
      return out;
    }
    start = comma + 1;
  }
}

} // namespace

// One entry waiting for a group commit, on the stack of the thread that appends it.
struct AuditLog::PendingEntry {
  AuditEntry entry;             // validated, at_ms set
  std::uint64_t sequence = 0;   // set once written
  std::exception_ptr failure;   // set when writing it failed
  bool done = false;            // written or failed; guarded by GroupCommit::mutex
};

// The entries waiting to be written, and whether a thread is writing a group now. The
// thread that finds nobody writing takes every waiting entry (its own among them) and
// writes them in one transaction, so concurrent appends share one commit: with SQLite's
// synchronous=FULL one WAL sync, on PostgreSQL one advisory lock and one commit.
// Rationale: every read audited by the runtime itself (data/reads.cpp: the records API,
// plugins' data-extension reads) committed and synced its own entry on SQLite's one writer
// connection, so concurrent reads queued behind each other's syncs (ADR 0015). The
// early-warning plugin's search entries were already grouped by the plugin.
struct AuditLog::GroupCommit {
  std::mutex mutex;
  std::condition_variable written;   // a group was written
  std::vector<PendingEntry *> waiting; // not yet taken by a writer
  bool writing = false;                // a thread is writing a group
};

AuditLog::AuditLog(storage::Store &store) : store_(store), group_(std::make_unique<GroupCommit>()) {}

AuditLog::~AuditLog() = default;

std::uint64_t AuditLog::append(AuditEntry entry, std::int64_t now_ms) {
  require(entry.event, "event");
  require(entry.user, "user");
  require(entry.role, "role");
  require(entry.organisation, "organisation");
  require(entry.access_point, "access_point");
  require_one_of(entry.event, "event", known_events);
  require_one_of(entry.outcome, "outcome", known_outcomes);
  entry.objects = normalised_objects(entry.objects);
  refuse_bsn(entry.user, "user");
  refuse_bsn(entry.on_behalf_of, "on_behalf_of");
  refuse_bsn(entry.organisation, "organisation");
  refuse_bsn(entry.access_point, "access_point");
  refuse_bsn(entry.objects, "objects");
  refuse_bsn(entry.purpose, "purpose");
  entry.at_ms = now_ms;

  if (store_.thread_holds_session()) {
    // Inside the caller's transaction (or a row callback): the entry belongs to it, and
    // waiting for another thread's group could wait for the session this thread holds.
    return write(entry);
  }

  PendingEntry mine;
  mine.entry = std::move(entry);
  std::unique_lock lock(group_->mutex);
  group_->waiting.push_back(&mine);
  while (!mine.done) {
    if (group_->writing) {
      group_->written.wait(lock);
      continue;
    }
    group_->writing = true;
    std::vector<PendingEntry *> group;
    group.swap(group_->waiting);
    lock.unlock();
    write_group(group);
    lock.lock();
    for (PendingEntry *pending : group) {
      pending->done = true;
    }
    group_->writing = false;
    group_->written.notify_all();
  }
  if (mine.failure) {
    std::rethrow_exception(mine.failure);
  }
  return mine.sequence;
}

void AuditLog::write_group(std::vector<PendingEntry *> &group) {
  try {
    store_.transaction([&] {
      for (PendingEntry *pending : group) {
        pending->sequence = write(pending->entry);
      }
    });
    return;
  } catch (...) {
    if (group.size() == 1) {
      group.front()->failure = std::current_exception();
      return;
    }
  }
  // The group rolled back: each entry alone, so that one that cannot be written fails
  // only its own append.
  for (PendingEntry *pending : group) {
    try {
      pending->sequence = write(pending->entry);
    } catch (...) {
      pending->failure = std::current_exception();
    }
  }
}

std::uint64_t AuditLog::write(AuditEntry &entry) {
  store_.transaction([&] {
    if (store_.backend() == storage::Backend::postgresql) {
      // Held until the (caller's) transaction ends: the next appender, in this process or
      // another, reads the chain's head only after this entry is committed or gone.
      // On SQLite, BEGIN IMMEDIATE already holds the database's single write lock.
      const Value key[] = {append_lock_key};
      store_.execute("SELECT pg_advisory_xact_lock(?)", key);
    }
    std::uint64_t last_sequence = 0;
    std::string prev_hash = chain::genesis_hash;
    store_.execute(std::string("SELECT sequence, hash FROM ") + rows::table +
                       " ORDER BY sequence DESC LIMIT 1",
                   {}, [&](const storage::Row &row) {
                     last_sequence = static_cast<std::uint64_t>(std::get<std::int64_t>(row.values[0]));
                     prev_hash = std::get<std::string>(row.values[1]);
                     return false;
                   });
    entry.sequence = last_sequence + 1;
    const std::string hash = chain::entry_hash(entry, prev_hash);
    const Value params[] = {static_cast<std::int64_t>(entry.sequence),
                            entry.at_ms,
                            entry.event,
                            entry.user,
                            entry.on_behalf_of,
                            entry.organisation,
                            entry.role,
                            entry.access_point,
                            entry.objects,
                            std::int64_t{entry.emergency ? 1 : 0},
                            entry.purpose,
                            entry.outcome,
                            prev_hash,
                            hash};
    store_.execute(std::string("INSERT INTO ") + rows::table + " (" + rows::select_columns +
                       ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   params);
  });
  return entry.sequence;
}

VerifyResult AuditLog::verify() const {
  VerifyResult result;
  std::uint64_t expected = 1;
  std::string prev_hash = chain::genesis_hash;
  // Marks the result broken at `sequence` and stops reading.
  const auto broken = [&result](std::uint64_t sequence, std::string reason) {
    result.intact = false;
    result.first_bad = sequence;
    result.reason = std::move(reason);
    return false;
  };
  store_.execute(std::string("SELECT ") + rows::select_columns + " FROM " + rows::table +
                     " ORDER BY sequence",
                 {}, [&](const storage::Row &row) {
                   const rows::StoredEntry stored = rows::stored_from_row(row);
                   const std::uint64_t sequence = stored.entry.sequence;
                   ++result.entries;
                   if (sequence != expected) {
                     return broken(expected, "missing entry " + std::to_string(expected));
                   }
                   if (stored.prev_hash != prev_hash) {
                     return broken(sequence, "out of order: prev_hash of entry " +
                                                 std::to_string(sequence) +
                                                 " does not match the entry before it");
                   }
                   if (chain::entry_hash(stored.entry, stored.prev_hash) != stored.hash) {
                     return broken(sequence,
                                   "hash mismatch: entry " + std::to_string(sequence) +
                                       " was changed");
                   }
                   prev_hash = stored.hash;
                   ++expected;
                   return true;
                 });
  return result;
}

} // namespace hearth::audit
