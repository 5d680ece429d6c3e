// `hearth serve [--address A] [--port P]`.
#include <cerrno>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <iostream>

#include <pthread.h>

#include "cli_errors.hpp"
#include "commands.hpp"
#include "configured_address.hpp"
#include "demo/demo_cases.hpp"
#include "demo/empty_store_seeding.hpp"
#include "plugin_names.hpp"
#include "runtime_session.hpp"

namespace hearth::cli {

namespace {

// SIGINT and SIGTERM, the signals that end `hearth serve`.
sigset_t stop_signals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  return signals;
}

// The --port value as a port number. Throws UsageError when it is not 0..65535.
std::uint16_t parse_port(const std::string &text) {
  std::size_t used = 0;
  unsigned long port = 0;
  try {
    port = std::stoul(text, &used);
  } catch (const std::exception &) {
    used = 0;
  }
  if (text.empty() || used != text.size() || port > 65535 || text.front() == '-' ||
      text.front() == '+') {
    throw UsageError("--port needs a number from 0 to 65535, not '" + text + "'");
  }
  return static_cast<std::uint16_t>(port);
}

// Prints one warning line on stderr for every plugin that is not active; returns the
// number of active plugins.
std::size_t report_plugins(const std::vector<PluginRecord> &plugins) {
  std::size_t active = 0;
  for (const auto &plugin : plugins) {
    if (plugin.state == HEARTH_PLUGIN_STATE_ACTIVE) {
      ++active;
      continue;
    }
    const std::string name =
        plugin.id.empty() ? std::filesystem::path(plugin.path).filename().string() : plugin.id;
    std::cerr << "hearth: warning: plugin " << name << " " << plugin_state_name(plugin.state)
              << ": " << plugin.message << '\n';
  }
  return active;
}

// Waits until SIGINT or SIGTERM arrives (they must be blocked in every thread).
int wait_for_stop_signal(const sigset_t &signals) {
  for (;;) {
    int received = 0;
    const int result = sigwait(&signals, &received);
    if (result == 0) {
      return received;
    }
    if (result != EINTR) {
      throw CommandFailure(std::string("cannot wait for a signal: ") + std::strerror(result));
    }
  }
}

// Seeds an empty store with the demo neighbourhood and says so on stderr; true when it
// did. The runtime it opens is closed again before serving opens its own.
bool seed_demo_data_when_empty(const std::optional<std::string> &config_dir) {
  try {
    const auto seeded =
        demo::seed_empty_store(config_dir, demo::serve_seed_tenancies, demo::serve_seed);
    if (seeded) {
      std::cerr << "hearth: the store was empty: seeded a demo neighbourhood ("
                << demo::serve_seed_tenancies << " tenancies, seed " << demo::serve_seed << ", "
                << seeded->accepted << " signals); use --no-demo-data to start empty\n";
    }
    return seeded.has_value();
  } catch (const std::runtime_error &failure) {
    throw CommandFailure(std::string("cannot seed the demo data: ") + failure.what());
  }
}

} // namespace

int run_serve(const CommandLine &command_line, const std::vector<std::string> &arguments) {
  const CommandOptions options =
      parse_command_options("serve", arguments, {"--no-demo-data"}, {"--address", "--port"});
  if (!options.positional.empty()) {
    throw UsageError("'serve' takes no arguments");
  }
  const std::optional<std::string> address = options.value("--address");
  if (address && address->empty()) {
    throw UsageError("--address needs a host address");
  }
  const std::uint16_t requested_port =
      options.has("--port") ? parse_port(*options.value("--port")) : 0;

  // Block the stop signals before the runtime starts any thread, so that every thread
  // inherits the mask and only sigwait() below receives them.
  const sigset_t signals = stop_signals();
  if (const int result = pthread_sigmask(SIG_BLOCK, &signals, nullptr); result != 0) {
    throw CommandFailure(std::string("cannot block signals: ") + std::strerror(result));
  }

  // A client that hangs up mid-response must cost that response, not the whole server.
  std::signal(SIGPIPE, SIG_IGN);

  const std::optional<std::string> config_dir = effective_config_dir(command_line);
  const bool seeded = !options.has("--no-demo-data") && seed_demo_data_when_empty(config_dir);
  RuntimeSession session(config_dir);
  session.load_plugins();
  if (seeded) {
    // Casework needs the coordinator-handoff plugin, so it follows the plugins.
    const auto cases = demo::open_demo_cases(session.handle());
    std::cerr << "hearth: demo casework: " << cases.done << " steps done\n";
    for (const auto &problem : cases.problems) {
      std::cerr << "hearth: warning: demo casework: " << problem << '\n';
    }
  }
  const std::size_t active = report_plugins(session.plugins());
  const std::uint16_t bound_port = session.serve_http(address, requested_port);

  const std::string shown_address = address ? *address : configured_http_address(config_dir);
  const bool is_ipv6 = shown_address.find(':') != std::string::npos;
  std::cout << "Hearth is serving on http://" << (is_ipv6 ? "[" : "") << shown_address
            << (is_ipv6 ? "]" : "") << ':' << bound_port << "/\n"
            << active << (active == 1 ? " plugin" : " plugins") << " active\n"
            << std::flush;

  const int received = wait_for_stop_signal(signals);
  std::cerr << "hearth: " << (received == SIGINT ? "SIGINT" : "SIGTERM") << " received, stopping\n";
  session.stop_http();
  return exit_success;
}

} // namespace hearth::cli
