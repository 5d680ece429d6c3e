/*
 * hearth/metrics.h — the metrics service, extension "nl.hearth.metrics/1": a plugin
 * publishes counters and gauges that the runtime serves at /metrics in the Prometheus text
 * format, beside its own (signals ingested, requests, plugin calls). Since 1.1.
 *
 * Every series a plugin writes gets the label plugin="<its id>". Names follow Prometheus:
 * [a-zA-Z_:][a-zA-Z0-9_:]*, by convention "hearth_" + what it counts ("hearth_flags").
 * Labels are given as "name=value,name2=value2"; values may not contain ',' or '='.
 * Never put personal data (names, BSNs, addresses, tenancy ids) in a name or a label:
 * metrics count, they do not identify.
 */
#ifndef HEARTH_METRICS_H
#define HEARTH_METRICS_H

#include <stdint.h>

#include "host_services.h"

#ifdef __cplusplus
extern "C" {
#endif

#define HEARTH_METRICS_EXTENSION_ID "nl.hearth.metrics/1"

/* Kinds of metric. Since 1.1. */
enum hearth_metric_kind {
  HEARTH_METRIC_COUNTER = 0, /* only goes up: events, calls, failures */
  HEARTH_METRIC_GAUGE = 1    /* goes up and down: open cases, waiting offers */
};

/* Since 1.1. Owned by the runtime; valid until the plugin's deinit() returns. Each
 * function returns HEARTH_OK, or HEARTH_ERROR_INVALID_ARGUMENT with *error (host->free)
 * naming the argument at fault: a bad name or label, a negative counter step, or a name
 * already used with another kind. [any-thread] */
typedef struct hearth_metrics_extension {
  uint32_t struct_size;
  uint32_t reserved;
  /* Declares metric `name` of `kind` (enum hearth_metric_kind) with a one-line `help`. */
  int32_t (*describe)(const hearth_host *host, const char *name, uint32_t kind,
                      const char *help, char **error);
  /* Adds `delta` (>= 0) to counter `name` with `labels` (NULL or "" for none). */
  int32_t (*add)(const hearth_host *host, const char *name, const char *labels, double delta,
                 char **error);
  /* Sets gauge `name` with `labels` (NULL or "" for none) to `value`. */
  int32_t (*set)(const hearth_host *host, const char *name, const char *labels, double value,
                 char **error);
} hearth_metrics_extension;

#ifdef __cplusplus
}
#endif

#endif /* HEARTH_METRICS_H */
