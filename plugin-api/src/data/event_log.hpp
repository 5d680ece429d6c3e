// The durable event log: what every runtime instance sharing a store follows, in commit
// order, to publish committed events on its own bus exactly once. Since schema migration 3
// the log is hearth_signal itself: each signal row is its "nl.hearth.signal.accepted/1"
// event, at the signal's seq; the view hearth_event_log shows it. See
// docs/adr/0006-event-log.md and docs/adr/0007-signal-rows-are-the-event-log.md.
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

// Serialises writers of the log so that sequence order is commit order: on PostgreSQL a
// transaction-scoped advisory lock, on SQLite the single writer already does. Call first
// inside every transaction that inserts signals, before the first insert (the lock must
// be held when the signal's seq is drawn).
void lock_event_log_for_append(storage::Store &store);

// The columns of a stored signal that its accepted-signal event carries.
struct SignalEventFields {
  std::uint64_t seq = 0;
  std::string source, external_id, type, detail, tenancy_id, data_class;
  std::int64_t occurred_at_ms = 0, amount_cents = 0, severity = 0;
};

// Writes the payload of a signal's "nl.hearth.signal.accepted/1" event into `out`
// (replacing what it held): the JSON object of hearth/signals.h, keys in alphabetical
// order, strings escaped as Poco::JSON does.
void signal_event_payload(std::string &out, const SignalEventFields &signal);

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
    // When true nothing is published until resume(): the runtime resumes once its plugins
    // are loaded, so the replay of the log reaches every subscriber and not only those
    // that happened to subscribe before the first poll.
    bool start_paused = false;
  };
  EventLogFollower(storage::Store &store, runtime::EventBus &bus, std::shared_ptr<spdlog::logger> logger,
                   Options options);
  ~EventLogFollower(); // stops
  EventLogFollower(const EventLogFollower &) = delete;
  EventLogFollower &operator=(const EventLogFollower &) = delete;

  // Asks the follower to read the log now. [any-thread]
  void wake();
  // Ends the pause of Options::start_paused and reads the log now; idempotent. [any-thread]
  void resume();
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
  bool paused_ = false;
  std::thread listener_; // PostgreSQL only: turns NOTIFY into wake()
  std::thread thread_;
};

} // namespace hearth::data
