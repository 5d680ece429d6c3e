// What the plugin does when events arrive: accepted signals (neighbours' reports, repeated
// nuisance), accepted early-warning flags (a red flag raises or opens a case) and
// withdrawn ones (the case the flag opened stops escalating, flag_withdrawal.hpp). After
// each batch the escalation timers are evaluated, so the ladder moves on events as well
// as on escalation.tick.
#pragma once

#include <cstdint>
#include <vector>

#include <hearth/event.h>

#include "operation_context.hpp"

namespace hearth::handoff {

// The event type the early-warning plugin publishes when a person accepts a flag. Its
// payload is a JSON object with at least "tenancy_id" and "level" (and, when present,
// "flag_id", which makes a replay recognisable).
inline constexpr const char *kEventFlagAccepted = "nl.hearth.flag.accepted/1";

// The plugin's subscriptions. Lives from init() to deinit().
class EventHandlers {
public:
  explicit EventHandlers(const Services &services) : services_(services) {}
  // Subscribes to the events above; throws hearth::Error when the bus refuses.
  void subscribe();
  // Ends every subscription; when it returns no callback runs. Safe to call twice.
  void unsubscribe() noexcept;

private:
  static int32_t on_signals(void *user_data, const hearth_event *const *events, uint32_t count);
  static int32_t on_flags(void *user_data, const hearth_event *const *events, uint32_t count);
  static int32_t on_withdrawn_flags(void *user_data, const hearth_event *const *events, uint32_t count);
  // Evaluates the timers after a batch.
  void after_batch();

  Services services_;
  std::vector<std::uint64_t> subscriptions_;
};

} // namespace hearth::handoff
