/*
 * hearth/version.h — ABI version numbers and the export macros.
 *
 * Conventions for every Hearth header (read once, they hold everywhere):
 *  - C99, no C++ in these headers; fixed-width integers only, no bitfields, no varargs.
 *  - Strings are UTF-8 and NUL-terminated. A pointer's owner and lifetime are written
 *    beside it; "borrowed" means the callee may read it only during the call.
 *  - Functions return an `int32_t` status (hearth/status.h). Where a function takes
 *    `char **error`, it may set *error to a message on failure; the caller frees it with
 *    the free function of whoever allocated it (hearth_free() in host.h, host->free in a
 *    plugin). Passing NULL for `error` is allowed and means "no message wanted".
 *  - Structs that may grow begin with `uint32_t struct_size`, set by whoever fills the
 *    struct to sizeof() as it knew it. New fields are only ever added at the end; a reader
 *    uses min(struct_size, what it knows) and treats the rest as zero.
 *  - Thread tags: [host-thread] the thread that opened the runtime or called init;
 *    [any-thread] any thread, concurrently; [worker] a runtime worker thread.
 *    "may block" means the call can wait for I/O or a lock.
 *  - Identifiers of plugins, features, factories, extensions and event types are
 *    reverse-DNS strings, e.g. "nl.hearth.storage/1". A published id never changes meaning.
 */
#ifndef HEARTH_VERSION_H
#define HEARTH_VERSION_H

#include <stdint.h>

/* The ABI this header describes. Since 1.0.
 * Same major and host minor >= plugin minor: the plugin loads. Anything else is refused. */
#define HEARTH_ABI_MAJOR 1u
#define HEARTH_ABI_MINOR 2u

/* Written into every plugin entry so that a module built for another pointer width or by
 * something that is not a Hearth plugin is refused before any of its fields is trusted.
 * Since 1.0. */
#define HEARTH_PLUGIN_MAGIC 0x48525448u /* "HRTH" */

#if defined(_WIN32)
#  define HEARTH_EXPORT_SYMBOL __declspec(dllexport)
#  define HEARTH_IMPORT_SYMBOL __declspec(dllimport)
#else
#  define HEARTH_EXPORT_SYMBOL __attribute__((visibility("default")))
#  define HEARTH_IMPORT_SYMBOL
#endif

/* HEARTH_API marks functions of libhearth (host.h). Defined by the library's own build
 * as an export, and empty (or an import) for everyone else. Since 1.0. */
#if defined(HEARTH_BUILDING_LIBRARY)
#  define HEARTH_API HEARTH_EXPORT_SYMBOL
#else
#  define HEARTH_API HEARTH_IMPORT_SYMBOL
#endif

/* HEARTH_PLUGIN_EXPORT marks the one function a plugin module exports. Since 1.0. */
#ifdef __cplusplus
#  define HEARTH_PLUGIN_EXPORT extern "C" HEARTH_EXPORT_SYMBOL
#else
#  define HEARTH_PLUGIN_EXPORT HEARTH_EXPORT_SYMBOL
#endif

#endif /* HEARTH_VERSION_H */
