// hearth::http::Server on 127.0.0.1 with a free port, driven by a real Poco HTTP client.
#include <atomic>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/NetException.h>
#include <gtest/gtest.h>

#include "http/server.hpp"
#include "http_test_client.hpp"

namespace {

using hearth::http::Request;
using hearth::http::Response;
using hearth::http::Server;
using hearth::http::ServerOptions;
using hearth::test::http_request;
using hearth::test::HttpReply;

// The "error" member of a JSON error body.
std::string error_of(const std::string &body) {
  Poco::JSON::Parser parser;
  auto object = parser.parse(body).extract<Poco::JSON::Object::Ptr>();
  return object->getValue<std::string>("error");
}

// A response with `body` as plain text.
Response text(const std::string &body) {
  Response response;
  response.content_type = "text/plain";
  response.body = body;
  return response;
}

// A server with a few routes, started on a free port.
class HttpServerTest : public ::testing::Test {
protected:
  void SetUp() override {
    ServerOptions options;
    options.address = "127.0.0.1";
    options.port = 0;
    options.max_threads = 8;
    options.max_body_bytes = max_body_bytes;
    server_ = std::make_unique<Server>(options);
    server_->route("GET", "/hello", [](const Request &) { return text("hello"); });
    server_->route("POST", "/hello", [](const Request &) { return text("posted"); });
    server_->route("GET", "/things", [](const Request &) { return text("things"); });
    server_->route("PUT", "/things", [](const Request &) { return text("put"); });
    server_->route("POST", "/echo", [](const Request &request) { return text(request.body); });
    server_->route("GET", "/echo", [](const Request &request) {
      return text(request.path + "|" + request.query);
    });
    server_->route("GET", "/files/*", [](const Request &request) {
      return text("files:" + request.path);
    });
    server_->route("GET", "/files/special", [](const Request &) { return text("special"); });
    server_->route("GET", "/header", [](const Request &request) {
      auto found = request.headers.find("x-test-thing");
      return text(found == request.headers.end() ? "absent" : found->second);
    });
    server_->route("GET", "/custom", [](const Request &) {
      Response response;
      response.status = 201;
      response.body = R"({"made":true})";
      response.headers.emplace_back("X-Made-By", "hearth-test");
      return response;
    });
    server_->route("GET", "/boom", [](const Request &) -> Response {
      throw std::runtime_error("secret detail 4242");
    });
    server_->route("GET", "/count", [this](const Request &) {
      ++count_;
      return text("counted");
    });
    port_ = server_->start();
  }

  static constexpr std::size_t max_body_bytes = 1024;
  std::unique_ptr<Server> server_;
  std::uint16_t port_ = 0;
  std::atomic<int> count_{0};
};

TEST_F(HttpServerTest, StartReturnsTheBoundPortAndRuns) {
  EXPECT_NE(port_, 0);
  EXPECT_TRUE(server_->running());
}

TEST_F(HttpServerTest, RoutesByMethodAndExactPath) {
  HttpReply get = http_request(port_, "GET", "/hello");
  EXPECT_EQ(get.status, 200);
  EXPECT_EQ(get.body, "hello");
  EXPECT_EQ(get.header("Content-Type"), "text/plain");

  HttpReply post = http_request(port_, "POST", "/hello", "x");
  EXPECT_EQ(post.status, 200);
  EXPECT_EQ(post.body, "posted");
}

TEST_F(HttpServerTest, HandlerStatusContentTypeAndHeadersAreSent) {
  HttpReply reply = http_request(port_, "GET", "/custom");
  EXPECT_EQ(reply.status, 201);
  EXPECT_EQ(reply.body, R"({"made":true})");
  EXPECT_EQ(reply.header("Content-Type"), "application/json");
  EXPECT_EQ(reply.header("X-Made-By"), "hearth-test");
}

TEST_F(HttpServerTest, UnknownPathAnswers404Json) {
  HttpReply reply = http_request(port_, "GET", "/nowhere");
  EXPECT_EQ(reply.status, 404);
  EXPECT_EQ(reply.header("Content-Type"), "application/json");
  EXPECT_EQ(error_of(reply.body), "not found");
}

TEST_F(HttpServerTest, KnownPathWithOtherMethodAnswers405WithAllow) {
  HttpReply reply = http_request(port_, "DELETE", "/things");
  EXPECT_EQ(reply.status, 405);
  EXPECT_EQ(reply.header("Allow"), "GET, PUT");
  EXPECT_FALSE(error_of(reply.body).empty());
}

TEST_F(HttpServerTest, PrefixRouteMatchesPathsBelowIt) {
  HttpReply nested = http_request(port_, "GET", "/files/a/b.txt");
  EXPECT_EQ(nested.status, 200);
  EXPECT_EQ(nested.body, "files:/files/a/b.txt");

  HttpReply bare = http_request(port_, "GET", "/files");
  EXPECT_EQ(bare.status, 200);
  EXPECT_EQ(bare.body, "files:/files");
}

TEST_F(HttpServerTest, PrefixRouteDoesNotMatchASiblingWithTheSameStart) {
  EXPECT_EQ(http_request(port_, "GET", "/filesystem").status, 404);
}

TEST_F(HttpServerTest, ExactRouteWinsOverPrefixRoute) {
  EXPECT_EQ(http_request(port_, "GET", "/files/special").body, "special");
}

TEST_F(HttpServerTest, PrefixRouteWithOtherMethodAnswers405) {
  HttpReply reply = http_request(port_, "POST", "/files/a", "x");
  EXPECT_EQ(reply.status, 405);
  EXPECT_EQ(reply.header("Allow"), "GET");
}

TEST_F(HttpServerTest, QueryStringIsSplitOffThePath) {
  HttpReply reply = http_request(port_, "GET", "/echo?name=a%20b&x=1");
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.body, "/echo|name=a%20b&x=1");
}

TEST_F(HttpServerTest, QueryStringDoesNotAffectRouting) {
  EXPECT_EQ(http_request(port_, "GET", "/nowhere?x=1").status, 404);
  EXPECT_EQ(http_request(port_, "GET", "/hello?x=1").body, "hello");
}

TEST_F(HttpServerTest, BodyReachesTheHandler) {
  const std::string body = R"({"tenant":"t-1","arrears":3})";
  HttpReply reply = http_request(port_, "POST", "/echo", body);
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.body, body);
}

TEST_F(HttpServerTest, BodyOfExactlyTheLimitIsAccepted) {
  const std::string body(max_body_bytes, 'a');
  HttpReply reply = http_request(port_, "POST", "/echo", body);
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.body, body);
}

TEST_F(HttpServerTest, BodyOverTheLimitAnswers413) {
  HttpReply reply = http_request(port_, "POST", "/echo", std::string(4 * max_body_bytes, 'a'));
  EXPECT_EQ(reply.status, 413);
  EXPECT_FALSE(error_of(reply.body).empty());
  EXPECT_EQ(reply.header("X-Content-Type-Options"), "nosniff");
}

TEST_F(HttpServerTest, ChunkedBodyOverTheLimitAnswers413) {
  HttpReply reply = http_request(port_, "POST", "/echo", std::string(4 * max_body_bytes, 'a'),
                                 {{"Transfer-Encoding", "chunked"}});
  EXPECT_EQ(reply.status, 413);
}

TEST_F(HttpServerTest, HeaderNamesAreLowerCased) {
  HttpReply reply = http_request(port_, "GET", "/header", {}, {{"X-Test-THING", "v1"}});
  EXPECT_EQ(reply.body, "v1");
}

TEST_F(HttpServerTest, ThrowingHandlerAnswers500WithoutTheExceptionText) {
  HttpReply reply = http_request(port_, "GET", "/boom");
  EXPECT_EQ(reply.status, 500);
  EXPECT_EQ(reply.body.find("secret"), std::string::npos);
  EXPECT_EQ(reply.body.find("4242"), std::string::npos);
  EXPECT_FALSE(error_of(reply.body).empty());
}

TEST_F(HttpServerTest, ServerKeepsAnsweringAfterAHandlerThrew) {
  EXPECT_EQ(http_request(port_, "GET", "/boom").status, 500);
  EXPECT_EQ(http_request(port_, "GET", "/hello").status, 200);
}

TEST_F(HttpServerTest, EveryResponseCarriesTheSecurityHeaders) {
  for (const char *target : {"/hello", "/nowhere", "/boom", "/custom"}) {
    HttpReply reply = http_request(port_, "GET", target);
    EXPECT_EQ(reply.header("X-Content-Type-Options"), "nosniff") << target;
    EXPECT_EQ(reply.header("Cache-Control"), "no-store") << target;
  }
  HttpReply not_allowed = http_request(port_, "DELETE", "/hello");
  EXPECT_EQ(not_allowed.header("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(not_allowed.header("Cache-Control"), "no-store");
}

TEST_F(HttpServerTest, ConcurrentClientsAreAllAnswered) {
  constexpr int clients = 8;
  constexpr int requests_per_client = 50;
  std::atomic<int> answered{0};
  std::atomic<int> failed{0};
  std::vector<std::thread> threads;
  for (int client = 0; client < clients; ++client) {
    threads.emplace_back([&] {
      for (int request = 0; request < requests_per_client; ++request) {
        try {
          HttpReply reply = http_request(port_, "GET", "/count");
          (reply.status == 200 && reply.body == "counted" ? answered : failed)++;
        } catch (const std::exception &) {
          ++failed;
        }
      }
    });
  }
  for (auto &thread : threads) {
    thread.join();
  }
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(answered.load(), clients * requests_per_client);
  EXPECT_EQ(count_.load(), clients * requests_per_client);
}

TEST_F(HttpServerTest, AfterStopThePortRefusesConnections) {
  ASSERT_EQ(http_request(port_, "GET", "/hello").status, 200);
  server_->stop();
  EXPECT_FALSE(server_->running());
  EXPECT_THROW(http_request(port_, "GET", "/hello"), Poco::Net::ConnectionRefusedException);
}

TEST_F(HttpServerTest, StopTwiceIsHarmless) {
  server_->stop();
  EXPECT_NO_THROW(server_->stop());
}

TEST_F(HttpServerTest, RestartsAfterStop) {
  server_->stop();
  const std::uint16_t port = server_->start();
  EXPECT_EQ(http_request(port, "GET", "/hello").body, "hello");
}

TEST_F(HttpServerTest, StartWhileRunningThrows) {
  EXPECT_THROW(server_->start(), std::logic_error);
}

TEST_F(HttpServerTest, RoutesCannotBeAddedWhileRunning) {
  EXPECT_THROW(server_->route("GET", "/late", [](const Request &) { return text("late"); }),
               std::logic_error);
}

TEST_F(HttpServerTest, PortInUseThrowsNamingTheAddress) {
  ServerOptions options;
  options.address = "127.0.0.1";
  options.port = port_;
  Server second(options);
  try {
    second.start();
    FAIL() << "a second server bound a port in use";
  } catch (const std::runtime_error &failure) {
    EXPECT_NE(std::string(failure.what()).find("127.0.0.1:" + std::to_string(port_)),
              std::string::npos)
        << failure.what();
  }
  EXPECT_FALSE(second.running());
}

TEST(HttpServerRoutes, InvalidRoutesAreRejected) {
  Server server(ServerOptions{});
  auto handler = [](const Request &) { return Response{}; };
  EXPECT_THROW(server.route("GET", "no-slash", handler), std::invalid_argument);
  EXPECT_THROW(server.route("", "/x", handler), std::invalid_argument);
  EXPECT_THROW(server.route("GET", "/x", nullptr), std::invalid_argument);
  server.route("GET", "/x", handler);
  EXPECT_THROW(server.route("GET", "/x", handler), std::invalid_argument);
}

TEST(HttpServerRoutes, ServerThatNeverStartedIsNotRunning) {
  Server server(ServerOptions{});
  EXPECT_FALSE(server.running());
  EXPECT_NO_THROW(server.stop());
}

} // namespace
