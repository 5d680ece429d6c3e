#include "http/plugin_routes.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <mutex>
#include <stdexcept>
#include <string_view>

#include <Poco/String.h>

#include "hearth/status.h"
#include "metrics/metrics.hpp"

namespace hearth::http {

thread_local const hearth_actor *PluginRoutes::current_actor_ = nullptr;

namespace {

constexpr std::array<const char *, 7> known_methods = {"GET",   "HEAD",   "POST",   "PUT",
                                                       "PATCH", "DELETE", "OPTIONS"};

// What a plugin's handler wrote, collected for the server.
struct ResponseBuilder {
  Response response;
  bool content_type_set = false;
};

ResponseBuilder &builder_of(const hearth_http_response *response) {
  return *static_cast<ResponseBuilder *>(response->internal);
}

void set_status(const hearth_http_response *response, int32_t status) {
  if (response != nullptr && status >= 100 && status <= 599) {
    builder_of(response).response.status = status;
  }
}

std::string lower_case(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

// Header names and values may not carry line breaks (response splitting).
bool safe_header_text(const char *text) {
  for (const char *p = text; *p != '\0'; ++p) {
    if (*p == '\r' || *p == '\n') {
      return false;
    }
  }
  return true;
}

void set_header(const hearth_http_response *response, const char *name, const char *value) {
  if (response == nullptr || name == nullptr || value == nullptr || *name == '\0' ||
      !safe_header_text(name) || !safe_header_text(value)) {
    return;
  }
  auto &builder = builder_of(response);
  // Header names compare without regard to case (and without a lower-cased copy each:
  // this runs for every header of every plugin response).
  if (Poco::icompare(std::string_view(name), std::string_view("content-type")) == 0) {
    builder.response.content_type = value;
    builder.content_type_set = true;
    return;
  }
  auto &headers = builder.response.headers;
  const std::string_view wanted(name);
  headers.erase(std::remove_if(headers.begin(), headers.end(),
                               [&](const auto &header) {
                                 return header.first.size() == wanted.size() &&
                                        Poco::icompare(std::string_view(header.first), wanted) == 0;
                               }),
                headers.end());
  headers.emplace_back(wanted, value);
}

void write(const hearth_http_response *response, const char *data, uint64_t size) {
  if (response != nullptr && data != nullptr && size > 0) {
    builder_of(response).response.body.append(data, static_cast<std::size_t>(size));
  }
}

const char *header(const hearth_http_request *request, const char *name) {
  if (request == nullptr || name == nullptr) {
    return nullptr;
  }
  const auto &headers = static_cast<const Request *>(request->internal)->headers;
  const auto found = headers.find(lower_case(name));
  return found != headers.end() ? found->second.c_str() : nullptr;
}

// Calls a plugin's C handler for `request`.
Response call_handler(hearth_http_handler handler, void *user_data, const Request &request,
                      const hearth_actor *actor) {
  hearth_http_request in{};
  in.struct_size = sizeof in;
  in.method = request.method.c_str();
  in.path = request.path.c_str();
  in.query = request.query.c_str();
  in.body = request.body.data();
  in.body_size = request.body.size();
  in.actor = actor;
  in.request_id = request.request_id.c_str();
  in.remote_address = request.remote_address.c_str();
  in.header = &header;
  in.internal = const_cast<Request *>(&request);

  ResponseBuilder builder;
  builder.response.content_type.clear();
  builder.response.headers.reserve(16); // a page's security headers, without regrowing
  hearth_http_response out{};
  out.struct_size = sizeof out;
  out.set_status = &set_status;
  out.set_header = &set_header;
  out.write = &write;
  out.internal = &builder;

  int32_t status = HEARTH_ERROR_PLUGIN;
  try {
    status = handler(user_data, &in, &out);
  } catch (...) {
    // A C++ plugin that let an exception out: treated like a failed call.
    status = HEARTH_ERROR_PLUGIN;
  }
  if (status == HEARTH_OK) {
    if (!builder.content_type_set && !builder.response.body.empty()) {
      builder.response.content_type = "application/octet-stream";
    }
    return std::move(builder.response);
  }
  Response failed;
  const bool not_found = status == HEARTH_ERROR_NOT_FOUND && builder.response.body.empty();
  failed.status = not_found ? 404 : 500;
  failed.body = not_found ? R"({"error":"not found"})" : R"({"error":"internal server error"})";
  return failed;
}

} // namespace

bool PluginRoutes::is_reserved(const std::string &pattern) {
  static const std::array<const char *, 4> exact = {"/healthz", "/readyz", "/metrics", "/plugins"};
  for (const char *path : exact) {
    const std::string reserved(path);
    if (pattern == reserved || pattern == reserved + "/*" ||
        pattern.rfind(reserved + "/", 0) == 0) {
      return true;
    }
  }
  return pattern == "/api" || pattern.rfind("/api/", 0) == 0 || pattern == "/*";
}

void PluginRoutes::add(const std::string &owner, const std::string &method,
                       const std::string &pattern, hearth_http_handler handler,
                       void *user_data) {
  if (std::find(known_methods.begin(), known_methods.end(), method) == known_methods.end()) {
    throw std::invalid_argument("method: '" + method + "' is not an HTTP method Hearth routes");
  }
  if (pattern.empty() || pattern.front() != '/') {
    throw std::invalid_argument("pattern: must start with '/'");
  }
  if (pattern.find("..") != std::string::npos || pattern.find("//") != std::string::npos) {
    throw std::invalid_argument("pattern: may not contain '..' or '//'");
  }
  if (is_reserved(pattern)) {
    throw std::invalid_argument("pattern: '" + pattern + "' is kept by the runtime");
  }
  if (handler == nullptr) {
    throw std::invalid_argument("handler: missing");
  }
  std::unique_lock lock(mutex_);
  for (const auto &entry : entries_) {
    if (entry.method == method && entry.pattern == pattern) {
      throw RouteConflict(method + " " + pattern + " is already routed by plugin '" +
                          entry.owner + "'");
    }
  }
  entries_.push_back(Entry{owner, method, pattern, handler, user_data});
  rebuild();
}

void PluginRoutes::remove_owner(const std::string &owner) {
  std::unique_lock lock(mutex_);
  const auto before = entries_.size();
  entries_.erase(std::remove_if(entries_.begin(), entries_.end(),
                                [&](const Entry &entry) { return entry.owner == owner; }),
                 entries_.end());
  if (entries_.size() != before) {
    rebuild();
  }
}

void PluginRoutes::rebuild() {
  RouteTable table;
  for (const auto &entry : entries_) {
    const hearth_http_handler handler = entry.handler;
    void *const user_data = entry.user_data;
    metrics::Registry *const metrics = metrics_;
    // The route's two call counters, resolved here once rather than on every request.
    metrics::Registry::SeriesHandle calls_ok = nullptr, calls_failed = nullptr;
    if (metrics != nullptr) {
      calls_ok = metrics->series("hearth_plugin_calls_total", metrics::Kind::counter,
                                 "plugin=" + entry.owner + ",kind=route,outcome=ok");
      calls_failed = metrics->series("hearth_plugin_calls_total", metrics::Kind::counter,
                                     "plugin=" + entry.owner + ",kind=route,outcome=failed");
    }
    table.add(entry.method, entry.pattern, [handler, user_data, metrics, calls_ok, calls_failed](const Request &request) {
      Response response = call_handler(handler, user_data, request, current_actor_);
      if (metrics != nullptr) {
        metrics->add(response.status >= 500 ? calls_failed : calls_ok);
      }
      return response;
    });
  }
  table_ = std::move(table);
}

std::optional<Response> PluginRoutes::answer(const Request &request,
                                             const hearth_actor *actor) const {
  std::shared_lock lock(mutex_);
  const RouteMatch match = table_.resolve(request.method, request.path);
  switch (match.outcome) {
  case RouteOutcome::unknown_path:
    return std::nullopt;
  case RouteOutcome::method_not_allowed: {
    Response response;
    response.status = 405;
    response.body = R"({"error":"method not allowed"})";
    response.headers.emplace_back("Allow", match.allowed);
    return response;
  }
  case RouteOutcome::found:
    break;
  }
  current_actor_ = actor;
  Response response = (*match.handler)(request);
  current_actor_ = nullptr;
  return response;
}

} // namespace hearth::http
