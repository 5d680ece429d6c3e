#include "loopback_server.hpp"

#include <chrono>
#include <sstream>

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>
#include <Poco/String.h>

namespace hearth::test {
namespace {

class RecordingHandler : public Poco::Net::HTTPRequestHandler {
public:
  explicit RecordingHandler(LoopbackServer &server) : server_(server) {}

  void handleRequest(Poco::Net::HTTPServerRequest &request, Poco::Net::HTTPServerResponse &response) override {
    RecordedRequest recorded;
    recorded.method = request.getMethod();
    recorded.path = request.getURI();
    for (const auto &[name, value] : request) {
      recorded.headers[Poco::toLower(name)] = value;
    }
    std::ostringstream body;
    Poco::StreamCopier::copyStream(request.stream(), body);
    recorded.body = body.str();
    const ScriptedAnswer answer = server_.record(std::move(recorded));
    response.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(answer.status));
    response.setContentType(answer.content_type);
    response.setContentLength(static_cast<std::streamsize>(answer.body.size()));
    response.send() << answer.body;
  }

private:
  LoopbackServer &server_;
};

class Factory : public Poco::Net::HTTPRequestHandlerFactory {
public:
  explicit Factory(LoopbackServer &server) : server_(server) {}
  Poco::Net::HTTPRequestHandler *createRequestHandler(const Poco::Net::HTTPServerRequest &) override {
    return new RecordingHandler(server_);
  }

private:
  LoopbackServer &server_;
};

} // namespace

LoopbackServer::LoopbackServer() {
  Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
  port_ = socket.address().port();
  auto *params = new Poco::Net::HTTPServerParams;
  params->setMaxThreads(4);
  server_ = std::make_unique<Poco::Net::HTTPServer>(new Factory(*this), socket, params);
  server_->start();
}

LoopbackServer::LoopbackServer(const std::string &certificate_file, const std::string &key_file) : tls_(true) {
  Poco::Net::Context::Params params;
  params.certificateFile = certificate_file;
  params.privateKeyFile = key_file;
  params.verificationMode = Poco::Net::Context::VERIFY_NONE; // clients present no certificate
  Poco::Net::Context::Ptr context = new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE, params);
  Poco::Net::SecureServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0), 64, context);
  port_ = socket.address().port();
  auto *server_params = new Poco::Net::HTTPServerParams;
  server_params->setMaxThreads(4);
  server_ = std::make_unique<Poco::Net::HTTPServer>(new Factory(*this), socket, server_params);
  server_->start();
}

LoopbackServer::~LoopbackServer() { server_->stopAll(true); }

std::string LoopbackServer::base_url() const {
  return std::string(tls_ ? "https" : "http") + "://127.0.0.1:" + std::to_string(port_);
}

void LoopbackServer::script(std::vector<ScriptedAnswer> answers) {
  std::lock_guard lock(mutex_);
  script_.assign(answers.begin(), answers.end());
}

void LoopbackServer::set_fallback(ScriptedAnswer fallback) {
  std::lock_guard lock(mutex_);
  fallback_ = std::move(fallback);
}

void LoopbackServer::set_responder(std::function<bool(const RecordedRequest &, ScriptedAnswer &)> responder) {
  std::lock_guard lock(mutex_);
  responder_ = std::move(responder);
}

std::vector<RecordedRequest> LoopbackServer::requests() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

bool LoopbackServer::wait_for_requests(std::size_t count, int timeout_ms) const {
  std::unique_lock lock(mutex_);
  return arrived_.wait_for(lock, std::chrono::milliseconds(timeout_ms), [&] { return requests_.size() >= count; });
}

ScriptedAnswer LoopbackServer::record(RecordedRequest request) {
  std::lock_guard lock(mutex_);
  ScriptedAnswer answer = fallback_;
  if (!(responder_ && responder_(request, answer))) {
    if (!script_.empty()) {
      answer = script_.front();
      script_.pop_front();
    } else {
      answer = fallback_;
    }
  }
  requests_.push_back(std::move(request));
  arrived_.notify_all();
  return answer;
}

} // namespace hearth::test
