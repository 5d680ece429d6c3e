// What lookups read: the scorer's per-tenancy state and each tenancy's latest flag, behind
// one reader-writer lock. lookup() is the plain C++ call that the typed fast path
// (hearth/early_warning.h) wraps and that the benchmarks compare it with.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string_view>
#include <vector>

#include "engine/scorer.hpp"

namespace hearth::early_warning {

// Where a flag stands (the numbers of enum hearth_ew_flag_status).
enum class FlagStatus : std::uint8_t { none = 0, proposed = 1, accepted = 2, overridden = 3, dismissed = 4 };

// "proposed", "accepted", "overridden", "dismissed" ("none" for none).
const char *status_name(FlagStatus status);
// Parses the names above (not "none"); false for anything else.
bool parse_status(std::string_view text, FlagStatus &status);

// A tenancy's latest flag, as lookups show it.
struct FlagBrief {
  char id[40] = {};          // "F<seq>-<hash>", NUL-terminated
  std::uint64_t seq = 0;     // the signal that raised it (orders a tenancy's flags)
  std::int32_t score = 0;
  Level level = Level::none; // for an overridden flag: the level the person set
  FlagStatus status = FlagStatus::none;
};

// How many tenancies' latest flags stand at each level (index: Level) and status (index:
// FlagStatus); what the hearth_flags gauge shows.
using FlagCounts = std::array<std::array<std::uint64_t, 5>, 4>;

// What lookup() answers.
struct LookupResult {
  std::uint32_t tenancy = 0; // the tenancy's index
  Level level = Level::none;
  std::int32_t score = 0;
  std::int32_t as_of_minute = kNoMinute;
  bool scored = false;       // false: its neighbourhood (or all scoring) is switched off
  FlagBrief flag;            // status none when there is no flag
};

class FlagBoard {
public:
  explicit FlagBoard(std::unique_ptr<Scorer> scorer) : scorer_(std::move(scorer)) {}

  // Finds `tenancy_id` and copies its state. False when unknown. [any-thread] shared lock.
  bool lookup(std::string_view tenancy_id, LookupResult &out) const;

  // Records `brief` as the tenancy's latest flag unless it already has a later one (by
  // seq). [any-thread] exclusive lock.
  void put_flag(std::uint32_t tenancy, const FlagBrief &brief);
  // Forgets every tenancy's latest flag (before loading them again). [any-thread]
  // exclusive lock.
  void clear_flags();
  // Updates the status (and level) of flag `id` when it is the tenancy's latest.
  // [any-thread] exclusive lock.
  void set_flag_status(std::uint32_t tenancy, std::string_view id, FlagStatus status, Level level);
  // Forgets the tenancy's latest flag (its flags were deleted; the owner puts back what is
  // left). [any-thread] exclusive lock.
  void forget_flag(std::uint32_t tenancy);
  // The latest flags counted by level and status. [any-thread] shared lock.
  FlagCounts flag_counts() const;

  // The lock and the scorer, for the owner's own compound updates.
  std::shared_mutex &mutex() const { return mutex_; }
  Scorer &scorer() { return *scorer_; }
  const Scorer &scorer() const { return *scorer_; }
  // Replaces the scorer (a rescore under new rules); the caller holds the lock exclusively
  // and keeps tenancy indices (add tenancies in the old order).
  void replace_scorer(std::unique_ptr<Scorer> scorer) { scorer_ = std::move(scorer); }
  // Bytes held by the scorer and the flag briefs.
  std::size_t memory_bytes() const;

private:
  // Counts `brief` in counts_ (delta +1 or -1). Caller holds the lock exclusively.
  void count(const FlagBrief &brief, int delta);

  mutable std::shared_mutex mutex_;
  std::unique_ptr<Scorer> scorer_;
  std::vector<FlagBrief> flags_; // indexed by TenancyMeta::latest_flag
  FlagCounts counts_{};          // of the briefs that are some tenancy's latest
};

} // namespace hearth::early_warning
