// A well-behaved C++ plugin built on hearth/plugin.hpp, used by the runtime tests to see
// that a good plugin keeps working next to broken ones. It:
//  - migrates a table and records every "nl.hearth.test.ping/1" event in it;
//  - checks that, per subject, events arrive in publish order (the payload is a counter
//    that the publisher increments per subject);
//  - answers "stats", "config" and "now", and throws on "throw".
#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>
#include <string>

#include <hearth/plugin.hpp>
#include <hearth/policy.h>

#ifndef TEST_ID
#define TEST_ID "nl.hearth.test.good"
#endif

namespace {

const char *const features[] = {"nl.hearth.test", nullptr};
const hearth_plugin_descriptor descriptor{sizeof(hearth_plugin_descriptor), HEARTH_PLUGIN_KIND_OTHER,
                                          TEST_ID, "Good test plugin", "Hearth tests", "0.0.1",
                                          "Records pings", features, nullptr};

void trace(const char *what) {
  if (const char *path = std::getenv("HEARTH_TEST_TRACE"); path != nullptr && *path != '\0') {
    if (FILE *file = std::fopen(path, "a")) {
      std::fprintf(file, "%s %s\n", TEST_ID, what);
      std::fclose(file);
    }
  }
}

class GoodPlugin : public hearth::Plugin {
public:
  void init(hearth::Host host) override {
    trace("init");
    host_ = host;
    hearth_migration create{sizeof(hearth_migration), 1, "create good_events",
                            "CREATE TABLE good_events (subject TEXT NOT NULL, counter INTEGER NOT NULL, "
                            "received_at_ms INTEGER NOT NULL)",
                            nullptr};
    host_.migrate({create});
    uint64_t id = 0;
    const int32_t status =
        host_.c_host()->bus_subscribe(host_.c_host(), "nl.hearth.test.ping/1", &GoodPlugin::on_events, this, &id);
    if (status != HEARTH_OK) {
      throw hearth::Error(status, "subscribe failed");
    }
    host_.log_info("good plugin ready");
  }

  void deinit() noexcept override { trace("deinit"); }

  bool answers_queries() const override { return true; }

  std::string query(std::string_view name, std::string_view args) override {
    if (name == "stats") {
      std::int64_t rows = 0;
      host_.execute("SELECT COUNT(*) FROM good_events", {}, [&](const hearth::RowView &row) {
        rows = row.int64(0);
        return true;
      });
      std::lock_guard lock(mutex_);
      return "{\"events\":" + std::to_string(events_) + ",\"out_of_order\":" + std::to_string(out_of_order_) +
             ",\"rows\":" + std::to_string(rows) + ",\"batches\":" + std::to_string(batches_) + "}";
    }
    if (name == "config") {
      const auto greeting = host_.config("greeting");
      return "{\"greeting\":\"" + std::string(greeting.value_or("")) + "\"}";
    }
    if (name == "now") {
      return "{\"now\":" + std::to_string(host_.now_ms()) + "}";
    }
    if (name == "echo") {
      return std::string(args);
    }
    if (name == "policy") {
      // Asks the policy extension two questions a care plugin would ask.
      const auto *policy = static_cast<const hearth_policy_extension *>(
          host_.c_host()->get_extension(host_.c_host(), HEARTH_POLICY_EXTENSION_ID));
      if (policy == nullptr) {
        throw hearth::Error(HEARTH_ERROR_UNSUPPORTED, "no policy extension");
      }
      hearth_actor care{sizeof(hearth_actor), 0, "care-5", HEARTH_ROLE_CARE_PROFESSIONAL, "zorg:ggz", nullptr, "plugin"};
      hearth_record_context member{sizeof(hearth_record_context), 1, "T-1", "consultant-1", "tenant-1", nullptr, "care-5,coordinator-2"};
      hearth_record_context outsider = member;
      outsider.case_members = "care-9";
      char *reason = nullptr;
      const int32_t allowed = policy->check(host_.c_host(), &care, HEARTH_ACTION_READ, HEARTH_DATA_CARE, &member, &reason);
      host_.c_host()->free(reason);
      reason = nullptr;
      const int32_t denied = policy->check(host_.c_host(), &care, HEARTH_ACTION_READ, HEARTH_DATA_CARE, &outsider, &reason);
      const std::string why = reason != nullptr ? reason : "";
      host_.c_host()->free(reason);
      reason = nullptr;
      const int32_t unknown = policy->check(host_.c_host(), &care, "peek", HEARTH_DATA_CARE, &member, &reason);
      host_.c_host()->free(reason);
      return "{\"member\":" + std::to_string(allowed) + ",\"outsider\":" + std::to_string(denied) +
             ",\"outsider_reason_names_case\":" + (why.find("case") != std::string::npos ? "true" : "false") +
             ",\"unknown_action\":" + std::to_string(unknown) + "}";
    }
    if (name == "throw") {
      throw std::runtime_error("query exploded on purpose");
    }
    throw hearth::Error(HEARTH_ERROR_NOT_FOUND, "unknown query '" + std::string(name) + "'");
  }

private:
  static int32_t on_events(void *user_data, const hearth_event *const *events, uint32_t count) {
    auto *self = static_cast<GoodPlugin *>(user_data);
    return hearth::guard(self->host_.c_host(), "on_events", [&] {
      self->host_.transaction([&] {
        for (uint32_t i = 0; i < count; ++i) {
          const std::int64_t counter = std::atoll(events[i]->payload != nullptr ? events[i]->payload : "0");
          self->record(events[i]->subject, counter);
          self->host_.execute("INSERT INTO good_events (subject, counter, received_at_ms) VALUES (?, ?, ?)",
                              {std::string(events[i]->subject), counter, self->host_.now_ms()});
        }
      });
      std::lock_guard lock(self->mutex_);
      ++self->batches_;
      return static_cast<int32_t>(HEARTH_OK);
    });
  }

  void record(const std::string &subject, std::int64_t counter) {
    std::lock_guard lock(mutex_);
    auto &last = last_counter_[subject];
    if (counter != last + 1) {
      ++out_of_order_;
    }
    last = counter;
    ++events_;
  }

  hearth::Host host_;
  std::mutex mutex_;
  std::map<std::string, std::int64_t> last_counter_;
  std::int64_t events_ = 0;
  std::int64_t out_of_order_ = 0;
  std::int64_t batches_ = 0;
};

} // namespace

HEARTH_DEFINE_PLUGIN(GoodPlugin, descriptor)
