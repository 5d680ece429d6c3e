// A test module that listens for the early-warning plugin's flag events and answers the
// query "events" with every payload it saw, in order, as a JSON array.
#include <mutex>
#include <string>
#include <vector>

#include <hearth/plugin.hpp>

#include "hearth/early_warning.h"

namespace {

class EventProbe : public hearth::Plugin {
public:
  void init(hearth::Host host) override {
    host_ = host;
    const auto status = host.c_host()->bus_subscribe(host.c_host(), "*", &EventProbe::on_events, this, &subscription_);
    if (status != HEARTH_OK) {
      throw hearth::Error(status, "subscribe");
    }
  }
  void deinit() noexcept override { host_.c_host()->bus_unsubscribe(host_.c_host(), subscription_); }
  bool answers_queries() const override { return true; }
  std::string query(std::string_view name, std::string_view) override {
    if (name != "events") {
      throw hearth::Error(HEARTH_ERROR_NOT_FOUND, "unknown query");
    }
    std::lock_guard lock(mutex_);
    std::string out = "[";
    for (std::size_t i = 0; i < payloads_.size(); ++i) {
      out += (i == 0 ? "" : ",") + payloads_[i];
    }
    return out + "]";
  }

private:
  static std::int32_t on_events(void *user_data, const hearth_event *const *events, std::uint32_t count) {
    auto *self = static_cast<EventProbe *>(user_data);
    std::lock_guard lock(self->mutex_);
    for (std::uint32_t i = 0; i < count; ++i) {
      const std::string type = events[i]->type;
      if (type.rfind("nl.hearth.flag.", 0) == 0 && events[i]->payload != nullptr) {
        self->payloads_.push_back("{\"type\":\"" + type + "\",\"payload\":" + events[i]->payload + "}");
      }
    }
    return HEARTH_OK;
  }

  hearth::Host host_;
  std::uint64_t subscription_ = 0;
  std::mutex mutex_;
  std::vector<std::string> payloads_;
};

const hearth_plugin_descriptor kDescriptor = {sizeof(hearth_plugin_descriptor), HEARTH_PLUGIN_KIND_OTHER,
                                              "nl.hearth.test.flag-event-probe", "Flag event probe", "Hearth tests",
                                              "1.0.0", "Records flag events for the early-warning tests.", nullptr,
                                              nullptr};

} // namespace

HEARTH_DEFINE_PLUGIN(EventProbe, kDescriptor)
