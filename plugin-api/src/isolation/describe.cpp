#include "isolation/describe.hpp"

#include "hearth/status.h"
#include "isolation/child_process.hpp"
#include "isolation/frame.hpp"

namespace hearth::isolation {

ModuleDescription describe_module(const std::filesystem::path &host_executable, const std::filesystem::path &module,
                                  std::chrono::milliseconds time_limit) {
  ModuleDescription refused;
  refused.accepted = false;
  refused.status = HEARTH_ERROR_PLUGIN;
  std::unique_ptr<ChildProcess> child;
  try {
    child = std::make_unique<ChildProcess>(host_executable, module, ChildProcess::Mode::describe);
  } catch (const std::exception &failure) {
    refused.status = HEARTH_ERROR_IO;
    refused.message = module.string() + ": cannot be described: " + failure.what();
    return refused;
  }
  try {
    const auto hello = read_frame(child->socket(), std::chrono::steady_clock::now() + time_limit);
    if (!hello) {
      child->kill();
      refused.message = module.string() + ": the module did not finish being described within " +
                        std::to_string(time_limit.count()) + " ms";
      return refused;
    }
    ModuleDescription description = description_from_json(*hello);
    child->wait_for_exit(time_limit);
    return description;
  } catch (const ChannelClosed &) {
    child->wait_for_exit(time_limit);
    child->kill();
    const bool signalled = child->ending().rfind("signal", 0) == 0;
    refused.message = signalled ? module.string() + ": the module crashed while being described: " + child->ending()
                                : module.string() + ": the plugin host " + host_executable.string() +
                                      " ended without describing the module: " + child->ending();
  } catch (const ProtocolError &failure) {
    child->kill();
    refused.message = module.string() + ": the plugin host answered nonsense: " + failure.what();
  }
  return refused;
}

} // namespace hearth::isolation
