/*
 * hearth/query.h — answering questions from the host (factory "nl.hearth.query/1").
 *
 * A host (a CRM screen, the `hearth` command, the HTTP server) asks a plugin a named
 * question with JSON arguments and gets JSON back: "flags-for-tenancy", "case-timeline"...
 * A plugin that answers questions returns a hearth_query_handler from
 * get_factory(HEARTH_QUERY_FACTORY_ID).
 */
#ifndef HEARTH_QUERY_H
#define HEARTH_QUERY_H

#include <stdint.h>

#include "status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The factory id. Since 1.0. */
#define HEARTH_QUERY_FACTORY_ID "nl.hearth.query/1"

/* Where a plugin writes its answer: call write() zero or more times; the pieces are
 * joined. `data` is borrowed for the call. Valid only during the query() call. Since 1.0. */
typedef struct hearth_text_sink {
  uint32_t struct_size;
  uint32_t reserved;
  void *user_data;
  void (*write)(void *user_data, const char *data, uint64_t size);
} hearth_text_sink;

/* Since 1.0. Owned by the plugin; valid until its deinit() returns. */
typedef struct hearth_query_handler {
  uint32_t struct_size;
  uint32_t reserved;
  /* Answers query `name` with arguments `args_json` (a JSON object, borrowed). On
   * HEARTH_OK, `result` holds a JSON document; otherwise `result` holds a one-line reason
   * naming the argument at fault. HEARTH_ERROR_NOT_FOUND for an unknown query name.
   * [any-thread] may block. */
  int32_t (*query)(const char *name, const char *args_json, const hearth_text_sink *result);
} hearth_query_handler;

#ifdef __cplusplus
}
#endif

#endif /* HEARTH_QUERY_H */
