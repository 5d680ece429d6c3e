/*
 * hearth/http.h — the HTTP service, extension "nl.hearth.http/1": a plugin serves its own
 * routes (pages, widgets, webhooks) on the runtime's HTTP server. Since 1.1.
 *
 * The runtime authenticates each request before a plugin sees it: an API key
 * (`X-API-KEY: <key>` or `Authorization: Bearer <key>`) from [auth] in hearth.ini, or a
 * signed token (`Authorization: Bearer <JWT>`, HS256 or RS256, keys from [auth]). The
 * actor it yields is handed to the handler; a request without credentials reaches the
 * handler with actor NULL, and one with bad credentials is answered 401 by the runtime
 * and never reaches a plugin. Sessions of its own (cookies) are the plugin's business.
 *
 * Every response carries the runtime's defaults (X-Content-Type-Options: nosniff,
 * Referrer-Policy: no-referrer, Cache-Control: no-store, X-Request-Id); a handler may set
 * other headers, Content-Security-Policy included.
 */
#ifndef HEARTH_HTTP_H
#define HEARTH_HTTP_H

#include <stdint.h>

#include "actor.h"
#include "host_services.h"

#ifdef __cplusplus
extern "C" {
#endif

#define HEARTH_HTTP_EXTENSION_ID "nl.hearth.http/1"

/* One request, as the handler sees it. Since 1.1. Owned by the runtime; every pointer is
 * valid only during the handler call. */
typedef struct hearth_http_request {
  uint32_t struct_size;
  uint32_t reserved;
  const char *method;       /* "GET", "POST", ... */
  const char *path;         /* decoded path without the query, e.g. "/widgets/risk-badge" */
  const char *query;        /* raw query string without '?', "" when none */
  const char *body;         /* the body (not NUL-terminated; may hold NUL bytes) */
  uint64_t body_size;
  const hearth_actor *actor; /* who is calling, or NULL when no credentials came along */
  const char *request_id;   /* the id the runtime logs this request under */
  const char *remote_address; /* the client's address, e.g. "127.0.0.1" */
  /* Returns the value of header `name` (case-insensitive), or NULL when absent. The text
   * is valid during the handler call. */
  const char *(*header)(const struct hearth_http_request *request, const char *name);
  void *internal; /* the runtime's own */
} hearth_http_request;

/* Where the handler writes its answer. Since 1.1. Owned by the runtime; valid only during
 * the handler call. Set the status and headers before the first write(). */
typedef struct hearth_http_response {
  uint32_t struct_size;
  uint32_t reserved;
  /* Sets the status code (default 200). */
  void (*set_status)(const struct hearth_http_response *response, int32_t status);
  /* Sets (replaces) header `name`; a Content-Type is expected with every body. */
  void (*set_header)(const struct hearth_http_response *response, const char *name,
                     const char *value);
  /* Appends `size` bytes of body. */
  void (*write)(const struct hearth_http_response *response, const char *data, uint64_t size);
  void *internal; /* the runtime's own */
} hearth_http_response;

/* Answers one request. Return HEARTH_OK when the response is written; any other status
 * makes the runtime answer 500 (or, when nothing was written yet and the status is
 * HEARTH_ERROR_NOT_FOUND, 404). Called on an HTTP worker thread, concurrently.
 * [any-thread] may block. */
typedef int32_t (*hearth_http_handler)(void *user_data, const hearth_http_request *request,
                                       const hearth_http_response *response);

/* Since 1.1. Owned by the runtime; valid until the plugin's deinit() returns. */
typedef struct hearth_http_extension {
  uint32_t struct_size;
  uint32_t reserved;
  /* Routes `method` on `pattern` to `handler`: an exact path ("/widgets/risk-badge") or a
   * prefix, written as a path followed by a slash and an asterisk (for "/dashboard" so
   * written, the route takes "/dashboard" and everything below it).
   * An exact path wins over prefixes, the longest prefix over shorter ones. The route
   * lives until the plugin's deinit(); after deinit() begins no new request reaches it.
   * HEARTH_ERROR_CONFLICT when the (method, pattern) is already routed (by anyone),
   * HEARTH_ERROR_INVALID_ARGUMENT for a bad method or pattern or a path the runtime keeps
   * for itself ("/healthz", "/readyz", "/metrics", "/plugins" and all below "/api").
   * [host-thread] usually from init(). */
  int32_t (*add_route)(const hearth_host *host, const char *method, const char *pattern,
                       hearth_http_handler handler, void *user_data, char **error);
} hearth_http_extension;

#ifdef __cplusplus
}
#endif

#endif /* HEARTH_HTTP_H */
