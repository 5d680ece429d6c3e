/* Compiles hearth/early_warning.h as C99 with every warning an error: the header is for C
 * callers too. Nothing runs. */
#include "hearth/early_warning.h"

/* A C caller's use of the table, for the compiler only. */
int hearth_ew_header_check(const hearth_ew_lookup_table *table, const hearth_actor *actor);

int hearth_ew_header_check(const hearth_ew_lookup_table *table, const hearth_actor *actor) {
  hearth_ew_reader *reader = 0;
  hearth_ew_flag_summary summary = {0};
  char *error = 0;
  int32_t status = table->open_reader(actor, &reader, &error);
  if (status != HEARTH_OK) {
    table->free(error);
    return (int)status;
  }
  summary.struct_size = (uint32_t)sizeof summary;
  status = table->lookup(reader, "T-1", &summary);
  table->close_reader(reader);
  return status == HEARTH_OK && summary.flag_status == HEARTH_EW_FLAG_ACCEPTED ? 1 : 0;
}
