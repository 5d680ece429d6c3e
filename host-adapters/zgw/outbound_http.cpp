#include "outbound_http.hpp"

#include <istream>
#include <memory>

#include <Poco/Exception.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/SSLException.h>
#include <Poco/String.h>
#include <Poco/Timespan.h>
#include <Poco/URI.h>

namespace hearth::adapters::zgw {
namespace {

std::string describe(const std::string &method, const Poco::URI &uri) {
  return method + " " + uri.getScheme() + "://" + uri.getAuthority() + uri.getPath();
}

std::unique_ptr<Poco::Net::HTTPClientSession> open_session(const Poco::URI &uri, const OutboundTls *tls) {
  if (Poco::icompare(uri.getScheme(), "https") == 0) {
    if (tls != nullptr && !tls->context.isNull()) {
      return std::make_unique<Poco::Net::HTTPSClientSession>(uri.getHost(), uri.getPort(), tls->context);
    }
    return std::make_unique<Poco::Net::HTTPSClientSession>(uri.getHost(), uri.getPort());
  }
  return std::make_unique<Poco::Net::HTTPClientSession>(uri.getHost(), uri.getPort());
}

} // namespace

OutboundAnswer send_request(const OutboundRequest &request, std::chrono::milliseconds timeout,
                            std::size_t max_answer_bytes) {
  Poco::URI uri;
  try {
    uri = Poco::URI(request.url);
  } catch (const Poco::Exception &) {
    throw OutboundError(request.method + ": the URL is not a valid URL");
  }
  const std::string scheme = Poco::toLower(uri.getScheme());
  if ((scheme != "http" && scheme != "https") || uri.getHost().empty()) {
    throw OutboundError(request.method + ": the URL is not an absolute http(s) URL");
  }
  const std::string what = describe(request.method, uri);
  try {
    auto session = open_session(uri, request.tls);
    session->setTimeout(Poco::Timespan(static_cast<long>(timeout.count() / 1000),
                                       static_cast<long>((timeout.count() % 1000) * 1000)));
    Poco::Net::HTTPRequest http(request.method, uri.getPathEtc(), Poco::Net::HTTPMessage::HTTP_1_1);
    http.set("Accept", "application/json");
    for (const auto &[name, value] : request.headers) {
      http.set(name, value);
    }
    if (!request.body.empty()) {
      http.setContentType("application/json");
      http.setContentLength(static_cast<std::streamsize>(request.body.size()));
    }
    session->sendRequest(http) << request.body;
    Poco::Net::HTTPResponse response;
    std::istream &in = session->receiveResponse(response);
    OutboundAnswer answer;
    answer.status = static_cast<int>(response.getStatus());
    answer.location = response.get("Location", "");
    answer.content_type = response.get("Content-Type", "");
    answer.retry_after = response.get("Retry-After", "");
    if (response.hasContentLength() && response.getContentLength64() > static_cast<Poco::Int64>(max_answer_bytes)) {
      throw OutboundError(what + ": the answer is larger than " + std::to_string(max_answer_bytes) + " bytes");
    }
    char buffer[8192];
    while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
      answer.body.append(buffer, static_cast<std::size_t>(in.gcount()));
      if (answer.body.size() > max_answer_bytes) {
        throw OutboundError(what + ": the answer is larger than " + std::to_string(max_answer_bytes) + " bytes");
      }
    }
    return answer;
  } catch (const Poco::TimeoutException &) {
    throw OutboundError(what + ": timed out", true);
  } catch (const Poco::Net::SSLException &e) {
    if (request.tls != nullptr) {
      throw OutboundError(what + ": " + describe_refused_certificate(request.tls->settings, request.tls->server,
                                                                     e.displayText()));
    }
    throw OutboundError(what + ": " + e.name() + " (" + e.message() + ")");
  } catch (const Poco::IOException &e) {
    // NetException (connection refused, reset, aborted; no answer at all) and I/O errors.
    throw OutboundError(what + ": " + e.name() + " (" + e.message() + ")", true);
  } catch (const Poco::Exception &e) {
    throw OutboundError(what + ": " + e.name() + " (" + e.message() + ")");
  }
}

} // namespace hearth::adapters::zgw
