/*
 * template_adapter.c — a complete host adapter in plain C99, written to be copied: it
 * reads a back office's export and hands it to Hearth through the embedding API
 * (<hearth/host.h>) only. docs/integrators/adapter-guide.md walks through it.
 *
 *   hearth-template-adapter CONFIG_DIR EXPORT [RECORDS.json]
 *
 * EXPORT has one signal per line, ';'-separated:
 *   external_id;tenancy_id;YYYY-MM-DD;TYPE;DETAIL;AMOUNT_CENTS
 * (DETAIL and AMOUNT_CENTS may be empty; TYPE and DETAIL are codes of the product's signal
 * table, docs/data.md). RECORDS.json, when given, is a JSON array of reference records
 * (units, tenancies) stored first, as an adapter for a contract system would.
 *
 * What it shows, top to bottom:
 *   1. opening a runtime and acting as a system actor;
 *   2. turning input into hearth_signal values, refusing a bad line with the field named
 *      and recording that refusal as a dead letter (never the line itself);
 *   3. ingesting everything in one batch: idempotent (run it twice: all duplicates), all or
 *      nothing (the runtime names the first field at fault);
 *   4. freeing what the library returns with hearth_free().
 * Rules worth keeping: never log or print a value from the input (it may be a BSN or a
 * name); every identifier you send is the source's pseudonymous id.
 */
#include <hearth/host.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TEMPLATE_SOURCE "template:example" /* your "<system>:<site>": part of the idempotency key */
#define TEMPLATE_MAX_LINES 10000
#define TEMPLATE_LINE_SIZE 512

/* One parsed line; the strings point into `text`. */
typedef struct template_line {
  char text[TEMPLATE_LINE_SIZE];
  const char *fields[6];
} template_line;

/* Days from 1970-01-01 to the civil date y-m-d (proleptic Gregorian). */
static long long days_from_civil(long long y, unsigned m, unsigned d) {
  const long long era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = (unsigned)(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  y -= m <= 2;
  return era * 146097 + (long long)doe - 719468;
}

/* Parses "YYYY-MM-DD" into Unix epoch milliseconds at midnight UTC; 0 when malformed. */
static long long parse_date_ms(const char *text) {
  unsigned year = 0, month = 0, day = 0;
  char rest = 0;
  if (strlen(text) != 10 || sscanf(text, "%4u-%2u-%2u%c", &year, &month, &day, &rest) != 3 || month < 1 ||
      month > 12 || day < 1 || day > 31) {
    return 0;
  }
  return days_from_civil((long long)year, month, day) * 86400000LL;
}

/* Splits `line->text` at ';' into its six fields (missing trailing ones are ""). Returns
 * the number of fields found. */
static int split_line(template_line *line) {
  int count = 0;
  char *cursor = line->text;
  line->text[strcspn(line->text, "\r\n")] = '\0';
  while (count < 6) {
    line->fields[count++] = cursor;
    cursor = strchr(cursor, ';');
    if (cursor == NULL) {
      break;
    }
    *cursor++ = '\0';
  }
  for (int i = count; i < 6; ++i) {
    line->fields[i] = "";
  }
  return count;
}

/* Records that line `index` was refused: which field and why — never its content. */
static void dead_letter(hearth_runtime *runtime, const hearth_actor *actor, unsigned index, const char *field,
                        const char *reason, const char *payload) {
  char *error = NULL;
  if (hearth_runtime_dead_letter(runtime, actor, TEMPLATE_SOURCE, index, field, reason, payload, strlen(payload),
                                 &error) != HEARTH_OK) {
    fprintf(stderr, "template: the dead letter was not stored: %s\n", error != NULL ? error : "?");
  }
  hearth_free(error);
  fprintf(stderr, "template: line %u refused: %s %s\n", index + 1, field, reason);
}

/* Reads a whole small file into a NUL-terminated buffer the caller frees; NULL on failure. */
static char *read_file(const char *path) {
  FILE *file = fopen(path, "rb");
  char *text = NULL;
  long size = 0;
  if (file == NULL) {
    return NULL;
  }
  if (fseek(file, 0, SEEK_END) == 0 && (size = ftell(file)) >= 0 && fseek(file, 0, SEEK_SET) == 0 &&
      (text = malloc((size_t)size + 1)) != NULL) {
    if (fread(text, 1, (size_t)size, file) != (size_t)size) {
      free(text);
      text = NULL;
    } else {
      text[size] = '\0';
    }
  }
  fclose(file);
  return text;
}

int main(int argc, char **argv) {
  hearth_runtime *runtime = NULL;
  char *error = NULL;
  static template_line lines[TEMPLATE_MAX_LINES];
  static hearth_signal signals[TEMPLATE_MAX_LINES];
  static const hearth_signal *pointers[TEMPLATE_MAX_LINES];
  unsigned count = 0, index = 0, refused = 0;
  FILE *input;
  hearth_ingest_result result;
  hearth_actor actor;
  int32_t status;

  if (argc < 3 || argc > 4) {
    fprintf(stderr, "usage: %s CONFIG_DIR EXPORT [RECORDS.json]\n", argv[0]);
    return 2;
  }
  /* 1. A runtime, and who we are: a system, audited as such. */
  if (hearth_runtime_open(argv[1], &runtime, &error) != HEARTH_OK) {
    fprintf(stderr, "template: %s\n", error != NULL ? error : "cannot open the runtime");
    hearth_free(error);
    return 1;
  }
  memset(&actor, 0, sizeof actor);
  actor.struct_size = sizeof actor;
  actor.user = "adapter:template";
  actor.role = HEARTH_ROLE_SYSTEM;
  actor.organisation = "corp:example";
  actor.access_point = "adapter:template";

  if (argc == 4) {
    char *records = read_file(argv[3]);
    uint32_t stored = 0;
    if (records == NULL || hearth_runtime_put_records(runtime, &actor, records, &stored, &error) != HEARTH_OK) {
      fprintf(stderr, "template: records not stored: %s\n", error != NULL ? error : "cannot read the file");
      hearth_free(error);
      free(records);
      hearth_runtime_close(runtime);
      return 1;
    }
    free(records);
    printf("records %u\n", (unsigned)stored);
  }

  /* 2. Each line becomes a signal, or a dead letter naming the field. */
  input = fopen(argv[2], "r");
  if (input == NULL) {
    fprintf(stderr, "template: cannot read the export\n");
    hearth_runtime_close(runtime);
    return 1;
  }
  while (count < TEMPLATE_MAX_LINES && fgets(lines[count].text, TEMPLATE_LINE_SIZE, input) != NULL) {
    template_line *line = &lines[count];
    hearth_signal *signal = &signals[count];
    char payload[TEMPLATE_LINE_SIZE];
    char *end = NULL;
    long long amount = 0;
    const unsigned this_line = index++;
    strcpy(payload, line->text);
    if (split_line(line) < 4) {
      dead_letter(runtime, &actor, this_line, "line", "has fewer than 4 fields", payload);
      ++refused;
      continue;
    }
    memset(signal, 0, sizeof *signal);
    signal->struct_size = sizeof *signal;
    signal->source = TEMPLATE_SOURCE;
    signal->external_id = line->fields[0];
    signal->tenancy_id = line->fields[1];
    signal->occurred_at_ms = parse_date_ms(line->fields[2]);
    signal->type = line->fields[3];
    signal->detail = line->fields[4];
    if (signal->occurred_at_ms == 0) {
      dead_letter(runtime, &actor, this_line, "date", "is not a date YYYY-MM-DD", payload);
      ++refused;
      continue;
    }
    if (line->fields[5][0] != '\0') {
      amount = strtoll(line->fields[5], &end, 10);
      if (*end != '\0' || amount < 0) {
        dead_letter(runtime, &actor, this_line, "amount_cents", "is not a whole number of cents >= 0", payload);
        ++refused;
        continue;
      }
    }
    signal->amount_cents = amount;
    /* The legal basis and purpose come from your processing register; these fit rent arrears. */
    signal->legal_basis = "wgs-vroegsignalering";
    signal->purpose = "early-warning";
    pointers[count] = signal;
    ++count;
  }
  fclose(input);

  /* 3. One batch: all or nothing, idempotent on (source, external_id). */
  memset(&result, 0, sizeof result);
  result.struct_size = sizeof result;
  status = count > 0 ? hearth_runtime_ingest(runtime, &actor, pointers, count, &result, &error) : HEARTH_OK;
  if (status != HEARTH_OK) {
    /* The runtime names the first field at fault ("signals[2].type: ...") and has kept a
     * dead letter for each refused signal. */
    fprintf(stderr, "template: nothing stored: %s\n", error != NULL ? error : hearth_status_name(status));
  }
  printf("accepted %u, duplicate %u, rejected %u\n", (unsigned)result.accepted, (unsigned)result.duplicates,
         (unsigned)(result.rejected + refused));
  /* 4. What the library returned is freed by the library. */
  hearth_free(error);
  hearth_runtime_close(runtime);
  return status == HEARTH_OK && refused == 0 ? 0 : 1;
}
