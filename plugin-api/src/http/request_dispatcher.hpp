// Turns Poco's view of an HTTP exchange into hearth::http::Request / Response: reads the
// body within its limit, resolves the route, runs the handler and writes the answer with
// the headers every response carries.
#pragma once

#include <cstddef>

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <spdlog/logger.h>

#include "http/route_table.hpp"

namespace hearth::http {

// Answers one request from `routes`, logging failures to `logger`. One instance per request
// (Poco's model); `routes` and `logger` outlive every handler because the server stops
// before they are destroyed.
class RequestDispatcher final : public Poco::Net::HTTPRequestHandler {
public:
  // `routes` and `options` outlive every dispatcher (the server stops first).
  RequestDispatcher(const RouteTable &routes, const ServerOptions &options);

  // Reads, routes and answers `request`. Never throws for a handler's failure.
  void handleRequest(Poco::Net::HTTPServerRequest &request,
                     Poco::Net::HTTPServerResponse &response) override;

private:
  const RouteTable &routes_;
  const ServerOptions &options_;
};

// Hands Poco a RequestDispatcher for every request.
class RequestDispatcherFactory final : public Poco::Net::HTTPRequestHandlerFactory {
public:
  RequestDispatcherFactory(const RouteTable &routes, const ServerOptions &options);

  // A new dispatcher; Poco deletes it after the request.
  Poco::Net::HTTPRequestHandler *
  createRequestHandler(const Poco::Net::HTTPServerRequest &request) override;

private:
  const RouteTable &routes_;
  const ServerOptions &options_;
};

} // namespace hearth::http
