// A small blocking HTTP client for the server tests, built on Poco::Net::HTTPClientSession.
#pragma once

#include <cstdint>
#include <map>
#include <string>

namespace hearth::test {

// What came back from one request.
struct HttpReply {
  int status = 0;
  std::string body;
  std::map<std::string, std::string> headers; // names as the server sent them
  // The value of header `name` (case-insensitive), or "" when absent.
  std::string header(const std::string &name) const;
};

// Sends `method` `target` (path and query) with `body` to 127.0.0.1:`port` on a fresh
// connection and reads the whole answer. Throws Poco exceptions on network failure.
HttpReply http_request(std::uint16_t port, const std::string &method,
                       const std::string &target, const std::string &body = {},
                       const std::map<std::string, std::string> &headers = {});

} // namespace hearth::test
