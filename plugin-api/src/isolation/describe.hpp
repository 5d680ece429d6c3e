// Learning what a module is without loading it into the runtime: a hearth-plugin-host child
// loads it with the in-process loader's checks, answers with its descriptor, and ends.
#pragma once

#include <chrono>
#include <filesystem>

#include "isolation/protocol.hpp"

namespace hearth::isolation {

// Describes `module` in a child started from `host_executable`. Never throws: a child that
// cannot be started, crashes, hangs past `time_limit` or answers nonsense gives a refusal
// (HEARTH_ERROR_PLUGIN, or HEARTH_ERROR_IO when the host cannot be started) whose message
// names the file and what happened ("<file>: the module crashed while being described:
// signal 11 (Segmentation fault)"). [any-thread]
ModuleDescription describe_module(const std::filesystem::path &host_executable, const std::filesystem::path &module,
                                  std::chrono::milliseconds time_limit);

} // namespace hearth::isolation
