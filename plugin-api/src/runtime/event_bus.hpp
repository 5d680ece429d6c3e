// The in-process event bus: publish from any thread, delivery in batches on one dispatcher
// thread, so every subscriber sees events in publish order (and so, per subject, in order).
// See docs/adr/0003-event-bus.md.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <spdlog/logger.h>

#include "hearth/event.h"

namespace hearth::runtime {

// An event the bus owns: the strings and the hearth_event view that points into them.
class OwnedEvent {
public:
  OwnedEvent(const hearth_event &source_event, std::string source, std::uint64_t sequence);
  OwnedEvent(const OwnedEvent &) = delete;
  OwnedEvent &operator=(const OwnedEvent &) = delete;
  const hearth_event &view() const { return view_; }

private:
  std::string type_, subject_, source_, payload_;
  bool has_payload_;
  hearth_event view_{};
};

class EventBus {
public:
  explicit EventBus(std::shared_ptr<spdlog::logger> logger);
  ~EventBus(); // stops after delivering what was queued
  EventBus(const EventBus &) = delete;
  EventBus &operator=(const EventBus &) = delete;

  // Checks and copies `event`, stamps source and sequence, queues it. Returns the
  // sequence. Throws std::invalid_argument naming the field when type or subject is
  // missing or struct_size is too small.
  std::uint64_t publish(const hearth_event &event, const std::string &source);

  // Registers a callback for `event_type` ("*" = all). `owner` is the plugin id (or
  // "host"), used in log lines and by unsubscribe_all(). Returns the subscription id.
  std::uint64_t subscribe(const std::string &event_type, hearth_event_callback callback,
                          void *user_data, const std::string &owner);

  // Removes a subscription and waits until its callback is not running (unless called
  // from the dispatcher thread itself). Returns false when the id is unknown.
  bool unsubscribe(std::uint64_t subscription);
  // Removes every subscription of `owner`; returns how many.
  std::size_t unsubscribe_all(const std::string &owner);

  // Waits until every event published before the call is delivered. False on timeout.
  bool drain(std::chrono::milliseconds timeout);

  // Delivers what is queued and stops the dispatcher. Idempotent.
  void stop();

  std::uint64_t published() const;
  std::uint64_t delivered() const;

private:
  struct Subscription {
    std::uint64_t id;
    std::string event_type;
    hearth_event_callback callback;
    void *user_data;
    std::string owner;
  };

  void dispatch_loop();
  void deliver(const std::vector<std::unique_ptr<OwnedEvent>> &batch);

  std::shared_ptr<spdlog::logger> logger_;
  mutable std::mutex mutex_;
  std::condition_variable queue_changed_;
  std::condition_variable delivery_changed_;
  std::deque<std::unique_ptr<OwnedEvent>> queue_;
  std::vector<std::shared_ptr<Subscription>> subscriptions_;
  std::uint64_t next_subscription_ = 1;
  std::uint64_t published_ = 0;
  std::uint64_t delivered_ = 0;
  std::uint64_t running_subscription_ = 0; // the callback now running, 0 for none
  bool stopping_ = false;
  std::thread dispatcher_;
};

} // namespace hearth::runtime
