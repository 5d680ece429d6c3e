// What the HTTP server writes to its log when a handler fails: method, path and cause, but
// never the body or query string (they may hold personal data).
#include <memory>
#include <sstream>
#include <stdexcept>

#include <gtest/gtest.h>
#include <spdlog/logger.h>
#include <spdlog/sinks/ostream_sink.h>

#include "http/server.hpp"
#include "http_test_client.hpp"

namespace {

using hearth::http::Request;
using hearth::http::Response;
using hearth::http::Server;
using hearth::http::ServerOptions;

TEST(HttpServerLogging, HandlerFailureIsLoggedAtErrorWithoutBodyOrQuery) {
  std::ostringstream log_text;
  auto logger = std::make_shared<spdlog::logger>(
      "http-test", std::make_shared<spdlog::sinks::ostream_sink_mt>(log_text));
  logger->set_pattern("%l %v");

  ServerOptions options;
  options.port = 0;
  options.logger = logger;
  Server server(options);
  server.route("POST", "/fail", [](const Request &) -> Response {
    throw std::runtime_error("database unavailable");
  });
  const std::uint16_t port = server.start();

  const auto reply = hearth::test::http_request(port, "POST", "/fail?tenant=J.%20Jansen",
                                                R"({"name":"Jan Jansen"})");
  server.stop();
  logger->flush();

  EXPECT_EQ(reply.status, 500);
  const std::string logged = log_text.str();
  EXPECT_NE(logged.find("error "), std::string::npos) << logged;
  EXPECT_NE(logged.find("POST /fail"), std::string::npos) << logged;
  EXPECT_NE(logged.find("database unavailable"), std::string::npos) << logged;
  EXPECT_EQ(logged.find("Jansen"), std::string::npos) << logged;
  EXPECT_EQ(logged.find("tenant="), std::string::npos) << logged;
}

} // namespace
