/*
 * selftest_api.h — a tiny public API used to prove that scripts/check-abi.sh and
 * plugin-api/abi/suppressions.ini catch real ABI breaks. One source, several builds:
 * each SELFTEST_* macro makes one kind of change against the baseline build (none set).
 * Functions are named hearth_* because check-abi.sh records only such symbols.
 */
#ifndef HEARTH_ABIDIFF_SELFTEST_API_H
#define HEARTH_ABIDIFF_SELFTEST_API_H

#include <stdint.h>

/* A growable struct, like hearth_event: starts with struct_size. */
typedef struct selftest_record {
  uint32_t struct_size;
  uint32_t flags;
  const char *name;
#if defined(SELFTEST_INSERT_FIELD_IN_MIDDLE)
  int64_t inserted_in_middle; /* moves `value`: a break */
#endif
  int64_t value;
#if defined(SELFTEST_APPEND_FIELD_AT_END)
  int64_t appended_at_end; /* allowed in a minor release */
#endif
} selftest_record;

/* Named like the real frozen struct (hearth/value.h): the suppressions must not let a
 * field be appended to it, since it travels in arrays. */
typedef struct hearth_value {
  uint32_t type;
  uint32_t reserved;
  int64_t int64;
#if defined(SELFTEST_APPEND_FIELD_TO_FROZEN)
  int64_t appended_to_frozen; /* a break: arrays of hearth_value change stride */
#endif
} hearth_value;

/* Reads `record` and `values` (an array of `count`). */
#if defined(SELFTEST_CHANGE_SIGNATURE)
int32_t hearth_selftest_read(const selftest_record *record, const hearth_value *values, uint64_t count);
#else
int32_t hearth_selftest_read(const selftest_record *record, const hearth_value *values, uint32_t count);
#endif

#if defined(SELFTEST_ADD_FUNCTION)
/* A new function: allowed in a minor release, but reported against the same version's
 * baseline so that the baseline is updated on purpose. */
int32_t hearth_selftest_added(void);
#endif

#endif /* HEARTH_ABIDIFF_SELFTEST_API_H */
