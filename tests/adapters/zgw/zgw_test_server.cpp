#include "zgw_test_server.hpp"

#include <iomanip>
#include <sstream>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JWT/Signer.h>
#include <Poco/JWT/Token.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/StreamCopier.h>
#include <Poco/String.h>
#include <Poco/URI.h>

namespace hearth::test {
namespace {

constexpr const char *kApiPrefix = "/zaken/api/v1/";

std::string stringify(const Poco::JSON::Object::Ptr &object) {
  std::ostringstream out;
  object->stringify(out);
  return out.str();
}

std::string fout(int status, const std::string &code, const std::string &title) {
  Poco::JSON::Object::Ptr body = new Poco::JSON::Object;
  body->set("type", "https://example.test/fouten/" + code);
  body->set("code", code);
  body->set("title", title);
  body->set("status", status);
  body->set("detail", title);
  body->set("instance", "urn:uuid:00000000-0000-4000-8000-000000000000");
  return stringify(body);
}

ZgwTestServer::Reply validatie_fout(const std::vector<std::string> &missing) {
  Poco::JSON::Object::Ptr body = new Poco::JSON::Object;
  body->set("type", "https://example.test/fouten/ValidationError");
  body->set("code", "invalid");
  body->set("title", "Invalid input.");
  body->set("status", 400);
  body->set("detail", "Invalid input.");
  body->set("instance", "urn:uuid:00000000-0000-4000-8000-000000000001");
  Poco::JSON::Array::Ptr params = new Poco::JSON::Array;
  for (const auto &name : missing) {
    Poco::JSON::Object::Ptr param = new Poco::JSON::Object;
    param->set("name", name);
    param->set("code", "required");
    param->set("reason", "Dit veld is vereist.");
    params->add(param);
  }
  body->set("invalidParams", params);
  return {400, stringify(body), "ValidatieFout", "", false};
}

Poco::JSON::Array::Ptr empty_array() { return new Poco::JSON::Array; }

// The server's request handler: reads the request and asks the ZgwTestServer.
class Handler : public Poco::Net::HTTPRequestHandler {
public:
  explicit Handler(ZgwTestServer &server) : server_(server) {}
  void handleRequest(Poco::Net::HTTPServerRequest &request, Poco::Net::HTTPServerResponse &response) override {
    std::string body;
    Poco::StreamCopier::copyToString(request.stream(), body);
    std::map<std::string, std::string> headers;
    for (const auto &[name, value] : request) {
      headers[Poco::toLower(name)] = value;
    }
    const Poco::URI uri(request.getURI());
    const auto reply = server_.handle(request.getMethod(), uri.getPath(), uri.getRawQuery(), headers, body);
    if (reply.reset) {
      // A connection reset: nothing stored, no answer (SO_LINGER 0 makes close() send RST).
      auto socket = dynamic_cast<Poco::Net::HTTPServerRequestImpl &>(request).detachSocket();
      socket.setLinger(true, 0);
      socket.close();
      return;
    }
    if (reply.drop) {
      // The object is stored; the client never learns it (a lost answer): the connection
      // is closed without a response.
      auto socket = dynamic_cast<Poco::Net::HTTPServerRequestImpl &>(request).detachSocket();
      socket.shutdown();
      socket.close();
      return;
    }
    response.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(reply.status));
    response.setContentType("application/json");
    response.set("API-version", "1.5.1");
    if (request.getURI().find("/zaken/api/v1/zaken") == 0) {
      response.set("Content-Crs", "EPSG:4326");
    }
    if (!reply.location.empty()) {
      response.set("Location", reply.location);
    }
    if (!reply.retry_after.empty()) {
      response.set("Retry-After", reply.retry_after);
    }
    response.setContentLength(static_cast<std::streamsize>(reply.body.size()));
    response.send() << reply.body;
  }

private:
  ZgwTestServer &server_;
};

class Factory : public Poco::Net::HTTPRequestHandlerFactory {
public:
  explicit Factory(ZgwTestServer &server) : server_(server) {}
  Poco::Net::HTTPRequestHandler *createRequestHandler(const Poco::Net::HTTPServerRequest &) override {
    return new Handler(server_);
  }

private:
  ZgwTestServer &server_;
};

std::map<std::string, std::string> query_map(const std::string &raw) {
  std::map<std::string, std::string> out;
  for (const auto &[name, value] : Poco::URI("/?" + raw).getQueryParameters()) {
    out[name] = value;
  }
  return out;
}

} // namespace

ZgwTestServer::ZgwTestServer(std::string client_id, std::string secret)
    : client_id_(std::move(client_id)), secret_(std::move(secret)) {
  listen(0);
  delivery_ = std::thread([this] { delivery_loop(); });
}

ZgwTestServer::ZgwTestServer(std::string client_id, std::string secret, const std::string &certificate_file,
                             const std::string &key_file)
    : client_id_(std::move(client_id)), secret_(std::move(secret)), certificate_file_(certificate_file),
      key_file_(key_file) {
  listen(0);
  delivery_ = std::thread([this] { delivery_loop(); });
}

void ZgwTestServer::listen(std::uint16_t port) {
  const Poco::Net::SocketAddress address("127.0.0.1", port);
  std::unique_ptr<Poco::Net::ServerSocket> socket;
  if (certificate_file_.empty()) {
    socket = std::make_unique<Poco::Net::ServerSocket>(address);
  } else {
    Poco::Net::Context::Params tls;
    tls.certificateFile = certificate_file_;
    tls.privateKeyFile = key_file_;
    tls.verificationMode = Poco::Net::Context::VERIFY_NONE; // clients present no certificate
    Poco::Net::Context::Ptr context = new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE, tls);
    socket = std::make_unique<Poco::Net::SecureServerSocket>(address, 64, context);
  }
  port_ = socket->address().port();
  auto *params = new Poco::Net::HTTPServerParams;
  params->setMaxThreads(8);
  params->setKeepAlive(false);
  server_ = std::make_unique<Poco::Net::HTTPServer>(new Factory(*this), *socket, params);
  server_->start();
}

void ZgwTestServer::go_down() {
  server_->stopAll(true);
  server_.reset();
}

void ZgwTestServer::come_back() {
  if (!server_) {
    listen(port_);
  }
}

ZgwTestServer::~ZgwTestServer() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  outbox_changed_.notify_all();
  delivery_.join();
  if (server_) {
    server_->stopAll(true);
  }
}

std::string ZgwTestServer::zaken_api() const {
  return std::string(certificate_file_.empty() ? "http" : "https") + "://127.0.0.1:" + std::to_string(port_) +
         "/zaken/api/v1";
}

std::string ZgwTestServer::url_of(const std::string &collection, const std::string &uuid) const {
  return zaken_api() + "/" + collection + "/" + uuid;
}

std::string ZgwTestServer::add_zaak(const std::string &zaaktype, const std::string &startdatum,
                                    const std::vector<std::pair<std::string, std::string>> &kenmerken,
                                    const std::string &bronorganisatie) {
  Poco::JSON::Object::Ptr body = new Poco::JSON::Object;
  body->set("bronorganisatie", bronorganisatie);
  body->set("verantwoordelijkeOrganisatie", bronorganisatie);
  body->set("zaaktype", zaaktype);
  body->set("startdatum", startdatum);
  body->set("omschrijving", "Melding");
  Poco::JSON::Array::Ptr list = new Poco::JSON::Array;
  for (const auto &[kenmerk, bron] : kenmerken) {
    Poco::JSON::Object::Ptr entry = new Poco::JSON::Object;
    entry->set("kenmerk", kenmerk);
    entry->set("bron", bron);
    list->add(entry);
  }
  body->set("kenmerken", list);
  std::lock_guard lock(mutex_);
  const auto reply = create("zaken", stringify(body));
  return Poco::JSON::Parser().parse(reply.body).extract<Poco::JSON::Object::Ptr>()->getValue<std::string>("url");
}

Poco::JSON::Object::Ptr ZgwTestServer::zaak(const std::string &url) const {
  std::lock_guard lock(mutex_);
  const auto &zaken = store_.count("zaken") != 0 ? store_.at("zaken") : std::map<std::string, Poco::JSON::Object::Ptr>{};
  for (const auto &[uuid, object] : zaken) {
    if (object->getValue<std::string>("url") == url) {
      return object;
    }
  }
  return nullptr;
}

void ZgwTestServer::replace_zaak_text(const std::string &url, const std::string &raw_json) {
  std::lock_guard lock(mutex_);
  raw_zaken_[url] = raw_json;
}

void ZgwTestServer::subscribe(const std::string &callback_url, const std::string &authorization) {
  std::lock_guard lock(mutex_);
  callback_url_ = callback_url;
  callback_authorization_ = authorization;
}

std::string ZgwTestServer::message_for(const std::string &zaak_url, const std::string &resource,
                                       const std::string &resource_url, const std::string &actie) const {
  Poco::JSON::Object::Ptr message = new Poco::JSON::Object;
  message->set("kanaal", "zaken");
  message->set("hoofdObject", zaak_url);
  message->set("resource", resource);
  message->set("resourceUrl", resource_url);
  message->set("actie", actie);
  message->set("aanmaakdatum", "2026-11-02T09:30:00Z");
  Poco::JSON::Object::Ptr kenmerken = new Poco::JSON::Object;
  if (const auto zaak_object = zaak(zaak_url)) {
    kenmerken->set("bronorganisatie", zaak_object->getValue<std::string>("bronorganisatie"));
    kenmerken->set("zaaktype", zaak_object->getValue<std::string>("zaaktype"));
    kenmerken->set("vertrouwelijkheidaanduiding", zaak_object->getValue<std::string>("vertrouwelijkheidaanduiding"));
  }
  message->set("kenmerken", kenmerken);
  return stringify(message);
}

void ZgwTestServer::publish_locked(const std::string &zaak_url, const std::string &resource,
                                   const std::string &resource_url) {
  if (callback_url_.empty()) {
    return;
  }
  // message_for() locks; build the message here from the stored zaak instead.
  Poco::JSON::Object::Ptr message = new Poco::JSON::Object;
  message->set("kanaal", "zaken");
  message->set("hoofdObject", zaak_url);
  message->set("resource", resource);
  message->set("resourceUrl", resource_url);
  message->set("actie", "create");
  message->set("aanmaakdatum", "2026-11-02T09:30:00Z");
  Poco::JSON::Object::Ptr kenmerken = new Poco::JSON::Object;
  for (const auto &[uuid, object] : store_["zaken"]) {
    if (object->getValue<std::string>("url") == zaak_url) {
      kenmerken->set("bronorganisatie", object->getValue<std::string>("bronorganisatie"));
      kenmerken->set("zaaktype", object->getValue<std::string>("zaaktype"));
      kenmerken->set("vertrouwelijkheidaanduiding", object->getValue<std::string>("vertrouwelijkheidaanduiding"));
    }
  }
  message->set("kenmerken", kenmerken);
  outbox_.push_back(stringify(message));
  outbox_changed_.notify_all();
}

int ZgwTestServer::deliver(const std::string &message_json, const std::string &authorization) {
  std::string callback;
  {
    std::lock_guard lock(mutex_);
    callback = callback_url_;
  }
  const Poco::URI uri(callback);
  Poco::Net::HTTPClientSession session(uri.getHost(), uri.getPort());
  session.setTimeout(Poco::Timespan(30, 0));
  Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, uri.getPathEtc(), Poco::Net::HTTPMessage::HTTP_1_1);
  request.setContentType("application/json");
  request.setContentLength(static_cast<std::streamsize>(message_json.size()));
  if (!authorization.empty()) {
    request.set("Authorization", authorization);
  }
  session.sendRequest(request) << message_json;
  Poco::Net::HTTPResponse response;
  std::string ignored;
  Poco::StreamCopier::copyToString(session.receiveResponse(response), ignored);
  std::lock_guard lock(mutex_);
  delivered_messages_.push_back(message_json);
  return static_cast<int>(response.getStatus());
}

void ZgwTestServer::delivery_loop() {
  std::unique_lock lock(mutex_);
  while (true) {
    outbox_changed_.wait(lock, [&] { return stopping_ || !outbox_.empty(); });
    if (outbox_.empty()) {
      return;
    }
    const std::string message = outbox_.front();
    outbox_.pop_front();
    ++in_flight_;
    const std::string authorization = callback_authorization_;
    lock.unlock();
    int status = 0;
    try {
      status = deliver(message, authorization);
    } catch (const std::exception &) {
      status = -1;
    }
    lock.lock();
    delivered_statuses_.push_back(status);
    --in_flight_;
    outbox_changed_.notify_all();
  }
}

std::vector<int> ZgwTestServer::wait_for_deliveries() {
  std::unique_lock lock(mutex_);
  outbox_changed_.wait(lock, [&] { return outbox_.empty() && in_flight_ == 0; });
  return delivered_statuses_;
}

void ZgwTestServer::drop_answer_of_next(const std::string &method, const std::string &collection) {
  std::lock_guard lock(mutex_);
  drop_next_[method + " " + collection] = true;
}

void ZgwTestServer::fail_next(const std::string &method, const std::string &collection, int status, int times,
                              const std::string &retry_after) {
  std::lock_guard lock(mutex_);
  fail_next_[method + " " + collection] = Failure{status, times, retry_after};
}

void ZgwTestServer::clear_failures() {
  std::lock_guard lock(mutex_);
  fail_next_.clear();
  reset_next_.clear();
  drop_next_.clear();
}

void ZgwTestServer::reset_next(const std::string &method, const std::string &collection, int times) {
  std::lock_guard lock(mutex_);
  reset_next_[method + " " + collection] = times;
}

std::vector<RecordedCall> ZgwTestServer::calls() const {
  std::lock_guard lock(mutex_);
  return calls_;
}

std::size_t ZgwTestServer::count(const std::string &collection) const {
  std::lock_guard lock(mutex_);
  const auto found = store_.find(collection);
  return found == store_.end() ? 0 : found->second.size();
}

std::vector<Poco::JSON::Object::Ptr> ZgwTestServer::objects(const std::string &collection) const {
  std::lock_guard lock(mutex_);
  std::vector<Poco::JSON::Object::Ptr> out;
  if (const auto found = store_.find(collection); found != store_.end()) {
    for (const auto &[uuid, object] : found->second) {
      out.push_back(object);
    }
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> ZgwTestServer::answers() const {
  std::lock_guard lock(mutex_);
  return answers_;
}

std::vector<std::string> ZgwTestServer::delivered_messages() const {
  std::lock_guard lock(mutex_);
  return delivered_messages_;
}

ZgwTestServer::Reply ZgwTestServer::handle(const std::string &method, const std::string &path, const std::string &query,
                                           const std::map<std::string, std::string> &headers, const std::string &body) {
  std::lock_guard lock(mutex_);
  Reply reply = handle_locked(method, path, query, headers, body);
  const bool answered = !reply.drop && !reply.reset;
  calls_.push_back(RecordedCall{method, path, query, body, answered ? reply.status : 0});
  if (answered && reply.status >= 200 && reply.status < 300 && !reply.schema.empty()) {
    answers_.emplace_back(reply.schema, reply.body);
  }
  return reply;
}

ZgwTestServer::Reply ZgwTestServer::handle_locked(const std::string &method, const std::string &path,
                                                  const std::string &query,
                                                  const std::map<std::string, std::string> &headers,
                                                  const std::string &body) {
  if (path.rfind(kApiPrefix, 0) != 0) {
    return {404, fout(404, "not_found", "Niet gevonden."), "Fout", "", false};
  }
  // ZGW JWT: HS256 with the client's secret, iss and client_id naming the client.
  const auto auth = headers.find("authorization");
  Poco::JWT::Token token;
  if (auth == headers.end() || auth->second.rfind("Bearer ", 0) != 0 ||
      !Poco::JWT::Signer(secret_).tryVerify(auth->second.substr(7), token) || token.getIssuer() != client_id_ ||
      token.payload().optValue<std::string>("client_id", "") != client_id_ || !token.payload().has("iat")) {
    return {403, fout(403, "permission_denied", "Je hebt geen toestemming om deze actie uit te voeren."), "Fout", "",
            false};
  }
  std::string rest = path.substr(std::char_traits<char>::length(kApiPrefix));
  const auto slash = rest.find('/');
  const std::string collection = rest.substr(0, slash);
  const std::string uuid = slash == std::string::npos ? std::string() : rest.substr(slash + 1);
  if (collection == "zaken" && headers.count("accept-crs") == 0) {
    return {412, fout(412, "precondition_failed", "'Accept-Crs' header ontbreekt"), "Fout", "", false};
  }
  const std::string key = method + " " + collection;
  if (const auto reset = reset_next_.find(key); reset != reset_next_.end()) {
    if (--reset->second <= 0) {
      reset_next_.erase(reset);
    }
    Reply reply;
    reply.reset = true;
    return reply;
  }
  if (const auto failure = fail_next_.find(key); failure != fail_next_.end()) {
    const Failure answer = failure->second;
    if (--failure->second.remaining <= 0) {
      fail_next_.erase(failure);
    }
    Reply reply{answer.status, fout(answer.status, "error", "Er is een serverfout opgetreden."), "Fout", "", false};
    reply.retry_after = answer.retry_after;
    return reply;
  }
  if (method == "POST" && uuid.empty()) {
    Reply reply = create(collection, body);
    if (drop_next_.erase(key) != 0) {
      reply.drop = true;
    }
    return reply;
  }
  if (method == "GET" && uuid.empty()) {
    return list(collection, query);
  }
  if (method == "GET") {
    const auto &items = store_[collection];
    const auto found = items.find(uuid);
    if (found == items.end()) {
      return {404, fout(404, "not_found", "Niet gevonden."), "Fout", "", false};
    }
    const std::string url = found->second->getValue<std::string>("url");
    if (const auto raw = raw_zaken_.find(url); raw != raw_zaken_.end()) {
      return {200, raw->second, "", "", false};
    }
    return {200, stringify(found->second), collection == "zaken" ? "Zaak" : collection == "statussen" ? "Status" : "Rol",
            "", false};
  }
  return {405, fout(405, "method_not_allowed", "Methode niet toegestaan."), "Fout", "", false};
}

ZgwTestServer::Reply ZgwTestServer::create(const std::string &collection, const std::string &body) {
  Poco::JSON::Object::Ptr in;
  try {
    in = Poco::JSON::Parser().parse(body).extract<Poco::JSON::Object::Ptr>();
  } catch (...) {
    return validatie_fout({"nonFieldErrors"});
  }
  const auto missing = [&](std::initializer_list<const char *> names) {
    std::vector<std::string> out;
    for (const char *name : names) {
      if (!in->has(name) || in->isNull(name) || in->getValue<std::string>(name).empty()) {
        out.emplace_back(name);
      }
    }
    return out;
  };
  std::ostringstream uuid;
  uuid << "00000000-0000-4000-8000-" << std::setw(12) << std::setfill('0') << ++counter_;
  const std::string url = url_of(collection, uuid.str());
  Poco::JSON::Object::Ptr out = new Poco::JSON::Object(*in);
  out->set("url", url);
  out->set("uuid", uuid.str());
  std::string schema;
  if (collection == "zaken") {
    if (auto absent = missing({"bronorganisatie", "verantwoordelijkeOrganisatie", "zaaktype", "startdatum"}); !absent.empty()) {
      return validatie_fout(absent);
    }
    for (const auto &[id, zaak] : store_["zaken"]) {
      if (in->has("identificatie") && zaak->optValue<std::string>("identificatie", "") == in->getValue<std::string>("identificatie") &&
          zaak->getValue<std::string>("bronorganisatie") == in->getValue<std::string>("bronorganisatie")) {
        return validatie_fout({"identificatie"});
      }
    }
    if (!in->has("identificatie")) {
      out->set("identificatie", "ZAAK-" + std::to_string(counter_));
    }
    if (!in->has("vertrouwelijkheidaanduiding")) {
      out->set("vertrouwelijkheidaanduiding", "openbaar");
    }
    if (!in->has("kenmerken")) {
      out->set("kenmerken", empty_array());
    }
    out->set("betalingsindicatieWeergave", "");
    out->set("einddatum", Poco::Dynamic::Var());
    out->set("resultaat", Poco::Dynamic::Var());
    out->set("status", Poco::Dynamic::Var());
    for (const char *list : {"deelzaken", "eigenschappen", "rollen", "zaakinformatieobjecten", "zaakobjecten"}) {
      out->set(list, empty_array());
    }
    out->set("archiefstatus", "nog_te_archiveren");
    schema = "Zaak";
  } else if (collection == "statussen" || collection == "rollen") {
    const auto absent = collection == "statussen" ? missing({"zaak", "statustype", "datumStatusGezet"})
                                                  : missing({"zaak", "betrokkeneType", "roltype", "roltoelichting"});
    if (!absent.empty()) {
      return validatie_fout(absent);
    }
    Poco::JSON::Object::Ptr zaak;
    for (const auto &[id, candidate] : store_["zaken"]) {
      if (candidate->getValue<std::string>("url") == in->getValue<std::string>("zaak")) {
        zaak = candidate;
      }
    }
    if (zaak.isNull()) {
      return validatie_fout({"zaak"});
    }
    if (collection == "statussen") {
      out->set("indicatieLaatstGezetteStatus", true);
      out->set("zaakinformatieobjecten", empty_array());
      zaak->set("status", url);
      schema = "Status";
    } else {
      out->set("omschrijving", "Zaakcoördinator");
      out->set("omschrijvingGeneriek", "zaakcoordinator");
      out->set("registratiedatum", "2026-11-02T09:30:00Z");
      out->set("statussen", empty_array());
      zaak->getArray("rollen")->add(url);
      schema = "Rol";
    }
  } else {
    return {404, fout(404, "not_found", "Niet gevonden."), "Fout", "", false};
  }
  store_[collection][uuid.str()] = out;
  if (collection == "zaken") {
    publish_locked(url, "zaak", url);
  } else if (collection == "statussen") {
    publish_locked(out->getValue<std::string>("zaak"), "status", url);
  }
  return {201, stringify(out), schema, url, false};
}

ZgwTestServer::Reply ZgwTestServer::list(const std::string &collection, const std::string &query) const {
  const auto filters = query_map(query);
  Poco::JSON::Array::Ptr results = new Poco::JSON::Array;
  if (const auto found = store_.find(collection); found != store_.end()) {
    for (const auto &[uuid, object] : found->second) {
      bool match = true;
      for (const auto &[name, value] : filters) {
        std::string actual;
        if (name == "betrokkeneIdentificatie__medewerker__identificatie") {
          const auto identification = object->getObject("betrokkeneIdentificatie");
          actual = identification.isNull() ? "" : identification->optValue<std::string>("identificatie", "");
        } else {
          actual = object->optValue<std::string>(name, "");
        }
        match = match && actual == value;
      }
      if (match) {
        results->add(object);
      }
    }
  }
  Poco::JSON::Object::Ptr page = new Poco::JSON::Object;
  page->set("count", static_cast<int>(results->size()));
  page->set("next", Poco::Dynamic::Var());
  page->set("previous", Poco::Dynamic::Var());
  page->set("results", results);
  const std::string schema = collection == "zaken" ? "PaginatedZaakList"
                             : collection == "statussen" ? "PaginatedStatusList"
                                                         : "PaginatedRolList";
  return {200, stringify(page), schema, "", false};
}

} // namespace hearth::test
