// A runtime (public C API) with plugins under `isolation = process`, and helpers to call
// them, read the live plugin listing and the HTTP health endpoints.
#pragma once

#include <cstdlib>
#include <initializer_list>
#include <string>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <gtest/gtest.h>

#include <hearth/host.h>

#include "../http/http_test_client.hpp"
#include "../runtime/runtime_fixture.hpp"

namespace hearth::test {

inline const hearth_actor kIsolationActor{sizeof(hearth_actor), 0, "emp-17", HEARTH_ROLE_HOUSING_CONSULTANT,
                                          "corp:demo", "emp-3", "crm:test"};

// What a call or query answered: the status and the result or the error.
struct Answer {
  int32_t status = 0;
  std::string text;
  Poco::JSON::Object::Ptr json() const {
    return Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>();
  }
};

// The [plugin.<id>] section that runs `id` isolated, plus `extra` lines ("key = value\n").
inline std::string isolated_section(const std::string &id, const std::string &extra = "") {
  return "[plugin." + id + "]\nisolation = process\n" + extra;
}

class IsolationFixture {
public:
  IsolationFixture(std::initializer_list<std::string> modules, const std::string &ini)
      : runtime_(modules, "[http]\nport = 0\n" + ini) {}

  void open_and_load() { runtime_.open_and_load(); }

  Answer call(const std::string &plugin, const std::string &operation, const std::string &args = "{}",
              const hearth_actor &actor = kIsolationActor) {
    Message result, error;
    const int32_t status = hearth_runtime_call(runtime_.runtime(), &actor, plugin.c_str(), operation.c_str(),
                                               args.c_str(), result.out(), error.out());
    return {status, status == HEARTH_OK ? result.str() : error.str()};
  }

  Answer query(const std::string &plugin, const std::string &name, const std::string &args = "{}") {
    Answer answer;
    answer.status = runtime_.query(plugin, name, answer.text, args.c_str());
    return answer;
  }

  // The live listing's entry for plugin `id` (runtime.plugins), or null.
  Poco::JSON::Object::Ptr listing(const std::string &id) {
    Message json, error;
    EXPECT_EQ(hearth_runtime_plugins_json(runtime_.runtime(), json.out(), error.out()), HEARTH_OK) << error.str();
    const auto list = Poco::JSON::Parser().parse(json.str()).extract<Poco::JSON::Array::Ptr>();
    for (std::size_t i = 0; i < list->size(); ++i) {
      const auto item = list->getObject(static_cast<unsigned>(i));
      if (item->optValue<std::string>("id", "") == id) {
        return item;
      }
    }
    return nullptr;
  }

  // Starts the HTTP server on a free loopback port (once) and sends a GET.
  HttpReply get(const std::string &path) {
    if (port_ == 0) {
      Message error;
      EXPECT_EQ(hearth_runtime_serve_http(runtime_.runtime(), "127.0.0.1", 0, &port_, error.out()), HEARTH_OK)
          << error.str();
    }
    return http_request(port_, "GET", path);
  }

  RuntimeFixture &runtime() { return runtime_; }

private:
  RuntimeFixture runtime_;
  uint16_t port_ = 0;
};

// True when `text` contains `part`; for EXPECT_TRUE with the text in the message.
inline bool contains(const std::string &text, const std::string &part) {
  return text.find(part) != std::string::npos;
}

} // namespace hearth::test
