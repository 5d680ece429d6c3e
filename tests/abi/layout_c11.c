/*
 * layout_c11.c — compile-time check, in C11, that every public struct keeps its LP64
 * size, alignment and field offsets, and every public constant its value
 * (expected_layout.h). Compiling this file is the test.
 */
#include <hearth/host.h>

#include <stddef.h>

#include "expected_layout.h"

#define HEARTH_CHECK_SIZE(type, size, align)                                               \
  _Static_assert(sizeof(type) == (size), "sizeof(" #type ") changed: ABI break");          \
  _Static_assert(_Alignof(type) == (align), "_Alignof(" #type ") changed: ABI break");

#define HEARTH_CHECK_OFFSET(type, field, offset)                                           \
  _Static_assert(offsetof(type, field) == (offset),                                        \
                 "offsetof(" #type ", " #field ") changed: ABI break");

#define HEARTH_CHECK_CONSTANT(name, value)                                                 \
  _Static_assert((long long)(name) == (long long)(value), #name " was renumbered: ABI break");

HEARTH_EXPECTED_SIZES(HEARTH_CHECK_SIZE)
HEARTH_EXPECTED_OFFSETS(HEARTH_CHECK_OFFSET)
HEARTH_EXPECTED_CONSTANTS(HEARTH_CHECK_CONSTANT)

/* The entry records the pointer width, and the ABI numbers are unsigned in both headers. */
_Static_assert(sizeof(void *) == 8, "expected_layout.h holds LP64 numbers");
_Static_assert(HEARTH_ABI_MAJOR >= 1u, "HEARTH_ABI_MAJOR must be at least 1");

/* A named declaration, so the translation unit is not empty for -pedantic. */
typedef int hearth_layout_c11_checked;
