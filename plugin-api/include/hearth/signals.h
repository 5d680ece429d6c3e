/*
 * hearth/signals.h — a signal from a back-office system: rent arrears, a nuisance report,
 * a repair visit without access, a missed appointment. Signals are what risk scoring
 * reads; they are ingested through hearth_runtime_ingest() (host.h). Since 1.0.
 *
 * Signal types are codes from the product's own table (docs/data.md), which uses VERA's
 * SIGNALERINGSOORT / SIGNALERINGDETAILSOORT codes wherever VERA has one.
 */
#ifndef HEARTH_SIGNALS_H
#define HEARTH_SIGNALS_H

#include <stdint.h>

/* The event type the runtime publishes, after commit, for every accepted signal. Its
 * payload is JSON: {"seq":..,"source":..,"external_id":..,"type":..,"detail":..,
 * "tenancy_id":..,"occurred_at_ms":..,"amount_cents":..,"severity":..,"data_class":..}.
 * The subject is "tenancy:<tenancy_id>". Since 1.0. */
#define HEARTH_EVENT_SIGNAL_ACCEPTED "nl.hearth.signal.accepted/1"

/* One signal. Since 1.0. Every pointer is borrowed for the call. Identifiers are
 * pseudonymous references of the source system, never a BSN or a name. */
typedef struct hearth_signal {
  uint32_t struct_size;
  uint32_t reserved;           /* zero */
  const char *source;          /* required: the source system, e.g. "vera:woonstad" */
  const char *external_id;     /* required: the record's id in the source; with `source`
                                  the idempotency key */
  const char *type;            /* required: e.g. "SCH" (rent debt), "OVE" (nuisance) */
  const char *detail;          /* optional: e.g. "BET" (payment arrears); NULL or "" for none */
  const char *tenancy_id;      /* required: a tenancy known to Hearth */
  int64_t occurred_at_ms;      /* required: when it happened, Unix epoch ms, UTC */
  int64_t amount_cents;        /* finance signals: the amount in euro cents (>= 0); else 0 */
  int32_t severity;            /* 0 = not given, else 1 (low) .. 5 (high) */
  uint32_t reserved2;          /* zero */
  const char *legal_basis;     /* required: a basis from the configured list, e.g. "avg-6-1-e" */
  const char *purpose;         /* required: e.g. "early-warning" */
  const char *reporter_user;   /* optional: for reports, the reporter's user id */
} hearth_signal;

/* What an ingestion did. Since 1.0. The caller sets struct_size. */
typedef struct hearth_ingest_result {
  uint32_t struct_size;
  uint32_t accepted;       /* stored now */
  uint32_t duplicates;     /* already stored earlier (same source and external id) */
  uint32_t rejected;       /* invalid; when non-zero nothing of the batch was stored */
  uint32_t first_rejected; /* index of the first rejected signal, when rejected > 0 */
  uint32_t reserved;
  uint64_t first_sequence; /* event-log positions of the accepted signals, 0 when none */
  uint64_t last_sequence;
} hearth_ingest_result;

#endif /* HEARTH_SIGNALS_H */
