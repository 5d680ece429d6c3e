// The operation dispatch, and the operations for those who run and oversee the algorithm:
// rescoring everything, verifying every stored flag, and the plugin's status.
#include <shared_mutex>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include "engine/rule_loader.hpp"
#include "hearth/early_warning.h"
#include "plugin/early_warning_plugin.hpp"
#include "plugin/json_args.hpp"

namespace hearth::early_warning {

std::string EarlyWarningPlugin::call(const hearth_actor &actor, std::string_view operation, std::string_view args_json) {
  const std::string args(args_json);
  if (operation == "flags.for-tenancy") {
    return flags_for_tenancy(actor, args);
  }
  if (operation == "flags.portfolio") {
    return flags_portfolio(actor, args);
  }
  if (operation == "flag.explain") {
    return flag_explain(actor, args);
  }
  if (operation == "flag.decide") {
    return flag_decide(actor, args);
  }
  if (operation == "flag.revise") {
    return flag_revise(actor, args);
  }
  if (operation == "score.full") {
    return score_full(actor, args);
  }
  if (operation == "flags.verify") {
    return flags_verify(actor, args);
  }
  if (operation == "status") {
    return status(actor, args);
  }
  if (operation == "backtest") {
    return backtest(actor, args);
  }
  if (operation == "backtest.report") {
    return backtest_merge(actor, args);
  }
  if (operation == "register-entry") {
    return register_entry(actor, args);
  }
  throw Error(HEARTH_ERROR_NOT_FOUND, "unknown operation '" + std::string(operation) + "'");
}

void EarlyWarningPlugin::require_role(const hearth_actor &actor, std::initializer_list<const char *> roles,
                                      const char *event, const std::string &objects) {
  const std::string role = actor.role;
  for (const char *allowed : roles) {
    if (role == allowed) {
      return;
    }
  }
  access_->record(actor, event, objects, true);
  throw Error(HEARTH_ERROR_DENIED, "role '" + role + "' may not use this operation");
}

std::string EarlyWarningPlugin::score_full(const hearth_actor &actor, const std::string &args_json) {
  const JsonArgs args(args_json);
  (void)args;
  require_role(actor, {HEARTH_ROLE_ADMINISTRATOR, HEARTH_ROLE_SYSTEM}, HEARTH_ACTION_UPDATE, "early-warning:rescore");
  if (!settings_.scoring) {
    throw Error(HEARTH_ERROR_CONFLICT, "scoring is switched off (" + setting_name("scoring") + " = off)");
  }
  // The rule file is read again, so that a changed rule set takes effect without a
  // restart; a file that does not pass changes nothing.
  std::shared_ptr<const RuleSet> rules;
  try {
    rules = std::make_shared<const RuleSet>(load_rule_set(settings_.rule_set, *protected_attributes_));
  } catch (const RuleSetError &e) {
    throw Error(HEARTH_ERROR_CONFLICT, e.what());
  }
  store_->register_rule_set(*rules, host_.now_ms());
  RebuildSummary summary = rebuild(rules);
  summary.flags_removed = forget_orphan_flags();
  publish_flag_metrics();
  access_->record(actor, HEARTH_ACTION_UPDATE, "early-warning:rescore", false);

  Poco::JSON::Object answer;
  Poco::JSON::Object rule_set;
  rule_set.set("name", rules->name);
  rule_set.set("version", rules->version);
  rule_set.set("sha256", rules->sha256);
  answer.set("rule_set", rule_set);
  answer.set("tenancies", summary.tenancies);
  answer.set("scored_tenancies", summary.scored_tenancies);
  answer.set("signals", summary.signals);
  Poco::JSON::Object levels;
  levels.set("none", summary.levels[0]);
  levels.set("green", summary.levels[1]);
  levels.set("amber", summary.levels[2]);
  levels.set("red", summary.levels[3]);
  answer.set("levels", levels);
  answer.set("changed", summary.changed);
  answer.set("raises", summary.raises);
  answer.set("flags_stored", summary.flags_stored);
  answer.set("flags_removed", summary.flags_removed);
  return to_json_text(answer);
}

std::string EarlyWarningPlugin::flags_verify(const hearth_actor &actor, const std::string &args_json) {
  const JsonArgs args(args_json);
  (void)args;
  require_role(actor, {HEARTH_ROLE_AUDITOR, HEARTH_ROLE_ADMINISTRATOR}, HEARTH_ACTION_READ, "flags:verify");
  std::size_t count = 0;
  Poco::JSON::Array mismatches;
  store_->for_each([&](const FlagRecord &flag) {
    ++count;
    bool same = false;
    try {
      const auto rules = store_->rule_set(flag.rule_set_sha256);
      const auto score = evaluate_inputs(*rules, inputs_from_json(flag.inputs_json), minute_of(flag.evaluated_at_ms));
      same = score.total == flag.score && level_name(score.level) == flag.level &&
             contributions_to_json(*rules, score) == flag.contributions_json;
    } catch (const std::exception &) {
      same = false;
    }
    if (!same) {
      mismatches.add(flag.id);
    }
  });
  access_->record(actor, HEARTH_ACTION_READ, "flags:verify", false);
  Poco::JSON::Object answer;
  answer.set("flags", count);
  answer.set("recomputed", count - mismatches.size());
  answer.set("mismatches", mismatches);
  return to_json_text(answer);
}

std::string EarlyWarningPlugin::status(const hearth_actor & /*actor*/, const std::string &args_json) {
  const JsonArgs args(args_json);
  (void)args;
  const auto rules = current_rules();
  Poco::JSON::Object answer;
  answer.set("plugin", HEARTH_EW_PLUGIN_ID);
  answer.set("scoring", settings_.scoring ? "on" : "off");
  Poco::JSON::Object rule_set;
  rule_set.set("name", rules->name);
  rule_set.set("version", rules->version);
  rule_set.set("sha256", rules->sha256);
  answer.set("rule_set", rule_set);
  Poco::JSON::Array only;
  for (const auto &code : settings_.only_neighbourhoods) {
    only.add(code);
  }
  Poco::JSON::Array off;
  for (const auto &code : settings_.off_neighbourhoods) {
    off.add(code);
  }
  Poco::JSON::Object neighbourhoods;
  neighbourhoods.set("only", only);
  neighbourhoods.set("off", off);
  answer.set("neighbourhoods", neighbourhoods);
  {
    std::shared_lock lock(board_->mutex());
    const Scorer &scorer = board_->scorer();
    std::size_t scored = 0;
    for (std::uint32_t t = 0; t < scorer.tenancy_count(); ++t) {
      scored += scorer.scored(t) ? 1 : 0;
    }
    answer.set("tenancies", scorer.tenancy_count());
    answer.set("scored_tenancies", scored);
  }
  return to_json_text(answer);
}

} // namespace hearth::early_warning
