// A test module that records the events the coordinator-handoff plugin publishes
// (case changes and export requests) and answers the query "events" with them, so tests can
// check what the adapters would receive.
#include <mutex>
#include <sstream>
#include <string>
#include <vector>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <hearth/plugin.hpp>

namespace {

const hearth_plugin_descriptor descriptor{sizeof(hearth_plugin_descriptor), HEARTH_PLUGIN_KIND_OTHER,
                                          "nl.hearth.test.handoff-events", "Handoff event listener", "Hearth tests",
                                          "0.0.1", nullptr, nullptr, nullptr};

class EventListener : public hearth::Plugin {
public:
  void init(hearth::Host host) override {
    for (const char *type : {"nl.hearth.case.export-requested/1", "nl.hearth.case.changed/1"}) {
      uint64_t id = 0;
      if (host.c_host()->bus_subscribe(host.c_host(), type, &EventListener::on_events, this, &id) != HEARTH_OK) {
        throw hearth::Error(HEARTH_ERROR_INTERNAL, "subscribe failed");
      }
    }
  }
  bool answers_queries() const override { return true; }
  std::string query(std::string_view name, std::string_view) override {
    if (name != "events") {
      throw hearth::Error(HEARTH_ERROR_NOT_FOUND, "unknown query");
    }
    std::lock_guard lock(mutex_);
    Poco::JSON::Array out;
    for (const auto &[type, payload] : seen_) {
      Poco::JSON::Object item;
      item.set("type", type);
      item.set("payload", Poco::JSON::Parser().parse(payload));
      out.add(item);
    }
    std::ostringstream text;
    out.stringify(text);
    return text.str();
  }

private:
  static int32_t on_events(void *user_data, const hearth_event *const *events, uint32_t count) {
    auto *self = static_cast<EventListener *>(user_data);
    std::lock_guard lock(self->mutex_);
    for (uint32_t i = 0; i < count; ++i) {
      self->seen_.emplace_back(events[i]->type, events[i]->payload != nullptr ? events[i]->payload : "null");
    }
    return HEARTH_OK;
  }

  std::mutex mutex_;
  std::vector<std::pair<std::string, std::string>> seen_;
};

} // namespace

HEARTH_DEFINE_PLUGIN(EventListener, descriptor)
