// The runtime's HTTP server (Poco::Net): a small route table in front of
// Poco::Net::HTTPServer. The runtime registers its own routes here; plugins' routes
// (hearth/http.h) are reached through the fallback handler.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <spdlog/logger.h>

namespace hearth::http {

struct Request {
  std::string method;   // "GET", "POST", ...
  std::string path;     // without the query string, e.g. "/plugins"
  std::string query;    // raw query string without '?'
  std::map<std::string, std::string> headers; // names lower-cased
  std::string body;
  std::string remote_address;
  std::string request_id; // set by the server: the id logs and the X-Request-Id header carry
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

using Handler = std::function<Response(const Request &)>;

struct ServerOptions {
  std::string address = "127.0.0.1";
  std::uint16_t port = 8080; // 0 picks a free port
  int max_threads = 16;
  std::size_t max_body_bytes = 8u << 20; // larger bodies get 413
  // Answers requests whose path no route matches (the plugins' routes); empty: 404.
  Handler fallback;
  // Told about every answered request (its status and how long it took), e.g. for
  // metrics; may be empty. Called on the worker thread; must not throw.
  std::function<void(const Request &, int status, double seconds)> observer;
  // Where the server logs (handler failures at error level, never request bodies);
  // nullptr: a logger of its own on standard error.
  std::shared_ptr<spdlog::logger> logger;
};

// Thread-safe for handlers (they run on the server's worker threads). Routes must be added
// before start().
class Server {
public:
  explicit Server(ServerOptions options);
  ~Server(); // stops
  Server(const Server &) = delete;
  Server &operator=(const Server &) = delete;

  // Routes `method` + exact `path` to `handler`. A path ending in "/*" matches any path
  // with that prefix. Unknown paths answer 404 JSON, a known path with another method
  // 405 with an Allow header; a handler that throws answers 500 without the exception text.
  void route(const std::string &method, const std::string &path, Handler handler);

  // Binds and starts; returns the bound port. Throws std::runtime_error naming the address
  // when it cannot bind.
  std::uint16_t start();
  void stop();
  bool running() const noexcept;

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

} // namespace hearth::http
