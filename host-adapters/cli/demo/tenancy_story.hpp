// One tenancy's story: when it began, its household, its signal history over 2021-2025
// and the outcome that history led to (the ground truth a risk score is measured by).
#pragma once

#include <cstdint>
#include <vector>

#include "demo/demo_data.hpp"

namespace hearth::demo {

// The first and last day of the signal histories (2021-01-01 and 2025-12-31).
std::int64_t history_first_day();
std::int64_t history_last_day();

// The course a tenancy takes.
enum class StoryPath : std::uint8_t {
  quiet,     // a few incidental signals; stable
  bumpy,     // a short arrears or nuisance episode that passes; mostly stable
  escalating // months of growing arrears and/or nuisance; help, notice or eviction
};

// What tell_story() produced.
struct TenancyStory {
  StoryPath path = StoryPath::quiet;
  DemoTenancy tenancy;              // consultant left 0: the layout decides it
  DemoOutcome outcome;
  std::vector<DemoSignal> signals;  // in the order they were written, sequence 1, 2, ...
};

// Tells the story of tenancy `index` from its own engine seeded with `story_seed`.
// `neighbours` are the tenancy indices whose tenants may report nuisance.
TenancyStory tell_story(std::uint64_t story_seed, std::uint32_t index,
                        const std::vector<std::uint32_t> &neighbours);

} // namespace hearth::demo
