// "nl.hearth.http/1": plugins' routes on the runtime's HTTP server.
#include <stdexcept>

#include "hearth/status.h"
#include "http/plugin_routes.hpp"
#include "loader/host_table.hpp"
#include "loader/service_extensions.hpp"
#include "runtime/errors.hpp"
#include "runtime/services.hpp"

namespace hearth::loader {
namespace {

int32_t add_route(const hearth_host *host, const char *method, const char *pattern,
                  hearth_http_handler handler, void *user_data, char **error) {
  if (host == nullptr) return HEARTH_ERROR_INVALID_ARGUMENT;
  auto &context = PluginContext::from(host);
  auto *routes = context.services().routes;
  if (routes == nullptr) {
    runtime::set_error(error, "this runtime serves no plugin routes");
    return HEARTH_ERROR_UNSUPPORTED;
  }
  if (method == nullptr || *method == '\0') {
    runtime::set_error(error, "method: missing");
    return HEARTH_ERROR_INVALID_ARGUMENT;
  }
  if (pattern == nullptr || *pattern == '\0') {
    runtime::set_error(error, "pattern: missing");
    return HEARTH_ERROR_INVALID_ARGUMENT;
  }
  try {
    routes->add(context.plugin_id(), method, pattern, handler, user_data);
    return HEARTH_OK;
  } catch (const http::RouteConflict &conflict) {
    runtime::set_error(error, conflict.what());
    return HEARTH_ERROR_CONFLICT;
  } catch (const std::invalid_argument &bad) {
    runtime::set_error(error, bad.what());
    return HEARTH_ERROR_INVALID_ARGUMENT;
  } catch (...) {
    return runtime::status_from_current_exception(error);
  }
}

} // namespace

const hearth_http_extension *http_extension() {
  static const hearth_http_extension table{sizeof(hearth_http_extension), 0, &add_route};
  return &table;
}

} // namespace hearth::loader
