// One outbound HTTP request and its answer, over Poco::Net (http, and https with the
// system's trusted certificates or, since 0.3, the configured ones: OutboundTls), with a
// timeout and a cap on the answer's size. Used by the ZGW client. Part of
// hearth_adapter_zgw. Since 0.1.
#pragma once

#include <chrono>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <Poco/Net/Context.h>

#include "adapter_common/tls_client.hpp"

namespace hearth::adapters::zgw {

// TLS for https URLs (since 0.3): the client context (adapter_common's
// make_tls_client_context) and the settings it was made from, which a refused
// certificate's message names; `server` words the other side ("the Zaken API's").
struct OutboundTls {
  Poco::Net::Context::Ptr context;
  TlsClientSettings settings;
  std::string server = "the server's";
};

// What to send.
struct OutboundRequest {
  std::string method = "GET";
  std::string url;  // absolute http(s) URL
  std::string body; // sent when non-empty, as application/json
  std::vector<std::pair<std::string, std::string>> headers;
  // For an https URL: borrowed, must outlive the call; null (or a null context) uses
  // Poco's default client context (the system's authorities). Since 0.3.
  const OutboundTls *tls = nullptr;
};

// What came back.
struct OutboundAnswer {
  int status = 0;
  std::string body;
  std::string location;     // the Location header, "" when absent
  std::string content_type; // "" when absent
  std::string retry_after;  // the Retry-After header, "" when absent (since 0.2)
};

// The request could not be completed: no connection, a timeout, an answer over the size
// cap, a URL that is not absolute http(s). The message names the method and the URL's
// scheme, host and path, never the body. transient() (since 0.2) is true when sending
// again may succeed: the connection was refused, reset or dropped without an answer, or
// timed out; false for a bad URL, an oversize answer, a TLS failure (an untrusted
// certificate does not get better; with OutboundTls the message says which setting
// names the trusted authorities: adapter_common's describe_refused_certificate).
class OutboundError : public std::runtime_error {
public:
  explicit OutboundError(const std::string &message, bool transient = false)
      : std::runtime_error(message), transient_(transient) {}
  bool transient() const { return transient_; }

private:
  bool transient_;
};

// Sends `request` on a new connection and reads the whole answer (any status). Throws
// OutboundError as above. [any-thread] blocks up to about twice `timeout`.
OutboundAnswer send_request(const OutboundRequest &request, std::chrono::milliseconds timeout,
                            std::size_t max_answer_bytes);

} // namespace hearth::adapters::zgw
