#include "plugin/flag_store.hpp"

#include "engine/rule_loader.hpp"
#include "plugin/core_data.hpp"

namespace hearth::early_warning {
namespace {

const char *kFlagColumns =
    "id, tenancy_id, trigger_seq, rule_set_sha256, rule_set_version, score, level, evaluated_at_ms, raised_at_ms,"
    " neighbourhood_code, inputs_json, contributions_json, status, decided_level, decided_by, decided_on_behalf_of,"
    " decided_role, decided_organisation, decided_at_ms, decision_reason";

std::string text_at(const RowView &row, std::uint32_t column) {
  return row.is_null(column) ? std::string() : std::string(row.text(column));
}

// The decision's columns from `first` on, in the order both queries select them: status,
// level, by, on behalf of, role, organisation, at, reason.
void read_decision(const RowView &row, std::uint32_t first, Decision &decision) {
  if (!parse_status(text_at(row, first), decision.status)) {
    decision.status = FlagStatus::proposed;
  }
  decision.level = text_at(row, first + 1);
  decision.by = text_at(row, first + 2);
  decision.on_behalf_of = text_at(row, first + 3);
  decision.role = text_at(row, first + 4);
  decision.organisation = text_at(row, first + 5);
  decision.at_ms = integer_at(row, first + 6);
  decision.reason = text_at(row, first + 7);
}

FlagRecord flag_of(const RowView &row) {
  FlagRecord flag;
  flag.id = text_at(row, 0);
  flag.tenancy_id = text_at(row, 1);
  flag.trigger_seq = static_cast<std::uint64_t>(integer_at(row, 2));
  flag.rule_set_sha256 = text_at(row, 3);
  flag.rule_set_version = text_at(row, 4);
  flag.score = integer_at(row, 5);
  flag.level = text_at(row, 6);
  flag.evaluated_at_ms = integer_at(row, 7);
  flag.raised_at_ms = integer_at(row, 8);
  flag.neighbourhood_code = text_at(row, 9);
  flag.inputs_json = text_at(row, 10);
  flag.contributions_json = text_at(row, 11);
  read_decision(row, 12, flag.decision);
  return flag;
}

Decision decision_of(const RowView &row) {
  Decision decision;
  decision.number = static_cast<std::uint32_t>(integer_at(row, 1));
  read_decision(row, 2, decision);
  return decision;
}

const char *kDecisionColumns = "d.flag_id, d.decision_no, d.status, d.decided_level, d.decided_by, d.decided_on_behalf_of,"
                               " d.decided_role, d.decided_organisation, d.decided_at_ms, d.reason";

} // namespace

void FlagStore::load_decisions(std::vector<FlagRecord> &flags, const std::string &where, const std::string &param) const {
  if (flags.empty()) {
    return;
  }
  std::map<std::string, FlagRecord *> by_id;
  for (auto &flag : flags) {
    by_id.emplace(flag.id, &flag);
  }
  host_.execute(std::string("SELECT ") + kDecisionColumns + " FROM ew_flag_decision d JOIN ew_flag f ON f.id = d.flag_id WHERE " +
                    where + " ORDER BY d.flag_id, d.decision_no",
                {param}, [&](const RowView &row) {
                  if (auto found = by_id.find(text_at(row, 0)); found != by_id.end()) {
                    found->second->decisions.push_back(decision_of(row));
                  }
                  return true;
                });
  for (auto &flag : flags) {
    if (!flag.decisions.empty()) {
      flag.decision.number = flag.decisions.back().number;
    }
  }
}

void FlagStore::register_rule_set(const RuleSet &rules, std::int64_t now_ms) {
  bool known = false;
  std::string clash;
  host_.execute("SELECT sha256 FROM ew_rule_set WHERE sha256 = ? OR (name = ? AND version = ?)",
                {rules.sha256, rules.name, rules.version}, [&](const RowView &row) {
                  if (row.text(0) == rules.sha256) {
                    known = true;
                  } else {
                    clash = std::string(row.text(0));
                  }
                  return true;
                });
  if (known) {
    return;
  }
  if (!clash.empty()) {
    throw Error(HEARTH_ERROR_CONFLICT, rules.source_name + ": rule_set.version: '" + rules.version +
                                           "' was used before for a different file (sha256 " + clash.substr(0, 12) +
                                           "); give the changed rule set a new version");
  }
  host_.execute("INSERT INTO ew_rule_set (sha256, version, name, source_text, first_used_at_ms) VALUES (?, ?, ?, ?, ?)",
                {rules.sha256, rules.version, rules.name, rules.source_text, now_ms});
}

std::shared_ptr<const RuleSet> FlagStore::rule_set(const std::string &sha256) {
  {
    std::lock_guard lock(cache_mutex_);
    if (auto found = cache_.find(sha256); found != cache_.end()) {
      return found->second;
    }
  }
  std::optional<std::string> text;
  host_.execute("SELECT source_text FROM ew_rule_set WHERE sha256 = ?", {sha256}, [&](const RowView &row) {
    text = std::string(row.text(0));
    return false;
  });
  if (!text) {
    throw Error(HEARTH_ERROR_NOT_FOUND, "rule set " + sha256.substr(0, 12) + ": not stored");
  }
  // The guard ran when this rule set was first used; a list that grew since must not make
  // old flags unexplainable, so it is compiled here without one.
  auto rules = std::make_shared<const RuleSet>(
      compile_rule_set(*text, "stored rule set " + sha256.substr(0, 12), ProtectedAttributes::from_terms({}, "none")));
  std::lock_guard lock(cache_mutex_);
  return cache_.emplace(sha256, std::move(rules)).first->second;
}

bool FlagStore::exists(const std::string &flag_id) const {
  bool found = false;
  host_.execute("SELECT 1 FROM ew_flag WHERE id = ?", {flag_id}, [&](const RowView &) {
    found = true;
    return false;
  });
  return found;
}

bool FlagStore::insert(const FlagRecord &flag) {
  bool inserted = false;
  host_.execute("INSERT INTO ew_flag (id, tenancy_id, trigger_seq, rule_set_sha256, rule_set_version, score, level,"
                " evaluated_at_ms, raised_at_ms, neighbourhood_code, inputs_json, contributions_json, status)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'proposed') ON CONFLICT (id) DO NOTHING RETURNING id",
                {flag.id, flag.tenancy_id, static_cast<std::int64_t>(flag.trigger_seq), flag.rule_set_sha256,
                 flag.rule_set_version, flag.score, flag.level, flag.evaluated_at_ms, flag.raised_at_ms,
                 flag.neighbourhood_code, flag.inputs_json, flag.contributions_json},
                [&](const RowView &) {
                  inserted = true;
                  return true;
                });
  if (inserted) {
    count_change();
  }
  return inserted;
}

std::optional<FlagRecord> FlagStore::by_id(const std::string &flag_id) const {
  std::vector<FlagRecord> flags;
  host_.execute(std::string("SELECT ") + kFlagColumns + " FROM ew_flag WHERE id = ?", {flag_id},
                [&](const RowView &row) {
                  flags.push_back(flag_of(row));
                  return false;
                });
  if (flags.empty()) {
    return std::nullopt;
  }
  load_decisions(flags, "f.id = ?", flag_id);
  return std::move(flags.front());
}

std::vector<FlagRecord> FlagStore::for_tenancy(const std::string &tenancy_id) const {
  std::vector<FlagRecord> flags;
  host_.execute(std::string("SELECT ") + kFlagColumns +
                    " FROM ew_flag WHERE tenancy_id = ? ORDER BY trigger_seq, raised_at_ms, id",
                {tenancy_id}, [&](const RowView &row) {
                  flags.push_back(flag_of(row));
                  return true;
                });
  load_decisions(flags, "f.tenancy_id = ?", tenancy_id);
  return flags;
}

void FlagStore::for_each(const std::function<void(const FlagRecord &)> &each) const {
  host_.execute(std::string("SELECT ") + kFlagColumns + " FROM ew_flag ORDER BY trigger_seq, raised_at_ms, id", {},
                [&](const RowView &row) {
                  each(flag_of(row));
                  return true;
                });
}

void FlagStore::for_each_with_context(
    const std::string &column, const std::string &user,
    const std::function<void(const FlagRecord &, const std::string &, const std::string &)> &each) const {
  std::string sql = "SELECT ";
  for (const std::string column_name : {"id", "tenancy_id", "trigger_seq", "rule_set_sha256", "rule_set_version", "score",
                                        "level", "evaluated_at_ms", "raised_at_ms", "neighbourhood_code", "inputs_json",
                                        "contributions_json", "status", "decided_level", "decided_by",
                                        "decided_on_behalf_of", "decided_role", "decided_organisation", "decided_at_ms",
                                        "decision_reason"}) {
    sql += "f." + column_name + ", ";
  }
  sql += "t.portfolio_owner, t.tenant_user FROM ew_flag f JOIN hearth_tenancy t ON t.id = f.tenancy_id";
  std::vector<Value> params;
  if (column == "portfolio_owner" || column == "tenant_user") {
    sql += " WHERE t." + column + " = ?";
    params.emplace_back(user);
  }
  sql += " ORDER BY f.tenancy_id, f.trigger_seq, f.raised_at_ms, f.id";
  host_.execute(sql, params, [&](const RowView &row) {
    each(flag_of(row), text_at(row, 20), text_at(row, 21));
    return true;
  });
}

void FlagStore::remove(const std::string &flag_id) {
  host_.execute("DELETE FROM ew_flag_decision WHERE flag_id = ?", {flag_id});
  host_.execute("DELETE FROM ew_flag WHERE id = ?", {flag_id});
  count_change();
}

std::int64_t FlagStore::change_count() const {
  std::int64_t changes = 0;
  host_.execute("SELECT changes FROM ew_flag_change WHERE id = 1", {}, [&](const RowView &row) {
    changes = integer_at(row, 0);
    return false;
  });
  return changes;
}

void FlagStore::count_change() { host_.execute("UPDATE ew_flag_change SET changes = changes + 1 WHERE id = 1", {}); }

bool FlagStore::add_decision(const std::string &flag_id, const Decision &decision) {
  std::int64_t latest = -1;
  host_.execute("SELECT COALESCE(MAX(decision_no), 0) FROM ew_flag_decision WHERE flag_id = ?", {flag_id},
                [&](const RowView &row) {
                  latest = integer_at(row, 0);
                  return false;
                });
  if (latest != static_cast<std::int64_t>(decision.number) - 1) {
    return false;
  }
  // Two revisions of the same decision: the key lets only the first in.
  bool added = false;
  host_.execute("INSERT INTO ew_flag_decision (flag_id, decision_no, status, decided_level, decided_by,"
                " decided_on_behalf_of, decided_role, decided_organisation, decided_at_ms, reason)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (flag_id, decision_no) DO NOTHING RETURNING flag_id",
                {flag_id, static_cast<std::int64_t>(decision.number), std::string(status_name(decision.status)),
                 decision.level, decision.by, decision.on_behalf_of.empty() ? Value{} : Value{decision.on_behalf_of},
                 decision.role, decision.organisation, decision.at_ms, decision.reason},
                [&](const RowView &) {
                  added = true;
                  return true;
                });
  return added;
}

bool FlagStore::decide(const std::string &flag_id, const Decision &decision) {
  bool updated = false;
  host_.execute("UPDATE ew_flag SET status = ?, decided_level = ?, decided_by = ?, decided_on_behalf_of = ?,"
                " decided_role = ?, decided_organisation = ?, decided_at_ms = ?, decision_reason = ?"
                " WHERE id = ? AND status = 'proposed' RETURNING id",
                {std::string(status_name(decision.status)), decision.level, decision.by,
                 decision.on_behalf_of.empty() ? Value{} : Value{decision.on_behalf_of}, decision.role,
                 decision.organisation, decision.at_ms, decision.reason, flag_id},
                [&](const RowView &) {
                  updated = true;
                  return true;
                });
  if (!updated) {
    return false;
  }
  if (decision.number != 1 || !add_decision(flag_id, decision)) {
    // Rolls the caller's transaction back: a proposed flag has no decision yet.
    throw Error(HEARTH_ERROR_CONFLICT, "flag '" + flag_id + "': its decision history does not match its status");
  }
  count_change();
  return true;
}

bool FlagStore::revise(const std::string &flag_id, const Decision &decision) {
  if (decision.number < 2 || !add_decision(flag_id, decision)) {
    return false;
  }
  host_.execute("UPDATE ew_flag SET status = ?, decided_level = ?, decided_by = ?, decided_on_behalf_of = ?,"
                " decided_role = ?, decided_organisation = ?, decided_at_ms = ?, decision_reason = ? WHERE id = ?",
                {std::string(status_name(decision.status)), decision.level, decision.by,
                 decision.on_behalf_of.empty() ? Value{} : Value{decision.on_behalf_of}, decision.role,
                 decision.organisation, decision.at_ms, decision.reason, flag_id});
  count_change();
  return true;
}

} // namespace hearth::early_warning
