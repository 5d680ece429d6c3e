// Test plugins for `isolation = process`, one module per way of breaking (BROKEN_WAY):
//   BROKEN_NONE  (nl.test.isolated-echo) - well behaved
//   BROKEN_NULL  (nl.test.broken-null)   - "break" dereferences NULL
//   BROKEN_ABORT (nl.test.broken-abort)  - "break" calls abort()
//   BROKEN_HANG  (nl.test.broken-hang)   - "break" never returns
//   BROKEN_LEAK  (nl.test.broken-leak)   - "break" leaks 32 MB, touched, on every call
//   BROKEN_LOAD  (nl.test.broken-load)   - dereferences NULL while the module is loaded
// Every module also answers these operations as a healthy plugin would:
//   echo  -> the args back;            config -> {"value": config_get(args.key) or null}
//   log   -> logs args.message (info); clock  -> {"now_ms": clock_now_ms()}
//   pid   -> {"pid": its process id};  unsupported -> what a publish without a type,
//   a "SELECT 1" and the data extension answer (in a child: the runtime's refusal, OK, NULL)
// and the query "echo" (the args back). It writes "<id> init"/"<id> deinit" lines to the
// file named by HEARTH_TEST_TRACE.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <unistd.h>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <hearth/data_service.h>
#include <hearth/plugin.hpp>

#define BROKEN_NONE 0
#define BROKEN_NULL 1
#define BROKEN_ABORT 2
#define BROKEN_HANG 3
#define BROKEN_LEAK 4
#define BROKEN_LOAD 5

#ifndef BROKEN_WAY
#define BROKEN_WAY BROKEN_NONE
#endif

#if BROKEN_WAY == BROKEN_NULL
#define BROKEN_ID "nl.test.broken-null"
#elif BROKEN_WAY == BROKEN_ABORT
#define BROKEN_ID "nl.test.broken-abort"
#elif BROKEN_WAY == BROKEN_HANG
#define BROKEN_ID "nl.test.broken-hang"
#elif BROKEN_WAY == BROKEN_LEAK
#define BROKEN_ID "nl.test.broken-leak"
#elif BROKEN_WAY == BROKEN_LOAD
#define BROKEN_ID "nl.test.broken-load"
#else
#define BROKEN_ID "nl.test.isolated-echo"
#endif

namespace {

const hearth_plugin_descriptor descriptor{sizeof(hearth_plugin_descriptor), HEARTH_PLUGIN_KIND_OTHER,
                                          BROKEN_ID, "Isolation test plugin", "Hearth tests", "0.0.1",
                                          "Breaks on purpose in its 'break' operation", nullptr, nullptr};

void trace(const char *what) {
  if (const char *path = std::getenv("HEARTH_TEST_TRACE"); path != nullptr && *path != '\0') {
    if (FILE *file = std::fopen(path, "a")) {
      std::fprintf(file, "%s %s\n", BROKEN_ID, what);
      std::fclose(file);
    }
  }
}

// Read through a volatile, so that the compiler cannot see the NULL coming.
int *volatile nowhere = nullptr;

#if BROKEN_WAY == BROKEN_LOAD
// Runs while the module is being loaded (dlopen), before any entry function.
[[maybe_unused]] const int crash_while_loading = [] {
  *nowhere = 1;
  return 0;
}();
#endif

Poco::JSON::Object::Ptr parse(std::string_view args) {
  return Poco::JSON::Parser().parse(std::string(args)).extract<Poco::JSON::Object::Ptr>();
}

std::string to_text(const Poco::JSON::Object &object) {
  std::ostringstream out;
  object.stringify(out);
  return out.str();
}

class BrokenPlugin : public hearth::Plugin {
public:
  void init(hearth::Host host) override {
    host_ = host;
    trace("init");
  }
  void deinit() noexcept override { trace("deinit"); }

  bool offers_operations() const override { return true; }
  bool answers_queries() const override { return true; }

  std::string query(std::string_view name, std::string_view args) override {
    if (name == "echo") return std::string(args);
    throw hearth::Error(HEARTH_ERROR_NOT_FOUND, "unknown query '" + std::string(name) + "'");
  }

  std::string call(const hearth_actor &actor, std::string_view operation, std::string_view args) override {
    Poco::JSON::Object answer;
    if (operation == "echo") return std::string(args);
    if (operation == "whoami") {
      answer.set("user", std::string(actor.user));
      answer.set("role", std::string(actor.role));
      answer.set("on_behalf_of", actor.on_behalf_of != nullptr ? std::string(actor.on_behalf_of) : std::string("-"));
      return to_text(answer);
    }
    if (operation == "config") {
      const auto value = host_.config(parse(args)->getValue<std::string>("key").c_str());
      if (value) {
        answer.set("value", std::string(*value));
      } else {
        answer.set("value", Poco::Dynamic::Var());
      }
      return to_text(answer);
    }
    if (operation == "log") {
      host_.log_info(parse(args)->getValue<std::string>("message"));
      return "{}";
    }
    if (operation == "clock") {
      answer.set("now_ms", host_.now_ms());
      return to_text(answer);
    }
    if (operation == "pid") {
      answer.set("pid", static_cast<int>(::getpid()));
      return to_text(answer);
    }
    if (operation == "unsupported") {
      const hearth_host *c = host_.c_host();
      char *error = nullptr;
      hearth_event event{};
      event.struct_size = sizeof event;
      answer.set("publish", c->bus_publish(c, &event, &error));
      answer.set("publish_error", std::string(error != nullptr ? error : ""));
      c->free(error);
      error = nullptr;
      answer.set("execute", c->storage_execute(c, "SELECT 1", nullptr, 0, nullptr, nullptr, &error));
      c->free(error);
      answer.set("data_extension", c->get_extension(c, HEARTH_DATA_EXTENSION_ID) == nullptr ? "null" : "set");
      return to_text(answer);
    }
    if (operation == "break") {
      broken();
      return "{}";
    }
    throw hearth::Error(HEARTH_ERROR_NOT_FOUND, "unknown operation '" + std::string(operation) + "'");
  }

private:
  void broken() {
#if BROKEN_WAY == BROKEN_NULL
    *nowhere = 1;
#elif BROKEN_WAY == BROKEN_ABORT
    std::abort();
#elif BROKEN_WAY == BROKEN_HANG
    for (;;) {
      std::this_thread::sleep_for(std::chrono::seconds(1));
    }
#elif BROKEN_WAY == BROKEN_LEAK
    constexpr std::size_t kLeak = 32u << 20;
    auto *block = static_cast<char *>(std::malloc(kLeak));
    if (block == nullptr) throw hearth::Error(HEARTH_ERROR_INTERNAL, "out of memory");
    for (std::size_t i = 0; i < kLeak; i += 512) block[i] = static_cast<char>(i);
    leaked_.push_back(block); // never freed, on purpose
#endif
  }

  hearth::Host host_;
  std::vector<char *> leaked_;
};

} // namespace

HEARTH_DEFINE_PLUGIN(BrokenPlugin, descriptor)
