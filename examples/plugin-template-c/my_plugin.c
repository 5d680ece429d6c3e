/*
 * my_plugin.c — the smallest useful Hearth plugin in C99: a starting point to copy.
 *
 * It offers one operation, "ping" (POST /api/v1/org.example.my-plugin/ping, or
 * hearth_runtime_call from an embedding program), answering {"pong":true}. For storage,
 * events, queries and configuration see plugins/examples/hello-c/hello.c in the Hearth
 * sources and docs/abi.md.
 *
 * Rules worth keeping:
 *   - Export nothing but hearth_get_plugin_entry (hearth_add_plugin() and the Makefile link
 *     with Hearth's version script); keep every other function `static`.
 *   - The `hearth_host` table is borrowed from init() until deinit() returns.
 *   - Log no personal data.
 */
#include <hearth/plugin.h>
#include <hearth/service.h>

#include <stddef.h>
#include <string.h>

/* The plugin id; also the name of its configuration section [plugin.<id>]. */
#define MY_PLUGIN_ID "org.example.my-plugin"

/* Feature ids this plugin offers, NULL-ended. */
static const char *const my_plugin_features[] = {"org.example.my-plugin", NULL};

/* Who we are; static data, so it outlives every call the runtime makes. */
static const hearth_plugin_descriptor my_plugin_descriptor = {
    sizeof(hearth_plugin_descriptor), /* struct_size */
    HEARTH_PLUGIN_KIND_OTHER,         /* kind */
    MY_PLUGIN_ID,                     /* id */
    "My plugin",                      /* name */
    "Example",                        /* vendor */
    "1.0.0",                          /* version: the plugin's own release */
    "A starting point: answers the operation ping.",
    my_plugin_features, /* features */
    NULL                /* dependencies */
};

/* The host's services from init() until deinit(); NULL while stopped. */
static const hearth_host *my_plugin_host = NULL;

/* Writes the NUL-terminated `text` to `sink`. */
static void my_plugin_write(const hearth_text_sink *sink, const char *text) {
  sink->write(sink->user_data, text, (uint64_t)strlen(text));
}

/* Runs `operation` for `actor`: "ping" answers {"pong":true}; anything else is unknown. */
static int32_t my_plugin_call(const hearth_actor *actor, const char *operation,
                              const char *args_json, const hearth_text_sink *result) {
  (void)actor;
  (void)args_json;
  if (operation != NULL && strcmp(operation, "ping") == 0) {
    my_plugin_write(result, "{\"pong\":true}");
    return HEARTH_OK;
  }
  my_plugin_write(result, "operation: unknown (this plugin offers ping)");
  return HEARTH_ERROR_NOT_FOUND;
}

/* The operations table (factory HEARTH_SERVICE_FACTORY_ID). */
static const hearth_service_handler my_plugin_service = {sizeof(hearth_service_handler), 0,
                                                         my_plugin_call};

/* Starts the plugin: keeps the host table and says so in the log. */
static int32_t my_plugin_init(const hearth_host *host) {
  my_plugin_host = host;
  host->log(host, HEARTH_LOG_INFO, "started");
  return HEARTH_OK;
}

/* Stops the plugin; safe to call twice and after a failed init. */
static void my_plugin_deinit(void) { my_plugin_host = NULL; }

/* Hands out the operations table while the plugin runs. */
static const void *my_plugin_get_factory(const char *factory_id) {
  if (my_plugin_host != NULL && factory_id != NULL &&
      strcmp(factory_id, HEARTH_SERVICE_FACTORY_ID) == 0) {
    return &my_plugin_service;
  }
  return NULL;
}

/* The entry: the ABI version of the headers this file was compiled with, and our functions. */
static const hearth_plugin_entry my_plugin_entry = {HEARTH_PLUGIN_ENTRY_HEADER,
                                                    &my_plugin_descriptor, my_plugin_init,
                                                    my_plugin_deinit, my_plugin_get_factory};

/* The one exported symbol: our entry when the host speaks our ABI (same major, a minor at
 * least ours), else NULL. Must not allocate or start anything. */
HEARTH_PLUGIN_EXPORT const hearth_plugin_entry *hearth_get_plugin_entry(uint32_t host_abi_major,
                                                                        uint32_t host_abi_minor);

const hearth_plugin_entry *hearth_get_plugin_entry(uint32_t host_abi_major,
                                                   uint32_t host_abi_minor) {
  if (host_abi_major != my_plugin_entry.abi_major ||
      host_abi_minor < my_plugin_entry.abi_minor) {
    return NULL;
  }
  return &my_plugin_entry;
}
