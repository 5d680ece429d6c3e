// all_headers.cpp — every public header compiled as C++ (built twice: C++20 and C++17,
// -Wall -Wextra -pedantic -Werror). Compiling it is the test. With C++20 it also compiles
// the C++ convenience header <hearth/plugin.hpp> once that header exists.
#include <hearth/version.h>
#include <hearth/status.h>
#include <hearth/value.h>
#include <hearth/event.h>
#include <hearth/host_services.h>
#include <hearth/query.h>
#include <hearth/plugin.h>
#include <hearth/host.h>

// Every other public header (the list is generated from the folder).
#include "all_public_headers.h"

#if __cplusplus >= 202002L && defined(__has_include)
#  if __has_include(<hearth/plugin.hpp>)
#    include <hearth/plugin.hpp>
#  endif
#endif

#include <cstddef>
#include <type_traits>

namespace {

// A C++ plugin fills the entry with the same C macro as a C plugin.
const hearth_plugin_descriptor check_descriptor = {
    sizeof(hearth_plugin_descriptor), HEARTH_PLUGIN_KIND_OTHER, "nl.hearth.check", "Check",
    "Hearth", "1.0.0", nullptr, nullptr, nullptr};

extern "C" int32_t check_init(const hearth_host *) { return HEARTH_OK; }
extern "C" void check_deinit(void) {}
extern "C" const void *check_get_factory(const char *) { return nullptr; }

} // namespace

// Used, so the entry is compiled in full; never called.
const hearth_plugin_entry *hearth_check_cxx_entry();
const hearth_plugin_entry *hearth_check_cxx_entry() {
  static const hearth_plugin_entry entry = {HEARTH_PLUGIN_ENTRY_HEADER, &check_descriptor,
                                            check_init, check_deinit, check_get_factory};
  return &entry;
}

// The host.h functions are plain functions with the documented types.
static_assert(std::is_same_v<decltype(&hearth_runtime_drain), int32_t (*)(hearth_runtime *, uint32_t)>);
static_assert(std::is_same_v<decltype(&hearth_free), void (*)(void *)>);
