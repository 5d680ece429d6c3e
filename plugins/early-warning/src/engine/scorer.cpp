#include "engine/scorer.hpp"

#include <algorithm>
#include <cstring>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace hearth::early_warning {

void PackedSignals::reserve(std::size_t n) {
  seq.reserve(n);
  tenancy.reserve(n);
  minute.reserve(n);
  category.reserve(n);
  severity.reserve(n);
  amount_cents.reserve(n);
}

void PackedSignals::push(std::uint64_t s, std::uint32_t t, std::int32_t m, std::int8_t c, std::int32_t sev,
                         std::int64_t amount) {
  seq.push_back(s);
  tenancy.push_back(t);
  minute.push_back(m);
  category.push_back(c);
  severity.push_back(sev);
  amount_cents.push_back(amount);
}

std::size_t PackedSignals::memory_bytes() const {
  return seq.capacity() * 8 + tenancy.capacity() * 4 + minute.capacity() * 4 + category.capacity() +
         severity.capacity() * 4 + amount_cents.capacity() * 8;
}

Scorer::Scorer(std::shared_ptr<const RuleSet> rules) : rules_(std::move(rules)), k_(rules_->categories.size()) {
  minutes_at_ = (sizeof(TenancyMeta) + 3) / 4 * 4;
  values_at_ = (minutes_at_ + k_ * sizeof(std::int32_t) + 7) / 8 * 8;
  stride_ = (values_at_ + k_ * sizeof(double) + 63) / 64 * 64;
}

void Scorer::grow(std::size_t capacity) {
  const std::size_t bytes = capacity * stride_;
  std::unique_ptr<std::byte[], AlignedDelete> slab(
      static_cast<std::byte *>(::operator new[](bytes, std::align_val_t{kSlabAlignment})));
#if defined(MADV_HUGEPAGE)
  if (bytes >= kSlabAlignment) {
    // A hint only: where transparent huge pages are off it changes nothing.
    ::madvise(slab.get(), bytes / kSlabAlignment * kSlabAlignment, MADV_HUGEPAGE);
  }
#endif
  if (count_ > 0) {
    std::memcpy(slab.get(), slab_.get(), count_ * stride_); // every member is trivially copyable
  }
  slab_ = std::move(slab);
  capacity_ = capacity;
}

void Scorer::clear_slot(std::uint32_t tenancy) {
  TenancyMeta &m = meta(tenancy);
  m.score = 0;
  m.latest_minute = kNoMinute;
  m.level = Level::none;
  m.episode = Level::none;
  m.active = 0;
  m.spent = 0;
  reset_state(*rules_, state(tenancy));
}

std::uint32_t Scorer::add_tenancy(std::string_view id, std::uint16_t neighbourhood, bool scored) {
  const std::uint32_t index = index_.add(id);
  if (index == count_) {
    if (count_ == capacity_) {
      grow(capacity_ == 0 ? 1024 : capacity_ * 2);
    }
    new (slot(index)) TenancyMeta{};
    for (std::size_t c = 0; c < k_; ++c) {
      new (minutes(index) + c) std::int32_t(kNoMinute);
      new (values(index) + c) double(0.0);
    }
    ++count_;
  }
  meta(index).neighbourhood = neighbourhood;
  meta(index).scored = scored;
  return index;
}

Applied Scorer::apply(std::uint32_t tenancy, std::int32_t category, std::int32_t minute, std::int32_t severity,
                      std::int64_t amount_cents) {
  Applied out;
  TenancyMeta &meta = this->meta(tenancy);
  if (category < 0 || !meta.scored) {
    return out;
  }
  const auto c = static_cast<std::size_t>(category);
  const CategoryParams &rule = rules_->params[c];
  if (!counts(rule, severity, amount_cents)) {
    return out;
  }
  const StateRef s = state(tenancy);
  add_to_state(rule, c, s, minute, signal_points(rule, severity, amount_cents));
  if (c < kMaskedCategories) {
    meta.active = static_cast<std::uint16_t>(meta.active | (1u << c));
    meta.spent = static_cast<std::uint16_t>(meta.spent & ~(1u << c));
  }

  meta.latest_minute = std::max(meta.latest_minute, minute);
  out.counted = true;
  out.at_minute = meta.latest_minute;
  out.score = evaluate_latest(tenancy, meta);
  out.level = rules_->level_of(out.score);
  meta.score = static_cast<std::int32_t>(std::min<std::int64_t>(out.score, INT32_MAX));
  meta.level = out.level;
  if (out.level >= rules_->flag_from && out.level > meta.episode) {
    out.raise = true;
    meta.episode = out.level;
  } else if (out.level < rules_->flag_from) {
    meta.episode = Level::none;
  }
  return out;
}

std::int64_t Scorer::evaluate_latest(std::uint32_t tenancy, TenancyMeta &meta) const {
  if (k_ > kMaskedCategories) {
    return state_score(*rules_, values(tenancy), minutes(tenancy), meta.latest_minute);
  }
  const double *value = values(tenancy);
  const std::int32_t *minute = minutes(tenancy);
  const std::int32_t at_minute = meta.latest_minute;
  const CategoryParams *params = rules_->params.data();
  // The same sum as state_score(), category by category; a spent category adds 0 there too.
  std::int64_t total = 0;
  unsigned spent = meta.spent;
  for (unsigned live = meta.active & ~spent; live != 0; live &= live - 1) {
    const auto c = static_cast<std::size_t>(__builtin_ctz(live));
    const std::int64_t age = static_cast<std::int64_t>(at_minute) - minute[c];
    const std::int64_t points = category_points(params[c], age == 0 ? value[c] : value[c] * decay(params[c], age));
    if (points == 0 && value[c] >= 0 && params[c].cap >= 0) {
      spent |= 1u << c;
    }
    total += points;
  }
  meta.spent = static_cast<std::uint16_t>(spent);
  for (const auto &combination : rules_->combinations) {
    if (within_window(minute[combination.first], at_minute, combination.window_days) &&
        within_window(minute[combination.second], at_minute, combination.window_days)) {
      total += static_cast<std::int64_t>(std::llround(combination.points));
    }
  }
  return std::max<std::int64_t>(total, 0);
}

void Scorer::apply_batch(const PackedSignals &signals, std::size_t begin, std::size_t end, std::vector<Raise> *raises) {
  constexpr std::size_t kAhead = 8; // far enough to hide a miss, near enough to stay cached
  for (std::size_t i = begin; i < end; ++i) {
    if (i + kAhead < end) {
      const std::byte *ahead = slot(signals.tenancy[i + kAhead]);
      for (std::size_t line = 0; line < stride_; line += 64) {
        __builtin_prefetch(ahead + line, 1);
      }
    }
    const Applied applied =
        apply(signals.tenancy[i], signals.category[i], signals.minute[i], signals.severity[i], signals.amount_cents[i]);
    if (applied.raise && raises != nullptr) {
      raises->push_back({signals.tenancy[i], signals.seq[i], applied.score, applied.level, applied.at_minute});
    }
  }
}

std::int64_t Scorer::score_at(std::uint32_t tenancy, std::int32_t at_minute) const {
  const TenancyMeta &meta = this->meta(tenancy);
  if (meta.latest_minute == kNoMinute) {
    return 0;
  }
  return state_score(*rules_, values(tenancy), minutes(tenancy), std::max(at_minute, meta.latest_minute));
}

void Scorer::clear_scores() {
  for (std::uint32_t t = 0; t < count_; ++t) {
    clear_slot(t);
  }
}

std::vector<Raise> Scorer::rescore(const PackedSignals &signals) {
  clear_scores();
  std::vector<Raise> raises;
  apply_batch(signals, 0, signals.size(), &raises);
  return raises;
}

void Scorer::rescore_scores(const PackedSignals &signals, std::int32_t at_minute) {
  clear_scores();
  const CategoryParams *params = rules_->params.data();
  for (std::size_t i = 0; i < signals.size(); ++i) {
    const std::int32_t category = signals.category[i];
    const std::uint32_t tenancy = signals.tenancy[i];
    if (category < 0 || !meta(tenancy).scored) {
      continue;
    }
    const auto c = static_cast<std::size_t>(category);
    const CategoryParams &rule = params[c];
    if (!counts(rule, signals.severity[i], signals.amount_cents[i])) {
      continue;
    }
    add_to_state(rule, c, state(tenancy), signals.minute[i],
                 signal_points(rule, signals.severity[i], signals.amount_cents[i]));
    if (c < kMaskedCategories) {
      TenancyMeta &m = meta(tenancy);
      m.active = static_cast<std::uint16_t>(m.active | (1u << c));
    }
  }
  for (std::uint32_t t = 0; t < count_; ++t) {
    TenancyMeta &m = meta(t);
    m.latest_minute = latest_minute(*rules_, values(t), minutes(t));
    if (m.latest_minute == kNoMinute) {
      continue;
    }
    const std::int64_t score = state_score(*rules_, values(t), minutes(t), std::max(at_minute, m.latest_minute));
    m.score = static_cast<std::int32_t>(std::min<std::int64_t>(score, INT32_MAX));
    m.level = rules_->level_of(score);
  }
}

std::size_t Scorer::memory_bytes() const { return index_.memory_bytes() + capacity_ * stride_; }

void Scorer::reserve(std::size_t tenancies, std::size_t id_bytes) {
  index_.reserve(tenancies, id_bytes);
  if (tenancies > capacity_) {
    grow(tenancies);
  }
}

} // namespace hearth::early_warning
