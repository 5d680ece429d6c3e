#include "escalation.hpp"

#include <algorithm>

#include "flag_withdrawal.hpp"
#include "operations.hpp"

namespace hearth::handoff {
namespace {

std::string level_label(const Ladder &ladder, int level) {
  return std::to_string(level) + " (" + ladder.name_of(level) + ")";
}

// "?, ?, ?" for n parameters.
std::string placeholders(std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) {
    out += i == 0 ? "?" : ", ?";
  }
  return out;
}

// The newest nuisance signal of a tenancy (0 when none).
std::int64_t last_nuisance_ms(const OperationContext &ctx, const std::string &tenancy_id) {
  const auto &types = ctx.config().ladder.nuisance_types;
  if (types.empty()) {
    return 0;
  }
  std::vector<Value> params{tenancy_id};
  params.insert(params.end(), types.begin(), types.end());
  return ctx.db().scalar("SELECT MAX(occurred_at_ms) FROM hearth_signal WHERE tenancy_id = ? AND type IN (" +
                             placeholders(types.size()) + ")",
                         params);
}

// Evaluates one open case under its lock; adds to `counts`.
void evaluate_case(OperationContext &ctx, const std::string &case_id, TimerCounts &counts) {
  const Ladder &ladder = ctx.config().ladder;
  const HandoffRules &rules = ctx.config().rules;
  auto loaded = load_case(ctx.db(), case_id, true);
  if (!loaded || !loaded->is_open) {
    return;
  }
  CaseRow &c = *loaded;
  if (ladder_stopped(ctx, c.id)) {
    return; // the flag it was opened from was withdrawn before anyone took it up
  }
  ++counts.cases_checked;
  bool raised = false;
  const auto objects = "case:" + c.id + ",tenancy:" + c.tenancy_id;

  for (const auto &offer : ctx.db().rows("SELECT id FROM ch_offer WHERE case_id = ? AND status = 'offered'"
                                         " AND escalated_ms IS NULL AND deadline_ms <= ?",
                                         {c.id, ctx.now()})) {
    ctx.db().run("UPDATE ch_offer SET escalated_ms = ? WHERE id = ?", {ctx.now(), offer.text(0)});
    append_timeline(ctx, c.id, "offer-unanswered", HEARTH_DATA_CASE_PLAN,
                    "The handoff offer was not answered within " + std::to_string(rules.answer_within_working_days) +
                        " working days; the sender stays owner.",
                    false);
    ctx.audit(HEARTH_ACTION_UPDATE, objects + ",offer:" + offer.text(0), c.legal_basis);
    ++counts.offers_escalated;
    raised |= change_level(ctx, c, c.level + ladder.unanswered_offer_steps, "unanswered_offer",
                           "an offer was not answered in time");
  }

  const auto overdue = ctx.db().rows("SELECT id, expertise FROM ch_consult WHERE case_id = ? AND status = 'open'"
                                     " AND answer_by_ms <= ?",
                                     {c.id, ctx.now()});
  for (const auto &consult : overdue) {
    const auto expertise = ctx.config().directory.find(consult.text(1));
    const std::string escalate_to = expertise != ctx.config().directory.end() ? expertise->second.escalate_to : "";
    ctx.db().run("UPDATE ch_consult SET status = 'overdue', escalated_ms = ?, escalated_to = ? WHERE id = ?",
                 {ctx.now(), escalate_to, consult.text(0)});
    append_timeline(ctx, c.id, "consult-overdue", HEARTH_DATA_CASE_PLAN,
                    "The " + consult.text(1) + " consult was not answered by its answer-by date; escalated to " +
                        escalate_to + ".",
                    false);
    ctx.audit(HEARTH_ACTION_UPDATE, objects + ",consult:" + consult.text(0), c.legal_basis);
    ++counts.consults_overdue;
  }
  if (!overdue.empty()) {
    raised |= change_level(ctx, c, c.level + ladder.overdue_consult_steps, "overdue_consult",
                           "a consult was not answered in time");
  }

  if (!raised && ladder.stalled_after_working_days > 0 && ladder.stalled_states.contains(c.state)) {
    const std::int64_t since = std::max(c.last_activity_ms, c.last_level_change_ms);
    if (rules.calendar.working_days_between(since, ctx.now()) >= ladder.stalled_after_working_days) {
      raised |= change_level(ctx, c, c.level + ladder.stalled_steps, "stalled_case",
                             "no progress for " + std::to_string(ladder.stalled_after_working_days) + " working days");
    }
  }

  if (!raised && c.level > 0 && ladder.stable_after_weeks > 0) {
    const std::int64_t quiet_since = std::max(c.last_level_change_ms, last_nuisance_ms(ctx, c.tenancy_id));
    const bool overdue_offer = ctx.db().scalar("SELECT COUNT(*) FROM ch_offer WHERE case_id = ? AND status = 'offered'"
                                               " AND escalated_ms IS NOT NULL",
                                               {c.id}) > 0;
    const std::int64_t needed = static_cast<std::int64_t>(ladder.stable_after_weeks) * 7 * kMillisPerDay;
    if (!overdue_offer && ctx.now() - quiet_since >= needed &&
        change_level(ctx, c, c.level - ladder.stable_steps, "stable",
                     "stable for " + std::to_string(ladder.stable_after_weeks) + " weeks")) {
      ++counts.lowered;
    }
  }
  if (raised) {
    ++counts.raised;
  }
}

} // namespace

bool change_level(OperationContext &ctx, CaseRow &row, int to_level, const std::string &trigger,
                  const std::string &reason) {
  const Ladder &ladder = ctx.config().ladder;
  const int next = std::clamp(to_level, 0, ladder.top());
  if (next == row.level) {
    return false;
  }
  std::optional<std::string> mandate_user = row.mandate_user, mandate_org = row.mandate_org;
  std::string mandate_note;
  if (next >= ladder.mandate_level && !(row.level >= ladder.mandate_level && mandate_user)) {
    if (const auto holder = ctx.config().organisations.mandate_holder_for(row.owner.organisation)) {
      mandate_user = holder->user;
      mandate_org = holder->organisation;
      mandate_note = " The mandate holder " + holder->user + " of " + holder->organisation + " now decides.";
    } else {
      mandate_note = " No mandate holder is configured for " + row.owner.organisation + " (organisations.ini).";
    }
  } else if (next < ladder.mandate_level) {
    mandate_user.reset();
    mandate_org.reset();
  }
  const std::int64_t seq = ctx.db().scalar("SELECT MAX(seq) FROM ch_escalation WHERE case_id = ?", {row.id}) + 1;
  ctx.db().run("INSERT INTO ch_escalation (case_id, seq, from_level, to_level, trigger_name, at_ms, by_user)"
               " VALUES (?, ?, ?, ?, ?, ?, ?)",
               {row.id, seq, static_cast<std::int64_t>(row.level), static_cast<std::int64_t>(next), trigger, ctx.now(),
                ctx.actor().user});
  ctx.db().run("UPDATE ch_case SET level = ?, last_level_change_ms = ?, mandate_user = ?, mandate_org = ? WHERE id = ?",
               {static_cast<std::int64_t>(next), ctx.now(), text_or_null(mandate_user), text_or_null(mandate_org),
                row.id});
  const bool up = next > row.level;
  append_timeline(ctx, row.id, up ? "escalated" : "de-escalated", HEARTH_DATA_CASE_PLAN,
                  "Level " + level_label(ladder, row.level) + " -> " + level_label(ladder, next) + " (" + trigger +
                      "): " + reason + "." + mandate_note,
                  false);
  ctx.audit(HEARTH_ACTION_UPDATE, "case:" + row.id + ",tenancy:" + row.tenancy_id, row.legal_basis);
  queue_case_changed(ctx, row.id, row.tenancy_id, "level");
  row.level = next;
  row.mandate_user = mandate_user;
  row.mandate_org = mandate_org;
  row.last_level_change_ms = ctx.now();
  return true;
}

TimerCounts run_timers(OperationContext &ctx) {
  TimerCounts counts;
  const auto open = ctx.db().rows("SELECT id FROM ch_case WHERE is_open = 1 ORDER BY opened_ms, id");
  for (const auto &row : open) {
    try {
      TimerCounts one;
      ctx.transaction([&] {
        one = TimerCounts{};
        evaluate_case(ctx, row.text(0), one);
      });
      counts.cases_checked += one.cases_checked;
      counts.raised += one.raised;
      counts.lowered += one.lowered;
      counts.offers_escalated += one.offers_escalated;
      counts.consults_overdue += one.consults_overdue;
    } catch (const std::exception &e) {
      ctx.host().log_warn(std::string("escalation timers: one case could not be evaluated: ") + e.what());
    }
  }
  return counts;
}

bool first_time(const OperationContext &ctx, const std::string &event_key) {
  if (ctx.db().scalar("SELECT COUNT(*) FROM ch_processed_event WHERE event_key = ?", {event_key}) > 0) {
    return false;
  }
  ctx.db().run("INSERT INTO ch_processed_event (event_key, at_ms) VALUES (?, ?)", {event_key, ctx.now()});
  return true;
}

void on_nuisance_signal(OperationContext &ctx, const std::string &tenancy_id, const std::string &event_key) {
  const Ladder &ladder = ctx.config().ladder;
  if (ladder.nuisance_signals <= 0 || ladder.nuisance_steps <= 0) {
    return;
  }
  ctx.transaction([&] {
    if (!first_time(ctx, event_key)) {
      return;
    }
    const auto case_id = open_case_of_tenancy(ctx.db(), tenancy_id);
    if (!case_id) {
      return;
    }
    auto row = load_case(ctx.db(), *case_id, true);
    if (!row || ladder_stopped(ctx, row->id)) {
      return;
    }
    const std::int64_t window_start =
        ctx.now() - static_cast<std::int64_t>(ladder.nuisance_within_days) * kMillisPerDay;
    const std::int64_t since = std::max(window_start, row->last_nuisance_escalation_ms + 1);
    std::vector<Value> params{tenancy_id, since};
    params.insert(params.end(), ladder.nuisance_types.begin(), ladder.nuisance_types.end());
    const std::int64_t count = ctx.db().scalar("SELECT COUNT(*) FROM hearth_signal WHERE tenancy_id = ? AND"
                                               " occurred_at_ms >= ? AND type IN (" +
                                                   placeholders(ladder.nuisance_types.size()) + ")",
                                               params);
    if (count < ladder.nuisance_signals) {
      return;
    }
    ctx.db().run("UPDATE ch_case SET last_nuisance_escalation_ms = ? WHERE id = ?", {ctx.now(), row->id});
    change_level(ctx, *row, row->level + ladder.nuisance_steps, "repeated_nuisance",
                 std::to_string(count) + " nuisance signals within " + std::to_string(ladder.nuisance_within_days) +
                     " days");
  });
}

void on_red_flag(OperationContext &ctx, const std::string &tenancy_id, const std::string &flag_level,
                 const std::string &flag_id, const std::string &event_key) {
  const Ladder &ladder = ctx.config().ladder;
  if (!ladder.red_flag_levels.contains(flag_level)) {
    return;
  }
  ctx.transaction([&] {
    if (!first_time(ctx, event_key)) {
      return;
    }
    auto case_id = open_case_of_tenancy(ctx.db(), tenancy_id);
    const bool opened = !case_id;
    if (!case_id) {
      if (!ladder.red_flag_opens_case) {
        return;
      }
      const auto unit = ctx.db().row("SELECT u.neighbourhood_code FROM hearth_tenancy t JOIN hearth_unit u"
                                     " ON u.id = t.unit_id WHERE t.id = ?",
                                     {tenancy_id});
      if (!unit) {
        ctx.host().log_warn("an accepted red flag names a tenancy Hearth does not hold; no case opened");
        return;
      }
      const auto owner = ctx.config().organisations.intake_for(unit->text(0));
      if (!owner) {
        ctx.host().log_warn("an accepted red flag found no intake owner (organisations.ini [intake.default]); "
                            "no case opened");
        return;
      }
      case_id = open_case(ctx, tenancy_id, *owner, ladder.red_flag_legal_basis, std::nullopt,
                          "Opened after an accepted " + flag_level + " early-warning flag.", false);
    }
    auto row = load_case(ctx.db(), *case_id, true);
    if (row) {
      link_flag_to_case(ctx, flag_id, row->id, opened);
      resume_ladder(ctx, row->id, "An early-warning flag of level " + flag_level + " was accepted.");
      change_level(ctx, *row, row->level + ladder.red_flag_steps, "red_flag",
                   "an early-warning flag of level " + flag_level + " was accepted");
    }
  });
}

} // namespace hearth::handoff
