// Seeding an empty store with a small demo neighbourhood, for `hearth serve`.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "demo/demo_loader.hpp"

namespace hearth::demo {

// The neighbourhood `hearth serve` seeds an empty store with.
constexpr std::uint32_t serve_seed_tenancies = 200;
constexpr std::uint64_t serve_seed = 1;

// Opens the runtime of `config_dir` (nothing: built-in defaults) and, when its store holds
// no tenancy, stores a generated neighbourhood of `tenancies` from `seed`; closes it again.
// Returns what was stored, or nothing when the store was not empty. Throws
// std::runtime_error when the runtime cannot be opened or the data not stored.
std::optional<LoadSummary> seed_empty_store(const std::optional<std::string> &config_dir,
                                            std::uint32_t tenancies, std::uint64_t seed);

} // namespace hearth::demo
