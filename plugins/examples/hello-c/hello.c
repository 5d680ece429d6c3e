/*
 * hello.c — a complete Hearth plugin in plain C99, written to be copied.
 *
 * What it shows, top to bottom:
 *   1. the descriptor and the entry (the one exported symbol, hearth_get_plugin_entry);
 *   2. init(): logging, reading configuration, a schema migration, a bus subscription,
 *      and undoing all of it when a host service fails;
 *   3. an event callback that writes rows inside one storage transaction;
 *   4. a query handler (factory "nl.hearth.query/1") that reads rows back as JSON;
 *   5. deinit(): ending the subscription, safe to call twice.
 *
 * Rules worth keeping when you copy this file:
 *   - Export nothing but hearth_get_plugin_entry. hearth_add_plugin() builds with hidden
 *     visibility and a version script; keep every other function `static` anyway.
 *   - Never let a host-owned pointer outlive deinit(): the `hearth_host` table and the
 *     text config_get() returns are valid from init() until deinit() returns.
 *   - Free every `char *error` the host gives you with host->free, never with free():
 *     the host and the plugin may use different allocators.
 *   - Use host->clock_now_ms for anything stored or timed, so tests can fix the clock.
 *   - Log no personal data: event subjects are opaque keys, and that is all we log here.
 */
#include <hearth/plugin.h>
#include <hearth/query.h>

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------------------------------
 * Identity
 * ------------------------------------------------------------------------------------- */

/* The plugin id; also the name of its configuration section ("plugin.<id>.<key>"). */
#define HELLO_PLUGIN_ID "nl.hearth.example.hello-c"

/* The event type this plugin listens to. The "/1" suffix is the payload's version. */
#define HELLO_GREET_EVENT_TYPE "nl.hearth.example.greet/1"

/* Used when the configuration has no "greeting" key. */
#define HELLO_DEFAULT_GREETING "Hallo"

/* Feature ids this plugin offers, NULL-ended. Static: the descriptor points at it. */
static const char *const hello_features[] = {"nl.hearth.example", NULL};

/* Who we are. Static data, so it outlives every call the runtime makes. */
static const hearth_plugin_descriptor hello_descriptor = {
    sizeof(hearth_plugin_descriptor), /* struct_size: the size as this header knows it */
    HEARTH_PLUGIN_KIND_OTHER,         /* kind */
    HELLO_PLUGIN_ID,                  /* id */
    "Hello (C example)",              /* name */
    "Hearth",                         /* vendor */
    "1.0.0",                          /* version: the plugin's own release */
    "Stores a greeting for every greet event and answers questions about them.",
    hello_features, /* features */
    NULL            /* dependencies: none, so it can be initialised first */
};

/* ---------------------------------------------------------------------------------------
 * State
 *
 * A plugin module is loaded once per runtime, so plain static state is enough. Everything
 * here is written by init()/deinit() on the host thread; the event callback and queries
 * only read it, and the runtime calls them only between a successful init() and deinit().
 * ------------------------------------------------------------------------------------- */

/* The services table from init(), or NULL when the plugin is not running. */
static const hearth_host *hello_host = NULL;

/* The greeting written into every row: runtime-owned text or HELLO_DEFAULT_GREETING. */
static const char *hello_greeting = HELLO_DEFAULT_GREETING;

/* The id of our bus subscription; meaningful only when hello_subscribed is non-zero. */
static uint64_t hello_subscription = 0;

/* Non-zero while hello_subscription is live, so that deinit() ends it exactly once. */
static int hello_subscribed = 0;

/* ---------------------------------------------------------------------------------------
 * Small helpers
 * ------------------------------------------------------------------------------------- */

/* True when `host` is large enough to contain `field`: the way to test for a services
 * table field added in a later minor release before calling it. Every field used in this
 * file exists since 1.0, so against a 1.x runtime this always holds; it is checked once in
 * init() to show the pattern. */
#define HELLO_HOST_HAS(host, field)                                                       \
  ((host)->struct_size >= offsetof(hearth_host, field) + sizeof((host)->field))

/* Logs `message` at `level`, or does nothing when the plugin is not running. */
static void hello_log(int32_t level, const char *message) {
  if (hello_host != NULL) {
    hello_host->log(hello_host, level, message);
  }
}

/* Logs "<what> failed: <status name> (<code>): <host's message>" at ERROR level, then frees
 * the host's message. `host_error` may be NULL. */
static void hello_log_failure(const hearth_host *host, const char *what, int32_t status,
                              char *host_error) {
  char line[512];
  snprintf(line, sizeof line, "%s failed with status %d: %s", what, (int)status,
           host_error != NULL ? host_error : "(no message)");
  host->log(host, HEARTH_LOG_ERROR, line);
  host->free(host_error); /* the host allocated it, so the host frees it; NULL is fine */
}

/* Writes `text` (NUL-terminated) to a query's result sink. */
static void hello_sink_write(const hearth_text_sink *sink, const char *text) {
  sink->write(sink->user_data, text, (uint64_t)strlen(text));
}

/* Writes `text` (`size` bytes of UTF-8) to `sink` as a JSON string literal, quotes
 * included. Multi-byte UTF-8 passes through unchanged; quotes, backslashes and control
 * characters are escaped. */
static void hello_sink_write_json_string(const hearth_text_sink *sink, const char *text,
                                         uint64_t size) {
  uint64_t run_start = 0; /* first byte not yet written */
  uint64_t i;
  hello_sink_write(sink, "\"");
  for (i = 0; i < size; ++i) {
    const unsigned char byte = (unsigned char)text[i];
    char escape[8];
    if (byte != '"' && byte != '\\' && byte >= 0x20) {
      continue; /* part of the current unescaped run */
    }
    if (i > run_start) {
      sink->write(sink->user_data, text + run_start, i - run_start);
    }
    if (byte == '"' || byte == '\\') {
      escape[0] = '\\';
      escape[1] = (char)byte;
      escape[2] = '\0';
    } else {
      snprintf(escape, sizeof escape, "\\u%04x", (unsigned)byte);
    }
    hello_sink_write(sink, escape);
    run_start = i + 1;
  }
  if (size > run_start) {
    sink->write(sink->user_data, text + run_start, size - run_start);
  }
  hello_sink_write(sink, "\"");
}

/* ---------------------------------------------------------------------------------------
 * Schema
 * ------------------------------------------------------------------------------------- */

/* Migration 1. Portable SQL for SQLite, and a PostgreSQL variant: there an auto-numbered
 * key is BIGSERIAL, and INTEGER is 32 bits, too small for epoch milliseconds. */
static const hearth_migration hello_migration_1 = {
    sizeof(hearth_migration), /* struct_size */
    1u,                       /* version: never reuse or edit a published one */
    "create hello_greetings",
    "CREATE TABLE hello_greetings ("
    " id INTEGER PRIMARY KEY,"
    " subject TEXT NOT NULL,"
    " greeting TEXT NOT NULL,"
    " created_at_ms INTEGER NOT NULL)",
    "CREATE TABLE hello_greetings ("
    " id BIGSERIAL PRIMARY KEY,"
    " subject TEXT NOT NULL,"
    " greeting TEXT NOT NULL,"
    " created_at_ms BIGINT NOT NULL)"};

/* All migrations in ascending version. A later schema change appends migration 2 here. */
static const hearth_migration *const hello_migrations[] = {&hello_migration_1};

/* ---------------------------------------------------------------------------------------
 * Events
 * ------------------------------------------------------------------------------------- */

/* One batch of events, handed from the event callback to the transaction. */
typedef struct hello_batch {
  const hearth_event *const *events; /* borrowed from the bus for the callback's duration */
  uint32_t count;
} hello_batch;

/* Inserts one row per event of the batch. Runs inside storage_transaction(): any failure
 * returns the status and the whole batch rolls back. */
static int32_t hello_insert_batch(void *user_data) {
  const hello_batch *batch = (const hello_batch *)user_data;
  uint32_t i;
  for (i = 0; i < batch->count; ++i) {
    const hearth_event *event = batch->events[i];
    hearth_value params[3];
    char *error = NULL;
    int32_t status;

    /* Zero first: unused fields of a hearth_value must be zero. */
    memset(params, 0, sizeof params);
    params[0].type = HEARTH_VALUE_TEXT;
    params[0].data = event->subject; /* size 0: the host measures it with strlen() */
    params[1].type = HEARTH_VALUE_TEXT;
    params[1].data = hello_greeting;
    params[2].type = HEARTH_VALUE_INT64;
    params[2].int64 = hello_host->clock_now_ms(hello_host);

    status = hello_host->storage_execute(
        hello_host,
        "INSERT INTO hello_greetings (subject, greeting, created_at_ms) VALUES (?, ?, ?)",
        params, 3u, NULL, NULL, &error);
    if (status != HEARTH_OK) {
      hello_log_failure(hello_host, "inserting a greeting", status, error);
      return status;
    }
  }
  return HEARTH_OK;
}

/* The bus calls this on a worker thread with events of HELLO_GREET_EVENT_TYPE, oldest
 * first. The events are borrowed: we copy nothing because the rows are written before we
 * return. Writing the whole batch in one transaction is faster than a commit per row. */
static int32_t hello_on_greet_events(void *user_data, const hearth_event *const *events,
                                     uint32_t count) {
  hello_batch batch;
  char *error = NULL;
  int32_t status;
  (void)user_data; /* we passed NULL when subscribing; state is static */

  if (hello_host == NULL) {
    return HEARTH_ERROR_STATE; /* cannot happen between init() and deinit() */
  }
  batch.events = events;
  batch.count = count;
  status = hello_host->storage_transaction(hello_host, hello_insert_batch, &batch, &error);
  if (status != HEARTH_OK) {
    /* The bus logs the status against us as well; our line says what we were doing. */
    hello_log_failure(hello_host, "storing greet events", status, error);
  }
  return status;
}

/* ---------------------------------------------------------------------------------------
 * Queries (factory HEARTH_QUERY_FACTORY_ID)
 * ------------------------------------------------------------------------------------- */

/* What the "greetings" query reads from its one result row. */
typedef struct hello_greeting_summary {
  int64_t count;                /* -1 until the row arrives */
  const hearth_text_sink *sink; /* where the answer is written while the row is alive */
} hello_greeting_summary;

/* Reads an integer column whatever type the backend reported it as. */
static int64_t hello_value_as_int64(const hearth_value *value) {
  switch (value->type) {
  case HEARTH_VALUE_INT64:
    return value->int64;
  case HEARTH_VALUE_DOUBLE:
    return (int64_t)value->real;
  case HEARTH_VALUE_TEXT:
    return value->data != NULL ? (int64_t)strtoll(value->data, NULL, 10) : 0;
  default:
    return 0;
  }
}

/* Row callback of the "greetings" query: column 0 is the count, column 1 the most recent
 * subject or NULL. The row is borrowed, so the answer is written while we hold it. */
static int32_t hello_on_summary_row(void *user_data, const hearth_value *columns,
                                    const char *const *names, uint32_t count) {
  hello_greeting_summary *summary = (hello_greeting_summary *)user_data;
  char number[32];
  (void)names;
  if (count < 2u) {
    return 1; /* not the row we asked for; stop */
  }
  summary->count = hello_value_as_int64(&columns[0]);
  snprintf(number, sizeof number, "%lld", (long long)summary->count);
  hello_sink_write(summary->sink, "{\"count\":");
  hello_sink_write(summary->sink, number);
  hello_sink_write(summary->sink, ",\"last_subject\":");
  if (columns[1].type == HEARTH_VALUE_TEXT && columns[1].data != NULL) {
    hello_sink_write_json_string(summary->sink, columns[1].data, columns[1].size);
  } else {
    hello_sink_write(summary->sink, "null");
  }
  hello_sink_write(summary->sink, "}");
  return 1; /* one row is all there is */
}

/* "greetings": {"count":N,"last_subject":"..."} (last_subject is null when N is 0).
 * One statement, so count and subject come from the same snapshot. */
static int32_t hello_query_greetings(const hearth_text_sink *result) {
  hello_greeting_summary summary;
  char *error = NULL;
  int32_t status;
  summary.count = -1;
  summary.sink = result;
  status = hello_host->storage_execute(
      hello_host,
      "SELECT (SELECT COUNT(*) FROM hello_greetings),"
      " (SELECT subject FROM hello_greetings ORDER BY id DESC LIMIT 1)",
      NULL, 0u, hello_on_summary_row, &summary, &error);
  if (status != HEARTH_OK) {
    hello_log_failure(hello_host, "reading greetings", status, error);
    hello_sink_write(result, "reading the greetings table failed");
    return status;
  }
  if (summary.count < 0) {
    hello_sink_write(result, "the greetings summary returned no row");
    return HEARTH_ERROR_INTERNAL;
  }
  return HEARTH_OK;
}

/* Answers a question from the host. See hearth/query.h for the contract. */
static int32_t hello_query(const char *name, const char *args_json,
                           const hearth_text_sink *result) {
  if (hello_host == NULL) {
    hello_sink_write(result, "the plugin " HELLO_PLUGIN_ID " is not running");
    return HEARTH_ERROR_STATE;
  }
  if (name == NULL) {
    hello_sink_write(result, "name: a query name is required");
    return HEARTH_ERROR_INVALID_ARGUMENT;
  }
  if (strcmp(name, "greetings") == 0) {
    return hello_query_greetings(result);
  }
  if (strcmp(name, "echo") == 0) {
    /* Returns the arguments unchanged: handy to test a host's plumbing. */
    hello_sink_write(result, args_json != NULL ? args_json : "{}");
    return HEARTH_OK;
  }
  hello_sink_write(result, "unknown query \"");
  hello_sink_write(result, name);
  hello_sink_write(result, "\"; " HELLO_PLUGIN_ID " answers \"greetings\" and \"echo\"");
  return HEARTH_ERROR_NOT_FOUND;
}

/* Our query table. Static, so it is valid for as long as the module is loaded. */
static const hearth_query_handler hello_query_handler = {
    sizeof(hearth_query_handler), /* struct_size */
    0u,                           /* reserved */
    hello_query};

/* Returns the table for `factory_id`, or NULL for factories this plugin does not offer. */
static const void *hello_get_factory(const char *factory_id) {
  if (factory_id != NULL && strcmp(factory_id, HEARTH_QUERY_FACTORY_ID) == 0) {
    return &hello_query_handler;
  }
  return NULL;
}

/* ---------------------------------------------------------------------------------------
 * Lifecycle
 * ------------------------------------------------------------------------------------- */

/* Stops the plugin. Safe to call twice, and after a failed or partial init(). */
static void hello_deinit(void) {
  if (hello_host == NULL) {
    return; /* never started, or already stopped */
  }
  if (hello_subscribed) {
    /* When this returns our callback is not running and will not run again, so the
     * state below can be cleared safely. */
    int32_t status = hello_host->bus_unsubscribe(hello_host, hello_subscription);
    /* NOT_FOUND is fine: the runtime may already have ended a stopping plugin's
     * subscriptions itself. Anything else is worth a line in the log. */
    if (status != HEARTH_OK && status != HEARTH_ERROR_NOT_FOUND) {
      hello_log_failure(hello_host, "ending the greet subscription", status, NULL);
    }
    hello_subscribed = 0;
    hello_subscription = 0;
  }
  hello_log(HEARTH_LOG_INFO, "stopped");
  hello_greeting = HELLO_DEFAULT_GREETING;
  hello_host = NULL; /* the table is not ours to use after deinit() returns */
}

/* Starts the plugin. On failure it logs why, undoes what it did and returns the status. */
static int32_t hello_init(const hearth_host *host) {
  const char *configured_greeting;
  char *error = NULL;
  char line[256];
  int32_t status;

  if (host == NULL) {
    return HEARTH_ERROR_INVALID_ARGUMENT;
  }
  /* A 1.x host always has every 1.0 field; this shows how to guard a later one. */
  if (!HELLO_HOST_HAS(host, free)) {
    return HEARTH_ERROR_VERSION;
  }
  hello_host = host;

  /* Configuration: [plugin.nl.hearth.example.hello-c] greeting = ... in hearth.ini. */
  configured_greeting = host->config_get(host, "greeting");
  hello_greeting = configured_greeting != NULL ? configured_greeting : HELLO_DEFAULT_GREETING;
  snprintf(line, sizeof line, "starting (host ABI %u.%u), greeting \"%s\"",
           (unsigned)host->abi_major, (unsigned)host->abi_minor, hello_greeting);
  host->log(host, HEARTH_LOG_INFO, line);

  /* Schema: applied once per store, skipped when already there. */
  status = host->storage_migrate(host, hello_migrations,
                                 (uint32_t)(sizeof hello_migrations / sizeof hello_migrations[0]),
                                 &error);
  if (status != HEARTH_OK) {
    hello_log_failure(host, "applying the hello_greetings migration", status, error);
    hello_deinit();
    return status;
  }

  /* Events: the callback runs on a worker thread until deinit() unsubscribes. */
  status = host->bus_subscribe(host, HELLO_GREET_EVENT_TYPE, hello_on_greet_events, NULL,
                               &hello_subscription);
  if (status != HEARTH_OK) {
    hello_log_failure(host, "subscribing to " HELLO_GREET_EVENT_TYPE, status, NULL);
    hello_deinit();
    return status;
  }
  hello_subscribed = 1;

  host->log(host, HEARTH_LOG_INFO, "started");
  return HEARTH_OK;
}

/* ---------------------------------------------------------------------------------------
 * The entry
 * ------------------------------------------------------------------------------------- */

/* The entry, static data. HEARTH_PLUGIN_ENTRY_HEADER fills struct_size, magic, the ABI
 * version of the headers this file was compiled with, the pointer size and reserved. */
static const hearth_plugin_entry hello_entry = {
    HEARTH_PLUGIN_ENTRY_HEADER,
    &hello_descriptor, /* descriptor */
    hello_init,        /* init */
    hello_deinit,      /* deinit */
    hello_get_factory  /* get_factory */
};

/* The one exported symbol. The runtime offers the highest ABI it speaks; we answer with
 * our entry when we can serve it (same major, and the host's minor is at least the one we
 * were built against), or NULL to refuse. It must not allocate or start anything: the
 * runtime may call it just to inspect the module. */
HEARTH_PLUGIN_EXPORT const hearth_plugin_entry *hearth_get_plugin_entry(uint32_t host_abi_major,
                                                                        uint32_t host_abi_minor);

const hearth_plugin_entry *hearth_get_plugin_entry(uint32_t host_abi_major,
                                                   uint32_t host_abi_minor) {
  /* Compared with the entry's fields (not the macros) so the check reads the same when
   * HEARTH_ABI_MINOR is 0 and a compiler would call `minor < 0u` always false. */
  if (host_abi_major != hello_entry.abi_major || host_abi_minor < hello_entry.abi_minor) {
    return NULL;
  }
  return &hello_entry;
}
