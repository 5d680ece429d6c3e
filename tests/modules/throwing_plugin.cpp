// A C++ module that breaks the rule "no exception crosses the ABI": with
// THROW_IN_ENTRY its entry function throws, otherwise its init() throws. The runtime must
// refuse or fail it and keep running.
#include <stdexcept>

#include <hearth/plugin.h>

namespace {

const hearth_plugin_descriptor descriptor{sizeof(hearth_plugin_descriptor), HEARTH_PLUGIN_KIND_OTHER,
                                          "nl.hearth.test.throwing", "Throwing test plugin",
                                          "Hearth tests", "0.0.1", nullptr, nullptr, nullptr};

int32_t throwing_init(const hearth_host *) { throw std::runtime_error("init exploded on purpose"); }
void quiet_deinit() {}
const void *no_factory(const char *) { return nullptr; }

const hearth_plugin_entry entry{HEARTH_PLUGIN_ENTRY_HEADER, &descriptor, &throwing_init, &quiet_deinit,
                                &no_factory};

} // namespace

HEARTH_PLUGIN_EXPORT const hearth_plugin_entry *hearth_get_plugin_entry(uint32_t, uint32_t) {
#ifdef THROW_IN_ENTRY
  throw std::runtime_error("entry exploded on purpose");
#else
  return &entry;
#endif
}
