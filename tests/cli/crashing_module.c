/*
 * crashing_module.c — a test module whose entry function raises SIGSEGV, standing in for
 * a plugin that crashes while it is being loaded. `hearth plugins inspect` must report the
 * crash and stay alive.
 */
#include <hearth/plugin.h>

#include <signal.h>
#include <stddef.h>

HEARTH_PLUGIN_EXPORT const hearth_plugin_entry *hearth_get_plugin_entry(uint32_t host_abi_major,
                                                                        uint32_t host_abi_minor) {
  (void)host_abi_major;
  (void)host_abi_minor;
  raise(SIGSEGV);
  return NULL;
}
