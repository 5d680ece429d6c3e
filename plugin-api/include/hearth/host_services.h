/*
 * hearth/host_services.h — the services the runtime gives each plugin.
 *
 * A plugin receives one `hearth_host` in init(). It is owned by the runtime and stays
 * valid until deinit() returns. Each plugin gets its own table: logs are tagged with the
 * plugin's id, configuration reads the plugin's own section, storage runs the plugin's own
 * migrations. Plugins never see connection strings and never link a database library.
 *
 * Services beyond these are asked for by id with get_extension(); the table itself only
 * grows at the end (check struct_size before calling a field added after 1.0).
 */
#ifndef HEARTH_HOST_SERVICES_H
#define HEARTH_HOST_SERVICES_H

#include <stdint.h>

#include "event.h"
#include "status.h"
#include "value.h"
#include "version.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Log levels. Since 1.0. */
enum hearth_log_level {
  HEARTH_LOG_TRACE = 0,
  HEARTH_LOG_DEBUG = 1,
  HEARTH_LOG_INFO = 2,
  HEARTH_LOG_WARN = 3,
  HEARTH_LOG_ERROR = 4
};

/* A versioned schema change of one plugin. Since 1.0.
 * Migrations of a plugin are applied in ascending `version`, each in its own transaction,
 * exactly once per store; the runtime records version, description and a checksum of the
 * SQL, and refuses to start a plugin whose already-applied migration changed. */
typedef struct hearth_migration {
  uint32_t struct_size;
  uint32_t version;            /* 1, 2, 3 ...; never reused */
  const char *description;     /* one line, e.g. "create greeting table" */
  const char *sql;             /* statements separated by ';', portable SQL */
  const char *sql_postgresql;  /* optional: used instead of `sql` on PostgreSQL; may be NULL */
} hearth_migration;

/* Receives one result row. `columns` and `names` are borrowed for the call; there are
 * `count` of each. Return 0 to go on, non-zero to stop reading rows (not an error).
 * Called on the thread that called storage_execute(). */
typedef int32_t (*hearth_row_callback)(void *user_data, const hearth_value *columns,
                                       const char *const *names, uint32_t count);

/* Work to run inside one transaction: return HEARTH_OK to commit, anything else to roll
 * back. Storage calls made from inside (on the same thread, same host) join the
 * transaction. */
typedef int32_t (*hearth_transaction_fn)(void *user_data);

/* The services table. Since 1.0. Owned by the runtime; valid from init() until deinit()
 * returns. Every function takes the table it came from as `host`. */
typedef struct hearth_host {
  uint32_t struct_size;
  uint32_t abi_major; /* the host's ABI: HEARTH_ABI_MAJOR of the runtime */
  uint32_t abi_minor;
  uint32_t reserved;
  void *host_data; /* the runtime's own; plugins must not touch it */

  /* Writes one log line tagged with the plugin id. `message` is borrowed.
   * Must never contain a BSN, a name or a care detail. [any-thread] */
  void (*log)(const struct hearth_host *host, int32_t level, const char *message);

  /* Reads key `key` of the plugin's own configuration section ("plugin.<id>.<key>").
   * Returns the value, or NULL when the key is absent. The returned text is owned by the
   * runtime and valid until deinit() returns. [any-thread] */
  const char *(*config_get)(const struct hearth_host *host, const char *key);

  /* The runtime's clock: Unix epoch milliseconds, UTC. Tests replace it, so plugins use
   * this and never the system clock for anything they store or time. [any-thread] */
  int64_t (*clock_now_ms)(const struct hearth_host *host);

  /* Publishes one event. The bus copies it; `source` and `sequence` are set by the bus.
   * Returns HEARTH_ERROR_INVALID_ARGUMENT when type or subject is missing.
   * [any-thread] does not wait for delivery. */
  int32_t (*bus_publish)(const struct hearth_host *host, const hearth_event *event,
                         char **error);

  /* Subscribes to events of `event_type` ("*" for every type). On success writes an id to
   * *subscription. `callback` is called on a worker thread with `user_data` until
   * bus_unsubscribe() returns or the plugin is deinitialised. [any-thread] */
  int32_t (*bus_subscribe)(const struct hearth_host *host, const char *event_type,
                           hearth_event_callback callback, void *user_data,
                           uint64_t *subscription);

  /* Ends a subscription. When it returns, the callback is not running and will not run
   * again. Must not be called from inside that subscription's own callback.
   * [any-thread] may block until a running callback ends. */
  int32_t (*bus_unsubscribe)(const struct hearth_host *host, uint64_t subscription);

  /* Applies the plugin's migrations that the store has not seen yet (see
   * hearth_migration). `migrations` is an array of `count` borrowed pointers.
   * [host-thread] may block. Usually called from init(). */
  int32_t (*storage_migrate)(const struct hearth_host *host,
                             const hearth_migration *const *migrations, uint32_t count,
                             char **error);

  /* Runs one SQL statement with `count` bound parameters, written as `?` in `sql`.
   * Rows, if any, go to `on_row` (may be NULL). Outside a transaction the statement
   * commits on its own, and a SELECT reads the last committed state without waiting for
   * other threads' transactions (docs/adr/0015). [any-thread] may block. */
  int32_t (*storage_execute)(const struct hearth_host *host, const char *sql,
                             const hearth_value *params, uint32_t count,
                             hearth_row_callback on_row, void *user_data, char **error);

  /* Runs `work` inside one transaction (see hearth_transaction_fn). Nested calls join the
   * outer transaction. [any-thread] may block. */
  int32_t (*storage_transaction)(const struct hearth_host *host, hearth_transaction_fn work,
                                 void *user_data, char **error);

  /* Returns the extension with id `extension_id` (e.g. "nl.hearth.policy/1"), or NULL
   * when this runtime does not offer it. The returned table is owned by the runtime and
   * valid until deinit() returns. [any-thread] */
  const void *(*get_extension)(const struct hearth_host *host, const char *extension_id);

  /* Frees a message the host allocated for this plugin (the `error` outputs above).
   * NULL is allowed. [any-thread] */
  void (*free)(void *pointer);
} hearth_host;

#ifdef __cplusplus
}
#endif

#endif /* HEARTH_HOST_SERVICES_H */
