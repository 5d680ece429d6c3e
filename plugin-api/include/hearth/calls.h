/*
 * hearth/calls.h — the call service, extension "nl.hearth.calls/1": a plugin asks another
 * plugin to run one of its operations (hearth/service.h) on behalf of an actor. Since 1.2.
 *
 * A dashboard, a gateway or a workflow plugin holds no records of its own; it shows and
 * changes what other plugins keep. It passes on the actor of the person it serves (from an
 * authenticated request or a session it keeps), never one it made up: the called plugin
 * asks the policy service and writes the audit log for that actor, exactly as for
 * hearth_runtime_call() (host.h) and POST /api/v1/<plugin id>/<operation>.
 *
 * Rationale: calls go through the runtime, not through a pointer the caller keeps, so a
 * plugin that is unloaded, failed or disabled answers HEARTH_ERROR_NOT_FOUND instead of
 * crashing its caller, and every call is counted in /metrics like any other.
 */
#ifndef HEARTH_CALLS_H
#define HEARTH_CALLS_H

#include <stdint.h>

#include "actor.h"
#include "host_services.h"
#include "query.h"

#ifdef __cplusplus
extern "C" {
#endif

#define HEARTH_CALLS_EXTENSION_ID "nl.hearth.calls/1"

/* Since 1.2. Owned by the runtime; valid until the plugin's deinit() returns. */
typedef struct hearth_calls_extension {
  uint32_t struct_size;
  uint32_t reserved;
  /* Runs `operation` of the plugin `plugin_id` for `actor` (borrowed; user, role,
   * organisation and access point required) with the JSON object `args_json` (borrowed;
   * NULL means "{}"). Writes to `result` what the called plugin wrote: a JSON document on
   * HEARTH_OK, one line saying why otherwise. Statuses as in hearth/service.h, plus
   * HEARTH_ERROR_NOT_FOUND for a plugin that is not active or offers no operations, and
   * HEARTH_ERROR_INVALID_ARGUMENT for a missing actor field or arguments that are not a
   * JSON object. A plugin may call itself only through its own code, not through here
   * (HEARTH_ERROR_INVALID_ARGUMENT). HEARTH_ERROR_STATE from inside init() or deinit()
   * (plugins are being started or stopped then: call from a request, an event or a
   * thread of your own). [any-thread] may block; never call it inside
   * host->storage_transaction(). */
  int32_t (*call)(const hearth_host *host, const hearth_actor *actor, const char *plugin_id,
                  const char *operation, const char *args_json, const hearth_text_sink *result);

  /* The factory `factory_id` of the active plugin `plugin_id` — its typed table for calls
   * that must be faster than JSON (e.g. the early-warning plugin's flag lookup,
   * hearth/early_warning.h, which applies policy and audit itself) — or NULL when that
   * plugin is not active, has no such factory, or is not among the CALLING plugin's
   * declared dependencies (hearth_plugin_descriptor.dependencies).
   * Rationale: a declared dependency is initialised before the caller and stopped after
   * it, so the table stays valid for the caller's whole life; any other plugin's could
   * go away under it. NULL from inside init() or deinit() (fetch it on first use).
   * [any-thread] */
  const void *(*factory)(const hearth_host *host, const char *plugin_id, const char *factory_id);
} hearth_calls_extension;

#ifdef __cplusplus
}
#endif

#endif /* HEARTH_CALLS_H */
