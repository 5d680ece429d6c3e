/*
 * hearth/data_service.h — the data service, extension "nl.hearth.data/1": what host.h
 * offers an embedding host for signals and reference records, offered to plugins too, so
 * that an adapter running as a plugin (a webhook, a push endpoint) stores what it
 * receives the same way: validated, idempotent, audited, all or nothing. Since 1.1.
 */
#ifndef HEARTH_DATA_SERVICE_H
#define HEARTH_DATA_SERVICE_H

#include <stdint.h>

#include "actor.h"
#include "host_services.h"
#include "signals.h"

#ifdef __cplusplus
extern "C" {
#endif

#define HEARTH_DATA_EXTENSION_ID "nl.hearth.data/1"

/* Since 1.1. Owned by the runtime; valid until the plugin's deinit() returns. Each
 * function behaves exactly like its host.h namesake (same arguments after `host`, same
 * statuses, same audit entries); messages are freed with host->free.
 * Must not be called inside host->storage_transaction(): each commits on its own. */
typedef struct hearth_data_extension {
  uint32_t struct_size;
  uint32_t reserved;
  /* As hearth_runtime_ingest(). [any-thread] blocks until committed. */
  int32_t (*ingest)(const hearth_host *host, const hearth_actor *actor,
                    const hearth_signal *const *signals, uint32_t count,
                    hearth_ingest_result *result, char **error);
  /* As hearth_runtime_put_records(). [any-thread] blocks until committed. */
  int32_t (*put_records)(const hearth_host *host, const hearth_actor *actor,
                         const char *records_json, uint32_t *stored, char **error);
  /* As hearth_runtime_read(); *result_json is freed with host->free. [any-thread] */
  int32_t (*read)(const hearth_host *host, const hearth_actor *actor, const char *view,
                  const char *args_json, char **result_json, char **error);
  /* As hearth_runtime_dead_letter(). [any-thread] blocks until committed. */
  int32_t (*dead_letter)(const hearth_host *host, const hearth_actor *actor, const char *source,
                         uint32_t item_index, const char *field, const char *reason,
                         const char *payload, uint64_t payload_size, char **error);
} hearth_data_extension;

#ifdef __cplusplus
}
#endif

#endif /* HEARTH_DATA_SERVICE_H */
