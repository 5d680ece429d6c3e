/*
 * hearth/host.h — the embedding API: what a host adapter, a CRM or the `hearth` command
 * calls to run Hearth inside its own process. Implemented by libhearth.
 *
 * A session looks like:
 *
 *   hearth_runtime *rt = NULL;
 *   char *error = NULL;
 *   if (hearth_runtime_open("/etc/hearth", &rt, &error) != HEARTH_OK) {
 *     fprintf(stderr, "%s\n", error); hearth_free(error); return 1;
 *   }
 *   hearth_runtime_load_plugins(rt, NULL);      // refusals are reported per plugin
 *   ... hearth_runtime_publish(), hearth_runtime_query() ...
 *   hearth_runtime_close(rt);
 *
 * The conventions in hearth/version.h hold. In addition: every text this library returns
 * through a `char **` is allocated by it and freed by the caller with hearth_free(); the
 * runtime handle is opaque; no callback is taken without a `user_data`. A runtime may be
 * used from several threads where a function says [any-thread]; open and close belong to
 * one thread, called [host-thread] here.
 */
#ifndef HEARTH_HOST_H
#define HEARTH_HOST_H

#include <stdint.h>

#include "actor.h"
#include "audit.h"
#include "calls.h"
#include "credentials.h"
#include "data_service.h"
#include "event.h"
#include "http.h"
#include "metrics.h"
#include "plugin.h"
#include "policy.h"
#include "signals.h"
#include "query.h"
#include "service.h"
#include "status.h"
#include "value.h"
#include "version.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A running Hearth: configuration, store, plugins, bus. Opaque. Since 1.0. */
typedef struct hearth_runtime hearth_runtime;

/* The state of one plugin as the runtime sees it. Since 1.0. */
enum hearth_plugin_state {
  HEARTH_PLUGIN_STATE_ACTIVE = 0,   /* loaded and initialised */
  HEARTH_PLUGIN_STATE_REFUSED = 1,  /* the module was not accepted; see `message` */
  HEARTH_PLUGIN_STATE_FAILED = 2,   /* accepted, but init failed or threw; see `message` */
  HEARTH_PLUGIN_STATE_STOPPED = 3   /* deinitialised */
};

/* What the runtime knows of one plugin or refused module. Since 1.0.
 * Every pointer is owned by the runtime and valid until the next call that loads plugins,
 * or until hearth_runtime_close(). Fields the module never gave are empty strings. */
typedef struct hearth_plugin_info {
  uint32_t struct_size; /* set by the caller to sizeof(hearth_plugin_info) */
  uint32_t state;       /* enum hearth_plugin_state */
  uint32_t kind;        /* enum hearth_plugin_kind */
  uint32_t abi_major;   /* the module's, 0 when unknown */
  uint32_t abi_minor;
  uint32_t reserved;
  const char *id;
  const char *name;
  const char *vendor;
  const char *version;
  const char *path;     /* the module file */
  const char *message;  /* why it was refused or failed; empty when active */
} hearth_plugin_info;

/* Frees text or memory this library returned. NULL is allowed. [any-thread] Since 1.0. */
HEARTH_API void hearth_free(void *pointer);

/* A static, readable name for a status code ("HEARTH_ERROR_DENIED"). Never NULL.
 * [any-thread] Since 1.0. */
HEARTH_API const char *hearth_status_name(int32_t status);

/* The library's ABI version and its release version as "0.1.0" (static text).
 * Any pointer may be NULL. [any-thread] Since 1.0. */
HEARTH_API void hearth_library_version(uint32_t *abi_major, uint32_t *abi_minor,
                                       const char **release);

/* Opens a runtime from the configuration folder `config_dir` (its hearth.ini and the
 * files it names; NULL for the built-in defaults), with HEARTH_* environment overrides, and
 * opens the store. Loads no plugin yet. On success *runtime is set; close it with
 * hearth_runtime_close(). [host-thread] may block. */
HEARTH_API int32_t hearth_runtime_open(const char *config_dir, hearth_runtime **runtime,
                                       char **error);

/* Loads every module in the configured plugin folders (bundled plugins included), in
 * dependency order. A module that is refused, or whose init fails, is recorded with the
 * reason and every other plugin keeps running: this returns HEARTH_OK unless the
 * runtime itself failed. Calling it again loads modules added since. [host-thread] */
HEARTH_API int32_t hearth_runtime_load_plugins(hearth_runtime *runtime, char **error);

/* Loads the single module at `path`. Returns HEARTH_OK when it is active, otherwise the
 * reason's status and message (it is recorded as well). [host-thread] may block. */
HEARTH_API int32_t hearth_runtime_load_plugin(hearth_runtime *runtime, const char *path,
                                              char **error);

/* The number of plugins and refused modules known, for hearth_runtime_plugin_at().
 * [any-thread] */
HEARTH_API uint32_t hearth_runtime_plugin_count(hearth_runtime *runtime);

/* Fills *info for entry `index` (0 .. count-1). The caller sets info->struct_size first.
 * [any-thread] */
HEARTH_API int32_t hearth_runtime_plugin_at(hearth_runtime *runtime, uint32_t index,
                                            hearth_plugin_info *info);

/* The plugin list as a JSON array (what `hearth plugins list` and GET /plugins show).
 * [any-thread] */
HEARTH_API int32_t hearth_runtime_plugins_json(hearth_runtime *runtime, char **json,
                                               char **error);

/* Inspects the module at `path` without initialising it, and without a runtime: writes a
 * JSON object with its descriptor and ABI version to *report and returns HEARTH_OK, or
 * returns the refusal status with the reason in *error (file, cause, both versions).
 * Runs the module's entry function in this process; for untrusted modules, call it from
 * a child process. [any-thread] may block. */
HEARTH_API int32_t hearth_inspect_module(const char *path, char **report, char **error);

/* Publishes `event` on the bus as the host ("host" is its source). The bus copies it.
 * [any-thread] does not wait for delivery. */
HEARTH_API int32_t hearth_runtime_publish(hearth_runtime *runtime, const hearth_event *event,
                                          char **error);

/* Waits until every event published before this call has been delivered, or
 * `timeout_ms` passes (HEARTH_ERROR_TIMEOUT). [any-thread] blocks. */
HEARTH_API int32_t hearth_runtime_drain(hearth_runtime *runtime, uint32_t timeout_ms);

/* Asks plugin `plugin_id` the question `name` with JSON arguments `args_json` (NULL for
 * "{}") through its HEARTH_QUERY_FACTORY_ID handler. On HEARTH_OK, *result_json holds the
 * answer. HEARTH_ERROR_NOT_FOUND when the plugin is not active or answers no questions.
 * [any-thread] may block. */
HEARTH_API int32_t hearth_runtime_query(hearth_runtime *runtime, const char *plugin_id,
                                        const char *name, const char *args_json,
                                        char **result_json, char **error);

/* Ingests `count` signals (an array of borrowed pointers) as one batch on behalf of
 * `actor`, usually a system role. All or nothing: when any signal is invalid, nothing is
 * stored, the result counts the rejected ones, *error names the first field at fault and
 * why, and a dead-letter record (reason, source, time, payload hash) is kept for each.
 * Idempotent on (source, external_id): a signal stored before counts as a duplicate, so a
 * batch whose acknowledgement was lost can simply be sent again. Returns only after
 * commit; each accepted signal is then published as HEARTH_EVENT_SIGNAL_ACCEPTED on every
 * instance sharing the store. HEARTH_ERROR_DENIED when the policy does not let the actor
 * create that class of data. `result` may be NULL; else the caller sets struct_size.
 * [any-thread] blocks until committed. */
HEARTH_API int32_t hearth_runtime_ingest(hearth_runtime *runtime, const hearth_actor *actor,
                                         const hearth_signal *const *signals, uint32_t count,
                                         hearth_ingest_result *result, char **error);

/* Stores reference records — units, tenancies, persons, outcomes — given as a JSON array
 * (docs/data.md lists the fields), all or nothing, inserting or updating by id. A person's
 * BSN is checked with the elfproef and sealed at rest. *stored (may be NULL) is set to
 * the number of records stored. [any-thread] blocks until committed. */
HEARTH_API int32_t hearth_runtime_put_records(hearth_runtime *runtime, const hearth_actor *actor,
                                              const char *records_json, uint32_t *stored,
                                              char **error);

/* Records that item `item_index` of input from `source` was rejected before it could
 * become a signal (malformed JSON, an unknown code, a BSN failing the elfproef, a body
 * too large): `field` names the field at fault (e.g. "Signalering.soort.code"; "" for the
 * whole item) and `reason` why, never the value itself. The `payload_size` bytes at
 * `payload` (may be NULL when 0) are not stored, only their SHA-256, so that the source
 * system can find the message without Hearth keeping personal data; a BSN in `field` or
 * `reason` is masked. One row in the dead-letter table ("dead-letters" view), committed
 * before the call returns. Only the roles "system" and "administrator" may record:
 * others get HEARTH_ERROR_DENIED. HEARTH_ERROR_INVALID_ARGUMENT (naming the argument)
 * for a missing source or reason. [any-thread] blocks until committed. Since 1.1. */
HEARTH_API int32_t hearth_runtime_dead_letter(hearth_runtime *runtime, const hearth_actor *actor,
                                              const char *source, uint32_t item_index,
                                              const char *field, const char *reason,
                                              const char *payload, uint64_t payload_size,
                                              char **error);

/* Reads a view of personal data for `actor`: "tenancy.signals" {"tenancy_id"},
 * "audit.viewers" {"object"}, "audit.verify" {}, "dead-letters" {"limit"}, "store.counts" {}.
 * The policy is
 * asked and the read is audited; what the actor may not see answers
 * HEARTH_ERROR_NOT_FOUND, exactly like something missing. [any-thread] may block. */
HEARTH_API int32_t hearth_runtime_read(hearth_runtime *runtime, const hearth_actor *actor,
                                       const char *view, const char *args_json,
                                       char **result_json, char **error);

/* Runs an administrative command on the stored data for `actor`, with JSON arguments
 * `args_json` (NULL for "{}"). On HEARTH_OK, *result_json holds the answer:
 *   "purge"          {}                  deletes what outlived its retention period
 *                                        ([retention] in hearth.ini): signals by type with
 *                                        their event-log rows, dead letters, outcomes;
 *                    -> {"signal":{"SCH":n,...},"dead_letter":n,"outcome":n,"event_log":n}
 *   "erase-person"   {"person_id":".."}  deletes the person, sealed BSN included
 *                    -> {"person":1}
 *   "erase-tenancy"  {"tenancy_id":".."} deletes the tenancy's signals with their event-log
 *                                        rows, its outcome and persons, and clears its
 *                                        tenant_user and portfolio_owner
 *                    -> {"signal":n,"event_log":n,"outcome":n,"person":n}
 * Each runs in one transaction and is audited (event "delete"). The audit log itself is
 * never deleted by a command. Only the role "administrator" may run them: any other role
 * gets HEARTH_ERROR_DENIED, and the refusal is audited. HEARTH_ERROR_NOT_FOUND for an
 * unknown command or an id Hearth does not hold; HEARTH_ERROR_INVALID_ARGUMENT for bad
 * arguments (the message names the field). The caller frees *result_json and *error
 * with hearth_free(). [any-thread] blocks until committed. Since 1.0. */
HEARTH_API int32_t hearth_runtime_command(hearth_runtime *runtime, const hearth_actor *actor,
                                          const char *command, const char *args_json,
                                          char **result_json, char **error);

/* Replaces the runtime's clock (for tests and replays): `now` returns Unix epoch
 * milliseconds and is called with `user_data` from any thread. NULL restores the system
 * clock. [host-thread] */
HEARTH_API int32_t hearth_runtime_set_clock(hearth_runtime *runtime,
                                            int64_t (*now)(void *user_data), void *user_data);

/* Reads the runtime's clock. [any-thread] */
HEARTH_API int64_t hearth_runtime_now_ms(hearth_runtime *runtime);

/* Starts the HTTP server on `address`:`port` (NULL and 0 take http.address and http.port
 * from the configuration; port 0 in the configuration picks a free port). Writes the
 * bound port to *bound_port when it is not NULL. [host-thread] */
HEARTH_API int32_t hearth_runtime_serve_http(hearth_runtime *runtime, const char *address,
                                             uint16_t port, uint16_t *bound_port,
                                             char **error);

/* Stops the HTTP server, letting running requests end. [host-thread] may block. */
HEARTH_API int32_t hearth_runtime_stop_http(hearth_runtime *runtime);

/* Stops the HTTP server, delivers pending events, deinitialises plugins in reverse
 * order, unloads them and closes the store. NULL is allowed. [host-thread] may block. */
HEARTH_API void hearth_runtime_close(hearth_runtime *runtime);

/* Runs operation `operation` of plugin `plugin_id` (its HEARTH_SERVICE_FACTORY_ID
 * handler, hearth/service.h) for `actor` with the JSON object `args_json` (NULL for
 * "{}"). On HEARTH_OK, *result_json holds the answer; on failure *error holds the
 * plugin's one-line reason. The statuses are those of hearth_service_handler.call():
 * HEARTH_ERROR_NOT_FOUND also when the plugin is not active or offers no operations,
 * HEARTH_ERROR_INVALID_ARGUMENT when the actor lacks a required field. The caller frees
 * *result_json and *error with hearth_free(). [any-thread] may block. Since 1.1. */
HEARTH_API int32_t hearth_runtime_call(hearth_runtime *runtime, const hearth_actor *actor,
                                       const char *plugin_id, const char *operation,
                                       const char *args_json, char **result_json,
                                       char **error);

/* Returns what the active plugin `plugin_id` answers to get_factory(`factory_id`): a
 * plugin-defined, typed table for in-process callers that need more speed than JSON
 * allows (the plugin's own header describes it, and whether it checks the policy and
 * writes the audit log). NULL when the plugin is not active or has no such factory.
 * The table belongs to the plugin and stays valid until hearth_runtime_close().
 * [any-thread] Since 1.1. */
HEARTH_API const void *hearth_runtime_plugin_factory(hearth_runtime *runtime,
                                                     const char *plugin_id,
                                                     const char *factory_id);

/* Does nothing. It takes a pointer to every public type so that ABI tools (abidiff) see
 * all of them in the library's exported interface. Since 1.0. */
HEARTH_API void hearth_abi_anchor(const hearth_plugin_entry *entry,
                                  const hearth_plugin_descriptor *descriptor,
                                  const hearth_host *host, const hearth_migration *migration,
                                  const hearth_event *event, const hearth_value *value,
                                  const hearth_query_handler *query_handler,
                                  const hearth_text_sink *sink, const hearth_plugin_info *info,
                                  hearth_runtime *runtime, const hearth_actor *actor,
                                  const hearth_signal *signal, const hearth_ingest_result *result,
                                  const hearth_record_context *record,
                                  const hearth_policy_extension *policy);

/* Like hearth_abi_anchor(), for the types added in 1.1. Since 1.1. */
HEARTH_API void hearth_abi_anchor_1_1(const hearth_service_handler *service,
                                      const hearth_audit_extension *audit,
                                      const hearth_audit_record *audit_record,
                                      const hearth_http_extension *http,
                                      const hearth_http_request *request,
                                      const hearth_http_response *response,
                                      const hearth_data_extension *data,
                                      const hearth_metrics_extension *metrics);

/* Like hearth_abi_anchor(), for the types added in 1.2. Since 1.2. */
HEARTH_API void hearth_abi_anchor_1_2(const hearth_calls_extension *calls,
                                      const hearth_credentials_extension *credentials);

#ifdef __cplusplus
}
#endif

#endif /* HEARTH_HOST_H */
