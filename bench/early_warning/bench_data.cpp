#include "bench_data.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <random>

namespace hearth::bench::early_warning {

std::string tenancy_id(std::uint32_t tenancy) {
  char text[32];
  std::snprintf(text, sizeof text, "tenancy-%07u", tenancy);
  return text;
}

std::size_t env_size(const char *name, std::size_t fallback) {
  const char *text = std::getenv(name);
  const long long value = text != nullptr ? std::atoll(text) : 0;
  return value > 0 ? static_cast<std::size_t>(value) : fallback;
}

BenchData generate_bench_data(std::size_t tenancies, std::size_t per_tenancy, std::uint64_t seed) {
  struct Kind {
    const char *type;
    const char *detail;
    bool amount;
    int weight;
  };
  static const Kind kinds[] = {{"SCH", "BET", true, 30}, {"SCH", "DEU", true, 2},  {"X-BTR", "VBR", true, 3},
                               {"X-BTR", "", true, 4},    {"OVE", "GEL", false, 20}, {"OVE", "", false, 10},
                               {"ONE", "VER", false, 2},  {"AGR", "VEB", false, 2}, {"WAN", "", false, 1},
                               {"X-REP", "", false, 13},  {"X-AFS", "", false, 13}};
  int total_weight = 0;
  for (const auto &k : kinds) {
    total_weight += k.weight;
  }
  std::mt19937_64 random(seed);
  BenchData data;
  data.tenancies = tenancies;
  data.as_of_ms = 1'767'225'600'000; // 2026-01-01
  const std::int64_t span_ms = 730LL * 86'400'000;
  data.signals.reserve(tenancies * per_tenancy);
  for (std::uint32_t t = 0; t < tenancies; ++t) {
    // Between half and one and a half times the mean, so some tenancies are busy.
    const std::size_t count = per_tenancy / 2 + random() % (per_tenancy + 1);
    for (std::size_t i = 0; i < count; ++i) {
      int pick = static_cast<int>(random() % static_cast<std::uint64_t>(total_weight));
      const Kind *kind = &kinds[0];
      for (const auto &k : kinds) {
        if (pick < k.weight) {
          kind = &k;
          break;
        }
        pick -= k.weight;
      }
      BenchSignal s;
      s.tenancy = t;
      s.type = kind->type;
      s.detail = kind->detail;
      s.occurred_at_ms = data.as_of_ms - static_cast<std::int64_t>(random() % static_cast<std::uint64_t>(span_ms));
      s.amount_cents = kind->amount ? static_cast<std::int64_t>(random() % 300'000) : 0;
      s.severity = static_cast<std::int32_t>(random() % 6);
      data.signals.push_back(s);
    }
  }
  std::stable_sort(data.signals.begin(), data.signals.end(),
                   [](const BenchSignal &a, const BenchSignal &b) { return a.occurred_at_ms < b.occurred_at_ms; });
  for (std::size_t i = 0; i < data.signals.size(); ++i) {
    data.signals[i].seq = i + 1;
  }
  return data;
}

} // namespace hearth::bench::early_warning
