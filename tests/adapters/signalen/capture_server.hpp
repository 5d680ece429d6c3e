// An HTTP endpoint on loopback that records every request and answers with a chosen
// status: Signalen's status API and the municipality's early-warning endpoint in the
// adapters' tests. Built on Poco::Net::HTTPServer.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace Poco::Net {
class HTTPServer;
}

namespace hearth::test {

// One request received.
struct CapturedRequest {
  std::string method;
  std::string path; // with the query, as sent
  std::map<std::string, std::string> headers; // names in lower case
  std::string body;
};

class CaptureServer {
public:
  // Starts on 127.0.0.1 and a free port.
  CaptureServer();
  ~CaptureServer();
  CaptureServer(const CaptureServer &) = delete;
  CaptureServer &operator=(const CaptureServer &) = delete;

  // "http://127.0.0.1:<port>"
  std::string base_url() const;
  // The status the next requests get (default 200), with `body`.
  void answer_with(int status, const std::string &body = "{}");
  // Everything received so far, in order.
  std::vector<CapturedRequest> requests() const;

  // Records one request and returns the answer; for the server's handler only.
  std::pair<int, std::string> record(CapturedRequest request);

private:
  std::unique_ptr<Poco::Net::HTTPServer> server_;
  std::uint16_t port_ = 0;
  mutable std::mutex mutex_;
  std::vector<CapturedRequest> requests_;
  int status_ = 200;
  std::string body_ = "{}";
};

} // namespace hearth::test
