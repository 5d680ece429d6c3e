// hearth-plugin-host: runs one plugin module for the runtime in a process of its own
// (`isolation = process`, docs/integrators/isolation.md). The runtime starts it as
//   hearth-plugin-host --fd 3 --module PATH [--describe]
// with one end of a socketpair as fd 3. It loads the module with the runtime's own loader
// checks and sends a "hello" frame with the descriptor or the refusal; with --describe it
// then ends, otherwise it serves the plugin (host-adapters/plugin-host/plugin_server.hpp).
// Not meant to be started by hand.
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <string>
#include <thread>

#include <sys/resource.h>
#include <unistd.h>

#include "isolation/frame.hpp"
#include "isolation/protocol.hpp"
#include "loader/module_loader.hpp"
#include "plugin_server.hpp"

namespace {

constexpr int kUsageError = 64;

struct Arguments {
  int fd = -1;
  std::string module;
  bool describe = false;
};

bool parse(int argc, char **argv, Arguments &out) {
  for (int i = 1; i < argc; ++i) {
    const std::string argument = argv[i];
    if (argument == "--fd" && i + 1 < argc) {
      out.fd = std::atoi(argv[++i]);
    } else if (argument == "--module" && i + 1 < argc) {
      out.module = argv[++i];
    } else if (argument == "--describe") {
      out.describe = true;
    } else {
      return false;
    }
  }
  return out.fd >= 0 && !out.module.empty();
}

} // namespace

int main(int argc, char **argv) {
  Arguments arguments;
  if (!parse(argc, argv, arguments)) {
    std::cerr << "usage: hearth-plugin-host --fd N --module PATH [--describe]\n"
                 "(started by the Hearth runtime for plugins with isolation = process)\n";
    return kUsageError;
  }
  // Ends with the runtime, even while the plugin is stuck in a call. (Not
  // PR_SET_PDEATHSIG: it fires when the runtime *thread* that started us ends.)
  const pid_t runtime_pid = ::getppid();
  std::thread([runtime_pid] {
    for (;;) {
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
      if (::getppid() != runtime_pid) {
        std::_Exit(0);
      }
    }
  }).detach();
  // A crashing plugin is reported by the runtime; it should not leave core files behind.
  const rlimit no_core_files{0, 0};
  ::setrlimit(RLIMIT_CORE, &no_core_files);

  using namespace hearth;
  auto outcome = loader::load_module(arguments.module, HEARTH_ABI_MAJOR, HEARTH_ABI_MINOR);
  isolation::ModuleDescription description;
  if (auto *refusal = std::get_if<loader::Refusal>(&outcome)) {
    description.status = refusal->status;
    description.message = refusal->message;
    description.abi_major = refusal->abi_major;
    description.abi_minor = refusal->abi_minor;
    description.descriptor = refusal->descriptor;
  } else {
    const auto &module = *std::get<std::unique_ptr<loader::AcceptedModule>>(outcome);
    description.accepted = true;
    description.status = HEARTH_OK;
    description.abi_major = module.abi_major;
    description.abi_minor = module.abi_minor;
    description.descriptor = module.descriptor;
  }
  try {
    isolation::write_frame(arguments.fd, *isolation::description_to_json(description));
  } catch (const std::exception &failure) {
    std::cerr << "hearth-plugin-host: cannot answer the runtime: " << failure.what() << '\n';
    return 1;
  }
  if (arguments.describe || !description.accepted) {
    return 0;
  }
  plugin_host::PluginServer server(arguments.fd, *std::get<std::unique_ptr<loader::AcceptedModule>>(outcome));
  return server.run();
}
