// "nl.hearth.metrics/1": plugins' counters and gauges, labelled with the plugin's id.
#include <stdexcept>

#include "hearth/status.h"
#include "loader/host_table.hpp"
#include "loader/service_extensions.hpp"
#include "metrics/metrics.hpp"
#include "runtime/errors.hpp"
#include "runtime/services.hpp"

namespace hearth::loader {
namespace {

// Runs `work` against the runtime's registry, turning refusals into statuses.
template <class Work> int32_t with_registry(const hearth_host *host, char **error, Work &&work) {
  if (host == nullptr) return HEARTH_ERROR_INVALID_ARGUMENT;
  auto &context = PluginContext::from(host);
  auto *registry = context.services().metrics;
  if (registry == nullptr) {
    runtime::set_error(error, "this runtime keeps no metrics");
    return HEARTH_ERROR_UNSUPPORTED;
  }
  try {
    work(*registry, context.plugin_id());
    return HEARTH_OK;
  } catch (const std::invalid_argument &bad) {
    runtime::set_error(error, bad.what());
    return HEARTH_ERROR_INVALID_ARGUMENT;
  } catch (...) {
    return runtime::status_from_current_exception(error);
  }
}

// The plugin's labels with plugin="<id>" added.
std::string labelled(const char *labels, const std::string &plugin_id) {
  const std::string own = "plugin=" + plugin_id;
  if (labels == nullptr || *labels == '\0') return own;
  const std::string given(labels);
  if (given.rfind("plugin=", 0) == 0 || given.find(",plugin=") != std::string::npos) {
    throw std::invalid_argument("labels: 'plugin' is set by the runtime");
  }
  return given + "," + own;
}

std::string checked_name(const char *name) {
  if (name == nullptr || *name == '\0') throw std::invalid_argument("name: missing");
  return name;
}

int32_t describe(const hearth_host *host, const char *name, uint32_t kind, const char *help, char **error) {
  return with_registry(host, error, [&](metrics::Registry &registry, const std::string &) {
    if (kind != HEARTH_METRIC_COUNTER && kind != HEARTH_METRIC_GAUGE) {
      throw std::invalid_argument("kind: not a hearth_metric_kind");
    }
    registry.describe(checked_name(name), kind == HEARTH_METRIC_COUNTER ? metrics::Kind::counter : metrics::Kind::gauge,
                      help != nullptr ? help : "");
  });
}

int32_t add(const hearth_host *host, const char *name, const char *labels, double delta, char **error) {
  return with_registry(host, error, [&](metrics::Registry &registry, const std::string &plugin) {
    registry.add(checked_name(name), labelled(labels, plugin), delta);
  });
}

int32_t set(const hearth_host *host, const char *name, const char *labels, double value, char **error) {
  return with_registry(host, error, [&](metrics::Registry &registry, const std::string &plugin) {
    registry.set(checked_name(name), labelled(labels, plugin), value);
  });
}

} // namespace

const hearth_metrics_extension *metrics_extension() {
  static const hearth_metrics_extension table{sizeof(hearth_metrics_extension), 0, &describe, &add, &set};
  return &table;
}

} // namespace hearth::loader
