// [log] format = json: one JSON object per line, with the plugin that logged and the id of
// the HTTP request being answered; a BSN in a message is redacted as in text lines; an
// unknown format stops the runtime naming the key.
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <gtest/gtest.h>

#include "../http/http_test_client.hpp"
#include "runtime_fixture.hpp"

namespace hearth::test {
namespace {

std::vector<Poco::JSON::Object::Ptr> json_lines(const std::filesystem::path &file) {
  std::vector<Poco::JSON::Object::Ptr> lines;
  std::ifstream in(file);
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    // Every line must parse on its own: a log collector reads them one by one.
    lines.push_back(Poco::JSON::Parser().parse(line).extract<Poco::JSON::Object::Ptr>());
  }
  return lines;
}

TEST(JsonLog, EveryLineIsJsonAndRequestLinesCarryTheRequestId) {
  ScratchDir logs;
  const auto file = logs.path() / "hearth.jsonl";
  // The test suite points every runtime's log at one file (HEARTH_LOG_FILE, for the
  // privacy scan), and the environment wins over hearth.ini: point it here for this test.
  const char *suite_log = std::getenv("HEARTH_LOG_FILE");
  const std::string previous = suite_log != nullptr ? suite_log : "";
  ::setenv("HEARTH_LOG_FILE", file.c_str(), 1);
  struct Restore {
    std::string value;
    bool had;
    ~Restore() {
      if (had) {
        ::setenv("HEARTH_LOG_FILE", value.c_str(), 1);
      } else {
        ::unsetenv("HEARTH_LOG_FILE");
      }
    }
  } restore{previous, suite_log != nullptr};
  RuntimeFixture fixture(std::initializer_list<std::string>{"test_services", "test_good"}, "[http]\nport = 0\n[log]\nformat = json\nfile = " + file.string() + "\n");
  fixture.open_and_load();
  uint16_t port = 0;
  Message error;
  ASSERT_EQ(hearth_runtime_serve_http(fixture.runtime(), "127.0.0.1", 0, &port, error.out()), HEARTH_OK)
      << error.str();
  // Refused credentials: the runtime logs the refusal while answering this request.
  const auto reply = http_request(port, "POST", "/api/v1/nl.hearth.test.services/whoami", "{}",
                                  {{"X-API-KEY", "not-a-known-key"}});
  EXPECT_EQ(reply.status, 401);
  const std::string request_id = reply.header("X-Request-Id");
  ASSERT_FALSE(request_id.empty());
  fixture.close();

  const auto lines = json_lines(file);
  ASSERT_FALSE(lines.empty());
  bool saw_request_line = false, saw_plugin_line = false;
  for (const auto &line : lines) {
    EXPECT_TRUE(line->has("time") && line->has("level") && line->has("message"));
    EXPECT_EQ(line->getValue<std::string>("time").back(), 'Z');
    if (line->optValue<std::string>("request_id", "") == request_id) {
      saw_request_line = true;
      EXPECT_NE(line->getValue<std::string>("message").find("credentials refused"), std::string::npos);
      EXPECT_EQ(line->getValue<std::string>("message").find("not-a-known-key"), std::string::npos)
          << "a credential reached the log";
    }
    if (line->optValue<std::string>("plugin", "") == "nl.hearth.test.good") {
      saw_plugin_line = true;
      EXPECT_EQ(line->getValue<std::string>("message"), "good plugin ready");
    }
  }
  EXPECT_TRUE(saw_request_line) << "no line carried request id " << request_id;
  // Lines outside a request carry no request id.
  EXPECT_FALSE(lines.front()->has("request_id"));
  EXPECT_TRUE(saw_plugin_line) << "a plugin's line did not name the plugin";
}

TEST(JsonLog, AnUnknownFormatIsRefusedNamingTheKey) {
  RuntimeFixture fixture({}, "[log]\nformat = xml\n");
  EXPECT_EQ(fixture.open(), HEARTH_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(fixture.open_error().find("log.format"), std::string::npos) << fixture.open_error();
}

} // namespace
} // namespace hearth::test
