// The durable event log (hearth_event_log): what every runtime instance sharing a store
// follows, in commit order, to publish committed events on its own bus exactly once.
// See docs/adr/0006-event-log.md.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <spdlog/logger.h>

#include "storage/store.hpp"

namespace hearth::runtime {
class EventBus;
}

namespace hearth::data {

struct LoggedEvent {
  std::uint64_t seq = 0;
  std::string type, subject, source, payload;
  std::int64_t occurred_at_ms = 0;
};

// Serialises writers of the log so that sequence order is commit order: on PostgreSQL a
// transaction-scoped advisory lock, on SQLite the single writer already does. Call first
// inside the writing transaction.
void lock_event_log_for_append(storage::Store &store);

// Appends one event inside the current transaction; returns its sequence.
std::uint64_t append_event(storage::Store &store, const LoggedEvent &event);

// Appends many events inside the current transaction with one prepared INSERT (see
// storage::PreparedStatement): valid only inside the transaction() that made it, on its
// thread. Same rows as append_event.
class EventAppender {
public:
  explicit EventAppender(storage::Store &store);
  // Appends one event; returns its sequence.
  std::uint64_t append(const std::string &type, const std::string &subject, const std::string &source,
                       const std::string &payload, std::int64_t occurred_at_ms);

private:
  bool sqlite_;
  std::unique_ptr<storage::PreparedStatement> insert_;
  storage::Value params_[5]; // reused: their strings keep their capacity between rows
};

// Tells other instances (PostgreSQL NOTIFY, delivered at commit) that the log grew.
void notify_event_log(storage::Store &store);

// The highest sequence committed so far (0 for an empty log).
std::uint64_t last_event_seq(storage::Store &store);

// Follows the log on a thread of its own and publishes each new event on `bus`.
// Woken by wake() in this process, by LISTEN/NOTIFY from other instances on PostgreSQL,
// and by a poll every `poll_interval` as a safety net.
class EventLogFollower {
public:
  struct Options {
    std::uint64_t start_after = 0;  // publish events with seq > start_after
    std::string postgresql_target;  // libpq connection string; empty on SQLite
    std::chrono::milliseconds poll_interval{1000};
  };
  EventLogFollower(storage::Store &store, runtime::EventBus &bus, std::shared_ptr<spdlog::logger> logger,
                   Options options);
  ~EventLogFollower(); // stops
  EventLogFollower(const EventLogFollower &) = delete;
  EventLogFollower &operator=(const EventLogFollower &) = delete;

  // Asks the follower to read the log now. [any-thread]
  void wake();
  // The last sequence published on the bus.
  std::uint64_t position() const { return position_.load(); }
  // Waits until position() >= seq; false on timeout.
  bool wait_for(std::uint64_t seq, std::chrono::milliseconds timeout);
  void stop();

private:
  void run();
  void catch_up();

  storage::Store &store_;
  runtime::EventBus &bus_;
  std::shared_ptr<spdlog::logger> logger_;
  Options options_;
  std::atomic<std::uint64_t> position_;
  std::mutex mutex_;
  std::condition_variable changed_;
  bool woken_ = false;
  bool stopping_ = false;
  std::thread listener_; // PostgreSQL only: turns NOTIFY into wake()
  std::thread thread_;
};

} // namespace hearth::data
