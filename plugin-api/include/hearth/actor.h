/*
 * hearth/actor.h — who is acting: the person or system behind a call, as the policy
 * service decides on it and the audit log (NEN 7513) records it. Since 1.0.
 */
#ifndef HEARTH_ACTOR_H
#define HEARTH_ACTOR_H

#include <stdint.h>

/* Role ids. Since 1.0. A site's config/policy.ini grants each role its actions per data
 * class; a role it does not name is denied everything. */
#define HEARTH_ROLE_TENANT "tenant"
#define HEARTH_ROLE_NEIGHBOUR "neighbour"
#define HEARTH_ROLE_HOUSING_CONSULTANT "housing_consultant"
#define HEARTH_ROLE_CARE_PROFESSIONAL "care_professional"
#define HEARTH_ROLE_COORDINATOR "coordinator"
#define HEARTH_ROLE_AUDITOR "auditor"
#define HEARTH_ROLE_ADMINISTRATOR "administrator"
#define HEARTH_ROLE_SYSTEM "system"

/* The actor of a call. Since 1.0. Every pointer is borrowed for the call.
 * `user` and `on_behalf_of` are pseudonymous ids of the calling system (an employee
 * number, an account id), never a name or a BSN. */
typedef struct hearth_actor {
  uint32_t struct_size;
  uint32_t emergency;        /* 1 when emergency access ("break the glass") is claimed */
  const char *user;          /* required */
  const char *role;          /* required: one of the HEARTH_ROLE_* ids */
  const char *organisation;  /* required: e.g. "corp:woonstad", "gemeente:0363" */
  const char *on_behalf_of;  /* optional: the user this one acts for */
  const char *access_point;  /* required: where the call came from, e.g. "crm:viewpoint", "cli" */
} hearth_actor;

#endif /* HEARTH_ACTOR_H */
