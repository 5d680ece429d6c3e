// A plugin that uses storage and the event bus, for tests/isolation: the same code runs
// isolated (`isolation = process`) and in-process, so that the two can be compared.
// Built twice (STORE_PLUGIN_ID / STORE_TABLE): nl.test.isolated-store and nl.test.store-peer.
//
// init() migrates its table and subscribes to "nl.test.ping/1" and "nl.test.pong/1". Every
// event it receives is kept in memory ("seen") and, for a ping, also stored as a row of
// batch "event:<subject>" (storage while an event is delivered); when the setting
// `answer_pings` is "true" it then publishes a pong with the ping's subject (publishing
// while an event is delivered). With the setting `may_crash` "true", a ping with the
// payload {"crash":true} dereferences NULL.
//
// Operations (JSON args):
//   write     {batch, items:[{n, body, amount?}], fail_after?, nested?} - inserts the items
//             in one transaction; fail_after k: throws after k rows (rolled back); nested:
//             each insert in a transaction of its own inside the outer one
//   read      {batch, stop_after?} -> {"rows":[{n, body, amount}]} through the row
//             callback, ordered by n; stop_after k: the callback stops after k rows
//   count     {batch} -> {"count": n}
//   crash_in_transaction {batch} - inserts a row in a transaction, then dereferences NULL
//   hang_in_transaction  {batch} - inserts a row in a transaction, then never returns
//   publish   {type, subject, payload} - publishes an event
//   seen      -> {"events":[{type, subject, source, payload}]} received since init()
//   unsubscribe - ends the ping subscription
//   pid       -> {"pid": its process id}
//   start_background {batch} - a thread of its own inserts a row of `batch` in a transaction
//   join_background  -> {"status": that thread's status} once it ended
//   metrics   {add, level} - counter hearth_store_test_total{kind=test} += add, gauge
//             hearth_store_test_level = level -> {"bad_name", "bad_name_error"} for a bad name
//   bad_calls -> what the host answers to bad input: {"missing_type", "missing_type_error",
//             "text_without_data_error", "bad_sql_status", "null_work", "extension"}
#include <atomic>
#include <chrono>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <unistd.h>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <hearth/metrics.h>
#include <hearth/plugin.hpp>

#ifndef STORE_PLUGIN_ID
#define STORE_PLUGIN_ID "nl.test.isolated-store"
#endif
#ifndef STORE_TABLE
#define STORE_TABLE "isolated_store_note"
#endif

namespace {

constexpr const char *kPing = "nl.test.ping/1";
constexpr const char *kPong = "nl.test.pong/1";

const hearth_plugin_descriptor descriptor{sizeof(hearth_plugin_descriptor), HEARTH_PLUGIN_KIND_OTHER,
                                          STORE_PLUGIN_ID, "Storage and bus test plugin", "Hearth tests", "0.0.1",
                                          "Uses storage and the bus, isolated or not", nullptr, nullptr};

// Read through a volatile, so that the compiler cannot see the NULL coming.
int *volatile nowhere = nullptr;

Poco::JSON::Object::Ptr parse(std::string_view args) {
  return Poco::JSON::Parser().parse(std::string(args)).extract<Poco::JSON::Object::Ptr>();
}

std::string to_text(const Poco::JSON::Object &object) {
  std::ostringstream out;
  object.stringify(out);
  return out.str();
}

std::string text_or_null(const char *text) { return text != nullptr ? text : "(null)"; }

class StorePlugin : public hearth::Plugin {
public:
  void init(hearth::Host host) override {
    host_ = host;
    const auto answer = host.config("answer_pings");
    answer_pings_ = answer && *answer == "true";
    const auto crash = host.config("may_crash");
    may_crash_ = crash && *crash == "true";
    host.migrate({hearth_migration{sizeof(hearth_migration), 1, "create the note table",
                                   "CREATE TABLE " STORE_TABLE " (batch TEXT NOT NULL, n INTEGER NOT NULL, "
                                   "body TEXT, amount DOUBLE PRECISION)",
                                   nullptr}});
    subscribe(kPing, ping_subscription_);
    subscribe(kPong, pong_subscription_);
  }

  void deinit() noexcept override {
    if (background_.joinable()) {
      background_.join();
    }
  }

  bool offers_operations() const override { return true; }

  std::string call(const hearth_actor &, std::string_view operation, std::string_view args_json) override {
    const auto args = parse(args_json);
    Poco::JSON::Object answer;
    if (operation == "write") {
      write(*args);
      return "{}";
    }
    if (operation == "read") {
      answer.set("rows", read(args->getValue<std::string>("batch"), args->optValue<int>("stop_after", -1)));
      return to_text(answer);
    }
    if (operation == "count") {
      answer.set("count", count(args->getValue<std::string>("batch")));
      return to_text(answer);
    }
    if (operation == "crash_in_transaction" || operation == "hang_in_transaction") {
      const bool crash = operation == "crash_in_transaction";
      host_.transaction([&] {
        insert(args->getValue<std::string>("batch"), 1, "doomed", 0.0);
        if (crash) {
          *nowhere = 1;
        }
        for (;;) {
          std::this_thread::sleep_for(std::chrono::seconds(1));
        }
      });
      return "{}";
    }
    if (operation == "publish") {
      host_.publish(args->getValue<std::string>("type"), args->getValue<std::string>("subject"),
                    args->optValue<std::string>("payload", "{}"), host_.now_ms());
      return "{}";
    }
    if (operation == "seen") {
      std::lock_guard lock(mutex_);
      answer.set("events", seen_);
      return to_text(answer);
    }
    if (operation == "unsubscribe") {
      const int32_t status = host_.c_host()->bus_unsubscribe(host_.c_host(), ping_subscription_);
      answer.set("status", status);
      answer.set("again", host_.c_host()->bus_unsubscribe(host_.c_host(), ping_subscription_));
      return to_text(answer);
    }
    if (operation == "pid") {
      answer.set("pid", static_cast<int>(::getpid()));
      return to_text(answer);
    }
    if (operation == "start_background") {
      // A thread of the plugin's own that writes while the runtime may have no request out.
      const std::string batch = args->getValue<std::string>("batch");
      background_ = std::thread([this, batch] {
        try {
          host_.transaction([&] { insert(batch, 1, "from a thread", 0.0); });
          background_status_ = HEARTH_OK;
        } catch (const hearth::Error &failure) {
          background_status_ = failure.status();
        } catch (...) {
          background_status_ = HEARTH_ERROR_PLUGIN;
        }
      });
      return "{}";
    }
    if (operation == "join_background") {
      if (background_.joinable()) {
        background_.join();
      }
      answer.set("status", background_status_.load());
      return to_text(answer);
    }
    if (operation == "metrics") {
      return metrics(*args);
    }
    if (operation == "bad_calls") {
      return bad_calls();
    }
    throw hearth::Error(HEARTH_ERROR_NOT_FOUND, "unknown operation '" + std::string(operation) + "'");
  }

private:
  void subscribe(const char *type, uint64_t &id) {
    if (host_.c_host()->bus_subscribe(host_.c_host(), type, &StorePlugin::on_events, this, &id) != HEARTH_OK) {
      throw hearth::Error(HEARTH_ERROR_INTERNAL, std::string("cannot subscribe to ") + type);
    }
  }

  void insert(const std::string &batch, std::int64_t n, const std::string &body, double amount) const {
    host_.execute("INSERT INTO " STORE_TABLE " (batch, n, body, amount) VALUES (?, ?, ?, ?)",
                  {batch, n, body, amount});
  }

  void write(const Poco::JSON::Object &args) const {
    const std::string batch = args.getValue<std::string>("batch");
    const auto items = args.getArray("items");
    const int fail_after = args.optValue<int>("fail_after", -1);
    const bool nested = args.optValue<bool>("nested", false);
    host_.transaction([&] {
      for (std::size_t i = 0; i < items->size(); ++i) {
        if (static_cast<int>(i) == fail_after) {
          throw hearth::Error(HEARTH_ERROR_CONFLICT, "item " + std::to_string(i) + " refused on purpose");
        }
        const auto item = items->getObject(static_cast<unsigned>(i));
        const auto add = [&] {
          insert(batch, item->getValue<std::int64_t>("n"), item->getValue<std::string>("body"),
                 item->optValue<double>("amount", 0.0));
        };
        if (nested) {
          host_.transaction(add);
        } else {
          add();
        }
      }
    });
  }

  Poco::JSON::Array::Ptr read(const std::string &batch, int stop_after) const {
    Poco::JSON::Array::Ptr rows = new Poco::JSON::Array;
    host_.execute("SELECT n, body, amount FROM " STORE_TABLE " WHERE batch = ? ORDER BY n", {batch},
                  [&](const hearth::RowView &row) {
                    Poco::JSON::Object::Ptr item = new Poco::JSON::Object;
                    item->set("n", row.int64(0));
                    item->set("body", std::string(row.text(1)));
                    item->set("amount", row.real(2));
                    item->set("column", std::string(row.names[1]));
                    rows->add(item);
                    return stop_after < 0 || static_cast<int>(rows->size()) < stop_after;
                  });
    return rows;
  }

  std::int64_t count(const std::string &batch) const {
    std::int64_t n = 0;
    host_.execute("SELECT COUNT(*) FROM " STORE_TABLE " WHERE batch = ?", {batch}, [&](const hearth::RowView &row) {
      n = row.int64(0);
      return true;
    });
    return n;
  }

  std::string bad_calls() const {
    const hearth_host *c = host_.c_host();
    Poco::JSON::Object answer;
    char *error = nullptr;
    hearth_event event{};
    event.struct_size = sizeof event;
    event.subject = "s";
    answer.set("missing_type", c->bus_publish(c, &event, &error));
    answer.set("missing_type_error", text_or_null(error));
    c->free(error);
    error = nullptr;
    hearth_value text{};
    text.type = HEARTH_VALUE_TEXT;
    answer.set("text_without_data", c->storage_execute(c, "SELECT ?", &text, 1, nullptr, nullptr, &error));
    answer.set("text_without_data_error", text_or_null(error));
    c->free(error);
    error = nullptr;
    answer.set("bad_sql_status", c->storage_execute(c, "SELEKT nothing", nullptr, 0, nullptr, nullptr, &error));
    answer.set("bad_sql_has_error", error != nullptr);
    c->free(error);
    error = nullptr;
    answer.set("null_work", c->storage_transaction(c, nullptr, nullptr, &error));
    answer.set("null_work_error", text_or_null(error));
    c->free(error);
    answer.set("extension", c->get_extension(c, HEARTH_METRICS_EXTENSION_ID) == nullptr ? "null" : "set");
    return to_text(answer);
  }

  // Declares the counter hearth_store_test_total, adds args.add to it with kind=test and
  // sets the gauge hearth_store_test_level to args.level; then a bad name.
  std::string metrics(const Poco::JSON::Object &args) const {
    const hearth_host *c = host_.c_host();
    const auto *metrics = static_cast<const hearth_metrics_extension *>(c->get_extension(c, HEARTH_METRICS_EXTENSION_ID));
    if (metrics == nullptr) {
      throw hearth::Error(HEARTH_ERROR_UNSUPPORTED, "no metrics extension");
    }
    const auto check = [&](std::int32_t status, char *error) {
      const std::string message = text_or_null(error);
      c->free(error);
      if (status != HEARTH_OK) {
        throw hearth::Error(status, message);
      }
    };
    char *error = nullptr;
    check(metrics->describe(c, "hearth_store_test_total", HEARTH_METRIC_COUNTER, "Test counter.", &error), error);
    error = nullptr;
    check(metrics->describe(c, "hearth_store_test_level", HEARTH_METRIC_GAUGE, "Test gauge.", &error), error);
    error = nullptr;
    check(metrics->add(c, "hearth_store_test_total", "kind=test", args.getValue<double>("add"), &error), error);
    error = nullptr;
    check(metrics->set(c, "hearth_store_test_level", nullptr, args.getValue<double>("level"), &error), error);
    error = nullptr;
    Poco::JSON::Object answer;
    answer.set("bad_name", metrics->add(c, "no spaces allowed", nullptr, 1, &error));
    answer.set("bad_name_error", text_or_null(error));
    c->free(error);
    return to_text(answer);
  }

  static int32_t on_events(void *user_data, const hearth_event *const *events, uint32_t count) {
    auto &self = *static_cast<StorePlugin *>(user_data);
    for (uint32_t i = 0; i < count; ++i) {
      const hearth_event &event = *events[i];
      Poco::JSON::Object::Ptr item = new Poco::JSON::Object;
      item->set("type", text_or_null(event.type));
      item->set("subject", text_or_null(event.subject));
      item->set("source", text_or_null(event.source));
      item->set("payload", text_or_null(event.payload));
      {
        std::lock_guard lock(self.mutex_);
        self.seen_->add(item);
      }
      if (std::string(event.type) != kPing) {
        continue;
      }
      if (self.may_crash_ && event.payload != nullptr && std::string(event.payload) == R"({"crash":true})") {
        *nowhere = 1;
      }
      try {
        self.insert("event:" + std::string(event.subject), static_cast<std::int64_t>(event.sequence), "ping", 0.0);
        if (self.answer_pings_) {
          self.host_.publish(kPong, event.subject, "{}", self.host_.now_ms());
        }
      } catch (const std::exception &failure) {
        self.host_.log_error(std::string("cannot handle a ping: ") + failure.what());
        return HEARTH_ERROR_INTERNAL;
      }
    }
    return HEARTH_OK;
  }

  hearth::Host host_;
  std::thread background_;
  std::atomic<std::int32_t> background_status_{HEARTH_ERROR_STATE};
  bool answer_pings_ = false, may_crash_ = false;
  uint64_t ping_subscription_ = 0, pong_subscription_ = 0;
  std::mutex mutex_;
  Poco::JSON::Array::Ptr seen_ = new Poco::JSON::Array;
};

} // namespace

HEARTH_DEFINE_PLUGIN(StorePlugin, descriptor)
