/* selftest_api.c — the implementation behind selftest_api.h; its bodies do not matter,
 * only the interface that abidw records from the debug information. */
#include "selftest_api.h"

#if defined(SELFTEST_CHANGE_SIGNATURE)
int32_t hearth_selftest_read(const selftest_record *record, const hearth_value *values, uint64_t count)
#else
int32_t hearth_selftest_read(const selftest_record *record, const hearth_value *values, uint32_t count)
#endif
{
  int64_t sum = record != 0 ? record->value : 0;
  uint64_t i;
  for (i = 0; i < (uint64_t)count; ++i) {
    sum += values[i].int64;
  }
  return sum != 0 ? 1 : 0;
}

#if defined(SELFTEST_ADD_FUNCTION)
int32_t hearth_selftest_added(void) { return 0; }
#endif
