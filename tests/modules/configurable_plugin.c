/*
 * One C source, compiled into many small test modules with different -D settings: a
 * well-behaved plugin by default, and each deliberately broken variant the loader must
 * refuse (see CMakeLists.txt). When HEARTH_TEST_TRACE names a file, init and deinit
 * append "<id> init" / "<id> deinit" lines to it, so tests can check order and cleanup.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#include <hearth/plugin.h>

#ifndef TEST_ID
#define TEST_ID "nl.hearth.test.configurable"
#endif
#ifndef TEST_ABI_MAJOR
#define TEST_ABI_MAJOR HEARTH_ABI_MAJOR
#endif
#ifndef TEST_ABI_MINOR
#define TEST_ABI_MINOR HEARTH_ABI_MINOR
#endif
#ifndef TEST_ENTRY_SIZE
#define TEST_ENTRY_SIZE sizeof(hearth_plugin_entry)
#endif
#ifndef TEST_DESCRIPTOR_SIZE
#define TEST_DESCRIPTOR_SIZE sizeof(hearth_plugin_descriptor)
#endif
#ifndef TEST_MAGIC
#define TEST_MAGIC HEARTH_PLUGIN_MAGIC
#endif
#ifndef TEST_INIT_STATUS
#define TEST_INIT_STATUS HEARTH_OK
#endif
#ifndef TEST_ENTRY_FUNCTION
#define TEST_ENTRY_FUNCTION hearth_get_plugin_entry
#endif
#ifndef TEST_NAME
#define TEST_NAME "Configurable test plugin"
#endif

static const char *const features[] = {"nl.hearth.test", NULL};

#ifdef TEST_DEPENDS_ON
static const char *const dependencies[] = {TEST_DEPENDS_ON, NULL};
#define TEST_DEPENDENCIES dependencies
#else
#define TEST_DEPENDENCIES NULL
#endif

static void trace(const char *what) {
  const char *path = getenv("HEARTH_TEST_TRACE");
  if (path == NULL || *path == '\0') {
    return;
  }
  FILE *file = fopen(path, "a");
  if (file != NULL) {
    fprintf(file, "%s %s\n", TEST_ID, what);
    fclose(file);
  }
}

static const hearth_plugin_descriptor descriptor = {
    TEST_DESCRIPTOR_SIZE, HEARTH_PLUGIN_KIND_OTHER, TEST_ID, TEST_NAME, "Hearth tests", "0.0.1",
    "A module for the loader's tests", features, TEST_DEPENDENCIES};

static int32_t plugin_init(const hearth_host *host) {
  trace("init");
  host->log(host, HEARTH_LOG_INFO, "configurable test plugin init");
  if (TEST_INIT_STATUS != HEARTH_OK) {
    /* What a real plugin does: say why before refusing. */
    host->log(host, HEARTH_LOG_ERROR, "greeting: must not be empty");
  }
  return TEST_INIT_STATUS;
}

static void plugin_deinit(void) { trace("deinit"); }

static const void *plugin_get_factory(const char *factory_id) {
  (void)factory_id;
  return NULL;
}

static const hearth_plugin_entry entry = {
    TEST_ENTRY_SIZE, TEST_MAGIC, TEST_ABI_MAJOR, TEST_ABI_MINOR, (uint32_t)sizeof(void *), 0u,
    &descriptor, plugin_init, plugin_deinit, plugin_get_factory};

#ifdef TEST_UNDEFINED_SYMBOL
/* Declared, never defined anywhere: loading with RTLD_NOW must fail. */
extern int hearth_test_symbol_that_does_not_exist(void);
int hearth_test_use_missing(void) { return hearth_test_symbol_that_does_not_exist(); }
#endif

HEARTH_PLUGIN_EXPORT const hearth_plugin_entry *TEST_ENTRY_FUNCTION(uint32_t host_major,
                                                                    uint32_t host_minor) {
  (void)host_major;
  (void)host_minor;
#ifdef TEST_RETURN_NULL
  (void)entry;
  return NULL;
#else
  return &entry;
#endif
}
