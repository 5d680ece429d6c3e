#include "runtime/event_bus.hpp"

#include <cstddef>
#include <stdexcept>

#include "hearth/status.h"

namespace hearth::runtime {
namespace {

constexpr std::size_t kMaxBatch = 256;

// The smallest hearth_event a publisher may hand in: everything up to `payload`.
constexpr std::uint32_t kMinimumEventSize = offsetof(hearth_event, payload) + sizeof(const char *);

bool matches(const std::string &subscribed_type, const char *event_type) {
  return subscribed_type == "*" || subscribed_type == event_type;
}

} // namespace

OwnedEvent::OwnedEvent(const hearth_event &e, std::string source, std::uint64_t sequence)
    : type_(e.type), subject_(e.subject), source_(std::move(source)),
      payload_(e.payload != nullptr ? e.payload : ""), has_payload_(e.payload != nullptr) {
  view_.struct_size = sizeof(hearth_event);
  view_.flags = e.flags;
  view_.occurred_at_ms = e.occurred_at_ms;
  view_.type = type_.c_str();
  view_.subject = subject_.c_str();
  view_.source = source_.c_str();
  view_.payload = has_payload_ ? payload_.c_str() : nullptr;
  view_.sequence = sequence;
}

EventBus::EventBus(std::shared_ptr<spdlog::logger> logger) : logger_(std::move(logger)) {
  dispatcher_ = std::thread([this] { dispatch_loop(); });
}

EventBus::~EventBus() { stop(); }

std::uint64_t EventBus::publish(const hearth_event &event, const std::string &source) {
  if (event.struct_size < kMinimumEventSize) {
    throw std::invalid_argument("event.struct_size: " + std::to_string(event.struct_size) +
                                " is smaller than the ABI 1.0 event (" +
                                std::to_string(kMinimumEventSize) + ")");
  }
  if (event.type == nullptr || *event.type == '\0') {
    throw std::invalid_argument("event.type: missing");
  }
  if (event.subject == nullptr || *event.subject == '\0') {
    throw std::invalid_argument("event.subject: missing");
  }
  std::lock_guard lock(mutex_);
  if (stopping_) {
    throw std::logic_error("the event bus is stopped");
  }
  const std::uint64_t sequence = ++published_;
  queue_.push_back(std::make_unique<OwnedEvent>(event, source, sequence));
  queue_changed_.notify_one();
  return sequence;
}

std::uint64_t EventBus::subscribe(const std::string &event_type, hearth_event_callback callback,
                                  void *user_data, const std::string &owner) {
  if (event_type.empty()) {
    throw std::invalid_argument("event_type: missing");
  }
  if (callback == nullptr) {
    throw std::invalid_argument("callback: missing");
  }
  std::lock_guard lock(mutex_);
  const std::uint64_t id = next_subscription_++;
  subscriptions_.push_back(
      std::make_shared<Subscription>(Subscription{id, event_type, callback, user_data, owner}));
  return id;
}

bool EventBus::unsubscribe(std::uint64_t subscription) {
  std::unique_lock lock(mutex_);
  bool found = false;
  std::erase_if(subscriptions_, [&](const auto &s) {
    if (s->id == subscription) {
      found = true;
      return true;
    }
    return false;
  });
  if (found && std::this_thread::get_id() != dispatcher_.get_id()) {
    delivery_changed_.wait(lock, [&] { return running_subscription_ != subscription; });
  }
  return found;
}

std::size_t EventBus::unsubscribe_all(const std::string &owner) {
  std::vector<std::uint64_t> ids;
  {
    std::lock_guard lock(mutex_);
    for (const auto &s : subscriptions_) {
      if (s->owner == owner) {
        ids.push_back(s->id);
      }
    }
  }
  for (auto id : ids) {
    unsubscribe(id);
  }
  return ids.size();
}

bool EventBus::drain(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  const std::uint64_t target = published_;
  return delivery_changed_.wait_for(lock, timeout, [&] { return delivered_ >= target; });
}

void EventBus::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) {
      return;
    }
    stopping_ = true;
    queue_changed_.notify_all();
  }
  if (dispatcher_.joinable()) {
    dispatcher_.join();
  }
}

std::uint64_t EventBus::published() const {
  std::lock_guard lock(mutex_);
  return published_;
}

std::uint64_t EventBus::delivered() const {
  std::lock_guard lock(mutex_);
  return delivered_;
}

void EventBus::dispatch_loop() {
  std::vector<std::unique_ptr<OwnedEvent>> batch;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      queue_changed_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) {
        return; // stopping, and everything is delivered
      }
      while (!queue_.empty() && batch.size() < kMaxBatch) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    deliver(batch);
    {
      std::lock_guard lock(mutex_);
      delivered_ = batch.back()->view().sequence;
    }
    delivery_changed_.notify_all();
    batch.clear();
  }
}

void EventBus::deliver(const std::vector<std::unique_ptr<OwnedEvent>> &batch) {
  std::vector<std::shared_ptr<Subscription>> subscriptions;
  {
    std::lock_guard lock(mutex_);
    subscriptions = subscriptions_;
  }
  std::vector<const hearth_event *> matching;
  matching.reserve(batch.size());
  for (const auto &subscription : subscriptions) {
    matching.clear();
    for (const auto &event : batch) {
      if (matches(subscription->event_type, event->view().type)) {
        matching.push_back(&event->view());
      }
    }
    if (matching.empty()) {
      continue;
    }
    {
      std::lock_guard lock(mutex_);
      // Unsubscribed while we were delivering to others: skip it.
      const bool still_there = std::any_of(subscriptions_.begin(), subscriptions_.end(),
                                           [&](const auto &s) { return s.get() == subscription.get(); });
      if (!still_there) {
        continue;
      }
      running_subscription_ = subscription->id;
    }
    int32_t status = HEARTH_OK;
    try {
      status = subscription->callback(subscription->user_data, matching.data(),
                                      static_cast<uint32_t>(matching.size()));
    } catch (...) {
      status = HEARTH_ERROR_PLUGIN;
    }
    if (status != HEARTH_OK) {
      logger_->warn("subscriber {} (subscription {}) returned status {} for {} event(s)",
                    subscription->owner, subscription->id, status, matching.size());
    }
    {
      std::lock_guard lock(mutex_);
      running_subscription_ = 0;
    }
    delivery_changed_.notify_all();
  }
}

} // namespace hearth::runtime
