// The plugin's life: start (settings, rule set, tables, rebuilding every score from the
// stored signals), following accepted signals, raising flags, stop.
#include "plugin/early_warning_plugin.hpp"

#include <algorithm>
#include <numeric>
#include <shared_mutex>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "engine/rule_loader.hpp"
#include "hearth/early_warning.h"
#include "hearth/signals.h"
#include "plugin/core_data.hpp"
#include "plugin/schema.hpp"

namespace hearth::early_warning {
namespace {

std::atomic<EarlyWarningPlugin *> g_active{nullptr};

// The gauge of flags on /metrics (hearth/metrics.h): labels level and status.
constexpr const char *kFlagGauge = "hearth_flags";

const char *const kFeatures[] = {"risk-flags", "flag-decisions", "backtest", "algorithm-register", nullptr};

const hearth_plugin_descriptor kDescriptor = {
    sizeof(hearth_plugin_descriptor),
    HEARTH_PLUGIN_KIND_SCORER,
    HEARTH_EW_PLUGIN_ID,
    "Early warning",
    "Hearth",
    "0.2.0",
    "Explainable risk flags from rent-arrears and nuisance signals, decided by people.",
    kFeatures,
    nullptr};

// One accepted signal, read from its event's payload.
struct AcceptedSignal {
  std::string tenancy_id;
  SignalInput input;
};

std::optional<AcceptedSignal> parse_event(const hearth_event &event) {
  if (event.payload == nullptr) {
    return std::nullopt;
  }
  try {
    const auto payload = Poco::JSON::Parser().parse(event.payload).extract<Poco::JSON::Object::Ptr>();
    AcceptedSignal signal;
    signal.tenancy_id = payload->getValue<std::string>("tenancy_id");
    signal.input.seq = payload->getValue<std::uint64_t>("seq");
    signal.input.type = payload->getValue<std::string>("type");
    signal.input.detail = payload->optValue<std::string>("detail", "");
    signal.input.occurred_at_ms = payload->getValue<std::int64_t>("occurred_at_ms");
    signal.input.amount_cents = payload->optValue<std::int64_t>("amount_cents", 0);
    signal.input.severity = payload->optValue<std::int32_t>("severity", 0);
    return signal;
  } catch (const std::exception &) {
    return std::nullopt;
  }
}

// The tenancy an erasure event names (payload "tenancy_id"), if any.
std::optional<std::string> erased_tenancy(const hearth_event &event) {
  if (event.payload == nullptr) {
    return std::nullopt;
  }
  try {
    const auto payload = Poco::JSON::Parser().parse(event.payload).extract<Poco::JSON::Object::Ptr>();
    if (!payload->has("tenancy_id") || payload->isNull("tenancy_id")) {
      return std::nullopt; // a person without a tenancy: no flag concerns them
    }
    return payload->getValue<std::string>("tenancy_id");
  } catch (const std::exception &) {
    return std::nullopt;
  }
}

// The board's brief of a stored flag.
FlagBrief brief_of(const FlagRecord &flag) {
  FlagBrief brief;
  std::snprintf(brief.id, sizeof brief.id, "%s", flag.id.c_str());
  brief.seq = flag.trigger_seq;
  brief.score = static_cast<std::int32_t>(flag.score);
  brief.status = flag.decision.status;
  Level level = Level::none;
  parse_level(flag.decision.status == FlagStatus::overridden ? flag.decision.level : flag.level, level);
  brief.level = level;
  return brief;
}

std::int32_t on_erasures(void *user_data, const hearth_event *const *events, std::uint32_t count) {
  auto *plugin = static_cast<EarlyWarningPlugin *>(user_data);
  return guard(plugin->host().c_host(), "erasure events", [&] {
    plugin->apply_erasures(events, count);
    return static_cast<std::int32_t>(HEARTH_OK);
  });
}

std::int32_t on_events(void *user_data, const hearth_event *const *events, std::uint32_t count) {
  auto *plugin = static_cast<EarlyWarningPlugin *>(user_data);
  return guard(plugin->host().c_host(), "signal events", [&] {
    plugin->apply_events(events, count);
    return static_cast<std::int32_t>(HEARTH_OK);
  });
}

} // namespace

EarlyWarningPlugin *active_plugin() { return g_active.load(std::memory_order_acquire); }

void EarlyWarningPlugin::init(Host host) {
  host_ = host;
  try {
    start();
  } catch (const std::exception &e) {
    // init() has no message for the runtime; the reason goes to the log, at error level.
    host_.log_error(std::string("cannot start: ") + e.what());
    throw;
  }
}

void EarlyWarningPlugin::start() {
  try {
    settings_ = Settings::read(host_);
    protected_attributes_ = std::make_unique<ProtectedAttributes>(ProtectedAttributes::load(settings_.protected_attributes));
    rules_ = std::make_shared<const RuleSet>(load_rule_set(settings_.rule_set, *protected_attributes_));
  } catch (const Error &) {
    throw;
  } catch (const std::exception &e) {
    throw Error(HEARTH_ERROR_INVALID_ARGUMENT, e.what());
  }
  access_ = std::make_unique<Access>(host_);
  access_->set_organisation(settings_.organisation);
  host_.migrate(migrations());
  store_ = std::make_unique<FlagStore>(host_);
  store_->register_rule_set(*rules_, host_.now_ms());
  board_ = std::make_unique<FlagBoard>(std::make_unique<Scorer>(rules_));
  audit_queue_ = std::make_unique<AuditQueue>([this](const LookupBatch &batch) { write_lookup_batch(batch); },
                                              [this](const std::string &message) { host_.log_error(message); });

  // Subscribe before reading the stored signals: an event that commits meanwhile waits
  // for the rebuild (writer_mutex_) and is then applied once, by its seq.
  if (settings_.scoring) {
    const std::int32_t status =
        host_.c_host()->bus_subscribe(host_.c_host(), HEARTH_EVENT_SIGNAL_ACCEPTED, &on_events, this, &subscription_);
    if (status != HEARTH_OK) {
      throw Error(status, "cannot subscribe to " HEARTH_EVENT_SIGNAL_ACCEPTED);
    }
    subscribed_ = true;
  }
  // Flags outlive a switch of scoring to off, so erasures are followed either way.
  const std::int32_t erasure_status =
      host_.c_host()->bus_subscribe(host_.c_host(), kErasedEvent, &on_erasures, this, &erasure_subscription_);
  if (erasure_status != HEARTH_OK) {
    throw Error(erasure_status, std::string("cannot subscribe to ") + kErasedEvent);
  }
  erasure_subscribed_ = true;
  metrics_ = static_cast<const hearth_metrics_extension *>(
      host_.c_host()->get_extension(host_.c_host(), HEARTH_METRICS_EXTENSION_ID));
  if (metrics_ != nullptr) {
    char *error = nullptr;
    const std::int32_t status =
        metrics_->describe(host_.c_host(), kFlagGauge, HEARTH_METRIC_GAUGE,
                           "Tenancies whose latest early-warning flag stands at this level and status", &error);
    const std::string message = error != nullptr ? error : "";
    host_.c_host()->free(error);
    if (status == HEARTH_ERROR_UNSUPPORTED) {
      metrics_ = nullptr; // a runtime that keeps no metrics: nothing to publish
    } else if (status != HEARTH_OK) {
      throw Error(status, std::string("metrics: cannot describe ") + kFlagGauge + ": " + message);
    }
  }
  RebuildSummary summary = rebuild(rules_);
  summary.flags_removed = forget_orphan_flags();
  publish_flag_metrics();
  g_active.store(this, std::memory_order_release);
  host_.log_info(std::string("rule set ") + rules_->name + " " + rules_->version + " (sha256 " + rules_->short_hash() +
                 "), scoring " + (settings_.scoring ? "on" : "off") + ": " + std::to_string(summary.tenancies) +
                 " tenancies, " + std::to_string(summary.signals) + " signals, " +
                 std::to_string(summary.flags_stored) + " new flags, " + std::to_string(summary.flags_removed) +
                 " flags removed with their signals");
}

void EarlyWarningPlugin::deinit() noexcept {
  g_active.store(nullptr, std::memory_order_release);
  if (subscribed_) {
    host_.c_host()->bus_unsubscribe(host_.c_host(), subscription_);
    subscribed_ = false;
  }
  if (erasure_subscribed_) {
    host_.c_host()->bus_unsubscribe(host_.c_host(), erasure_subscription_);
    erasure_subscribed_ = false;
  }
  audit_queue_.reset(); // writes what readers handed over
}

void EarlyWarningPlugin::write_lookup_batch(const LookupBatch &batch) {
  auto objects_of = [&](std::vector<std::uint32_t> indices) {
    std::sort(indices.begin(), indices.end());
    indices.erase(std::unique(indices.begin(), indices.end()), indices.end());
    std::string objects;
    std::shared_lock lock(board_->mutex());
    for (const auto index : indices) {
      objects += (objects.empty() ? "tenancy:" : ",tenancy:") + std::string(board_->scorer().id_of(index));
    }
    return objects;
  };
  const std::string allowed = objects_of(batch.allowed);
  std::string refused = objects_of(batch.refused);
  if (batch.unknown > 0) {
    // An id Hearth does not hold is not written down: it could be anything a caller typed,
    // a BSN included. The entry says that unknown ids were asked for.
    refused += (refused.empty() ? "" : ",") + std::string("tenancy:unknown");
  }
  if (!allowed.empty()) {
    access_->record(*batch.actor->get(), HEARTH_ACTION_READ, allowed, false, "early-warning:lookup");
  }
  if (!refused.empty()) {
    access_->record(*batch.actor->get(), HEARTH_ACTION_READ, refused, true, "early-warning:lookup");
  }
}

std::shared_ptr<const RuleSet> EarlyWarningPlugin::current_rules() const {
  std::lock_guard lock(rules_mutex_);
  return rules_;
}

std::uint16_t EarlyWarningPlugin::neighbourhood_index(const std::string &code) {
  if (auto found = neighbourhood_ids_.find(code); found != neighbourhood_ids_.end()) {
    return found->second;
  }
  if (neighbourhoods_.size() >= 0xFFFF) {
    throw Error(HEARTH_ERROR_INTERNAL, "more than 65535 neighbourhoods");
  }
  const auto index = static_cast<std::uint16_t>(neighbourhoods_.size());
  neighbourhoods_.push_back(code);
  neighbourhood_ids_.emplace(code, index);
  return index;
}

RebuildSummary EarlyWarningPlugin::rebuild(std::shared_ptr<const RuleSet> rules) {
  std::lock_guard writer(writer_mutex_);
  RebuildSummary summary;
  auto scorer = std::make_unique<Scorer>(rules);
  {
    // Keep every index a reader may have cached: the known tenancies first, in order.
    std::shared_lock lock(board_->mutex());
    const Scorer &old = board_->scorer();
    for (std::uint32_t t = 0; t < old.tenancy_count(); ++t) {
      scorer->add_tenancy(old.id_of(t), old.meta(t).neighbourhood, old.scored(t));
    }
  }
  for_each_tenancy(host_, [&](std::string_view id, std::string_view code) {
    const std::string neighbourhood(code);
    scorer->add_tenancy(id, neighbourhood_index(neighbourhood),
                        settings_.scoring && settings_.scores_neighbourhood(neighbourhood));
  });

  PackedSignals packed;
  std::uint64_t max_seq = 0;
  if (settings_.scoring) {
    std::vector<std::pair<std::string, SignalInput>> late; // tenancies stored after the scan above
    for_each_signal(host_, 0, [&](const SignalRow &row) {
      max_seq = std::max(max_seq, row.input.seq);
      const auto tenancy = scorer->find(row.tenancy_id);
      if (!tenancy) {
        late.emplace_back(std::string(row.tenancy_id), row.input);
        return;
      }
      packed.push(row.input.seq, *tenancy, minute_of(row.input.occurred_at_ms),
                  static_cast<std::int8_t>(rules->category_of(row.input.type, row.input.detail)), row.input.severity,
                  row.input.amount_cents);
    });
    if (!late.empty()) {
      for (const auto &[id, input] : late) {
        const std::string code = neighbourhood_of(host_, id).value_or("");
        const auto tenancy = scorer->add_tenancy(id, neighbourhood_index(code), settings_.scores_neighbourhood(code));
        packed.push(input.seq, tenancy, minute_of(input.occurred_at_ms),
                    static_cast<std::int8_t>(rules->category_of(input.type, input.detail)), input.severity,
                    input.amount_cents);
      }
      std::vector<std::size_t> order(packed.size());
      std::iota(order.begin(), order.end(), 0);
      std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return packed.seq[a] < packed.seq[b]; });
      PackedSignals sorted;
      sorted.reserve(packed.size());
      for (const auto i : order) {
        sorted.push(packed.seq[i], packed.tenancy[i], packed.minute[i], packed.category[i], packed.severity[i],
                    packed.amount_cents[i]);
      }
      packed = std::move(sorted);
    }
  }
  const std::vector<Raise> raises = scorer->rescore(packed);

  {
    std::unique_lock lock(board_->mutex());
    const Scorer &old = board_->scorer();
    for (std::uint32_t t = 0; t < old.tenancy_count(); ++t) {
      const TenancyMeta &before = old.meta(t);
      TenancyMeta &after = scorer->meta(t);
      after.latest_flag = before.latest_flag;
      if (before.level != after.level || before.score != after.score) {
        ++summary.changed;
      }
    }
    board_->replace_scorer(std::move(scorer));
    applied_seq_ = std::max(applied_seq_, max_seq);
    const Scorer &now = board_->scorer();
    summary.tenancies = now.tenancy_count();
    for (std::uint32_t t = 0; t < now.tenancy_count(); ++t) {
      summary.scored_tenancies += now.scored(t) ? 1 : 0;
      ++summary.levels[static_cast<std::size_t>(now.meta(t).level)];
    }
  }
  {
    std::lock_guard lock(rules_mutex_);
    rules_ = rules;
  }
  summary.signals = packed.size();
  summary.raises = raises.size();
  summary.flags_stored = store_flags(raises);
  return summary;
}

std::optional<std::uint32_t> EarlyWarningPlugin::tenancy_index(const std::string &tenancy_id) {
  {
    std::shared_lock lock(board_->mutex());
    if (auto known = board_->scorer().find(tenancy_id)) {
      return known;
    }
  }
  std::lock_guard writer(writer_mutex_);
  {
    std::shared_lock lock(board_->mutex());
    if (auto known = board_->scorer().find(tenancy_id)) {
      return known;
    }
  }
  const auto code = neighbourhood_of(host_, tenancy_id);
  if (!code) {
    return std::nullopt;
  }
  const std::uint16_t neighbourhood = neighbourhood_index(*code);
  std::unique_lock lock(board_->mutex());
  return board_->scorer().add_tenancy(tenancy_id, neighbourhood, settings_.scoring && settings_.scores_neighbourhood(*code));
}

void EarlyWarningPlugin::apply_events(const hearth_event *const *events, std::uint32_t count) {
  std::vector<AcceptedSignal> signals;
  for (std::uint32_t i = 0; i < count; ++i) {
    if (auto signal = parse_event(*events[i])) {
      signals.push_back(std::move(*signal));
    } else {
      host_.log_warn("an accepted-signal event without a readable payload was skipped");
    }
  }
  std::lock_guard writer(writer_mutex_);
  // Tenancies the scorer has not seen get their neighbourhood first (a query), outside
  // the lock that lookups share.
  std::vector<std::pair<std::string, std::string>> new_tenancies;
  {
    std::shared_lock lock(board_->mutex());
    for (const auto &s : signals) {
      if (s.input.seq > applied_seq_ && !board_->scorer().find(s.tenancy_id)) {
        new_tenancies.emplace_back(s.tenancy_id, "");
      }
    }
  }
  for (auto &[id, code] : new_tenancies) {
    code = neighbourhood_of(host_, id).value_or("");
  }
  std::vector<Raise> raises;
  std::shared_ptr<const RuleSet> rules;
  {
    std::unique_lock lock(board_->mutex());
    Scorer &scorer = board_->scorer();
    rules = scorer.rules_ptr();
    for (const auto &[id, code] : new_tenancies) {
      scorer.add_tenancy(id, neighbourhood_index(code), settings_.scores_neighbourhood(code));
    }
    // The bus hands over events in batches: they are packed and applied as one batch
    // (Scorer::apply_batch: each exactly as apply() would, the next tenancies' slots
    // fetched ahead), which keeps a burst of signals from waiting on a cache miss each.
    PackedSignals batch;
    batch.reserve(signals.size());
    std::uint64_t newest = applied_seq_;
    for (const auto &s : signals) {
      if (s.input.seq <= newest) {
        continue; // delivered again (a replay): already applied
      }
      const auto tenancy = scorer.find(s.tenancy_id);
      if (!tenancy) {
        continue;
      }
      batch.push(s.input.seq, *tenancy, minute_of(s.input.occurred_at_ms),
                 static_cast<std::int8_t>(rules->category_of(s.input.type, s.input.detail)), s.input.severity,
                 s.input.amount_cents);
      newest = s.input.seq;
    }
    scorer.apply_batch(batch, 0, batch.size(), &raises);
    applied_seq_ = newest;
  }
  if (store_flags(raises) > 0) {
    publish_flag_metrics();
  }
}

void EarlyWarningPlugin::publish_flag_metrics() {
  if (metrics_ == nullptr) {
    return;
  }
  // Read and written under one lock, so that a later count is never overwritten by an
  // earlier one.
  std::lock_guard lock(metrics_mutex_);
  const FlagCounts counts = board_->flag_counts();
  for (const Level level : {Level::green, Level::amber, Level::red}) {
    for (const FlagStatus status : {FlagStatus::proposed, FlagStatus::accepted, FlagStatus::overridden, FlagStatus::dismissed}) {
      const std::string labels = std::string("level=") + level_name(level) + ",status=" + status_name(status);
      const auto value = static_cast<double>(counts[static_cast<std::size_t>(level)][static_cast<std::size_t>(status)]);
      char *error = nullptr;
      const std::int32_t result = metrics_->set(host_.c_host(), kFlagGauge, labels.c_str(), value, &error);
      const std::string message = error != nullptr ? error : "";
      host_.c_host()->free(error);
      if (result != HEARTH_OK) {
        host_.log_warn(std::string("metrics: cannot set ") + kFlagGauge + ": " + message);
        return;
      }
    }
  }
}

std::size_t EarlyWarningPlugin::store_flags(const std::vector<Raise> &raises) {
  if (raises.empty()) {
    return 0;
  }
  std::shared_ptr<const RuleSet> rules;
  {
    std::shared_lock lock(board_->mutex());
    rules = board_->scorer().rules_ptr();
  }
  const std::int64_t now = host_.now_ms();
  const std::int64_t oldest = now - settings_.flag_max_age_days * 86'400'000;
  std::size_t stored = 0;
  for (const auto &raise : raises) {
    if (static_cast<std::int64_t>(raise.at_minute) * 60'000 < oldest) {
      continue; // history: advice about the past helps nobody now
    }
    std::string tenancy_id;
    std::string neighbourhood;
    {
      std::shared_lock lock(board_->mutex());
      tenancy_id = std::string(board_->scorer().id_of(raise.tenancy));
      neighbourhood = neighbourhoods_.at(board_->scorer().meta(raise.tenancy).neighbourhood);
    }
    FlagRecord flag;
    flag.id = flag_id(raise.seq, rules->sha256);
    if (store_->exists(flag.id)) {
      continue;
    }
    std::vector<SignalInput> inputs;
    for (auto &input : signals_of(host_, tenancy_id, raise.seq)) {
      if (rules->category_of(input.type, input.detail) >= 0) {
        inputs.push_back(std::move(input)); // only what the rule set reads is kept
      }
    }
    const ScoreBreakdown score = evaluate_inputs(*rules, inputs);
    if (score.total != raise.score) {
      host_.log_warn("flag " + flag.id + ": stored inputs give " + std::to_string(score.total) +
                     " points, the incremental scorer " + std::to_string(raise.score));
    }
    flag.tenancy_id = tenancy_id;
    flag.trigger_seq = raise.seq;
    flag.rule_set_sha256 = rules->sha256;
    flag.rule_set_version = rules->version;
    flag.score = score.total;
    flag.level = level_name(score.level);
    flag.evaluated_at_ms = static_cast<std::int64_t>(score.at_minute) * 60'000;
    flag.raised_at_ms = now;
    flag.neighbourhood_code = neighbourhood;
    flag.inputs_json = inputs_to_json(inputs);
    flag.contributions_json = contributions_to_json(*rules, score);
    bool inserted = false;
    host_.transaction([&] {
      inserted = store_->insert(flag);
      if (inserted) {
        access_->record(access_->system_actor(), HEARTH_ACTION_CREATE, "tenancy:" + tenancy_id + ",flag:" + flag.id,
                        false);
      }
    });
    if (!inserted) {
      continue;
    }
    FlagBrief brief;
    std::snprintf(brief.id, sizeof brief.id, "%s", flag.id.c_str());
    brief.seq = raise.seq;
    brief.score = static_cast<std::int32_t>(score.total);
    brief.level = score.level;
    brief.status = FlagStatus::proposed;
    board_->put_flag(raise.tenancy, brief);
    ++stored;
  }
  return stored;
}

std::size_t EarlyWarningPlugin::forget_orphan_flags() {
  std::lock_guard writer(writer_mutex_); // no flag is stored meanwhile
  std::vector<std::uint64_t> stored;
  host_.execute("SELECT seq FROM hearth_signal ORDER BY seq", {}, [&](const RowView &row) {
    stored.push_back(static_cast<std::uint64_t>(integer_at(row, 0)));
    return true;
  });
  std::vector<std::pair<std::string, std::string>> orphans; // flag id, tenancy id
  store_->for_each([&](const FlagRecord &flag) {
    bool complete = std::binary_search(stored.begin(), stored.end(), flag.trigger_seq);
    try {
      for (const auto &input : inputs_from_json(flag.inputs_json)) {
        complete = complete && std::binary_search(stored.begin(), stored.end(), input.seq);
      }
    } catch (const std::exception &) {
      complete = false;
    }
    if (!complete) {
      orphans.emplace_back(flag.id, flag.tenancy_id);
    }
  });
  if (!orphans.empty()) {
    // A flag copies its inputs: when they are gone, so is the flag, decision included.
    host_.transaction([&] {
      for (const auto &[id, tenancy] : orphans) {
        store_->remove(id);
        access_->record(access_->system_actor(), HEARTH_ACTION_DELETE, "tenancy:" + tenancy + ",flag:" + id, false,
                        "retention");
      }
    });
  }
  board_->clear_flags();
  load_flag_briefs();
  return orphans.size();
}

void EarlyWarningPlugin::load_flag_briefs() {
  std::vector<std::pair<std::string, FlagBrief>> loaded; // tenancy id, brief
  store_->for_each([&](const FlagRecord &flag) { loaded.emplace_back(flag.tenancy_id, brief_of(flag)); });
  for (const auto &[tenancy_id, brief] : loaded) {
    std::optional<std::uint32_t> tenancy;
    {
      std::shared_lock lock(board_->mutex());
      tenancy = board_->scorer().find(tenancy_id);
    }
    if (tenancy) {
      board_->put_flag(*tenancy, brief);
    }
  }
}

void EarlyWarningPlugin::apply_erasures(const hearth_event *const *events, std::uint32_t count) {
  for (std::uint32_t i = 0; i < count; ++i) {
    // Whoever published it, the store decides: only flags whose signals are really gone go.
    if (const auto tenancy_id = erased_tenancy(*events[i])) {
      forget_erased(*tenancy_id);
    }
  }
}

std::size_t EarlyWarningPlugin::forget_erased(const std::string &tenancy_id) {
  std::lock_guard writer(writer_mutex_); // no signal is applied and no flag stored meanwhile
  std::vector<std::uint64_t> stored;
  host_.execute("SELECT seq FROM hearth_signal WHERE tenancy_id = ? ORDER BY seq", {tenancy_id}, [&](const RowView &row) {
    stored.push_back(static_cast<std::uint64_t>(integer_at(row, 0)));
    return true;
  });
  const auto kept = [&](std::uint64_t seq) { return std::binary_search(stored.begin(), stored.end(), seq); };
  std::vector<std::string> gone;
  std::vector<FlagRecord> remaining;
  for (auto &flag : store_->for_tenancy(tenancy_id)) {
    bool complete = kept(flag.trigger_seq);
    try {
      for (const auto &input : inputs_from_json(flag.inputs_json)) {
        complete = complete && kept(input.seq);
      }
    } catch (const std::exception &) {
      complete = false;
    }
    if (complete) {
      remaining.push_back(std::move(flag));
    } else {
      gone.push_back(flag.id);
    }
  }
  if (!gone.empty()) {
    host_.transaction([&] {
      for (const auto &id : gone) {
        store_->remove(id);
        access_->record(access_->system_actor(), HEARTH_ACTION_DELETE, "tenancy:" + tenancy_id + ",flag:" + id, false,
                        "erasure");
      }
    });
  }

  std::optional<std::uint32_t> tenancy;
  {
    std::shared_lock lock(board_->mutex());
    tenancy = board_->scorer().find(tenancy_id);
  }
  if (!tenancy) {
    return gone.size(); // the scorer never saw it: nothing to show, nothing to rebuild
  }
  // Only signals already applied count again; later ones arrive as events.
  const std::vector<SignalInput> signals = signals_of(host_, tenancy_id, applied_seq_);
  {
    std::unique_lock lock(board_->mutex());
    Scorer &scorer = board_->scorer();
    const RuleSet &rules = scorer.rules();
    scorer.clear_tenancy(*tenancy);
    for (const auto &signal : signals) {
      scorer.apply(*tenancy, rules.category_of(signal.type, signal.detail), minute_of(signal.occurred_at_ms),
                   signal.severity, signal.amount_cents);
    }
  }
  if (!gone.empty()) {
    board_->forget_flag(*tenancy);
    for (const auto &flag : remaining) {
      board_->put_flag(*tenancy, brief_of(flag));
    }
    publish_flag_metrics();
  }
  return gone.size();
}

const void *EarlyWarningPlugin::factory(const char *factory_id) {
  if (std::string_view(factory_id) == HEARTH_EW_LOOKUP_FACTORY_ID) {
    return lookup_table();
  }
  return nullptr;
}

} // namespace hearth::early_warning

HEARTH_DEFINE_PLUGIN(hearth::early_warning::EarlyWarningPlugin, hearth::early_warning::kDescriptor)
