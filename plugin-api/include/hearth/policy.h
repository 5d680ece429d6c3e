/*
 * hearth/policy.h — the policy service, extension "nl.hearth.policy/1": who may do what
 * with which class of personal data. Denied by default. Since 1.0.
 *
 * A plugin gets it with host->get_extension(host, HEARTH_POLICY_EXTENSION_ID) and asks it
 * before it reads, shows or shares personal data it holds itself.
 */
#ifndef HEARTH_POLICY_H
#define HEARTH_POLICY_H

#include <stdint.h>

#include "actor.h"
#include "host_services.h"

#ifdef __cplusplus
extern "C" {
#endif

#define HEARTH_POLICY_EXTENSION_ID "nl.hearth.policy/1"

/* Actions (NEN 7513's list). Since 1.0. */
#define HEARTH_ACTION_CREATE "create"
#define HEARTH_ACTION_READ "read"
#define HEARTH_ACTION_UPDATE "update"
#define HEARTH_ACTION_DELETE "delete"
#define HEARTH_ACTION_SEARCH "search"
#define HEARTH_ACTION_EXPORT "export"

/* Data classes. Since 1.0. */
#define HEARTH_DATA_CONTACT "contact"
#define HEARTH_DATA_HOUSING "housing"
#define HEARTH_DATA_FINANCE "finance"
#define HEARTH_DATA_NUISANCE "nuisance"
#define HEARTH_DATA_CARE "care"
#define HEARTH_DATA_CASE_PLAN "case_plan"

/* What is known of the record being accessed, for the record rules. Since 1.0. Every
 * pointer is borrowed and may be NULL when not applicable. */
typedef struct hearth_record_context {
  uint32_t struct_size;
  uint32_t care_basis_recorded; /* 1 when a legal basis or consent for care data is recorded
                                   for this case */
  const char *tenancy_id;       /* the tenancy the record belongs to */
  const char *portfolio_owner;  /* the consultant whose portfolio holds the tenancy */
  const char *tenant_user;      /* the user id of the tenant of that tenancy */
  const char *reporter_user;    /* for a report: the user id of whoever made it */
  const char *case_members;     /* ','-separated user ids working on the case, or NULL */
} hearth_record_context;

/* Since 1.0. Owned by the runtime; valid until the plugin's deinit() returns. */
typedef struct hearth_policy_extension {
  uint32_t struct_size;
  uint32_t reserved;
  /* Decides whether `actor` may do `action` on `data_class` for the record described by
   * `record` (may be NULL: then only the role matrix is asked, and record rules that need
   * a record deny). Returns HEARTH_OK when allowed, HEARTH_ERROR_DENIED when not (with
   * the reason in *reason, freed with host->free), HEARTH_ERROR_INVALID_ARGUMENT for an
   * unknown action or data class. Does not write the audit log. [any-thread] */
  int32_t (*check)(const hearth_host *host, const hearth_actor *actor, const char *action,
                   const char *data_class, const hearth_record_context *record, char **reason);
} hearth_policy_extension;

#ifdef __cplusplus
}
#endif

#endif /* HEARTH_POLICY_H */
