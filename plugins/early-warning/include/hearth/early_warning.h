/*
 * hearth/early_warning.h — the early-warning plugin's typed flag lookup, factory
 * "nl.hearth.early-warning.lookup/1": for in-process callers (a CRM screen embedding
 * Hearth) that show a tenancy's risk level and flag next to its record and need more speed
 * than JSON allows. Since plugin version 0.1 (ABI 1.1).
 *
 * A caller gets the table with
 *
 *   const hearth_ew_lookup_table *ew = (const hearth_ew_lookup_table *)
 *       hearth_runtime_plugin_factory(rt, HEARTH_EW_PLUGIN_ID, HEARTH_EW_LOOKUP_FACTORY_ID);
 *
 * opens one reader per actor (a person at a screen), looks tenancies up through it, and
 * closes it. Everything else the plugin offers (explanations, decisions, portfolios,
 * rescoring, backtests) goes through its operations: hearth_runtime_call() or
 * POST /api/v1/nl.hearth.early-warning/<operation> (docs/early-warning.md).
 *
 * Policy and audit (docs/adr/0008-flag-lookup.md): the first lookup of a tenancy through
 * a reader asks the policy service (hearth/policy.h) whether the reader's actor may read
 * the tenancy's flags, with the tenancy's record context; the reader remembers the answer
 * for its life. A tenancy the actor may not see answers HEARTH_ERROR_NOT_FOUND, exactly
 * like an unknown one. Every lookup, allowed or refused, is recorded in the NEN 7513
 * audit log (hearth/audit.h) as a "read" of "tenancy:<id>" (an id Hearth does not hold
 * as "tenancy:unknown"). The reader collects them in batches and hands a batch to the
 * plugin's audit thread after 1024 lookups and on the first lookup more than 5 seconds
 * after the batch began; flush() and close_reader() hand over the rest and wait until
 * everything the reader handed over is written. A lookup never waits for the audit log.
 * A process that dies loses at most the entries not yet written (never data: lookups
 * change nothing). Readers are meant to be short-lived: a policy change or a change of a
 * tenancy's consultant reaches a reader opened afterwards.
 *
 * Conventions are those of hearth/version.h and hearth/host.h: plain C99, every struct
 * starts with struct_size (set by whoever fills it), text the plugin returns through a
 * `char **` is freed with the table's free().
 */
#ifndef HEARTH_EARLY_WARNING_H
#define HEARTH_EARLY_WARNING_H

#include <stdint.h>

#include "hearth/actor.h"
#include "hearth/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The plugin's id and the factory id of the lookup table. Since 0.1. */
#define HEARTH_EW_PLUGIN_ID "nl.hearth.early-warning"
#define HEARTH_EW_LOOKUP_FACTORY_ID "nl.hearth.early-warning.lookup/1"

/* The event the plugin publishes when a person accepts a flag (after commit), and only
 * then: nothing downstream may act on a flag no person accepted. Subject
 * "tenancy:<id>"; payload {"flag_id","tenancy_id","level","score","rule_set_version",
 * "rule_set_sha256","decided_at_ms"}. Since 0.1. */
#define HEARTH_EW_EVENT_FLAG_ACCEPTED "nl.hearth.flag.accepted/1"

/* The event the plugin publishes when a revision (operation flag.revise) takes back the
 * acceptance of a flag: its latest decision is no longer "accepted", so whatever acted on
 * HEARTH_EW_EVENT_FLAG_ACCEPTED must stop. A later revision that accepts it again
 * publishes HEARTH_EW_EVENT_FLAG_ACCEPTED again. Subject "tenancy:<id>"; payload
 * {"flag_id","tenancy_id","status" (overridden or dismissed),"level" (the level a person
 * set, "" when dismissed),"score","rule_set_version","rule_set_sha256","decision" (its
 * number),"decided_at_ms"}. Since plugin version 0.2. */
#define HEARTH_EW_EVENT_FLAG_WITHDRAWN "nl.hearth.flag.withdrawn/1"

/* A risk level. Since 0.1. */
enum hearth_ew_level {
  HEARTH_EW_LEVEL_NONE = 0,  /* not scored: scoring is off (globally or for the tenancy's
                                neighbourhood), or the tenancy has no scored signal yet */
  HEARTH_EW_LEVEL_GREEN = 1,
  HEARTH_EW_LEVEL_AMBER = 2,
  HEARTH_EW_LEVEL_RED = 3
};

/* Where a flag stands. Only ACCEPTED may be acted on. Since 0.1. */
enum hearth_ew_flag_status {
  HEARTH_EW_FLAG_NONE = 0,       /* the tenancy has no flag */
  HEARTH_EW_FLAG_PROPOSED = 1,   /* advice waiting for a person's decision */
  HEARTH_EW_FLAG_ACCEPTED = 2,   /* a person agreed; the flag may be acted on */
  HEARTH_EW_FLAG_OVERRIDDEN = 3, /* a person set another level, with a reason */
  HEARTH_EW_FLAG_DISMISSED = 4   /* a person found it unfounded, with a reason */
};

/* What a lookup answers for one tenancy. Since 0.1. The caller sets struct_size; the
 * plugin fills the fields that fit in it. */
typedef struct hearth_ew_flag_summary {
  uint32_t struct_size;
  uint32_t level;        /* enum hearth_ew_level: the score's level now */
  int32_t score;         /* the score at as_of_ms (0 when level is NONE) */
  uint32_t flag_status;  /* enum hearth_ew_flag_status of the tenancy's latest flag */
  uint32_t flag_level;   /* enum hearth_ew_level: the latest flag's level; for an
                            overridden flag the level the person set */
  int32_t flag_score;    /* the latest flag's score when it was raised */
  int64_t as_of_ms;      /* when `score` was evaluated: the tenancy's latest scored signal
                            (Unix epoch ms, minute precision); 0 when level is NONE */
  char flag_id[40];      /* the latest flag's id ("F<seq>-<hash>"), "" when none; use it
                            with the operations flag.explain and flag.decide */
} hearth_ew_flag_summary;

/* A reader: one actor's lookups. Opaque. Since 0.1. */
typedef struct hearth_ew_reader hearth_ew_reader;

/* The lookup table. Since 0.1. Owned by the plugin; valid until hearth_runtime_close()
 * (every reader must be closed before that). */
typedef struct hearth_ew_lookup_table {
  uint32_t struct_size;
  uint32_t reserved;

  /* Opens a reader for `actor` (copied; user, role, organisation and access_point are
   * required). On HEARTH_OK *reader is set; close it with close_reader(). Asks nothing
   * yet: the policy is asked per tenancy on its first lookup.
   * HEARTH_ERROR_INVALID_ARGUMENT (with *error naming the field) for a missing field.
   * [any-thread] */
  int32_t (*open_reader)(const hearth_actor *actor, hearth_ew_reader **reader, char **error);

  /* Looks up tenancy `tenancy_id` and fills *summary. HEARTH_OK; HEARTH_ERROR_NOT_FOUND
   * for a tenancy Hearth does not know and for one the actor may not see (the same
   * answer); HEARTH_ERROR_INVALID_ARGUMENT for a NULL argument or a summary whose
   * struct_size is too small. Audited as described above. Does not block once the
   * reader has seen the tenancy, except when it writes a batch of audit entries.
   * [one thread at a time per reader] */
  int32_t (*lookup)(hearth_ew_reader *reader, const char *tenancy_id, hearth_ew_flag_summary *summary);

  /* Hands over the reader's pending audit entries and waits until every batch the reader
   * handed over is written. HEARTH_OK, or HEARTH_ERROR_IO with *error when the audit
   * service refused the last batch (it is then lost, and the runtime's log says how many
   * lookups it held). [one thread at a time per reader] blocks. */
  int32_t (*flush)(hearth_ew_reader *reader, char **error);

  /* As flush(), then frees the reader. NULL is allowed. Entries that cannot be written
   * are reported in the runtime's log (by count, never by id).
   * [one thread at a time per reader] blocks. */
  void (*close_reader)(hearth_ew_reader *reader);

  /* Frees text the table returned. NULL is allowed. [any-thread] */
  void (*free)(void *pointer);
} hearth_ew_lookup_table;

#ifdef __cplusplus
}
#endif

#endif /* HEARTH_EARLY_WARNING_H */
