/*
 * hearth/service.h — a plugin's operations, factory "nl.hearth.service/1": what a person
 * or system may ask the plugin to do, on whose behalf. Since 1.1.
 *
 * The runtime reaches a plugin's operations in two ways, both with an authenticated actor:
 * in-process through hearth_runtime_call() (host.h), and over HTTP as
 * POST /api/v1/<plugin id>/<operation> with a JSON body (docs/abi.md, "Operations").
 * The plugin asks the policy service (hearth/policy.h) and writes the audit log
 * (hearth/audit.h) itself, because only it knows which records an operation touches.
 */
#ifndef HEARTH_SERVICE_H
#define HEARTH_SERVICE_H

#include <stdint.h>

#include "actor.h"
#include "query.h"
#include "status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The factory id. Since 1.1. */
#define HEARTH_SERVICE_FACTORY_ID "nl.hearth.service/1"

/* Since 1.1. Owned by the plugin; valid until its deinit() returns. */
typedef struct hearth_service_handler {
  uint32_t struct_size;
  uint32_t reserved;
  /* Runs `operation` for `actor` (borrowed; never NULL, its required fields set) with the
   * JSON object `args_json` (borrowed; "{}" when there are none). Writes to `result`:
   * on HEARTH_OK a JSON document; otherwise one line saying why, naming the argument at
   * fault. Statuses and what they mean to a caller (HTTP status in brackets):
   *   HEARTH_OK (200); HEARTH_ERROR_INVALID_ARGUMENT (400);
   *   HEARTH_ERROR_DENIED (403) — the actor's role may not use this operation at all;
   *   HEARTH_ERROR_NOT_FOUND (404) — unknown operation, a record that does not exist, and
   *     a record the actor may not see (a forbidden record looks exactly like a missing one);
   *   HEARTH_ERROR_CONFLICT (409) — the record changed state meanwhile, or a duplicate;
   *   anything else (500).
   * State changes commit before the call returns. [any-thread] may block. */
  int32_t (*call)(const hearth_actor *actor, const char *operation, const char *args_json,
                  const hearth_text_sink *result);
} hearth_service_handler;

#ifdef __cplusplus
}
#endif

#endif /* HEARTH_SERVICE_H */
