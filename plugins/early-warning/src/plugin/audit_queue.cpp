#include "plugin/audit_queue.hpp"

#include <algorithm>

namespace hearth::early_warning {

AuditQueue::AuditQueue(std::function<void(const LookupBatch &)> write, std::function<void(const std::string &)> report)
    : write_(std::move(write)), report_(std::move(report)), thread_([this] { run(); }) {}

AuditQueue::~AuditQueue() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

std::uint64_t AuditQueue::push(LookupBatch batch) {
  std::uint64_t ticket = 0;
  {
    std::lock_guard lock(mutex_);
    ticket = ++pushed_;
    queue_.emplace_back(ticket, std::move(batch));
  }
  changed_.notify_all();
  return ticket;
}

std::string AuditQueue::wait(std::uint64_t ticket) {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] { return done_ >= ticket; });
  const auto failed = std::find_if(failures_.begin(), failures_.end(), [&](const auto &f) { return f.first == ticket; });
  if (failed == failures_.end()) {
    return {};
  }
  std::string message = failed->second;
  failures_.erase(failed);
  return message;
}

void AuditQueue::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    changed_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) {
      return; // stopping, and everything is written
    }
    auto [ticket, batch] = std::move(queue_.front());
    queue_.pop_front();
    lock.unlock();
    std::string failure;
    try {
      write_(batch);
    } catch (const std::exception &e) {
      failure = e.what();
      report_(std::to_string(batch.allowed.size() + batch.refused.size() + batch.unknown) +
              " flag lookups could not be written to the audit log: " + failure);
    }
    lock.lock();
    if (!failure.empty()) {
      failures_.emplace_back(ticket, failure);
      if (failures_.size() > 64) {
        failures_.erase(failures_.begin()); // nobody waits for those any more
      }
    }
    done_ = ticket;
    changed_.notify_all();
  }
}

} // namespace hearth::early_warning
