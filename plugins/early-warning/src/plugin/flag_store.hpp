// The plugin's tables: rule sets by hash (ew_rule_set) and flags (ew_flag). Every method
// runs inside the caller's storage transaction when there is one.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <hearth/plugin.hpp>

#include "engine/rule_set.hpp"
#include "plugin/flag_record.hpp"

namespace hearth::early_warning {

class FlagStore {
public:
  explicit FlagStore(Host host) : host_(host) {}

  // Records `rules` (once per hash). Throws Error(HEARTH_ERROR_CONFLICT) when another
  // file was used before under the same name and version: a changed rule set needs a
  // new version, so that old flags keep meaning what they meant.
  void register_rule_set(const RuleSet &rules, std::int64_t now_ms);

  // The rule set with hash `sha256` as it was used (compiled from its stored text; the
  // guard ran when it was first used). Cached. Throws Error(HEARTH_ERROR_NOT_FOUND).
  std::shared_ptr<const RuleSet> rule_set(const std::string &sha256);

  bool exists(const std::string &flag_id) const;
  // Inserts a new flag (status proposed); false when a flag with its id exists already
  // (another instance sharing the store raised it first).
  bool insert(const FlagRecord &flag);
  // Flag `flag_id` with every decision on it.
  std::optional<FlagRecord> by_id(const std::string &flag_id) const;
  // The flags of one tenancy, oldest first, each with every decision on it.
  std::vector<FlagRecord> for_tenancy(const std::string &tenancy_id) const;
  // Calls `each` for every flag, in trigger order.
  void for_each(const std::function<void(const FlagRecord &)> &each) const;

  // Calls `each` for every flag with its tenancy's portfolio owner and tenant user, in
  // tenancy and trigger order; `column` ("portfolio_owner" or "tenant_user") and `user`
  // narrow it to one person's tenancies when `column` is not empty.
  void for_each_with_context(
      const std::string &column, const std::string &user,
      const std::function<void(const FlagRecord &, const std::string &owner, const std::string &tenant)> &each) const;

  // Deletes flag `flag_id` and every decision on it.
  void remove(const std::string &flag_id);

  // How many writes of flags and decisions the store has seen (insert, remove, decide,
  // revise: each counts in its own transaction, by whichever process or instance wrote).
  // A reader that keeps what it read reads this first and may use its copy while the
  // count is unchanged. [any-thread] one query.
  std::int64_t change_count() const;

  // Records a person's first decision (decision.number must be 1) if the flag is still
  // proposed; false when it was not (decided meanwhile). Run it in a transaction.
  bool decide(const std::string &flag_id, const Decision &decision);
  // Records a revision (decision.number = the current decision's number + 1) and makes it
  // the current decision, if the flag's latest decision is still number
  // decision.number - 1; false when it is not (revised meanwhile). Earlier decisions stay.
  // Run it in a transaction.
  bool revise(const std::string &flag_id, const Decision &decision);

private:
  // Counts one change (see change_count()); called after the write it counts, in its
  // transaction when there is one.
  void count_change();
  // Adds decision row `decision` of `flag_id` when the flag's latest decision number is
  // decision.number - 1; false otherwise.
  bool add_decision(const std::string &flag_id, const Decision &decision);
  // Fills the decisions of `flags` (one query).
  void load_decisions(std::vector<FlagRecord> &flags, const std::string &where, const std::string &param) const;

  Host host_;
  std::mutex cache_mutex_;
  std::map<std::string, std::shared_ptr<const RuleSet>> cache_;
};

} // namespace hearth::early_warning
