/*
 * hearth/credentials.h — the credential service, extension "nl.hearth.credentials/1": a
 * plugin asks the runtime who a credential belongs to. Since 1.2.
 *
 * A person working in a CRM arrives at a plugin's page with a short-lived signed token
 * the CRM issued, often in a form field rather than a header (a framed page cannot set
 * headers). The plugin hands the token to the runtime, which checks it with exactly the
 * rules of [auth] in hearth.ini that guard every API request (algorithm, key, issuer,
 * audience, expiry on the runtime clock, maximum lifetime), and answers with the actor.
 * The plugin may then keep a session of its own that ends no later than the token.
 *
 * Rationale: one place checks credentials, so a site configures keys once and a plugin
 * never holds the signing secret.
 */
#ifndef HEARTH_CREDENTIALS_H
#define HEARTH_CREDENTIALS_H

#include <stdint.h>

#include "host_services.h"
#include "query.h"

#ifdef __cplusplus
extern "C" {
#endif

#define HEARTH_CREDENTIALS_EXTENSION_ID "nl.hearth.credentials/1"

/* Since 1.2. Owned by the runtime; valid until the plugin's deinit() returns. */
typedef struct hearth_credentials_extension {
  uint32_t struct_size;
  uint32_t reserved;
  /* Checks `credential` (borrowed: a signed token, or an API key from [auth]). On
   * HEARTH_OK writes to `actor_json` one JSON object:
   *   {"kind": "token" | "api_key", "user": ..., "role": ..., "organisation": ...,
   *    "on_behalf_of": ... (or ""), "access_point": ..., "emergency": true | false,
   *    "scope": ... (the token's
   *    "scope" claim, e.g. "portfolio" or "tenancy:T-1"; "" when none),
   *    "expires_at_ms": ... (the token's exp; 0 for an API key)}
   * On HEARTH_ERROR_DENIED writes one line saying why (expired, bad signature, unknown
   * key, ...) — safe to log, it never repeats the credential. HEARTH_ERROR_INVALID_ARGUMENT
   * for NULL or empty input. [any-thread] */
  int32_t (*authenticate)(const hearth_host *host, const char *credential,
                          const hearth_text_sink *actor_json);
} hearth_credentials_extension;

#ifdef __cplusplus
}
#endif

#endif /* HEARTH_CREDENTIALS_H */
