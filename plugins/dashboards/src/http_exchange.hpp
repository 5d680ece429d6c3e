// One HTTP request of the dashboards, decoded, and the answer being built (since 0.1.0).
#ifndef HEARTH_DASHBOARDS_HTTP_EXCHANGE_HPP
#define HEARTH_DASHBOARDS_HTTP_EXCHANGE_HPP

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <hearth/http.h>

namespace hearth::dashboards {

// A request as the dispatcher reads it. Borrows `raw` for the handler call.
struct HttpExchange {
  const hearth_http_request &raw;
  std::string method, path;
  std::map<std::string, std::string> query;   // decoded; the first of repeated names
  std::map<std::string, std::string> form;    // decoded urlencoded POST body
  std::map<std::string, std::string> cookies; // from the Cookie header

  // Decodes `raw`. A body that is not application/x-www-form-urlencoded leaves `form`
  // empty. Throws std::invalid_argument for a malformed query or body.
  explicit HttpExchange(const hearth_http_request &raw);
  // The header `name`, or "" when absent.
  std::string header(const char *name) const;
  // The cookie `name`, or "" when absent.
  std::string cookie(const std::string &name) const;
};

// The answer to one request: written to the runtime in one go by send().
struct HttpAnswer {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // Sets header `name` (replacing an earlier one of the same name).
  void set(const std::string &name, std::string value);
};

// Writes `answer` to `response`.
void send(const hearth_http_response &response, const HttpAnswer &answer);

// Decodes an application/x-www-form-urlencoded text (also a query string) into
// `into`, keeping the first value of a repeated name. Throws std::invalid_argument for
// a bad percent escape.
void decode_form(std::string_view text, std::map<std::string, std::string> &into);

// The value of `name` in the raw query string `query`, decoded ("" when absent) —
// without building a map. Throws std::invalid_argument for a bad percent escape.
std::string query_value(std::string_view query, std::string_view name);

} // namespace hearth::dashboards

#endif // HEARTH_DASHBOARDS_HTTP_EXCHANGE_HPP
