// The runtime's own HTTP routes, served on loopback and read with a real HTTP client.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

#include <gtest/gtest.h>

#include "runtime_fixture.hpp"

namespace hearth::test {
namespace {

std::pair<int, std::string> get(uint16_t port, const std::string &path) {
  Poco::Net::HTTPClientSession session("127.0.0.1", port);
  Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, path, Poco::Net::HTTPMessage::HTTP_1_1);
  session.sendRequest(request);
  Poco::Net::HTTPResponse response;
  std::string body;
  Poco::StreamCopier::copyToString(session.receiveResponse(response), body);
  return {static_cast<int>(response.getStatus()), body};
}

TEST(RuntimeHttp, HealthAndPluginListOnLoopback) {
  RuntimeFixture fixture({"test_good", "test_major_two"}, "[http]\nport = 0\n");
  fixture.open_and_load();
  uint16_t port = 0;
  Message error;
  ASSERT_EQ(hearth_runtime_serve_http(fixture.runtime(), "127.0.0.1", 0, &port, error.out()), HEARTH_OK) << error.str();
  ASSERT_NE(port, 0);

  const auto [health_status, health] = get(port, "/healthz");
  EXPECT_EQ(health_status, 200);
  EXPECT_EQ(health, R"({"status":"ok"})");

  const auto [list_status, list] = get(port, "/plugins");
  EXPECT_EQ(list_status, 200);
  const auto plugins = Poco::JSON::Parser().parse(list).extract<Poco::JSON::Array::Ptr>();
  ASSERT_EQ(plugins->size(), 2u) << list;
  bool saw_active = false, saw_refused = false;
  for (std::size_t i = 0; i < plugins->size(); ++i) {
    const auto plugin = plugins->getObject(static_cast<unsigned>(i));
    if (plugin->getValue<std::string>("id") == "nl.hearth.test.good") {
      saw_active = plugin->getValue<std::string>("state") == "active";
    }
    if (plugin->getValue<std::string>("file") == "test_major_two.so") {
      saw_refused = plugin->getValue<std::string>("state") == "refused" &&
                    plugin->getValue<std::string>("message").find("another major ABI version") != std::string::npos;
    }
  }
  EXPECT_TRUE(saw_active) << list;
  EXPECT_TRUE(saw_refused) << list;

  EXPECT_EQ(hearth_runtime_stop_http(fixture.runtime()), HEARTH_OK);
}

TEST(RuntimeHttp, ConfiguredPortZeroPicksAFreePort) {
  RuntimeFixture fixture({}, "[http]\nport = 0\n");
  fixture.open_and_load();
  uint16_t first = 0;
  ASSERT_EQ(hearth_runtime_serve_http(fixture.runtime(), nullptr, 0, &first, nullptr), HEARTH_OK);
  EXPECT_NE(first, 0);
  EXPECT_EQ(get(first, "/healthz").first, 200);
  Message error;
  EXPECT_EQ(hearth_runtime_serve_http(fixture.runtime(), nullptr, 0, nullptr, error.out()), HEARTH_ERROR_STATE);
  EXPECT_NE(error.str().find("already running"), std::string::npos);
}

} // namespace
} // namespace hearth::test
