// A small HTTP server on 127.0.0.1 for adapter tests: it plays a back office (VERA) or a
// case system (ZGW), records every request it receives and answers from a script (status
// and body per request, in order; then a default). Real HTTP over loopback, no mocks.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace Poco::Net {
class HTTPServer;
}

namespace hearth::test {

// One request as the server saw it.
struct RecordedRequest {
  std::string method;
  std::string path; // with the query
  std::map<std::string, std::string> headers; // names lower-cased
  std::string body;
};

// One scripted answer.
struct ScriptedAnswer {
  int status = 200;
  std::string body;
  std::string content_type = "application/json";
};

class LoopbackServer {
public:
  // Starts on a free port of 127.0.0.1.
  LoopbackServer();
  // The same over TLS (https), presenting the certificate and key in these PEM files.
  LoopbackServer(const std::string &certificate_file, const std::string &key_file);
  ~LoopbackServer();
  LoopbackServer(const LoopbackServer &) = delete;
  LoopbackServer &operator=(const LoopbackServer &) = delete;

  std::uint16_t port() const { return port_; }
  // "http://127.0.0.1:<port>", or "https://..." for a TLS server
  std::string base_url() const;

  // Answers the next requests with `answers`, in order; after them `fallback`.
  void script(std::vector<ScriptedAnswer> answers);
  void set_fallback(ScriptedAnswer fallback);
  // Answers requests for which `responder` returns an answer (checked before the script).
  void set_responder(std::function<bool(const RecordedRequest &, ScriptedAnswer &)> responder);

  // Every request so far.
  std::vector<RecordedRequest> requests() const;
  // Waits until at least `count` requests have arrived or `timeout_ms` passes; returns
  // whether they did. (For tests to wait on work done by another thread; no timing is
  // asserted.)
  bool wait_for_requests(std::size_t count, int timeout_ms = 20000) const;

  // Called by the request handler. [server thread]
  ScriptedAnswer record(RecordedRequest request);

private:
  mutable std::mutex mutex_;
  mutable std::condition_variable arrived_;
  std::vector<RecordedRequest> requests_;
  std::deque<ScriptedAnswer> script_;
  ScriptedAnswer fallback_{201, "{}", "application/json"};
  std::function<bool(const RecordedRequest &, ScriptedAnswer &)> responder_;
  std::unique_ptr<Poco::Net::HTTPServer> server_;
  std::uint16_t port_ = 0;
  bool tls_ = false;
};

} // namespace hearth::test
