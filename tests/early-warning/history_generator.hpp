// Random signal histories for the early-warning tests: several tenancies, signal types the
// default rule set scores and some it ignores, times out of order, bursts that cross the
// thresholds. Deterministic for a seed.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "engine/score.hpp"

namespace hearth::test::early_warning {

// One generated signal with its tenancy; `input.seq` is its arrival order (1, 2, ...).
struct GeneratedSignal {
  std::string tenancy;
  hearth::early_warning::SignalInput input;
};

// `count` signals over `tenancies` tenancies ("T-1" ...) spread over about two years
// from 2024-01-01, in arrival order.
std::vector<GeneratedSignal> generate_history(std::uint64_t seed, std::size_t tenancies, std::size_t count);

// The same signals grouped by tenancy, in arrival order.
std::map<std::string, std::vector<hearth::early_warning::SignalInput>>
by_tenancy(const std::vector<GeneratedSignal> &signals);

} // namespace hearth::test::early_warning
