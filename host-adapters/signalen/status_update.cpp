#include "status_update.hpp"

#include <istream>
#include <memory>
#include <sstream>

#include <Poco/Exception.h>
#include <Poco/JSON/Object.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/NullStream.h>
#include <Poco/StreamCopier.h>
#include <Poco/String.h>
#include <Poco/URI.h>

namespace hearth::adapters::signalen {
namespace {

struct StateText {
  ReportState state;
  const char *name;
  const char *code;
  const char *text;
};
constexpr StateText kStates[] = {
    {ReportState::received, "ontvangen", "i", "Uw melding is ontvangen."},
    {ReportState::in_progress, "in_behandeling", "b", "Uw melding is in behandeling."},
    {ReportState::handled, "afgehandeld", "o", "Uw melding is afgehandeld. Dank u wel voor het melden."},
};

const StateText &entry(ReportState state) {
  for (const auto &e : kStates) {
    if (e.state == state) {
      return e;
    }
  }
  return kStates[0];
}

} // namespace

std::optional<ReportState> report_state_from(const std::string &name) {
  for (const auto &e : kStates) {
    if (name == e.name) {
      return e.state;
    }
  }
  return std::nullopt;
}

std::string report_state_name(ReportState state) { return entry(state).name; }

std::string status_update_body(ReportState state) {
  Poco::JSON::Object status;
  status.set("state", entry(state).code);
  status.set("text", entry(state).text);
  Poco::JSON::Object body;
  body.set("status", status);
  std::ostringstream out;
  body.stringify(out);
  return out.str();
}

void send_status_update(const StatusChannel &channel, const std::string &signalen_id, ReportState state) {
  std::string base = channel.endpoint;
  while (!base.empty() && base.back() == '/') {
    base.pop_back();
  }
  Poco::URI uri;
  try {
    uri = Poco::URI(base + "/" + signalen_id);
  } catch (const Poco::Exception &) {
    throw StatusUpdateError("status_endpoint: is not a valid URL");
  }
  const std::string scheme = Poco::toLower(uri.getScheme());
  if ((scheme != "http" && scheme != "https") || uri.getHost().empty()) {
    throw StatusUpdateError("status_endpoint: is not an absolute http(s) URL");
  }
  const std::string body = status_update_body(state);
  try {
    std::unique_ptr<Poco::Net::HTTPClientSession> session;
    if (scheme == "https") {
      session = std::make_unique<Poco::Net::HTTPSClientSession>(uri.getHost(), uri.getPort());
    } else {
      session = std::make_unique<Poco::Net::HTTPClientSession>(uri.getHost(), uri.getPort());
    }
    session->setTimeout(Poco::Timespan(static_cast<long>(channel.timeout.count() / 1000),
                                       static_cast<long>((channel.timeout.count() % 1000) * 1000)));
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_PATCH, uri.getPathEtc(), Poco::Net::HTTPMessage::HTTP_1_1);
    request.setContentType("application/json");
    request.setContentLength(static_cast<std::streamsize>(body.size()));
    request.set("Accept", "application/json");
    if (!channel.authorization.empty()) {
      request.set("Authorization", channel.authorization);
    }
    session->sendRequest(request) << body;
    Poco::Net::HTTPResponse response;
    Poco::NullOutputStream discard;
    Poco::StreamCopier::copyStream(session->receiveResponse(response), discard);
    const int status = static_cast<int>(response.getStatus());
    if (status < 200 || status > 299) {
      throw StatusUpdateError("PATCH signal status: Signalen answered " + std::to_string(status));
    }
  } catch (const Poco::Exception &e) {
    throw StatusUpdateError(std::string("PATCH signal status: ") + e.className() + " (" + e.message() + ")");
  }
}

} // namespace hearth::adapters::signalen
