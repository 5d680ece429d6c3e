#include "capture_server.hpp"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/StreamCopier.h>
#include <Poco/String.h>

namespace hearth::test {
namespace {

class Handler : public Poco::Net::HTTPRequestHandler {
public:
  explicit Handler(CaptureServer &server) : server_(server) {}
  void handleRequest(Poco::Net::HTTPServerRequest &request, Poco::Net::HTTPServerResponse &response) override {
    CapturedRequest captured;
    captured.method = request.getMethod();
    captured.path = request.getURI();
    for (const auto &[name, value] : request) {
      captured.headers[Poco::toLower(name)] = value;
    }
    Poco::StreamCopier::copyToString(request.stream(), captured.body);
    const auto [status, body] = server_.record(std::move(captured));
    response.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
    response.setContentType("application/json");
    response.setContentLength(static_cast<std::streamsize>(body.size()));
    response.send() << body;
  }

private:
  CaptureServer &server_;
};

class Factory : public Poco::Net::HTTPRequestHandlerFactory {
public:
  explicit Factory(CaptureServer &server) : server_(server) {}
  Poco::Net::HTTPRequestHandler *createRequestHandler(const Poco::Net::HTTPServerRequest &) override {
    return new Handler(server_);
  }

private:
  CaptureServer &server_;
};

} // namespace

CaptureServer::CaptureServer() {
  Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
  port_ = socket.address().port();
  auto *params = new Poco::Net::HTTPServerParams;
  params->setMaxThreads(4);
  params->setKeepAlive(false);
  server_ = std::make_unique<Poco::Net::HTTPServer>(new Factory(*this), socket, params);
  server_->start();
}

CaptureServer::~CaptureServer() { server_->stopAll(true); }

std::string CaptureServer::base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }

void CaptureServer::answer_with(int status, const std::string &body) {
  std::lock_guard lock(mutex_);
  status_ = status;
  body_ = body;
}

std::vector<CapturedRequest> CaptureServer::requests() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

std::pair<int, std::string> CaptureServer::record(CapturedRequest request) {
  std::lock_guard lock(mutex_);
  requests_.push_back(std::move(request));
  return {status_, body_};
}

} // namespace hearth::test
