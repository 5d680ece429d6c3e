// `hearth demo-data [--tenancies N] [--seed S]`.
#include <array>
#include <chrono>
#include <cstdint>
#include <iostream>
#include <optional>
#include <string>

#include <unistd.h>

#include "cli_errors.hpp"
#include "commands.hpp"
#include "demo/demo_loader.hpp"
#include "demo/demo_runtime.hpp"
#include "demo/generator.hpp"

namespace hearth::cli {

namespace {

// The neighbourhood generated when no option says otherwise.
constexpr std::uint32_t default_tenancies = 500;
constexpr std::uint64_t default_seed = 1;

// `text` as a whole number without sign, or nothing when it is not one or exceeds `max`.
std::optional<std::uint64_t> whole_number(const std::string &text, std::uint64_t max) {
  if (text.empty() || text.size() > 20) {
    return std::nullopt;
  }
  std::uint64_t value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') {
      return std::nullopt;
    }
    const auto digit = static_cast<std::uint64_t>(c - '0');
    if (value > (max - digit) / 10) {
      return std::nullopt;
    }
    value = value * 10 + digit;
  }
  return value;
}

// The --tenancies value. Throws UsageError unless it is 1 .. max_demo_tenancies.
std::uint32_t parse_tenancies(const std::string &text) {
  const auto value = whole_number(text, demo::max_demo_tenancies);
  if (!value || *value == 0) {
    throw UsageError("--tenancies needs a whole number from 1 to " + std::to_string(demo::max_demo_tenancies) +
                     ", not '" + text + "'");
  }
  return static_cast<std::uint32_t>(*value);
}

// The --seed value. Throws UsageError unless it is a whole number that fits 64 bits.
std::uint64_t parse_seed(const std::string &text) {
  const auto value = whole_number(text, UINT64_MAX);
  if (!value) {
    throw UsageError("--seed needs a whole number from 0 to " + std::to_string(UINT64_MAX) + ", not '" + text + "'");
  }
  return *value;
}

// Shows storing progress on one rewritten stderr line, when stderr is a terminal.
class ProgressLine {
public:
  ProgressLine() : enabled_(::isatty(STDERR_FILENO) == 1) {}
  ~ProgressLine() { finish(); }
  ProgressLine(const ProgressLine &) = delete;
  ProgressLine &operator=(const ProgressLine &) = delete;

  // Rewrites the line with `progress`.
  void show(const demo::LoadProgress &progress) {
    if (!enabled_) {
      return;
    }
    std::cerr << "\rhearth: storing " << progress.stage << ' ' << progress.done << '/' << progress.total
              << "   " << std::flush;
    shown_ = true;
  }
  // Ends the line, if one was shown.
  void finish() {
    if (shown_) {
      std::cerr << '\n' << std::flush;
      shown_ = false;
    }
  }

private:
  bool enabled_;
  bool shown_ = false;
};

// Writes what was generated and stored.
void print_summary(const demo::DemoNeighbourhood &neighbourhood, const demo::LoadSummary &summary,
                   std::chrono::milliseconds elapsed) {
  std::array<std::size_t, demo::outcome_kind_count> outcomes{};
  for (const auto &outcome : neighbourhood.outcomes) {
    ++outcomes[static_cast<std::size_t>(outcome.kind)];
  }
  std::size_t persons = 0;
  for (const auto &tenancy : neighbourhood.tenancies) {
    persons += tenancy.household_size;
  }
  std::cout << "Demo neighbourhood (seed " << neighbourhood.seed << ") stored in "
            << static_cast<double>(elapsed.count()) / 1000.0 << " s\n"
            << "  neighbourhoods " << demo::neighbourhoods().size() << '\n'
            << "  buildings      " << neighbourhood.buildings << '\n'
            << "  units          " << neighbourhood.units.size() << '\n'
            << "  tenancies      " << neighbourhood.tenancies.size() << '\n'
            << "  persons        " << persons << '\n'
            << "  records stored " << summary.records << '\n'
            << "  signals        " << neighbourhood.signals.size() << ": " << summary.accepted << " accepted, "
            << summary.duplicates << " duplicate";
  if (summary.skipped_future != 0) {
    std::cout << ", " << summary.skipped_future << " not sent (dated after the runtime clock)";
  }
  std::cout << "\n  outcomes      ";
  for (std::size_t kind = 0; kind < demo::outcome_kind_count; ++kind) {
    std::cout << ' ' << demo::outcome_name(static_cast<demo::OutcomeKind>(kind)) << ' ' << outcomes[kind]
              << (kind + 1 < demo::outcome_kind_count ? "," : "\n");
  }
}

} // namespace

int run_demo_data(const CommandLine &command_line, const std::vector<std::string> &arguments) {
  const CommandOptions options = parse_command_options("demo-data", arguments, {}, {"--tenancies", "--seed"});
  if (!options.positional.empty()) {
    throw UsageError("'demo-data' takes no arguments");
  }
  const std::uint32_t tenancies =
      options.has("--tenancies") ? parse_tenancies(*options.value("--tenancies")) : default_tenancies;
  const std::uint64_t seed = options.has("--seed") ? parse_seed(*options.value("--seed")) : default_seed;

  const auto started = std::chrono::steady_clock::now();
  try {
    demo::DemoRuntime runtime(effective_config_dir(command_line));
    const demo::DemoNeighbourhood neighbourhood = demo::generate_neighbourhood(tenancies, seed);
    ProgressLine progress;
    demo::LoadOptions load;
    load.progress = [&](const demo::LoadProgress &step) { progress.show(step); };
    const demo::LoadSummary summary = demo::store_neighbourhood(runtime.get(), neighbourhood, load);
    progress.finish();
    print_summary(neighbourhood, summary,
                  std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started));
  } catch (const std::runtime_error &failure) {
    throw CommandFailure(failure.what());
  }
  return exit_success;
}

} // namespace hearth::cli
