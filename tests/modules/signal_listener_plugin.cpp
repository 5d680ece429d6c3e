// Listens to accepted signals (HEARTH_EVENT_SIGNAL_ACCEPTED) and answers "seen" with the
// event-log sequence numbers it received, in order, so tests can check that every
// instance sees every committed signal exactly once and in commit order.
#include <mutex>
#include <string>
#include <vector>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <hearth/plugin.hpp>
#include <hearth/signals.h>

namespace {

const hearth_plugin_descriptor descriptor{sizeof(hearth_plugin_descriptor), HEARTH_PLUGIN_KIND_OTHER,
                                          "nl.hearth.test.signal-listener", "Signal listener", "Hearth tests",
                                          "0.0.1", nullptr, nullptr, nullptr};

class SignalListener : public hearth::Plugin {
public:
  void init(hearth::Host host) override {
    host_ = host;
    uint64_t id = 0;
    if (host.c_host()->bus_subscribe(host.c_host(), HEARTH_EVENT_SIGNAL_ACCEPTED, &SignalListener::on_events, this,
                                     &id) != HEARTH_OK) {
      throw hearth::Error(HEARTH_ERROR_INTERNAL, "subscribe failed");
    }
  }
  bool answers_queries() const override { return true; }
  std::string query(std::string_view name, std::string_view) override {
    if (name != "seen") {
      throw hearth::Error(HEARTH_ERROR_NOT_FOUND, "unknown query");
    }
    std::lock_guard lock(mutex_);
    std::string out = "[";
    for (std::size_t i = 0; i < seen_.size(); ++i) {
      out += (i == 0 ? "" : ",") + std::to_string(seen_[i]);
    }
    return out + "]";
  }

private:
  static int32_t on_events(void *user_data, const hearth_event *const *events, uint32_t count) {
    auto *self = static_cast<SignalListener *>(user_data);
    std::lock_guard lock(self->mutex_);
    for (uint32_t i = 0; i < count; ++i) {
      // The payload's "seq" is the signal's row; the order of arrival is what we record.
      const auto payload = Poco::JSON::Parser().parse(events[i]->payload).extract<Poco::JSON::Object::Ptr>();
      self->seen_.push_back(payload->getValue<std::int64_t>("seq"));
    }
    return HEARTH_OK;
  }

  hearth::Host host_;
  std::mutex mutex_;
  std::vector<std::int64_t> seen_;
};

} // namespace

HEARTH_DEFINE_PLUGIN(SignalListener, descriptor)
