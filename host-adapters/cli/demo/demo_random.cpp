// Platform-independent numbers from std::mt19937_64's raw output.
#include "demo/demo_random.hpp"

namespace hearth::demo {

namespace {

// One round of splitmix64: a bijective 64-bit mix with good avalanche.
std::uint64_t splitmix64(std::uint64_t value) {
  value += 0x9E3779B97F4A7C15ULL;
  value = (value ^ (value >> 30)) * 0xBF58476D1CE4E5B9ULL;
  value = (value ^ (value >> 27)) * 0x94D049BB133111EBULL;
  return value ^ (value >> 31);
}

} // namespace

std::uint64_t DemoRandom::below(std::uint64_t bound) {
  // Reject the lowest (2^64 mod bound) outputs so that every remainder is equally likely.
  const std::uint64_t threshold = (0 - bound) % bound;
  for (;;) {
    const std::uint64_t value = engine_();
    if (value >= threshold) {
      return value % bound;
    }
  }
}

std::int64_t DemoRandom::between(std::int64_t low, std::int64_t high) {
  const auto span = static_cast<std::uint64_t>(high - low) + 1;
  return low + static_cast<std::int64_t>(below(span));
}

std::uint64_t derive_seed(std::uint64_t seed, std::uint64_t stream) {
  return splitmix64(splitmix64(seed) ^ splitmix64(stream ^ 0xD1B54A32D192ED03ULL));
}

} // namespace hearth::demo
