// layout_cxx.cpp — the same compile-time layout check as layout_c11.c, as C++: the
// headers must give a C++ compiler the very layout a C compiler sees.
#include <hearth/host.h>

#include <cstddef>
#include <type_traits>

#include "expected_layout.h"

#define HEARTH_CHECK_SIZE(type, size, align)                                               \
  static_assert(sizeof(type) == (size), "sizeof(" #type ") changed: ABI break");           \
  static_assert(alignof(type) == (align), "alignof(" #type ") changed: ABI break");        \
  static_assert(std::is_standard_layout_v<type>, #type " must stay standard-layout");      \
  static_assert(std::is_trivially_copyable_v<type>, #type " must stay trivially copyable");

#define HEARTH_CHECK_OFFSET(type, field, offset)                                           \
  static_assert(offsetof(type, field) == (offset),                                         \
                "offsetof(" #type ", " #field ") changed: ABI break");

#define HEARTH_CHECK_CONSTANT(name, value)                                                 \
  static_assert(static_cast<long long>(name) == static_cast<long long>(value),             \
                #name " was renumbered: ABI break");

HEARTH_EXPECTED_SIZES(HEARTH_CHECK_SIZE)
HEARTH_EXPECTED_OFFSETS(HEARTH_CHECK_OFFSET)
HEARTH_EXPECTED_CONSTANTS(HEARTH_CHECK_CONSTANT)

static_assert(sizeof(void *) == 8, "expected_layout.h holds LP64 numbers");
// The public entry type as a loader spells it after dlsym().
static_assert(std::is_same_v<hearth_get_plugin_entry_fn,
                             const hearth_plugin_entry *(*)(uint32_t, uint32_t)>,
              "the entry function's type changed: ABI break");

// A named declaration, so the translation unit is not empty.
using hearth_layout_cxx_checked = int;
