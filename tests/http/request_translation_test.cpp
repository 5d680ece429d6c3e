// What the HTTP server hands a handler (method, path, query, lower-cased headers, the
// client's address, a fresh request id) and what a plugin's route sees through
// hearth/http.h (case-insensitive header look-ups, the client's address, headers it sets
// replaced without regard to case).
#include <istream>
#include <iterator>
#include <memory>
#include <regex>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/SocketAddress.h>
#include <gtest/gtest.h>

#include "hearth/status.h"
#include "http/plugin_routes.hpp"
#include "http/server.hpp"
#include "http_test_client.hpp"

namespace {

using hearth::http::PluginRoutes;
using hearth::http::Request;
using hearth::http::Response;
using hearth::http::Server;
using hearth::http::ServerOptions;
using hearth::test::http_request;

// A server on 127.0.0.1 whose route /seen answers what the handler was given.
class RequestTranslationTest : public ::testing::Test {
protected:
  void SetUp() override {
    ServerOptions options;
    options.address = "127.0.0.1";
    options.port = 0;
    options.max_threads = 4;
    server_ = std::make_unique<Server>(options);
    server_->route("GET", "/seen", [](const Request &request) {
      Response response;
      response.content_type = "text/plain";
      std::string headers;
      for (const auto &[name, value] : request.headers) {
        headers += name + "=" + value + ";";
      }
      response.body = request.method + "|" + request.path + "|" + request.query + "|" + request.remote_address + "|" +
                      request.request_id + "|" + headers;
      return response;
    });
    port_ = server_->start();
  }

  // The fields of the /seen answer.
  static std::vector<std::string> fields_of(const std::string &body) {
    std::vector<std::string> fields;
    std::size_t start = 0;
    for (std::size_t bar = body.find('|'); bar != std::string::npos; bar = body.find('|', start)) {
      fields.push_back(body.substr(start, bar - start));
      start = bar + 1;
    }
    fields.push_back(body.substr(start));
    return fields;
  }

  std::unique_ptr<Server> server_;
  std::uint16_t port_ = 0;
};

TEST_F(RequestTranslationTest, TheHandlerSeesTheClientsAddressMethodPathAndQuery) {
  const auto reply = http_request(port_, "GET", "/seen?tenancy=t-1&lang=en");
  ASSERT_EQ(reply.status, 200);
  const auto fields = fields_of(reply.body);
  ASSERT_EQ(fields.size(), 6u) << reply.body;
  EXPECT_EQ(fields[0], "GET");
  EXPECT_EQ(fields[1], "/seen");
  EXPECT_EQ(fields[2], "tenancy=t-1&lang=en");
  EXPECT_EQ(fields[3], "127.0.0.1");
}

TEST_F(RequestTranslationTest, AnEmptyQueryAfterTheQuestionMarkIsEmpty) {
  const auto fields = fields_of(http_request(port_, "GET", "/seen?").body);
  ASSERT_EQ(fields.size(), 6u);
  EXPECT_EQ(fields[1], "/seen");
  EXPECT_EQ(fields[2], "");
}

TEST_F(RequestTranslationTest, HeaderNamesArriveLowerCasedWhateverTheirCase) {
  const auto reply = http_request(port_, "GET", "/seen", {}, {{"X-API-KEY", "k1"}, {"x-Other-Thing", "v2"}});
  const auto fields = fields_of(reply.body);
  ASSERT_EQ(fields.size(), 6u);
  EXPECT_NE(fields[5].find("x-api-key=k1;"), std::string::npos) << fields[5];
  EXPECT_NE(fields[5].find("x-other-thing=v2;"), std::string::npos) << fields[5];
  EXPECT_EQ(fields[5].find("X-"), std::string::npos) << fields[5];
}

TEST_F(RequestTranslationTest, EveryRequestGetsItsOwnVersion4IdInTheSplitForm) {
  // 8-4-4-4-6-6 lower-case hex: version 4, RFC 4122 variant; the last group split so that
  // no id holds a run of nine digits.
  const std::regex form("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{6}-[0-9a-f]{6}");
  std::set<std::string> ids;
  for (int i = 0; i < 50; ++i) {
    const auto reply = http_request(port_, "GET", "/seen");
    const auto fields = fields_of(reply.body);
    ASSERT_EQ(fields.size(), 6u);
    EXPECT_TRUE(std::regex_match(fields[4], form)) << fields[4];
    EXPECT_EQ(reply.header("X-Request-Id"), fields[4]);
    ids.insert(fields[4]);
  }
  EXPECT_EQ(ids.size(), 50u);
}

TEST(RequestTranslationIpv6, TheClientsIpv6AddressIsWrittenAsText) {
  ServerOptions options;
  options.address = "::1";
  options.port = 0;
  options.max_threads = 2;
  Server server(options);
  server.route("GET", "/address", [](const Request &request) {
    Response response;
    response.content_type = "text/plain";
    response.body = request.remote_address;
    return response;
  });
  std::uint16_t port = 0;
  try {
    port = server.start();
  } catch (const std::runtime_error &failure) {
    GTEST_SKIP() << "no IPv6 loopback here: " << failure.what();
  }
  Poco::Net::HTTPClientSession session(Poco::Net::SocketAddress("[::1]:" + std::to_string(port)));
  Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, "/address", Poco::Net::HTTPMessage::HTTP_1_1);
  session.sendRequest(request);
  Poco::Net::HTTPResponse response;
  std::istream &body = session.receiveResponse(response);
  const std::string text((std::istreambuf_iterator<char>(body)), std::istreambuf_iterator<char>());
  EXPECT_EQ(text, "::1");
}

// A plugin route answering what it saw through hearth/http.h, and setting headers.
int32_t echo_handler(void *, const hearth_http_request *request, const hearth_http_response *response) {
  std::string seen = std::string(request->remote_address) + "|";
  for (const char *name : {"x-api-key", "X-API-KEY", "X-Api-Key", "x-missing"}) {
    const char *value = request->header(request, name);
    seen += std::string(name) + "=" + (value != nullptr ? value : "(none)") + ";";
  }
  response->set_header(response, "Content-Type", "text/plain");
  response->set_header(response, "X-Frame-Options", "SAMEORIGIN");
  response->set_header(response, "x-frame-options", "DENY"); // replaces the first, whatever the case
  response->set_header(response, "X-Frame", "kept");           // a name that only starts the same
  response->write(response, seen.data(), seen.size());
  return HEARTH_OK;
}

TEST(PluginRouteRequests, HeadersAreFoundWithoutRegardToCaseAndTheAddressArrives) {
  PluginRoutes routes;
  routes.add("test.plugin", "GET", "/echo", &echo_handler, nullptr);
  Request request;
  request.method = "GET";
  request.path = "/echo";
  request.headers["x-api-key"] = "secret-key";
  request.remote_address = "192.0.2.7";
  request.request_id = "id";
  const auto response = routes.answer(request, nullptr);
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->content_type, "text/plain");
  EXPECT_EQ(response->body,
            "192.0.2.7|x-api-key=secret-key;X-API-KEY=secret-key;X-Api-Key=secret-key;x-missing=(none);");
  std::vector<std::pair<std::string, std::string>> expected = {{"x-frame-options", "DENY"}, {"X-Frame", "kept"}};
  EXPECT_EQ(response->headers, expected);
}

} // namespace
