// The incremental scorer: every tenancy's O(1) state under one rule set, updated per
// signal, with the episode rule that decides when a flag is raised. Not synchronised:
// the owner guards it (FlagBoard does, with a shared mutex).
#pragma once

#include <cstddef>
#include <cstdint>
#include <new>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "engine/rule_set.hpp"
#include "engine/score.hpp"
#include "engine/tenancy_index.hpp"

namespace hearth::early_warning {

// "No flag" in TenancyMeta::latest_flag.
constexpr std::uint32_t kNoFlag = 0xFFFFFFFFu;

// Rule sets with up to this many categories get the masks of TenancyMeta (more work
// without them, the same results).
constexpr std::size_t kMaskedCategories = 16;

// What the scorer keeps per tenancy besides its category state. 24 bytes.
struct TenancyMeta {
  std::int32_t score = 0;                 // at latest_minute
  std::int32_t latest_minute = kNoMinute; // of its latest counted signal
  std::uint32_t latest_flag = kNoFlag;    // the owner's index of its latest flag
  std::uint16_t neighbourhood = 0;        // the owner's index of its neighbourhood
  Level level = Level::none;              // none: not scored (off, or no signal yet)
  Level episode = Level::none;            // highest level flagged in the current episode
  bool scored = false;                    // false: its neighbourhood is switched off
  // Bit c: category c has a signal. Kept by apply() and rescore_scores().
  std::uint16_t active = 0;
  // Bit c: category c gave 0 points at an evaluation since its latest signal, with a value
  // >= 0 and a cap >= 0. Its decayed value only falls as time goes on (exp2 is monotone),
  // so it stays at 0 until its next signal clears the bit: apply() skips it (no exp2) with
  // the same result.
  std::uint16_t spent = 0;
};

// The result of one signal.
struct Applied {
  bool counted = false;  // false: not scored (tenancy off, or the rule set ignores it)
  bool raise = false;    // the episode rule asks for a flag now
  std::int64_t score = 0;
  Level level = Level::none;
  std::int32_t at_minute = kNoMinute; // the tenancy's latest minute, where it was evaluated
};

// Signals packed by column, for full rescoring and benchmarks. `category` is the rule
// set's category index, or -1 when the rule set ignores the signal.
struct PackedSignals {
  std::vector<std::uint64_t> seq;
  std::vector<std::uint32_t> tenancy;
  std::vector<std::int32_t> minute;
  std::vector<std::int8_t> category;
  std::vector<std::int32_t> severity;
  std::vector<std::int64_t> amount_cents;

  std::size_t size() const { return seq.size(); }
  void reserve(std::size_t n);
  void push(std::uint64_t s, std::uint32_t t, std::int32_t m, std::int8_t c, std::int32_t sev, std::int64_t amount);
  std::size_t memory_bytes() const;
};

// A flag the episode rule asked for during a pass.
struct Raise {
  std::uint32_t tenancy = 0;
  std::uint64_t seq = 0;   // the signal that raised it
  std::int64_t score = 0;
  Level level = Level::none;
  std::int32_t at_minute = kNoMinute;
};

class Scorer {
public:
  explicit Scorer(std::shared_ptr<const RuleSet> rules);

  const RuleSet &rules() const { return *rules_; }
  std::shared_ptr<const RuleSet> rules_ptr() const { return rules_; }

  // Registers tenancy `id` (or finds it). `scored` false keeps it out of scoring (its
  // neighbourhood is switched off); it can be switched on later with set_scored().
  std::uint32_t add_tenancy(std::string_view id, std::uint16_t neighbourhood, bool scored);
  std::optional<std::uint32_t> find(std::string_view id) const { return index_.find(id); }
  std::string_view id_of(std::uint32_t tenancy) const { return index_.id_of(tenancy); }
  std::size_t tenancy_count() const { return count_; }
  bool scored(std::uint32_t tenancy) const { return meta(tenancy).scored; }

  // Applies one signal of `category` (-1: ignored) to `tenancy`. Signals arrive in
  // increasing seq. O(K) for K categories, no allocation.
  Applied apply(std::uint32_t tenancy, std::int32_t category, std::int32_t minute, std::int32_t severity,
                std::int64_t amount_cents);
  // Applies signals [begin, end) of `signals` in order, each exactly as apply() does (a
  // batch of events as the bus delivers them), fetching the slots of the signals a few
  // places ahead while it works. Appends the flags asked for to `raises` (may be null).
  void apply_batch(const PackedSignals &signals, std::size_t begin, std::size_t end, std::vector<Raise> *raises);

  // The score of `tenancy` at `at_minute` (clamped to its latest minute); 0 when it has no
  // signal.
  std::int64_t score_at(std::uint32_t tenancy, std::int32_t at_minute) const;

  const TenancyMeta &meta(std::uint32_t tenancy) const { return *reinterpret_cast<const TenancyMeta *>(slot(tenancy)); }
  TenancyMeta &meta(std::uint32_t tenancy) { return *reinterpret_cast<TenancyMeta *>(slot(tenancy)); }

  // Forgets every signal (keeps the tenancies).
  void clear_scores();
  // Forgets the signals of one tenancy (its score, level and episode; keeps its flag and
  // neighbourhood), before its remaining signals are applied again.
  void clear_tenancy(std::uint32_t tenancy) { clear_slot(tenancy); }
  // Clears the scores and applies `signals` in order; returns the flags asked for.
  std::vector<Raise> rescore(const PackedSignals &signals);
  // Clears the scores and accumulates `signals` without the episode rule, then evaluates
  // every tenancy once, at its latest signal or at `at_minute` when that is later: with
  // kNoMinute the same scores as rescore(), without deciding flags (what a full rescore
  // of scores alone costs).
  void rescore_scores(const PackedSignals &signals, std::int32_t at_minute = kNoMinute);

  // Bytes held by the scorer's own structures (capacities).
  std::size_t memory_bytes() const;
  void reserve(std::size_t tenancies, std::size_t id_bytes);

  Scorer(const Scorer &) = delete;
  Scorer &operator=(const Scorer &) = delete;

private:
  // Every tenancy's state lives in one slot of `stride_` bytes (a multiple of 64, aligned
  // to 64): its TenancyMeta, its K reference minutes, then its K running values; so one
  // signal touches one or two neighbouring cache lines.
  std::byte *slot(std::uint32_t tenancy) const { return slab_.get() + static_cast<std::size_t>(tenancy) * stride_; }
  double *values(std::uint32_t tenancy) const { return reinterpret_cast<double *>(slot(tenancy) + values_at_); }
  std::int32_t *minutes(std::uint32_t tenancy) const {
    return reinterpret_cast<std::int32_t *>(slot(tenancy) + minutes_at_);
  }
  StateRef state(std::uint32_t tenancy) const { return StateRef{values(tenancy), minutes(tenancy)}; }
  // Makes room for `capacity` tenancies, keeping the slots in use.
  void grow(std::size_t capacity);
  // Empties slot `tenancy`'s scores.
  void clear_slot(std::uint32_t tenancy);
  // The score of `tenancy` at its latest minute, as state_score() gives it, skipping the
  // categories whose points are spent (TenancyMeta::spent) and marking those found spent.
  std::int64_t evaluate_latest(std::uint32_t tenancy, TenancyMeta &meta) const;

  // The slab is aligned to 2 MiB so that, once large, the kernel can back it with huge
  // pages (see grow()): a signal then costs one cache miss for its slot, not also a
  // page-table walk. [rationale: 1 M tenancies are 128 MB of slots, 32,768 small pages]
  static constexpr std::size_t kSlabAlignment = std::size_t{2} << 20;
  struct AlignedDelete {
    void operator()(std::byte *p) const { ::operator delete[](p, std::align_val_t{kSlabAlignment}); }
  };

  std::shared_ptr<const RuleSet> rules_;
  std::size_t k_;
  std::size_t minutes_at_ = 0, values_at_ = 0, stride_ = 0;
  TenancyIndex index_;
  std::unique_ptr<std::byte[], AlignedDelete> slab_;
  std::size_t count_ = 0, capacity_ = 0;
};

} // namespace hearth::early_warning
