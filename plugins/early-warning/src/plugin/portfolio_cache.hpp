// What flags.portfolio reads of one person's tenancies, kept between requests (since
// 0.1.0). The consultant view runs flags.portfolio on every page; reading every flag of a
// portfolio with its tenancy from the store cost most of a page. A snapshot holds only
// data: the person's tenancies (with the people the record rules look at) and each
// tenancy's latest flag. It is used again only while
//  - no flag changed anywhere: FlagStore::change_count() is what it was read at (every
//    write of a flag or a decision counts, in the writer's transaction, whichever process
//    or instance wrote it), and
//  - the person's tenancies, their portfolio owners and tenant users are exactly what they
//    were (read again on every request: the runtime writes tenancies, not this plugin).
// The policy is still asked and the search still audited on every request; nothing about
// what the actor may see is kept here.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "engine/flag_board.hpp"
#include "plugin/access.hpp"

namespace hearth::early_warning {

// One flag as flags.portfolio lists it: what it shows and what the record rules need,
// not the stored inputs and contributions (only an explanation needs those).
struct PortfolioFlag {
  std::string id, tenancy_id;
  std::int64_t score = 0, evaluated_at_ms = 0, raised_at_ms = 0;
  FlagStatus status = FlagStatus::proposed;
  Level effective_level = Level::none; // the level a person set, else the flag's own
};

// A tenancy's current level and score as the board had them (Level::none: none).
using CurrentLevel = std::pair<Level, std::int64_t>;

// The texts of flags.portfolio answers made from one snapshot, kept with what they were
// made from: the rows shown (in order; pointers into the snapshot's `latest`) and each
// row's current level. The texts are a function of exactly those, so an answer with the
// same rows and current levels is the same text. At most 8 (the oldest goes). [any-thread]
class KeptAnswers {
public:
  // Copies the kept texts for `shown` with `current` into `json` and `objects`; false
  // when none are kept for exactly those.
  bool find(const std::vector<const PortfolioFlag *> &shown, const std::vector<CurrentLevel> &current,
            std::string &json, std::string &objects) const {
    std::lock_guard lock(mutex_);
    for (const auto &answer : answers_) {
      if (answer.shown == shown && answer.current == current) {
        json = answer.json;
        objects = answer.objects;
        return true;
      }
    }
    return false;
  }
  // Keeps the texts `json` (the answer) and `objects` (its audit entry's objects).
  void put(std::vector<const PortfolioFlag *> shown, std::vector<CurrentLevel> current, std::string json,
           std::string objects) {
    std::lock_guard lock(mutex_);
    if (answers_.size() >= 8) {
      answers_.erase(answers_.begin());
    }
    answers_.push_back(Answer{std::move(shown), std::move(current), std::move(json), std::move(objects)});
  }

private:
  struct Answer {
    std::vector<const PortfolioFlag *> shown;
    std::vector<CurrentLevel> current;
    std::string json, objects;
  };
  mutable std::mutex mutex_;
  std::vector<Answer> answers_;
};

// One person's tenancies and their latest flags, as one statement read them.
struct PortfolioSnapshot {
  std::int64_t flag_changes = 0;         // FlagStore::change_count() read before the statement
  std::vector<TenancyContext> tenancies; // the person's tenancies, in the store's id order
  std::vector<PortfolioFlag> latest;     // each tenancy's latest flag (tenancies without flags have none)
  // Answers made from this snapshot (only ever used while the snapshot is).
  std::shared_ptr<KeptAnswers> answers = std::make_shared<KeptAnswers>();
};

// True when `a` and `b` name the same tenancies with the same people, in the same order.
inline bool same_tenancies(const std::vector<TenancyContext> &a, const std::vector<TenancyContext> &b) {
  if (a.size() != b.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].tenancy_id != b[i].tenancy_id || a[i].portfolio_owner != b[i].portfolio_owner ||
        a[i].tenant_user != b[i].tenant_user) {
      return false;
    }
  }
  return true;
}

// Snapshots by person (the column that ties them to tenancies and their user id), at most
// `capacity` of them (when full, all are dropped: they are read again on use). Owned by
// one plugin instance; snapshots are immutable and shared. [any-thread]
class PortfolioCache {
public:
  explicit PortfolioCache(std::size_t capacity = 512) : capacity_(capacity) {}

  // The snapshot kept for `person` if it was read at `flag_changes` and holds exactly
  // `tenancies`; nullptr otherwise.
  std::shared_ptr<const PortfolioSnapshot> find(const std::string &person, std::int64_t flag_changes,
                                                const std::vector<TenancyContext> &tenancies) const {
    std::shared_ptr<const PortfolioSnapshot> kept;
    {
      std::lock_guard lock(mutex_);
      const auto found = entries_.find(person);
      if (found == entries_.end()) {
        return nullptr;
      }
      kept = found->second;
    }
    if (kept->flag_changes != flag_changes || !same_tenancies(kept->tenancies, tenancies)) {
      return nullptr;
    }
    return kept;
  }

  // Keeps `snapshot` for `person` (replacing what was kept).
  void put(const std::string &person, std::shared_ptr<const PortfolioSnapshot> snapshot) {
    std::lock_guard lock(mutex_);
    if (entries_.size() >= capacity_ && entries_.count(person) == 0) {
      entries_.clear();
    }
    entries_[person] = std::move(snapshot);
  }

private:
  mutable std::mutex mutex_;
  std::size_t capacity_;
  std::map<std::string, std::shared_ptr<const PortfolioSnapshot>> entries_;
};

} // namespace hearth::early_warning
