#include "history_generator.hpp"

#include <random>

namespace hearth::test::early_warning {

std::vector<GeneratedSignal> generate_history(std::uint64_t seed, std::size_t tenancies, std::size_t count) {
  std::mt19937_64 random(seed);
  auto below = [&](std::uint64_t n) { return random() % n; };
  struct Kind {
    const char *type;
    const char *detail;
    bool amount;
  };
  static const Kind kinds[] = {{"SCH", "BET", true}, {"SCH", "DEU", true}, {"OVE", "GEL", false},
                               {"OVE", "", false},   {"ONE", "VER", false}, {"AGR", "FYS", false},
                               {"WAN", "", false},   {"X-REP", "", false},  {"X-AFS", "", false},
                               {"X-BTR", "VBR", true}, {"X-BTR", "", true}, {"ONB", "AMB", false}};
  const std::int64_t start_ms = 1'704'067'200'000; // 2024-01-01T00:00:00Z
  std::vector<std::int64_t> clock(tenancies, start_ms);
  std::vector<GeneratedSignal> out;
  out.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    const std::size_t t = below(tenancies);
    // Mostly forward in time, in bursts; sometimes a late report of something older.
    const std::int64_t step_minutes = below(4) == 0 ? static_cast<std::int64_t>(below(90 * 1440))
                                                    : static_cast<std::int64_t>(below(6 * 1440));
    clock[t] += step_minutes * 60'000 + static_cast<std::int64_t>(below(60'000));
    std::int64_t occurred = clock[t];
    if (below(6) == 0) {
      occurred -= static_cast<std::int64_t>(below(40 * 1440)) * 60'000;
    }
    if (below(20) == 0 && !out.empty()) {
      occurred = out[below(out.size())].input.occurred_at_ms; // same minute as another signal
    }
    const Kind &kind = kinds[below(std::size(kinds))];
    GeneratedSignal signal;
    signal.tenancy = "T-" + std::to_string(t + 1);
    signal.input.seq = i + 1;
    signal.input.type = kind.type;
    signal.input.detail = kind.detail;
    signal.input.occurred_at_ms = occurred;
    signal.input.amount_cents = kind.amount ? static_cast<std::int64_t>(below(400'000)) : 0;
    signal.input.severity = static_cast<std::int32_t>(below(6));
    out.push_back(std::move(signal));
  }
  return out;
}

std::map<std::string, std::vector<hearth::early_warning::SignalInput>>
by_tenancy(const std::vector<GeneratedSignal> &signals) {
  std::map<std::string, std::vector<hearth::early_warning::SignalInput>> out;
  for (const auto &s : signals) {
    out[s.tenancy].push_back(s.input);
  }
  return out;
}

} // namespace hearth::test::early_warning
