// hearth::http::Server: binds a socket and runs Poco::Net::HTTPServer over the route table.
#include "http/server.hpp"
#include "privacy/redacting_sink.hpp"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <stdexcept>
#include <utility>

#include <Poco/Exception.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/ThreadPool.h>
#include <Poco/Timespan.h>
#include <spdlog/sinks/stdout_sinks.h>

#include "http/connection_socket.hpp"
#include "http/request_dispatcher.hpp"
#include "http/route_table.hpp"

namespace hearth::http {

namespace {

// Connections waiting for a worker thread before new ones are refused.
constexpr int accept_queue_length = 64;
// How long a request may take to arrive, and an idle keep-alive connection may stay open.
constexpr int request_timeout_seconds = 30;
constexpr int keep_alive_timeout_seconds = 5;

// "address:port" for messages.
std::string endpoint_name(const std::string &address, std::uint16_t port) {
  if (address.find(':') != std::string::npos) {
    return "[" + address + "]:" + std::to_string(port);
  }
  return address + ":" + std::to_string(port);
}

// The logger of servers that were given none: standard error, never standard output
// (which belongs to the host program).
std::shared_ptr<spdlog::logger> fallback_logger() {
  static const auto logger = std::make_shared<spdlog::logger>(
      "hearth.http", std::make_shared<privacy::RedactingSink>(std::make_shared<spdlog::sinks::stderr_sink_mt>()));
  return logger;
}

} // namespace

struct Server::Impl {
  explicit Impl(ServerOptions server_options) : options(std::move(server_options)) {
    if (!options.logger) {
      options.logger = fallback_logger();
    }
  }

  ServerOptions options;
  RouteTable routes;
  std::mutex lifecycle_mutex;          // serialises start() and stop()
  std::atomic<bool> is_running{false};
  std::unique_ptr<Poco::ThreadPool> workers;     // outlives `server`
  std::unique_ptr<Poco::Net::HTTPServer> server; // set while running
  Poco::Net::ServerSocket socket;                // the listening socket while running
};

Server::Server(ServerOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {
  if (impl_->options.max_threads < 1) {
    throw std::invalid_argument("the HTTP server needs at least one thread");
  }
}

Server::~Server() {
  try {
    stop();
  } catch (const std::exception &failure) {
    impl_->options.logger->error("http: stopping the server failed: {}", failure.what());
  }
}

void Server::route(const std::string &method, const std::string &path, Handler handler) {
  std::lock_guard lock(impl_->lifecycle_mutex);
  if (impl_->is_running) {
    throw std::logic_error("HTTP routes must be added before the server starts");
  }
  impl_->routes.add(method, path, std::move(handler));
}

std::uint16_t Server::start() {
  std::lock_guard lock(impl_->lifecycle_mutex);
  if (impl_->is_running) {
    throw std::logic_error("the HTTP server is already running");
  }
  const std::string requested = endpoint_name(impl_->options.address, impl_->options.port);
  ConnectionServerSocket socket; // fewer system calls per kept-alive request (connection_socket.hpp)
  try {
    socket.bind(Poco::Net::SocketAddress(impl_->options.address, impl_->options.port),
                /*reuseAddress=*/true, /*reusePort=*/false);
    socket.listen(accept_queue_length);
  } catch (const Poco::Exception &failure) {
    throw std::runtime_error("cannot listen on " + requested + ": " + failure.displayText());
  }

  Poco::Net::HTTPServerParams::Ptr params = new Poco::Net::HTTPServerParams;
  params->setMaxThreads(impl_->options.max_threads);
  params->setMaxQueued(accept_queue_length);
  params->setTimeout(Poco::Timespan(request_timeout_seconds, 0));
  params->setKeepAlive(true);
  params->setKeepAliveTimeout(Poco::Timespan(keep_alive_timeout_seconds, 0));

  auto workers = std::make_unique<Poco::ThreadPool>(1, impl_->options.max_threads);
  auto server = std::make_unique<Poco::Net::HTTPServer>(
      new RequestDispatcherFactory(impl_->routes, impl_->options), *workers,
      socket, params);
  server->start();
  const std::uint16_t bound_port = socket.address().port();

  impl_->workers = std::move(workers);
  impl_->server = std::move(server);
  impl_->socket = socket;
  impl_->is_running = true;
  impl_->options.logger->debug("http: listening on {}",
                               endpoint_name(impl_->options.address, bound_port));
  return bound_port;
}

void Server::stop() {
  std::lock_guard lock(impl_->lifecycle_mutex);
  if (!impl_->is_running) {
    return;
  }
  // Stop accepting, let running requests finish, and close idle keep-alive connections.
  impl_->server->stopAll(/*abortCurrent=*/false);
  impl_->workers->joinAll();
  impl_->server.reset();
  impl_->socket.close();
  impl_->workers.reset();
  impl_->is_running = false;
  impl_->options.logger->debug("http: stopped");
}

bool Server::running() const noexcept { return impl_->is_running; }

} // namespace hearth::http
