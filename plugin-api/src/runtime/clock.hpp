// The runtime's clock. Everything that stores or times something asks this clock, so
// that tests and replays can move time instead of waiting.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>

namespace hearth::runtime {

class Clock {
public:
  using Source = std::int64_t (*)(void *user_data);

  // Unix epoch milliseconds, UTC. [any-thread]
  // The system clock takes no lock: this runs several times per request (the badge, the
  // flag lookup, audit entries), on every request thread at once.
  std::int64_t now_ms() const {
    if (has_source_.load(std::memory_order_acquire)) {
      std::lock_guard lock(mutex_);
      if (source_ != nullptr) {
        return source_(user_data_);
      }
    }
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }

  // Replaces the source; nullptr restores the system clock. A now_ms() running at the same
  // time answers from the old source or the new one.
  void set_source(Source source, void *user_data) {
    std::lock_guard lock(mutex_);
    source_ = source;
    user_data_ = user_data;
    has_source_.store(source != nullptr, std::memory_order_release);
  }

private:
  mutable std::mutex mutex_;
  std::atomic<bool> has_source_{false};
  Source source_ = nullptr;
  void *user_data_ = nullptr;
};

} // namespace hearth::runtime
