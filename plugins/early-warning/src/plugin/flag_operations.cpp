// The operations people use on flags: a tenancy's flags, a portfolio, a flag's
// explanation, and the decision on a flag. Every one asks the policy and is audited;
// what the actor may not see answers exactly like something missing. The portfolio, which
// the consultant view runs on every page, asks the policy once per kind of record and
// writes its audit entries in groups with concurrent requests' (one commit per group); what
// it reads of a person's tenancies and flags is kept while still exact (portfolio_cache.hpp).
#include <algorithm>
#include <array>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <shared_mutex>
#include <sstream>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/PrintHandler.h>

#include "engine/explanation.hpp"
#include "hearth/early_warning.h"
#include "plugin/core_data.hpp"
#include "plugin/early_warning_plugin.hpp"
#include "plugin/json_args.hpp"

namespace hearth::early_warning {
namespace {

Language language_arg(const JsonArgs &args) {
  const std::string text = args.text_or("lang", "nl");
  Language language{};
  if (!parse_language(text, language)) {
    throw Error(HEARTH_ERROR_INVALID_ARGUMENT, "args.lang: '" + text + "' is not one of nl, en");
  }
  return language;
}

std::vector<std::string> union_of(std::vector<std::string> a, const std::vector<std::string> &b) {
  a.insert(a.end(), b.begin(), b.end());
  std::sort(a.begin(), a.end());
  a.erase(std::unique(a.begin(), a.end()), a.end());
  return a;
}

std::string trimmed(const std::string &text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) {
    return {};
  }
  return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

// The store's count of flag changes (FlagStore::change_count()) and the runtime's count of
// tenancy writes (hearth_tenancy_change, kept by the store's triggers), read in one
// statement. Both count in the writer's transaction, whoever writes: a kept portfolio read
// at these counts is still exact while they stay.
struct StoreCounts {
  std::int64_t flag_changes = 0;
  std::int64_t tenancy_changes = 0;
};

StoreCounts store_counts(const Host &host) {
  StoreCounts counts;
  host.execute("SELECT f.changes, t.changes FROM ew_flag_change f, hearth_tenancy_change t WHERE f.id = 1 AND t.id = 1",
               {}, [&](const RowView &row) {
                 counts.flag_changes = integer_at(row, 0);
                 counts.tenancy_changes = integer_at(row, 1);
                 return false;
               });
  return counts;
}

// Reads the tenancies of `person` (`column` as above; every tenancy that has flags when
// `column` is empty) with each one's latest flag, in one statement, so that the two agree. The
// latest flag of a tenancy is its last in trigger order.
PortfolioSnapshot read_portfolio(const Host &host, const std::string &column, const std::string &person) {
  // One person's tenancies all (LEFT JOIN: also those without flags, so that the
  // snapshot names every tenancy it covers); for everyone's, only those with flags.
  std::string sql = "SELECT t.id, t.portfolio_owner, t.tenant_user, f.id, f.score, f.level, f.evaluated_at_ms,"
                    " f.raised_at_ms, f.status, f.decided_level FROM hearth_tenancy t ";
  sql += column.empty() ? "JOIN" : "LEFT JOIN";
  sql += " ew_flag f ON f.tenancy_id = t.id";
  std::vector<Value> params;
  if (!column.empty()) {
    sql += " WHERE t." + column + " = ?";
    params.emplace_back(person);
  }
  sql += " ORDER BY t.id, f.trigger_seq, f.raised_at_ms, f.id";
  const auto text_at = [](const RowView &row, std::uint32_t index) {
    return row.is_null(index) ? std::string() : std::string(row.text(index));
  };
  PortfolioSnapshot snapshot;
  host.execute(sql, params, [&](const RowView &row) {
    std::string tenancy_id(row.text(0));
    const bool same_tenancy = !snapshot.tenancies.empty() && snapshot.tenancies.back().tenancy_id == tenancy_id;
    if (!same_tenancy) {
      snapshot.tenancies.push_back(TenancyContext{tenancy_id, text_at(row, 1), text_at(row, 2)});
    }
    if (row.is_null(3)) {
      return true; // a tenancy without flags
    }
    PortfolioFlag flag;
    flag.id = text_at(row, 3);
    flag.tenancy_id = std::move(tenancy_id);
    flag.score = integer_at(row, 4);
    flag.evaluated_at_ms = integer_at(row, 6);
    flag.raised_at_ms = integer_at(row, 7);
    if (!parse_status(text_at(row, 8), flag.status)) {
      flag.status = FlagStatus::proposed;
    }
    // The level the flag stands at for people: the one a person set, else its own.
    parse_level(flag.status == FlagStatus::overridden ? text_at(row, 9) : text_at(row, 5), flag.effective_level);
    if (!snapshot.latest.empty() && snapshot.latest.back().tenancy_id == flag.tenancy_id) {
      snapshot.latest.back() = std::move(flag); // a later flag of the same tenancy
    } else {
      snapshot.latest.push_back(std::move(flag));
    }
    return true;
  });
  return snapshot;
}

// The policy's answer for one actor and request, asked once per relation. The record
// rules tie a record to the actor through the people in its context (hearth/policy.h:
// portfolio_owner, tenant_user; the tenancy id only names the record): the answer for a
// tenancy follows from whether each of the two is absent, the actor, or someone else.
// So it is asked for the first tenancy of each of those (at most nine) combinations and
// holds for the others; a portfolio of one consultant has one. Lives for one request.
class PolicyPerRelation {
public:
  PolicyPerRelation(const Access &access, const hearth_actor &actor, const std::vector<std::string> &classes)
      : access_(access), actor_(actor), user_(actor.user != nullptr ? actor.user : ""), classes_(classes) {}

  bool may_read(const TenancyContext &context) {
    std::uint8_t &answer = answers_[relation(context.portfolio_owner) * 3 + relation(context.tenant_user)];
    if (answer == 0) {
      answer = access_.may_read(actor_, context, classes_) ? 1 : 2;
    }
    return answer == 1;
  }

private:
  // 0: nobody, 1: the actor, 2: someone else.
  std::size_t relation(const std::string &person) const { return person.empty() ? 0 : person == user_ ? 1 : 2; }

  const Access &access_;
  const hearth_actor &actor_;
  const std::string user_;
  const std::vector<std::string> &classes_;
  std::array<std::uint8_t, 9> answers_{}; // 0 not asked, 1 may read, 2 may not
};

// The audit entries of flags.portfolio, written in groups: a request appends its entry
// and waits until it is written; the first waiting request writes every entry queued
// meanwhile (by requests of the same plugin instance) in one storage transaction, the
// others wait for it, and the next group starts as soon as that one has committed. So
// concurrent searches share one commit instead of queueing for the store's write lock
// one by one, and every search is in the audit log before its answer leaves. Should a
// group's transaction fail, each of its entries is tried on its own, so that one bad
// entry fails only its own request. [any-thread]
class SearchAuditGroups {
public:
  // Writes the `search` entry of `actor` for `objects` (with other requests' entries);
  // returns once it is committed. Throws hearth::Error when it could not be written.
  void record(const Host &host, const Access &access, const hearth_actor &actor, const std::string &objects) {
    Entry mine{ActorCopy(actor), objects, false, {}};
    std::unique_lock lock(mutex_);
    Group &group = groups_[&access];
    group.queue.push_back(&mine);
    while (!mine.done) {
      if (group.writing) {
        written_.wait(lock);
        continue;
      }
      group.writing = true;
      std::vector<Entry *> batch;
      batch.swap(group.queue);
      lock.unlock();
      write(host, access, batch);
      lock.lock();
      group.writing = false;
      written_.notify_all();
    }
    if (const auto found = groups_.find(&access);
        found != groups_.end() && found->second.queue.empty() && !found->second.writing) {
      groups_.erase(found);
    }
    if (!mine.failure.empty()) {
      throw Error(HEARTH_ERROR_IO, "audit: " + mine.failure);
    }
  }

private:
  struct Entry {
    ActorCopy actor;
    std::string objects;
    bool done = false;
    std::string failure;
  };
  struct Group {
    std::vector<Entry *> queue; // waiting to be written
    bool writing = false;       // a request is writing a batch of this group
  };

  // Writes `batch` in one transaction, or entry by entry when that fails; marks each
  // entry done (with its failure). Called without the lock; sets `done` under it later.
  void write(const Host &host, const Access &access, const std::vector<Entry *> &batch) {
    std::vector<std::string> failures(batch.size());
    try {
      host.transaction([&] {
        for (const Entry *entry : batch) {
          access.record(*entry->actor.get(), HEARTH_ACTION_SEARCH, entry->objects, false);
        }
      });
    } catch (const std::exception &group_failure) {
      if (batch.size() == 1) {
        failures[0] = group_failure.what();
      } else {
        for (std::size_t i = 0; i < batch.size(); ++i) {
          try {
            access.record(*batch[i]->actor.get(), HEARTH_ACTION_SEARCH, batch[i]->objects, false);
          } catch (const std::exception &failure) {
            failures[i] = failure.what();
          }
        }
      }
    }
    std::lock_guard lock(mutex_);
    for (std::size_t i = 0; i < batch.size(); ++i) {
      batch[i]->failure = failures[i];
      batch[i]->done = true;
    }
  }

  std::mutex mutex_;
  std::condition_variable written_;
  std::map<const Access *, Group> groups_; // per plugin instance (one Access each)
};

SearchAuditGroups &search_audit_groups() {
  static SearchAuditGroups groups;
  return groups;
}

} // namespace

TenancyContext EarlyWarningPlugin::readable_tenancy(const hearth_actor &actor, const std::string &tenancy_id,
                                                    const char *event, const std::string &objects) {
  return readable_tenancy(actor, tenancy_id, current_rules()->data_classes(), event, objects);
}

TenancyContext EarlyWarningPlugin::readable_tenancy(const hearth_actor &actor, const std::string &tenancy_id,
                                                    const std::vector<std::string> &data_classes, const char *event,
                                                    const std::string &objects) {
  const auto context = access_->context_of(tenancy_id);
  if (!context || !access_->may_read(actor, *context, data_classes)) {
    access_->record(actor, event, objects, true);
    throw Error(HEARTH_ERROR_NOT_FOUND, "tenancy '" + tenancy_id + "': not found");
  }
  return *context;
}

std::string EarlyWarningPlugin::flags_for_tenancy(const hearth_actor &actor, const std::string &args_json) {
  const JsonArgs args(args_json);
  const std::string tenancy_id = args.text("tenancy_id");
  const Language language = language_arg(args);
  const auto flags = store_->for_tenancy(tenancy_id);
  std::vector<std::string> classes = current_rules()->data_classes();
  std::set<std::string> rule_sets;
  for (const auto &flag : flags) {
    if (rule_sets.insert(flag.rule_set_sha256).second) {
      classes = union_of(classes, store_->rule_set(flag.rule_set_sha256)->data_classes());
    }
  }
  std::string objects = "tenancy:" + tenancy_id;
  readable_tenancy(actor, tenancy_id, classes, HEARTH_ACTION_READ, objects);

  Poco::JSON::Object answer;
  answer.set("tenancy_id", tenancy_id);
  LookupResult current;
  const bool known = board_->lookup(tenancy_id, current);
  if (known && current.level != Level::none) {
    Poco::JSON::Object now;
    now.set("level", level_name(current.level));
    now.set("score", current.score);
    now.set("as_of_ms", static_cast<std::int64_t>(current.as_of_minute) * 60'000);
    answer.set("current", now);
  } else {
    answer.set("current", Poco::Dynamic::Var());
  }
  answer.set("scoring", !settings_.scoring ? "off" : known && !current.scored ? "off-neighbourhood" : "on");
  Poco::JSON::Array list;
  for (const auto &flag : flags) {
    const auto rules = store_->rule_set(flag.rule_set_sha256);
    const auto score = evaluate_inputs(*rules, inputs_from_json(flag.inputs_json), minute_of(flag.evaluated_at_ms));
    list.add(flag_to_json(flag, *rules, score, language));
    objects += ",flag:" + flag.id;
  }
  answer.set("flags", list);
  access_->record(actor, HEARTH_ACTION_READ, objects, false);
  return to_json_text(answer);
}

std::string EarlyWarningPlugin::flags_portfolio(const hearth_actor &actor, const std::string &args_json) {
  const JsonArgs args(args_json);
  const std::string status_text = args.text_or("status", "proposed");
  FlagStatus wanted_status = FlagStatus::none;
  if (status_text != "any" && !parse_status(status_text, wanted_status)) {
    throw Error(HEARTH_ERROR_INVALID_ARGUMENT,
                "args.status: '" + status_text + "' is not one of proposed, accepted, overridden, dismissed, any");
  }
  const std::string min_text = args.text_or("min_level", "amber");
  Level min_level = Level::none;
  if (!parse_level(min_text, min_level)) {
    throw Error(HEARTH_ERROR_INVALID_ARGUMENT, "args.min_level: '" + min_text + "' is not one of green, amber, red");
  }
  const auto limit = static_cast<std::size_t>(args.integer_or("limit", 200, 1, 1000));
  const auto classes = current_rules()->data_classes();
  const std::string user = actor.user;
  const std::string role = actor.role;

  // A role that may not read flags even of its own records may not use this at all.
  if (!access_->may_read(actor, TenancyContext{"", user, user}, classes)) {
    access_->record(actor, HEARTH_ACTION_SEARCH, "flags:portfolio", true);
    throw Error(HEARTH_ERROR_DENIED, "role '" + role + "' may not read flags");
  }
  const std::string column = role == HEARTH_ROLE_HOUSING_CONSULTANT || role == HEARTH_ROLE_COORDINATOR ? "portfolio_owner"
                             : role == HEARTH_ROLE_TENANT                                                 ? "tenant_user"
                                                                                                          : "";
  // Each tenancy's latest flag, if the policy lets the actor read the tenancy's flags.
  // What was read for this person before is used again while no flag changed and their
  // tenancies are the same (see PortfolioCache); the policy is asked on every request.
  std::shared_ptr<const PortfolioSnapshot> snapshot;
  if (column.empty()) {
    snapshot = std::make_shared<const PortfolioSnapshot>(read_portfolio(host_, column, user));
  } else {
    // The counts first: whatever is read after is at least this new.
    const StoreCounts counts = store_counts(host_);
    const std::string person = column + '\n' + user;
    snapshot = portfolio_cache_->kept(person);
    if (!snapshot || snapshot->flag_changes != counts.flag_changes ||
        snapshot->tenancy_changes != counts.tenancy_changes) {
      auto fresh = std::make_shared<PortfolioSnapshot>(read_portfolio(host_, column, user));
      fresh->flag_changes = counts.flag_changes;
      fresh->tenancy_changes = counts.tenancy_changes;
      portfolio_cache_->put(person, fresh);
      snapshot = std::move(fresh);
    }
  }
  PolicyPerRelation policy(*access_, actor, classes);
  std::vector<const PortfolioFlag *> shown;
  auto tenancy = snapshot->tenancies.begin();
  for (const auto &item : snapshot->latest) {
    while (tenancy != snapshot->tenancies.end() && tenancy->tenancy_id != item.tenancy_id) {
      ++tenancy;
    }
    if (tenancy == snapshot->tenancies.end()) {
      break; // not reached: every flag's tenancy is in the snapshot, in the same order
    }
    if (item.effective_level < min_level || (wanted_status != FlagStatus::none && item.status != wanted_status) ||
        !policy.may_read(*tenancy)) {
      continue;
    }
    shown.push_back(&item);
  }
  std::stable_sort(shown.begin(), shown.end(), [](const PortfolioFlag *a, const PortfolioFlag *b) {
    return a->effective_level != b->effective_level ? a->effective_level > b->effective_level : a->score > b->score;
  });
  if (shown.size() > limit) {
    shown.resize(limit);
  }
  // Each shown tenancy's current level; the answer's text is made once for the same rows
  // at the same current levels (KeptAnswers) and written with Poco's JSON writer.
  std::vector<CurrentLevel> current(shown.size(), CurrentLevel{Level::none, 0});
  for (std::size_t i = 0; i < shown.size(); ++i) {
    LookupResult found;
    if (board_->lookup(shown[i]->tenancy_id, found) && found.level != Level::none) {
      current[i] = CurrentLevel{found.level, found.score};
    }
  }
  std::string answer, objects;
  if (!snapshot->answers->find(shown, current, answer, objects)) {
    std::ostringstream out;
    Poco::JSON::PrintHandler json(out);
    json.startObject();
    json.key("flags");
    json.startArray();
    objects.reserve(shown.size() * 48);
    for (std::size_t i = 0; i < shown.size(); ++i) {
      const PortfolioFlag *item = shown[i];
      json.startObject();
      json.key("tenancy_id");
      json.value(item->tenancy_id);
      json.key("flag_id");
      json.value(item->id);
      json.key("level");
      json.value(std::string(level_name(item->effective_level)));
      json.key("score");
      json.value(static_cast<Poco::Int64>(item->score));
      json.key("status");
      json.value(std::string(status_name(item->status)));
      json.key("evaluated_at_ms");
      json.value(static_cast<Poco::Int64>(item->evaluated_at_ms));
      json.key("raised_at_ms");
      json.value(static_cast<Poco::Int64>(item->raised_at_ms));
      if (current[i].first != Level::none) {
        json.key("current_level");
        json.value(std::string(level_name(current[i].first)));
        json.key("current_score");
        json.value(static_cast<Poco::Int64>(current[i].second));
      }
      json.endObject();
      objects += objects.empty() ? "tenancy:" : ",tenancy:";
      objects += item->tenancy_id;
      objects += ",flag:";
      objects += item->id;
    }
    json.endArray();
    json.endObject();
    answer = out.str();
    snapshot->answers->put(shown, current, answer, objects);
  }
  // Written with the searches of other requests running now, in one transaction, before
  // the answer leaves (see SearchAuditGroups).
  search_audit_groups().record(host_, *access_, actor, objects.empty() ? "flags:portfolio" : objects);
  return answer;
}

std::string EarlyWarningPlugin::flag_explain(const hearth_actor &actor, const std::string &args_json) {
  const JsonArgs args(args_json);
  const std::string id = args.text("flag_id");
  const Language language = language_arg(args);
  const auto flag = store_->by_id(id);
  if (!flag) {
    access_->record(actor, HEARTH_ACTION_READ, "flag:" + id, true);
    throw Error(HEARTH_ERROR_NOT_FOUND, "flag '" + id + "': not found");
  }
  const auto rules = store_->rule_set(flag->rule_set_sha256);
  const std::string objects = "tenancy:" + flag->tenancy_id + ",flag:" + id;
  try {
    readable_tenancy(actor, flag->tenancy_id, rules->data_classes(), HEARTH_ACTION_READ, objects);
  } catch (const Error &) {
    throw Error(HEARTH_ERROR_NOT_FOUND, "flag '" + id + "': not found");
  }
  const auto inputs = inputs_from_json(flag->inputs_json);
  const auto score = evaluate_inputs(*rules, inputs, minute_of(flag->evaluated_at_ms));
  auto answer = flag_to_json(*flag, *rules, score, language);
  Poco::JSON::Array signals;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    const auto &in = inputs[i];
    const auto &c = score.signals[i];
    Poco::JSON::Object item;
    item.set("seq", in.seq);
    item.set("type", in.type);
    item.set("detail", in.detail);
    item.set("occurred_at_ms", in.occurred_at_ms);
    item.set("amount_cents", in.amount_cents);
    item.set("severity", in.severity);
    item.set("category", c.category < 0 ? std::string() : rules->categories[static_cast<std::size_t>(c.category)].id);
    item.set("points", c.points);
    item.set("points_now", c.decayed);
    item.set("superseded", c.superseded);
    signals.add(item);
  }
  answer->set("signals", signals);
  answer->set("recomputes", score.total == flag->score && level_name(score.level) == flag->level &&
                                contributions_to_json(*rules, score) == flag->contributions_json);
  access_->record(actor, HEARTH_ACTION_READ, objects, false);
  return to_json_text(answer);
}

std::string EarlyWarningPlugin::flag_decide(const hearth_actor &actor, const std::string &args_json) {
  return record_decision(actor, args_json, false);
}

std::string EarlyWarningPlugin::flag_revise(const hearth_actor &actor, const std::string &args_json) {
  return record_decision(actor, args_json, true);
}

std::string EarlyWarningPlugin::record_decision(const hearth_actor &actor, const std::string &args_json, bool revision) {
  const JsonArgs args(args_json);
  const std::string id = args.text("flag_id");
  const std::string decision_text = args.text("decision");
  Decision decision;
  if (decision_text == "accept") {
    decision.status = FlagStatus::accepted;
  } else if (decision_text == "override") {
    decision.status = FlagStatus::overridden;
  } else if (decision_text == "dismiss") {
    decision.status = FlagStatus::dismissed;
  } else {
    throw Error(HEARTH_ERROR_INVALID_ARGUMENT, "args.decision: '" + decision_text + "' is not one of accept, override, dismiss");
  }
  const char *needs_reason = revision ? "every revision of a decision needs a reason" : "every decision on a flag needs a reason";
  if (!args.has("reason")) {
    throw Error(HEARTH_ERROR_INVALID_ARGUMENT, std::string("args.reason: missing: ") + needs_reason);
  }
  decision.reason = trimmed(args.text_or("reason", ""));
  if (decision.reason.empty()) {
    throw Error(HEARTH_ERROR_INVALID_ARGUMENT, std::string("args.reason: empty: ") + needs_reason);
  }
  if (decision.reason.size() > 2000) {
    throw Error(HEARTH_ERROR_INVALID_ARGUMENT, "args.reason: longer than 2000 characters");
  }
  Level override_level = Level::none;
  if (decision.status == FlagStatus::overridden) {
    const std::string level_text = args.text("level");
    if (!parse_level(level_text, override_level)) {
      throw Error(HEARTH_ERROR_INVALID_ARGUMENT, "args.level: '" + level_text + "' is not one of green, amber, red");
    }
  } else if (args.has("level")) {
    throw Error(HEARTH_ERROR_INVALID_ARGUMENT, "args.level: only an override sets a level");
  }
  std::int64_t revises = 0;
  if (revision) {
    if (!args.has("revises")) {
      throw Error(HEARTH_ERROR_INVALID_ARGUMENT,
                  "args.revises: missing: the number of the decision this one revises (the flag's latest)");
    }
    revises = args.integer_or("revises", 0, 1, 1'000'000);
  } else if (args.has("revises")) {
    throw Error(HEARTH_ERROR_INVALID_ARGUMENT, "args.revises: a first decision revises nothing; use flag.revise");
  }

  const auto flag = store_->by_id(id);
  if (!flag) {
    access_->record(actor, HEARTH_ACTION_UPDATE, "flag:" + id, true);
    throw Error(HEARTH_ERROR_NOT_FOUND, "flag '" + id + "': not found");
  }
  const std::string objects = "tenancy:" + flag->tenancy_id + ",flag:" + id;
  TenancyContext context;
  try {
    context = readable_tenancy(actor, flag->tenancy_id, store_->rule_set(flag->rule_set_sha256)->data_classes(),
                               HEARTH_ACTION_UPDATE, objects);
  } catch (const Error &) {
    throw Error(HEARTH_ERROR_NOT_FOUND, "flag '" + id + "': not found");
  }
  const std::string role = actor.role;
  if (settings_.decide_roles.count(role) == 0 || !access_->may_decide(actor, context)) {
    access_->record(actor, HEARTH_ACTION_UPDATE, objects, true);
    throw Error(HEARTH_ERROR_DENIED, "role '" + role + "' may not decide on flags");
  }
  if (decision.status == FlagStatus::overridden && level_name(override_level) == flag->level) {
    throw Error(HEARTH_ERROR_INVALID_ARGUMENT, "args.level: '" + flag->level + "' is the flag's own level; accept it instead");
  }
  decision.level = decision.status == FlagStatus::overridden ? level_name(override_level)
                   : decision.status == FlagStatus::accepted ? flag->level
                                                             : "";
  const Decision &before = flag->decision;
  if (revision) {
    if (before.status == FlagStatus::proposed) {
      access_->record(actor, HEARTH_ACTION_UPDATE, objects, true);
      throw Error(HEARTH_ERROR_CONFLICT, "flag '" + id + "': not decided yet; decide on it with flag.decide");
    }
    if (revises != static_cast<std::int64_t>(before.number)) {
      access_->record(actor, HEARTH_ACTION_UPDATE, objects, true);
      throw Error(HEARTH_ERROR_CONFLICT, "flag '" + id + "': decision " + std::to_string(revises) +
                                             " is not its latest; the latest is " + std::to_string(before.number));
    }
    if (decision.status == before.status && decision.level == before.level) {
      throw Error(HEARTH_ERROR_INVALID_ARGUMENT, "args.decision: the flag is " + std::string(status_name(before.status)) +
                                                     (before.level.empty() ? "" : " at " + before.level) +
                                                     " already; a revision changes the decision");
    }
  }
  decision.number = revision ? static_cast<std::uint32_t>(revises) + 1 : 1;
  decision.by = actor.user;
  decision.on_behalf_of = actor.on_behalf_of != nullptr ? actor.on_behalf_of : "";
  decision.role = role;
  decision.organisation = actor.organisation;
  decision.at_ms = host_.now_ms();

  bool recorded = false;
  host_.transaction([&] {
    recorded = revision ? store_->revise(id, decision) : store_->decide(id, decision);
    if (recorded) {
      access_->record(actor, HEARTH_ACTION_UPDATE, objects, false);
    }
  });
  if (!recorded) {
    access_->record(actor, HEARTH_ACTION_UPDATE, objects, true);
    throw Error(HEARTH_ERROR_CONFLICT, revision ? "flag '" + id + "': decision " + std::to_string(revises) +
                                                      " was revised meanwhile; read the flag again"
                                                : "flag '" + id + "': already decided");
  }

  Level brief_level = Level::none;
  parse_level(decision.status == FlagStatus::overridden ? decision.level : flag->level, brief_level);
  std::optional<std::uint32_t> tenancy;
  {
    std::shared_lock lock(board_->mutex());
    tenancy = board_->scorer().find(flag->tenancy_id);
  }
  if (tenancy) {
    board_->set_flag_status(*tenancy, id, decision.status, brief_level);
  }
  const bool was_accepted = revision && before.status == FlagStatus::accepted;
  const bool is_accepted = decision.status == FlagStatus::accepted;
  if (is_accepted != was_accepted) {
    // Downstream acts on accepted flags alone: it hears when a flag becomes accepted and
    // when an accepted flag no longer is.
    Poco::JSON::Object payload;
    payload.set("flag_id", id);
    payload.set("tenancy_id", flag->tenancy_id);
    payload.set("level", is_accepted ? flag->level : decision.level);
    payload.set("score", flag->score);
    payload.set("rule_set_version", flag->rule_set_version);
    payload.set("rule_set_sha256", flag->rule_set_sha256);
    payload.set("decision", decision.number);
    payload.set("decided_at_ms", decision.at_ms);
    if (!is_accepted) {
      payload.set("status", status_name(decision.status));
    }
    host_.publish(is_accepted ? HEARTH_EW_EVENT_FLAG_ACCEPTED : HEARTH_EW_EVENT_FLAG_WITHDRAWN,
                  "tenancy:" + flag->tenancy_id, to_json_text(payload), decision.at_ms);
  }
  publish_flag_metrics();
  Poco::JSON::Object answer;
  answer.set("flag_id", id);
  answer.set("decision", decision.number);
  answer.set("status", status_name(decision.status));
  answer.set("level", decision.level);
  answer.set("decided_by", decision.by);
  answer.set("decided_at_ms", decision.at_ms);
  return to_json_text(answer);
}

} // namespace hearth::early_warning
