/*
 * hearth/value.h — one typed value, used for SQL parameters and result columns.
 *
 * Rationale: hearth_value travels in arrays (parameters, a result row), and an array of a
 * struct that grows could not be indexed by code built against an older header. So this
 * struct is frozen: it has no struct_size and will never change in ABI 1.x. A new kind of
 * value gets a new `type` code that reuses the existing fields.
 */
#ifndef HEARTH_VALUE_H
#define HEARTH_VALUE_H

#include <stdint.h>

/* Since 1.0. */
enum hearth_value_type {
  HEARTH_VALUE_NULL = 0,
  HEARTH_VALUE_INT64 = 1,  /* in `int64` */
  HEARTH_VALUE_DOUBLE = 2, /* in `real` */
  HEARTH_VALUE_TEXT = 3,   /* UTF-8 in `data`, `size` bytes, NUL-terminated on output */
  HEARTH_VALUE_BLOB = 4    /* bytes in `data`, `size` bytes */
};

/* A typed value. Since 1.0. Frozen (see above).
 * `data` is borrowed: owned by whoever filled the value, valid only during the call it was
 * passed to. On input, a TEXT value with size 0 and non-NULL data is measured with
 * strlen(). */
typedef struct hearth_value {
  uint32_t type; /* enum hearth_value_type */
  uint32_t reserved; /* zero */
  int64_t int64;
  double real;
  const char *data;
  uint64_t size;
} hearth_value;

#endif /* HEARTH_VALUE_H */
