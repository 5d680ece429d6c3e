// Route registration and lookup for the HTTP server.
#include "http/route_table.hpp"

#include <stdexcept>
#include <string_view>
#include <utility>

namespace hearth::http {

namespace {

constexpr std::string_view prefix_suffix = "/*";

// True when `pattern` ends in "/*".
bool is_prefix_pattern(const std::string &pattern) {
  return pattern.size() >= prefix_suffix.size() &&
         pattern.compare(pattern.size() - prefix_suffix.size(), prefix_suffix.size(),
                         prefix_suffix) == 0;
}

// True when `path` is `prefix` itself or lies below it ("/a" covers "/a" and "/a/b",
// not "/ab"). The root prefix "" covers every path.
bool prefix_covers(const std::string &prefix, const std::string &path) {
  if (path.compare(0, prefix.size(), prefix) != 0) {
    return false;
  }
  return path.size() == prefix.size() || path[prefix.size()] == '/';
}

} // namespace

void RouteTable::add(const std::string &method, const std::string &pattern,
                     Handler handler) {
  if (method.empty()) {
    throw std::invalid_argument("an HTTP route needs a method");
  }
  if (pattern.empty() || pattern.front() != '/') {
    throw std::invalid_argument("an HTTP route path must start with '/': " + pattern);
  }
  if (!handler) {
    throw std::invalid_argument("an HTTP route needs a handler: " + method + " " + pattern);
  }
  auto &table = is_prefix_pattern(pattern) ? prefix_routes_ : exact_routes_;
  const std::string key = is_prefix_pattern(pattern)
                              ? pattern.substr(0, pattern.size() - prefix_suffix.size())
                              : pattern;
  auto [position, inserted] = table[key].emplace(method, std::move(handler));
  (void)position;
  if (!inserted) {
    throw std::invalid_argument("the HTTP route is already taken: " + method + " " + pattern);
  }
}

RouteMatch RouteTable::resolve(const std::string &method, const std::string &path) const {
  if (auto exact = exact_routes_.find(path); exact != exact_routes_.end()) {
    return match_in(exact->second, method);
  }
  const HandlersByMethod *longest = nullptr;
  std::size_t longest_length = 0;
  for (const auto &[prefix, handlers] : prefix_routes_) {
    if (prefix_covers(prefix, path) && (longest == nullptr || prefix.size() > longest_length)) {
      longest = &handlers;
      longest_length = prefix.size();
    }
  }
  if (longest == nullptr) {
    return RouteMatch{};
  }
  return match_in(*longest, method);
}

RouteMatch RouteTable::match_in(const HandlersByMethod &handlers, const std::string &method) {
  RouteMatch match;
  if (auto found = handlers.find(method); found != handlers.end()) {
    match.outcome = RouteOutcome::found;
    match.handler = &found->second;
    return match;
  }
  match.outcome = RouteOutcome::method_not_allowed;
  for (const auto &[allowed_method, handler] : handlers) {
    (void)handler;
    if (!match.allowed.empty()) {
      match.allowed += ", ";
    }
    match.allowed += allowed_method;
  }
  return match;
}

} // namespace hearth::http
