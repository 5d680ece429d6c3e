/*
 * all_headers.c — every public header compiled as strict ISO C (built twice: C99 and
 * C11, -Wall -Wextra -pedantic -Werror, no GNU extensions). Compiling it is the test.
 * Besides including the headers it uses their macros the way a plugin does, so a macro
 * that is not valid C99 fails here rather than in an integrator's build.
 */
#include <hearth/version.h>
#include <hearth/status.h>
#include <hearth/value.h>
#include <hearth/event.h>
#include <hearth/host_services.h>
#include <hearth/query.h>
#include <hearth/plugin.h>
#include <hearth/host.h>

/* Every other public header (the list is generated from the folder). */
#include "all_public_headers.h"

/* Included twice: the include guards must hold. */
#include <hearth/host.h>
#include <hearth/plugin.h>

#include <stddef.h>

/* A descriptor and an entry written as a C99 plugin writes them. */
static const char *const hearth_check_features[] = {"nl.hearth.check", NULL};

static const hearth_plugin_descriptor hearth_check_descriptor = {
    sizeof(hearth_plugin_descriptor), HEARTH_PLUGIN_KIND_OTHER, "nl.hearth.check", "Check",
    "Hearth", "1.0.0", NULL, hearth_check_features, NULL};

static int32_t hearth_check_init(const hearth_host *host) {
  return host != NULL && host->struct_size >= sizeof(hearth_host) ? HEARTH_OK
                                                                  : HEARTH_ERROR_VERSION;
}

static void hearth_check_deinit(void) {}

static const void *hearth_check_get_factory(const char *factory_id) {
  (void)factory_id;
  return NULL;
}

static const hearth_plugin_entry hearth_check_entry = {
    HEARTH_PLUGIN_ENTRY_HEADER, &hearth_check_descriptor, hearth_check_init,
    hearth_check_deinit, hearth_check_get_factory};

/* Declared as a plugin declares its entry; never called, so not exported anywhere. */
const hearth_plugin_entry *hearth_check_entry_function(uint32_t major, uint32_t minor);

const hearth_plugin_entry *hearth_check_entry_function(uint32_t major, uint32_t minor) {
  /* The entry function's public type must accept this function. */
  hearth_get_plugin_entry_fn as_loader_sees_it = hearth_check_entry_function;
  (void)as_loader_sees_it;
  return major == HEARTH_ABI_MAJOR && minor >= hearth_check_entry.abi_minor
             ? &hearth_check_entry
             : NULL;
}

/* Every public function of host.h has the type a ctypes/dlsym caller would expect. */
void hearth_check_host_api_types(void);

void hearth_check_host_api_types(void) {
  void (*free_fn)(void *) = hearth_free;
  int32_t (*open_fn)(const char *, hearth_runtime **, char **) = hearth_runtime_open;
  int32_t (*query_fn)(hearth_runtime *, const char *, const char *, const char *, char **,
                      char **) = hearth_runtime_query;
  int32_t (*drain_fn)(hearth_runtime *, uint32_t) = hearth_runtime_drain;
  (void)free_fn;
  (void)open_fn;
  (void)query_fn;
  (void)drain_fn;
}
