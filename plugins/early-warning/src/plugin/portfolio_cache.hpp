// What flags.portfolio reads of one person's tenancies, kept between requests (since
// 0.1.0). The consultant view runs flags.portfolio on every page; reading every flag of a
// portfolio with its tenancy from the store cost most of a page. A snapshot holds only
// data: the person's tenancies (with the people the record rules look at) and each
// tenancy's latest flag. It is used again only while
//  - no flag changed anywhere: FlagStore::change_count() is what it was read at (every
//    write of a flag or a decision counts, in the writer's transaction, whichever process
//    or instance wrote it), and
//  - no tenancy was written anywhere: the runtime's hearth_tenancy_change count (kept by
//    the store's own triggers, in the writer's transaction, whoever writes) is what it was.
// Both counts are read in one statement before the snapshot is; a write in between only
// makes the next request read again.
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
  std::int64_t tenancy_changes = 0;      // hearth_tenancy_change's count read with it
  std::vector<TenancyContext> tenancies; // the person's tenancies, in the store's id order
  std::vector<PortfolioFlag> latest;     // each tenancy's latest flag (tenancies without flags have none)
  // Answers made from this snapshot (only ever used while the snapshot is).
  std::shared_ptr<KeptAnswers> answers = std::make_shared<KeptAnswers>();
};

// Snapshots by person (the column that ties them to tenancies and their user id), at most
// `capacity` of them (when full, all are dropped: they are read again on use). Owned by
// one plugin instance; snapshots are immutable and shared. [any-thread]
class PortfolioCache {
public:
  explicit PortfolioCache(std::size_t capacity = 512) : capacity_(capacity) {}

  // The snapshot kept for `person`, or nullptr. The caller checks that it is still exact
  // (its counts against the store's) before using it.
  std::shared_ptr<const PortfolioSnapshot> kept(const std::string &person) const {
    std::lock_guard lock(mutex_);
    const auto found = entries_.find(person);
    return found == entries_.end() ? nullptr : found->second;
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
