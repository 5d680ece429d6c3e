// hearth_badge_peer: the risk-badge benchmark's peer. A minimal Poco::Net::HTTPServer that
// answers every request with one fixed response (status 200, the given headers and body),
// configured like Hearth's own server (src/http/server.cpp: thread pool, accept queue,
// keep-alive), so that the difference wrk measures is what Hearth does per request.
//
// Usage: hearth_badge_peer --body FILE --headers FILE [--port P] [--threads N]
//                          [--socket poco|hearth]
//   --body     the response body, sent as it is
//   --headers  one "Name: value" per line (Content-Length is set from the body)
//   --port     0 (default) picks a free port; --threads default 16 (Hearth's [http] threads)
//   --socket   poco (default): Poco's own listening socket, the plain Poco server the issue
//              compares with; hearth: the listening socket Hearth's server uses
//              (src/http/connection_socket.hpp), to tell what Hearth's request path costs
//              apart from what its socket saves
// Prints "listening on PORT" on stdout, serves until SIGINT or SIGTERM.
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <pthread.h>

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/ThreadPool.h>
#include <Poco/Timespan.h>

#include "http/connection_socket.hpp"

namespace {

// The same numbers as Hearth's HTTP server.
constexpr int accept_queue_length = 64;
constexpr int request_timeout_seconds = 30;
constexpr int keep_alive_timeout_seconds = 5;

// One fixed response: its headers in order and its body.
struct FixedResponse {
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

// Answers with the fixed response, whatever was asked.
class FixedHandler : public Poco::Net::HTTPRequestHandler {
public:
  explicit FixedHandler(const FixedResponse &fixed) : fixed_(fixed) {}
  void handleRequest(Poco::Net::HTTPServerRequest &request,
                     Poco::Net::HTTPServerResponse &response) override {
    // Read what the client sent, as a real handler would.
    request.stream().ignore(std::numeric_limits<std::streamsize>::max());
    response.setStatus(Poco::Net::HTTPResponse::HTTP_OK);
    for (const auto &[name, value] : fixed_.headers) {
      response.set(name, value);
    }
    response.setContentLength(static_cast<std::streamsize>(fixed_.body.size()));
    response.sendBuffer(fixed_.body.data(), fixed_.body.size());
  }

private:
  const FixedResponse &fixed_;
};

class FixedHandlerFactory : public Poco::Net::HTTPRequestHandlerFactory {
public:
  explicit FixedHandlerFactory(const FixedResponse &fixed) : fixed_(fixed) {}
  Poco::Net::HTTPRequestHandler *
  createRequestHandler(const Poco::Net::HTTPServerRequest &) override {
    return new FixedHandler(fixed_);
  }

private:
  const FixedResponse &fixed_;
};

// The whole file; throws naming the file when it cannot be read.
std::string read_file(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw std::runtime_error("cannot read " + path);
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// "Name: value" lines; throws naming the line when one has no colon.
std::vector<std::pair<std::string, std::string>> parse_headers(const std::string &text) {
  std::vector<std::pair<std::string, std::string>> headers;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    if (!line.empty() && line.back() == '\r') {
      line.pop_back();
    }
    if (line.empty()) {
      continue;
    }
    const auto colon = line.find(':');
    if (colon == std::string::npos || colon == 0) {
      throw std::runtime_error("--headers: not 'Name: value': " + line);
    }
    const auto value_start = line.find_first_not_of(' ', colon + 1);
    headers.emplace_back(line.substr(0, colon),
                         value_start == std::string::npos ? "" : line.substr(value_start));
  }
  return headers;
}

// A whole number in [low, high]; throws naming the option otherwise.
int parse_number(const std::string &option, const std::string &text, int low, int high) {
  std::size_t used = 0;
  int value = 0;
  try {
    value = std::stoi(text, &used);
  } catch (const std::exception &) {
    used = 0;
  }
  if (text.empty() || used != text.size() || value < low || value > high) {
    throw std::runtime_error(option + " needs a number from " + std::to_string(low) + " to " +
                             std::to_string(high) + ", not '" + text + "'");
  }
  return value;
}

int run(int argc, char **argv) {
  std::string body_file, headers_file;
  int port = 0;
  int threads = 16;
  bool hearth_socket = false;
  for (int i = 1; i < argc; ++i) {
    const std::string option = argv[i];
    if (i + 1 >= argc) {
      throw std::runtime_error(option + " needs a value");
    }
    const std::string value = argv[++i];
    if (option == "--body") {
      body_file = value;
    } else if (option == "--headers") {
      headers_file = value;
    } else if (option == "--port") {
      port = parse_number(option, value, 0, 65535);
    } else if (option == "--threads") {
      threads = parse_number(option, value, 1, 1024);
    } else if (option == "--socket" && (value == "poco" || value == "hearth")) {
      hearth_socket = value == "hearth";
    } else if (option == "--socket") {
      throw std::runtime_error("--socket: poco or hearth, not '" + value + "'");
    } else {
      throw std::runtime_error("unknown option " + option);
    }
  }
  if (body_file.empty() || headers_file.empty()) {
    throw std::runtime_error("usage: hearth_badge_peer --body FILE --headers FILE [--port P] "
                             "[--threads N] [--socket poco|hearth]");
  }
  const FixedResponse fixed{parse_headers(read_file(headers_file)), read_file(body_file)};

  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);

  Poco::Net::ServerSocket socket = hearth_socket ? hearth::http::ConnectionServerSocket() : Poco::Net::ServerSocket();
  socket.bind(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(port)), true, false);
  socket.listen(accept_queue_length);
  Poco::Net::HTTPServerParams::Ptr params = new Poco::Net::HTTPServerParams;
  params->setMaxThreads(threads);
  params->setMaxQueued(accept_queue_length);
  params->setTimeout(Poco::Timespan(request_timeout_seconds, 0));
  params->setKeepAlive(true);
  params->setKeepAliveTimeout(Poco::Timespan(keep_alive_timeout_seconds, 0));
  Poco::ThreadPool workers(1, threads);
  Poco::Net::HTTPServer server(new FixedHandlerFactory(fixed), workers, socket, params);
  server.start();
  std::cout << "listening on " << socket.address().port() << std::endl;

  int received = 0;
  sigwait(&stop_signals, &received);
  server.stopAll(false);
  workers.joinAll();
  return 0;
}

} // namespace

int main(int argc, char **argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception &failure) {
    std::cerr << "hearth_badge_peer: " << failure.what() << '\n';
    return 1;
  }
}
