/*
 * hearth/event.h — events on the runtime's bus.
 *
 * An event is plain data: a type id, the subject it concerns, the time it happened and a
 * JSON payload. Events for the same subject are delivered to each subscriber in the order
 * they were published (see docs/adr/0003-event-bus.md). Third parties name their own event
 * types in their own reverse-DNS name space ("com.example.crm.note/1").
 */
#ifndef HEARTH_EVENT_H
#define HEARTH_EVENT_H

#include <stdint.h>

/* Event types the runtime itself publishes. Since 1.0. */
#define HEARTH_EVENT_PLUGIN_LOADED "nl.hearth.runtime.plugin-loaded/1"

/* Published by the runtime after an erasure request (hearth_runtime_command "erase-tenancy"
 * or "erase-person") has committed and erased something, so that plugins delete what they
 * keep in their own tables. Subject "tenancy:<id>" or "person:<id>"; payload
 * {"kind":"tenancy","tenancy_id":".."} or {"kind":"person","person_id":"..","tenancy_id":".."}
 * (tenancy_id: the tenancy the person belonged to, read before the delete; null when none).
 * Never a BSN or a name. Since 1.2. */
#define HEARTH_EVENT_DATA_ERASED "nl.hearth.data.erased/1"

/* One event. Since 1.0.
 * Strings are borrowed: a publisher owns them until the publish call returns (the bus
 * copies); a subscriber may read them only during its callback and must copy what it
 * keeps. Copying the struct with memcpy copies the pointers, not the text. */
typedef struct hearth_event {
  uint32_t struct_size;  /* sizeof(hearth_event) as the filler knew it */
  uint32_t flags;        /* zero; reserved for later use */
  int64_t occurred_at_ms; /* when it happened, Unix epoch milliseconds, UTC */
  const char *type;      /* required: reverse-DNS type id with a version suffix */
  const char *subject;   /* required: ordering key, e.g. "tenancy:5f2c"; never a BSN or name */
  const char *source;    /* who published it; set by the bus to the plugin id or "host" */
  const char *payload;   /* UTF-8 JSON text, or NULL for none */
  uint64_t sequence;     /* set by the bus: 1, 2, 3 ... in publish order; 0 on input */
} hearth_event;

/* Called with a batch of events, oldest first. `events` and every event in it are
 * borrowed for the duration of the call. Return HEARTH_OK; any other status is logged
 * against the subscriber and does not stop delivery to others.
 * [worker] Never called concurrently for the same subscription. Should not block long. */
typedef int32_t (*hearth_event_callback)(void *user_data, const hearth_event *const *events,
                                         uint32_t count);

#endif /* HEARTH_EVENT_H */
