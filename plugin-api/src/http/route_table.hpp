// The route table of the HTTP server: exact paths and "/prefix/*" patterns, each with one
// handler per method. Filled before the server starts, then only read.
#pragma once

#include <map>
#include <string>

#include "http/server.hpp"

namespace hearth::http {

// How a request's method and path resolved against the table.
enum class RouteOutcome {
  found,              // `handler` is set
  unknown_path,       // no pattern matches the path: 404
  method_not_allowed  // the path matches, but not for this method: 405, see `allowed`
};

// The result of RouteTable::resolve().
struct RouteMatch {
  RouteOutcome outcome = RouteOutcome::unknown_path;
  const Handler *handler = nullptr; // owned by the table; set when outcome is `found`
  std::string allowed;              // "GET, POST": the methods the matched path accepts
};

// Maps (method, path) to handlers. Not synchronised: add every route before resolving
// from several threads.
class RouteTable {
public:
  // Adds `handler` for `method` on `pattern`: an exact path ("/plugins") or a prefix
  // pattern ending in "/*" ("/plugins/*" matches "/plugins" and everything below it).
  // Throws std::invalid_argument for an empty method, a pattern not starting with '/',
  // an empty handler, or a (method, pattern) pair that is already routed.
  void add(const std::string &method, const std::string &pattern, Handler handler);

  // Finds the handler for `method` on `path` (without query string). An exact pattern
  // wins over prefix patterns; among prefixes the longest wins.
  RouteMatch resolve(const std::string &method, const std::string &path) const;

private:
  using HandlersByMethod = std::map<std::string, Handler>;

  // Builds the answer for the pattern whose handlers are `handlers`.
  static RouteMatch match_in(const HandlersByMethod &handlers, const std::string &method);

  std::map<std::string, HandlersByMethod> exact_routes_;
  std::map<std::string, HandlersByMethod> prefix_routes_; // key: the prefix without "/*"
};

} // namespace hearth::http
