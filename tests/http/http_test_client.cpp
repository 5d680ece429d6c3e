// The test HTTP client.
#include "http_test_client.hpp"

#include <sstream>

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <Poco/String.h>
#include <Poco/Timespan.h>

namespace hearth::test {

std::string HttpReply::header(const std::string &name) const {
  for (const auto &[key, value] : headers) {
    if (Poco::icompare(key, name) == 0) {
      return value;
    }
  }
  return {};
}

HttpReply http_request(std::uint16_t port, const std::string &method,
                       const std::string &target, const std::string &body,
                       const std::map<std::string, std::string> &headers) {
  Poco::Net::HTTPClientSession session("127.0.0.1", port);
  session.setTimeout(Poco::Timespan(10, 0));
  Poco::Net::HTTPRequest request(method, target, Poco::Net::HTTPMessage::HTTP_1_1);
  for (const auto &[name, value] : headers) {
    request.set(name, value);
  }
  if (!body.empty() || method == "POST" || method == "PUT") {
    request.setContentLength64(static_cast<Poco::Int64>(body.size()));
  }
  session.sendRequest(request) << body;

  Poco::Net::HTTPResponse response;
  std::istream &stream = session.receiveResponse(response);
  HttpReply reply;
  reply.status = static_cast<int>(response.getStatus());
  std::ostringstream text;
  Poco::StreamCopier::copyStream(stream, text);
  reply.body = text.str();
  for (const auto &[name, value] : response) {
    reply.headers[name] = value;
  }
  return reply;
}

} // namespace hearth::test
