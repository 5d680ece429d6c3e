// Writes the typed lookup's audit entries on a thread of its own, so that a lookup never
// waits for the audit log's commit (docs/adr/0008-flag-lookup.md). Readers hand over
// batches; flush() and close wait until their batches are written.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "plugin/access.hpp"

namespace hearth::early_warning {

// One reader's lookups since its last batch.
struct LookupBatch {
  std::unique_ptr<ActorCopy> actor;
  std::vector<std::uint32_t> allowed; // tenancy indices read
  std::vector<std::uint32_t> refused; // tenancy indices refused
  std::uint32_t unknown = 0;          // lookups of ids Hearth does not hold
};

class AuditQueue {
public:
  // `write` writes one batch and throws on failure; `report` is told of a batch that could
  // not be written (by count). Starts the writer thread.
  AuditQueue(std::function<void(const LookupBatch &)> write, std::function<void(const std::string &)> report);
  // Writes what is queued, then stops the thread.
  ~AuditQueue();
  AuditQueue(const AuditQueue &) = delete;
  AuditQueue &operator=(const AuditQueue &) = delete;

  // Queues `batch`; returns its ticket for wait(). [any-thread] does not block on I/O.
  std::uint64_t push(LookupBatch batch);
  // Waits until the batch with `ticket` (and every earlier one) was handled; returns the
  // first error met since the previous wait() of that batch, or "" when written.
  std::string wait(std::uint64_t ticket);

private:
  void run();

  std::function<void(const LookupBatch &)> write_;
  std::function<void(const std::string &)> report_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::pair<std::uint64_t, LookupBatch>> queue_;
  std::uint64_t pushed_ = 0;
  std::uint64_t done_ = 0;
  std::vector<std::pair<std::uint64_t, std::string>> failures_;
  bool stopping_ = false;
  std::thread thread_;
};

} // namespace hearth::early_warning
