// The early-warning plugin: follows accepted signals, keeps every tenancy's score, raises
// flags for people to decide on, and answers operations (hearth/service.h) and typed
// lookups (hearth/early_warning.h). docs/early-warning.md describes it.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <hearth/event.h>
#include <hearth/metrics.h>
#include <hearth/plugin.hpp>

#include "engine/flag_board.hpp"
#include "engine/protected_attributes.hpp"
#include "engine/rule_set.hpp"
#include "plugin/access.hpp"
#include "plugin/audit_queue.hpp"
#include "plugin/flag_store.hpp"
#include "plugin/portfolio_cache.hpp"
#include "plugin/settings.hpp"

namespace hearth::early_warning {

// The runtime's erasure event (published after an erase-tenancy or erase-person command
// has committed; payload {"kind", "tenancy_id", ...}). hearth/event.h names it once the
// runtime publishes it; until then the same type id is spelled here.
#ifdef HEARTH_EVENT_DATA_ERASED
inline constexpr const char *kErasedEvent = HEARTH_EVENT_DATA_ERASED;
#else
inline constexpr const char *kErasedEvent = "nl.hearth.data.erased/1";
#endif

// What a full rebuild of the scores did.
struct RebuildSummary {
  std::size_t tenancies = 0;
  std::size_t scored_tenancies = 0;
  std::size_t signals = 0;
  std::size_t raises = 0;        // flags the episode rule asked for over the whole history
  std::size_t flags_stored = 0;  // of those, new recent flags stored now
  std::size_t changed = 0;       // tenancies whose score or level differs from before
  std::size_t flags_removed = 0; // flags whose signals were erased or purged
  std::size_t levels[4] = {};    // tenancies per Level (none, green, amber, red)
};

class EarlyWarningPlugin : public Plugin {
public:
  void init(Host host) override;
  void deinit() noexcept override;
  bool offers_operations() const override { return true; }
  std::string call(const hearth_actor &actor, std::string_view operation, std::string_view args_json) override;
  const void *factory(const char *factory_id) override;

  // For the lookup table (lookup_table.cpp).
  const FlagBoard &board() const { return *board_; }
  const Access &access() const { return *access_; }
  const Host &host() const { return host_; }
  AuditQueue &audit_queue() { return *audit_queue_; }
  // The rule set scoring uses now. [any-thread]
  std::shared_ptr<const RuleSet> rules() const { return current_rules(); }

  // The scorer's index of tenancy `tenancy_id`; a tenancy Hearth holds but the scorer has
  // not seen yet (no signal since it was stored) is added. Nothing when Hearth does not
  // hold it. [any-thread] may block (a query) for a tenancy not seen before.
  std::optional<std::uint32_t> tenancy_index(const std::string &tenancy_id);

  // Applies a batch of accepted-signal events (the bus callback). [worker]
  void apply_events(const hearth_event *const *events, std::uint32_t count);
  // Applies a batch of erasure events (the bus callback): each erased tenancy loses the
  // flags whose signals are gone, and its score is rebuilt from what is left. [worker]
  void apply_erasures(const hearth_event *const *events, std::uint32_t count);

private:
  // What init() does; throws on any failure.
  void start();
  // Rebuilds every score from the stored signals under `rules`, stores the recent flags
  // the history asks for, and loads the flags' latest states. Serialised with events.
  RebuildSummary rebuild(std::shared_ptr<const RuleSet> rules);
  // The neighbourhood index of `code` (adds it). Caller holds writer_mutex_.
  std::uint16_t neighbourhood_index(const std::string &code);
  // Stores a flag for each raise that is recent enough and new; returns how many.
  std::size_t store_flags(const std::vector<Raise> &raises);
  // Loads each tenancy's latest flag from the store into the board.
  void load_flag_briefs();
  // Deletes (audited) every flag one of whose input signals is no longer stored: erased
  // with its tenancy, or purged after its retention period. Then reloads the board's
  // flags. Returns how many went.
  std::size_t forget_orphan_flags();
  // Deletes (audited, purpose erasure) every flag of `tenancy_id` one of whose input
  // signals is no longer stored, rebuilds the tenancy's score from its remaining signals,
  // and shows its latest remaining flag on the board. Idempotent: it checks the store, so a
  // repeated event deletes nothing more. Returns how many flags went.
  std::size_t forget_erased(const std::string &tenancy_id);
  // Sets the hearth_flags gauge (tenancies' latest flags by level and status) from the
  // board. Call after the board's flags changed, without holding its lock. Never throws:
  // a metrics failure is logged.
  void publish_flag_metrics();
  // Writes one batch of typed lookups to the audit log (the audit queue's thread).
  void write_lookup_batch(const LookupBatch &batch);

  // Operations (flag_operations.cpp, admin_operations.cpp, evidence_operations.cpp).
  std::string flags_for_tenancy(const hearth_actor &actor, const std::string &args);
  std::string flags_portfolio(const hearth_actor &actor, const std::string &args);
  std::string flag_explain(const hearth_actor &actor, const std::string &args);
  std::string flag_decide(const hearth_actor &actor, const std::string &args);
  std::string flag_revise(const hearth_actor &actor, const std::string &args);
  // flag.decide (`revision` false: the first decision on a proposed flag) and flag.revise
  // (a later decision replacing the latest, which stays in the history).
  std::string record_decision(const hearth_actor &actor, const std::string &args, bool revision);
  std::string score_full(const hearth_actor &actor, const std::string &args);
  std::string flags_verify(const hearth_actor &actor, const std::string &args);
  std::string status(const hearth_actor &actor, const std::string &args);
  // evidence_operations.cpp
  std::string backtest(const hearth_actor &actor, const std::string &args);
  std::string backtest_merge(const hearth_actor &actor, const std::string &args);
  std::string register_entry(const hearth_actor &actor, const std::string &args);

  // Throws Error(HEARTH_ERROR_NOT_FOUND) after auditing the refusal when the flag or its
  // tenancy is missing or the actor may not read it; returns the tenancy context.
  // `data_classes`: those the flags concerned are derived from (default: the current
  // rule set's).
  TenancyContext readable_tenancy(const hearth_actor &actor, const std::string &tenancy_id, const char *event,
                                  const std::string &objects);
  TenancyContext readable_tenancy(const hearth_actor &actor, const std::string &tenancy_id,
                                  const std::vector<std::string> &data_classes, const char *event,
                                  const std::string &objects);
  // Throws Error(HEARTH_ERROR_DENIED) (audited) unless `actor` has one of `roles`.
  void require_role(const hearth_actor &actor, std::initializer_list<const char *> roles, const char *event,
                    const std::string &objects);
  std::shared_ptr<const RuleSet> current_rules() const;

  Host host_;
  Settings settings_;
  std::unique_ptr<ProtectedAttributes> protected_attributes_;
  std::shared_ptr<const RuleSet> rules_; // guarded by rules_mutex_
  mutable std::mutex rules_mutex_;
  std::unique_ptr<Access> access_;
  std::unique_ptr<FlagStore> store_;
  std::unique_ptr<FlagBoard> board_;
  std::mutex writer_mutex_;           // one writer at a time: events, rebuilds
  std::uint64_t applied_seq_ = 0;     // guarded by the board's lock
  std::vector<std::string> neighbourhoods_;          // guarded by writer_mutex_
  std::map<std::string, std::uint16_t> neighbourhood_ids_; // guarded by writer_mutex_
  std::unique_ptr<AuditQueue> audit_queue_;
  // What flags.portfolio read per person, used again while it is still exact.
  std::unique_ptr<PortfolioCache> portfolio_cache_ = std::make_unique<PortfolioCache>();
  std::uint64_t subscription_ = 0;
  bool subscribed_ = false;
  std::uint64_t erasure_subscription_ = 0;
  bool erasure_subscribed_ = false;
  const hearth_metrics_extension *metrics_ = nullptr; // nullptr: the runtime offers none
  std::mutex metrics_mutex_;                          // one writer of the gauge at a time
};

// The plugin instance while it is initialised, for the C lookup table; nullptr otherwise.
EarlyWarningPlugin *active_plugin();

// The lookup table of hearth/early_warning.h.
const void *lookup_table();

} // namespace hearth::early_warning
