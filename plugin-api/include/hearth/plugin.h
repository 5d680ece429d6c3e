/*
 * hearth/plugin.h — what a plugin module exports.
 *
 * A plugin is a shared module that exports exactly one symbol, the function
 * `hearth_get_plugin_entry` (a function, because dlsym() is only guaranteed to work for
 * functions). Loading goes:
 *
 *   1. The runtime calls hearth_get_plugin_entry(host_major, host_minor), offering the
 *      highest ABI it speaks. The plugin answers with the entry for the highest version
 *      both support (same major, minor <= host_minor), or NULL to refuse.
 *   2. The runtime checks magic, pointer size, struct_size and versions, and refuses the
 *      module with a message naming the file and both versions when they do not fit.
 *   3. It calls init(host) once all plugins named in `dependencies` are initialised, and
 *      deinit() in reverse order on shutdown, or at once when init fails.
 *
 * See also hearth/host_services.h (what init receives) and hearth/query.h (a factory).
 */
#ifndef HEARTH_PLUGIN_H
#define HEARTH_PLUGIN_H

#include <stdint.h>

#include "host_services.h"
#include "status.h"
#include "version.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What a plugin is for. Since 1.0. */
enum hearth_plugin_kind {
  HEARTH_PLUGIN_KIND_OTHER = 0,
  HEARTH_PLUGIN_KIND_SCORER = 1,    /* computes risk flags */
  HEARTH_PLUGIN_KIND_WORKFLOW = 2,  /* cases, handoffs, escalation */
  HEARTH_PLUGIN_KIND_DASHBOARD = 3, /* views for people */
  HEARTH_PLUGIN_KIND_ADAPTER = 4    /* connects a back-office system */
};

/* Describes a plugin. Since 1.0. Owned by the plugin; valid from the entry call until
 * deinit() returns (in practice: static data). */
typedef struct hearth_plugin_descriptor {
  uint32_t struct_size;
  uint32_t kind;             /* enum hearth_plugin_kind */
  const char *id;            /* required: reverse-DNS, e.g. "nl.hearth.early-warning" */
  const char *name;          /* required: for people, e.g. "Early warning" */
  const char *vendor;        /* required */
  const char *version;       /* required: the plugin's own version, e.g. "1.4.2" */
  const char *description;   /* optional, one sentence */
  const char *const *features;     /* NULL-ended list of feature ids, or NULL */
  const char *const *dependencies; /* NULL-ended ids of plugins to init first, or NULL */
} hearth_plugin_descriptor;

/* The plugin's entry. Since 1.0. Owned by the plugin (static data). */
typedef struct hearth_plugin_entry {
  uint32_t struct_size;   /* sizeof(hearth_plugin_entry) */
  uint32_t magic;         /* HEARTH_PLUGIN_MAGIC */
  uint32_t abi_major;     /* the ABI this entry follows: HEARTH_ABI_MAJOR */
  uint32_t abi_minor;     /* <= the host's minor */
  uint32_t pointer_size;  /* sizeof(void *) of the build */
  uint32_t reserved;      /* zero */
  const hearth_plugin_descriptor *descriptor; /* required */

  /* Starts the plugin with the services of `host` (borrowed until deinit returns).
   * Returns HEARTH_OK, or an error after undoing what it did. May be called again after
   * deinit(). [host-thread] may block. */
  int32_t (*init)(const hearth_host *host);

  /* Stops the plugin: ends subscriptions, frees what init made. Safe to call twice and
   * after a failed init. [host-thread] may block. */
  void (*deinit)(void);

  /* Returns the plugin's table for `factory_id` (e.g. HEARTH_QUERY_FACTORY_ID), owned by
   * the plugin and valid until deinit(); NULL when it has none. [any-thread] */
  const void *(*get_factory)(const char *factory_id);
} hearth_plugin_entry;

/* The name of the entry symbol, for loaders. Since 1.0. */
#define HEARTH_PLUGIN_ENTRY_SYMBOL "hearth_get_plugin_entry"

/* The entry function's type. [host-thread] Must not allocate or start anything: the
 * runtime may call it only to inspect the module. */
typedef const hearth_plugin_entry *(*hearth_get_plugin_entry_fn)(uint32_t host_abi_major,
                                                                  uint32_t host_abi_minor);

/* Fills the fixed fields of an entry for this header's ABI. Since 1.0. */
#define HEARTH_PLUGIN_ENTRY_HEADER                                                    \
  sizeof(hearth_plugin_entry), HEARTH_PLUGIN_MAGIC, HEARTH_ABI_MAJOR, HEARTH_ABI_MINOR, \
      (uint32_t)sizeof(void *), 0u

#ifdef __cplusplus
}
#endif

#endif /* HEARTH_PLUGIN_H */
