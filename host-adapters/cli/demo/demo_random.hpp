// Random numbers for the demo generator that are the same on every platform: the
// std::mt19937_64 engine is fully specified by the C++ standard, but the
// std::uniform_*_distribution classes are not, so every number here is derived from the
// engine's raw 64-bit output by this file's own arithmetic.
#pragma once

#include <cstdint>
#include <random>

namespace hearth::demo {

// A seeded source of numbers with platform-independent results.
class DemoRandom {
public:
  // Starts the engine from `seed`.
  explicit DemoRandom(std::uint64_t seed) : engine_(seed) {}

  // The engine's next raw 64-bit output.
  std::uint64_t next() { return engine_(); }
  // A number in [0, bound), without modulo bias. `bound` must be at least 1.
  std::uint64_t below(std::uint64_t bound);
  // A number in [low, high], both included. `low` must not exceed `high`.
  std::int64_t between(std::int64_t low, std::int64_t high);
  // True with a probability of `per_mille` / 1000.
  bool chance(std::uint32_t per_mille) { return below(1000) < per_mille; }

private:
  std::mt19937_64 engine_;
};

// A seed for an independent stream `stream` of the run seeded with `seed` (splitmix64
// mixing), so that one tenancy's history does not depend on how many came before it.
std::uint64_t derive_seed(std::uint64_t seed, std::uint64_t stream);

} // namespace hearth::demo
