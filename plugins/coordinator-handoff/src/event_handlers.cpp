#include "event_handlers.hpp"

#include <Poco/Exception.h>
#include <Poco/JSON/Parser.h>

#include <hearth/signals.h>

#include "case_gauges.hpp"
#include "escalation.hpp"
#include "flag_withdrawal.hpp"
#include "json_args.hpp"
#include "reports.hpp"

namespace hearth::handoff {
namespace {

// The payload of an event as an object; empty when it is missing or not an object.
Poco::JSON::Object::Ptr payload_of(const hearth_event *event) {
  if (event->payload == nullptr) {
    return json_object();
  }
  return parse_object(event->payload);
}

std::string text_field(const Poco::JSON::Object::Ptr &object, const std::string &name) {
  if (!object->has(name) || object->isNull(name)) {
    return "";
  }
  return object->get(name).convert<std::string>();
}

// The ledger key of a flag event: "<prefix>:<flag id>", with "#<decision number>" for a
// decision after the first, so that a flag accepted again after a withdrawal counts anew
// while a replay of the same decision does not (a first decision keeps the key it always had).
std::string flag_event_key(const char *prefix, const std::string &flag_id, const std::string &decision) {
  std::string key = std::string(prefix) + ":" + flag_id;
  if (!decision.empty() && decision != "1") {
    key += "#" + decision;
  }
  return key;
}

} // namespace

void EventHandlers::subscribe() {
  const hearth_host *host = services_.host.c_host();
  for (const auto &[type, callback] : {std::pair{HEARTH_EVENT_SIGNAL_ACCEPTED, &EventHandlers::on_signals},
                                       std::pair{kEventFlagAccepted, &EventHandlers::on_flags},
                                       std::pair{kEventFlagWithdrawn, &EventHandlers::on_withdrawn_flags}}) {
    std::uint64_t id = 0;
    const int32_t status = host->bus_subscribe(host, type, callback, this, &id);
    if (status != HEARTH_OK) {
      throw Error(status, std::string("could not subscribe to ") + type);
    }
    subscriptions_.push_back(id);
  }
}

void EventHandlers::unsubscribe() noexcept {
  const hearth_host *host = services_.host.c_host();
  for (const auto id : subscriptions_) {
    host->bus_unsubscribe(host, id);
  }
  subscriptions_.clear();
}

int32_t EventHandlers::on_signals(void *user_data, const hearth_event *const *events, uint32_t count) {
  auto *self = static_cast<EventHandlers *>(user_data);
  return guard(self->services_.host.c_host(), "signal events", [&] {
    for (uint32_t i = 0; i < count; ++i) {
      const auto payload = payload_of(events[i]);
      const std::string seq_text = text_field(payload, "seq");
      const std::string tenancy_id = text_field(payload, "tenancy_id");
      const std::string type = text_field(payload, "type");
      if (seq_text.empty() || tenancy_id.empty()) {
        continue;
      }
      OperationContext ctx(self->services_, Actor::plugin("event:signal"));
      try {
        const std::int64_t seq = std::stoll(seq_text);
        if (ctx.config().rules.report_types.contains(type)) {
          ctx.transaction([&] { record_report(ctx, seq); });
        }
        if (ctx.config().ladder.nuisance_types.contains(type)) {
          on_nuisance_signal(ctx, tenancy_id, "signal:" + seq_text);
        }
        ctx.publish_pending();
      } catch (const std::exception &e) {
        self->services_.host.log_warn(std::string("an accepted signal could not be handled: ") + e.what());
      }
    }
    self->after_batch();
    return static_cast<int32_t>(HEARTH_OK);
  });
}

int32_t EventHandlers::on_flags(void *user_data, const hearth_event *const *events, uint32_t count) {
  auto *self = static_cast<EventHandlers *>(user_data);
  return guard(self->services_.host.c_host(), "flag events", [&] {
    for (uint32_t i = 0; i < count; ++i) {
      const auto payload = payload_of(events[i]);
      const std::string tenancy_id = text_field(payload, "tenancy_id");
      const std::string level = text_field(payload, "level");
      if (tenancy_id.empty() || level.empty()) {
        self->services_.host.log_warn("an accepted flag without tenancy_id or level was ignored");
        continue;
      }
      const std::string flag_id = text_field(payload, "flag_id");
      const std::string key =
          flag_id.empty() ? "flag:" + std::string(events[i]->subject) + "@" + std::to_string(events[i]->occurred_at_ms) +
                                ":" + level
                          : flag_event_key("flag", flag_id, text_field(payload, "decision"));
      OperationContext ctx(self->services_, Actor::plugin("event:flag"));
      try {
        on_red_flag(ctx, tenancy_id, level, flag_id, key);
        ctx.publish_pending();
      } catch (const std::exception &e) {
        self->services_.host.log_warn(std::string("an accepted flag could not be handled: ") + e.what());
      }
    }
    self->after_batch();
    return static_cast<int32_t>(HEARTH_OK);
  });
}

int32_t EventHandlers::on_withdrawn_flags(void *user_data, const hearth_event *const *events, uint32_t count) {
  auto *self = static_cast<EventHandlers *>(user_data);
  return guard(self->services_.host.c_host(), "withdrawn flag events", [&] {
    for (uint32_t i = 0; i < count; ++i) {
      const auto payload = payload_of(events[i]);
      const std::string flag_id = text_field(payload, "flag_id");
      if (flag_id.empty()) {
        self->services_.host.log_warn("a withdrawn flag without flag_id was ignored");
        continue;
      }
      OperationContext ctx(self->services_, Actor::plugin("event:flag-withdrawn"));
      try {
        on_flag_withdrawn(ctx, flag_id, text_field(payload, "status"),
                          flag_event_key("flag-withdrawn", flag_id, text_field(payload, "decision")));
        ctx.publish_pending();
      } catch (const std::exception &e) {
        self->services_.host.log_warn(std::string("a withdrawn flag could not be handled: ") + e.what());
      }
    }
    self->after_batch();
    return static_cast<int32_t>(HEARTH_OK);
  });
}

void EventHandlers::after_batch() {
  OperationContext ctx(services_, Actor::plugin("timer"));
  run_timers(ctx);
  ctx.publish_pending();
  if (services_.gauges != nullptr) {
    services_.gauges->refresh(); // an accepted flag may have opened a case, a signal raised one
  }
}

} // namespace hearth::handoff
