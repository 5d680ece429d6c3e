/*
 * hearth/audit.h — the audit service, extension "nl.hearth.audit/1": a plugin records each
 * access to personal data it holds itself in the runtime's NEN 7513 log. Since 1.1.
 *
 * The runtime audits what passes through host.h itself (ingest, reads, commands). A
 * plugin that stores personal data (flags, cases, plans) records its own creates, reads,
 * updates, searches and exports here, in the same storage transaction as the change, so a
 * rollback takes the entry with it.
 */
#ifndef HEARTH_AUDIT_H
#define HEARTH_AUDIT_H

#include <stdint.h>

#include "actor.h"
#include "host_services.h"

#ifdef __cplusplus
extern "C" {
#endif

#define HEARTH_AUDIT_EXTENSION_ID "nl.hearth.audit/1"

/* One access. Since 1.1. Every pointer is borrowed for the call. Ids are pseudonymous:
 * never a BSN or a name (a BSN in any field is refused). */
typedef struct hearth_audit_record {
  uint32_t struct_size;
  uint32_t denied;        /* 1 when the access was refused (a refusal is audited too) */
  const char *event;      /* required: one of HEARTH_ACTION_* (hearth/policy.h) */
  const char *objects;    /* required: ','-separated object ids, e.g. "tenancy:T-1,flag:42" */
  const char *purpose;    /* optional: the purpose or legal basis code; NULL for none */
} hearth_audit_record;

/* Since 1.1. Owned by the runtime; valid until the plugin's deinit() returns. */
typedef struct hearth_audit_extension {
  uint32_t struct_size;
  uint32_t reserved;
  /* Appends one entry for `actor` (who, on whose behalf, organisation, role, access
   * point, emergency: all from the actor) at the runtime clock's time. Inside a
   * host->storage_transaction() on the same thread the entry joins that transaction;
   * otherwise it commits on its own. HEARTH_ERROR_INVALID_ARGUMENT (with *error naming the
   * field) for a missing field, an unknown event or an actor without user, role,
   * organisation or access point. [any-thread] may block: entries form one hash chain. */
  int32_t (*record)(const hearth_host *host, const hearth_actor *actor,
                    const hearth_audit_record *record, char **error);
} hearth_audit_extension;

#ifdef __cplusplus
}
#endif

#endif /* HEARTH_AUDIT_H */
