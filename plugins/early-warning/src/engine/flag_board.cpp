#include "engine/flag_board.hpp"

#include <cstring>
#include <mutex>

namespace hearth::early_warning {

const char *status_name(FlagStatus status) {
  switch (status) {
  case FlagStatus::proposed: return "proposed";
  case FlagStatus::accepted: return "accepted";
  case FlagStatus::overridden: return "overridden";
  case FlagStatus::dismissed: return "dismissed";
  case FlagStatus::none: break;
  }
  return "none";
}

bool parse_status(std::string_view text, FlagStatus &status) {
  for (const auto candidate : {FlagStatus::proposed, FlagStatus::accepted, FlagStatus::overridden, FlagStatus::dismissed}) {
    if (text == status_name(candidate)) {
      status = candidate;
      return true;
    }
  }
  return false;
}

bool FlagBoard::lookup(std::string_view tenancy_id, LookupResult &out) const {
  std::shared_lock lock(mutex_);
  const auto index = scorer_->find(tenancy_id);
  if (!index) {
    return false;
  }
  const TenancyMeta &meta = scorer_->meta(*index);
  out.tenancy = *index;
  out.level = meta.level;
  out.score = meta.score;
  out.as_of_minute = meta.latest_minute;
  out.scored = scorer_->scored(*index);
  if (meta.latest_flag != kNoFlag) {
    out.flag = flags_[meta.latest_flag];
  } else {
    out.flag = FlagBrief{};
  }
  return true;
}

void FlagBoard::count(const FlagBrief &brief, int delta) {
  std::uint64_t &slot = counts_[static_cast<std::size_t>(brief.level)][static_cast<std::size_t>(brief.status)];
  slot = delta > 0 ? slot + 1 : slot - 1;
}

void FlagBoard::put_flag(std::uint32_t tenancy, const FlagBrief &brief) {
  std::unique_lock lock(mutex_);
  TenancyMeta &meta = scorer_->meta(tenancy);
  if (meta.latest_flag == kNoFlag) {
    meta.latest_flag = static_cast<std::uint32_t>(flags_.size());
    flags_.push_back(brief);
    count(brief, +1);
    return;
  }
  FlagBrief &current = flags_[meta.latest_flag];
  if (brief.seq >= current.seq) { // the same trigger under newer rules replaces it too
    count(current, -1);
    current = brief;
    count(current, +1);
  }
}

void FlagBoard::forget_flag(std::uint32_t tenancy) {
  std::unique_lock lock(mutex_);
  TenancyMeta &meta = scorer_->meta(tenancy);
  if (meta.latest_flag == kNoFlag) {
    return;
  }
  FlagBrief &current = flags_[meta.latest_flag];
  count(current, -1);
  current = FlagBrief{}; // the slot stays unused: an erasure is rare
  meta.latest_flag = kNoFlag;
}

FlagCounts FlagBoard::flag_counts() const {
  std::shared_lock lock(mutex_);
  return counts_;
}

void FlagBoard::set_flag_status(std::uint32_t tenancy, std::string_view id, FlagStatus status, Level level) {
  std::unique_lock lock(mutex_);
  const TenancyMeta &meta = scorer_->meta(tenancy);
  if (meta.latest_flag == kNoFlag) {
    return;
  }
  FlagBrief &current = flags_[meta.latest_flag];
  if (id == current.id) {
    count(current, -1);
    current.status = status;
    current.level = level;
    count(current, +1);
  }
}

void FlagBoard::clear_flags() {
  std::unique_lock lock(mutex_);
  flags_.clear();
  counts_ = FlagCounts{};
  for (std::uint32_t t = 0; t < scorer_->tenancy_count(); ++t) {
    scorer_->meta(t).latest_flag = kNoFlag;
  }
}

std::size_t FlagBoard::memory_bytes() const {
  std::shared_lock lock(mutex_);
  return scorer_->memory_bytes() + flags_.capacity() * sizeof(FlagBrief);
}

} // namespace hearth::early_warning
