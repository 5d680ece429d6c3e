// escalation.tick, escalation.raise, escalation.lower, mandate.decide.
#include "escalation.hpp"
#include "operations.hpp"

namespace hearth::handoff {
namespace {

std::string escalation_tick(OperationContext &ctx, const Args &) {
  // The caller triggers the plugin's own rules; the changes are the plugin's, audited as
  // such on behalf of the caller. The caller learns counts only.
  OperationContext timer(ctx.services(), Actor::plugin("timer", ctx.actor().user));
  const TimerCounts counts = run_timers(timer);
  timer.publish_pending();
  auto out = json_object();
  out->set("now_ms", ctx.now());
  out->set("cases_checked", counts.cases_checked);
  out->set("raised", counts.raised);
  out->set("lowered", counts.lowered);
  out->set("offers_escalated", counts.offers_escalated);
  out->set("consults_overdue", counts.consults_overdue);
  return to_json(out);
}

std::string change_by_hand(OperationContext &ctx, const Args &args, bool up) {
  const std::string id = args.id("case_id");
  const std::string reason = args.text("reason", 2000);
  const int steps = static_cast<int>(args.integer("levels", 1, 10, 1));
  int level = 0;
  ctx.transaction([&] {
    CaseView view = access_case(ctx, id, HEARTH_ACTION_UPDATE, HEARTH_DATA_CASE_PLAN, Section::summary, true);
    CaseRow &c = view.row;
    if (!c.is_open) {
      throw Error(HEARTH_ERROR_CONFLICT, "case_id: the case is closed");
    }
    if (!up && !is_owner(ctx.actor(), c) && !is_mandate_holder(ctx, c)) {
      throw Error(HEARTH_ERROR_DENIED, "case_id: only the case owner or the mandate holder may lower the level");
    }
    const int target = up ? c.level + steps : c.level - steps;
    if (target < 0 || target > ctx.config().ladder.top()) {
      throw Error(HEARTH_ERROR_CONFLICT, std::string("levels: the case is at level ") + std::to_string(c.level) +
                                             (up ? "; the top is " + std::to_string(ctx.config().ladder.top())
                                                 : std::string("; the bottom is 0")));
    }
    change_level(ctx, c, target, up ? "by_hand_up" : "by_hand_down", reason);
    touch_case(ctx, id);
    level = c.level;
  });
  auto out = json_object();
  out->set("case_id", id);
  out->set("level", level);
  out->set("level_name", ctx.config().ladder.name_of(level));
  return to_json(out);
}

std::string escalation_raise(OperationContext &ctx, const Args &args) { return change_by_hand(ctx, args, true); }
std::string escalation_lower(OperationContext &ctx, const Args &args) { return change_by_hand(ctx, args, false); }

std::string mandate_decide(OperationContext &ctx, const Args &args) {
  const std::string id = args.id("case_id");
  const std::string kind = args.choice("kind", {"assign_owner", "directive"});
  const std::string reason = args.text("reason", 2000);
  std::optional<Person> assignee;
  std::optional<Args> action;
  if (kind == "assign_owner") {
    const auto to = args.object("assign_to");
    assignee = Person{to->id("user"), to->id("organisation"), to->text("role", 50)};
    if (!ctx.config().rules.owner_roles.contains(assignee->role)) {
      invalid("assign_to.role", "a " + assignee->role + " may not own a case (handoff.ini owner_roles)");
    }
  } else {
    action = args.object("action");
    action->text("description", 2000);
    action->id("owner_user");
    action->id("owner_organisation");
    action->day("due_date");
  }
  const std::string decision_id = OperationContext::new_id("decision");
  std::string tenancy_id;
  bool owner_changed = false;
  ctx.transaction([&] {
    CaseView view = access_case(ctx, id, HEARTH_ACTION_UPDATE, HEARTH_DATA_CASE_PLAN, Section::summary, true);
    CaseRow &c = view.row;
    tenancy_id = c.tenancy_id;
    if (!is_mandate_holder(ctx, c)) {
      throw Error(HEARTH_ERROR_DENIED, "case_id: only the case's mandate holder decides, and only at level " +
                                           std::to_string(ctx.config().ladder.mandate_level) + " or above");
    }
    if (!c.is_open) {
      throw Error(HEARTH_ERROR_CONFLICT, "case_id: the case is closed");
    }
    ctx.db().run("INSERT INTO ch_decision (id, case_id, kind, decided_by, decided_org, reason, at_ms)"
                 " VALUES (?, ?, ?, ?, ?, ?, ?)",
                 {decision_id, id, kind, ctx.actor().user, ctx.actor().organisation, reason, ctx.now()});
    std::string what;
    owner_changed = false;
    if (assignee) {
      ctx.db().run("UPDATE ch_offer SET status = 'superseded', answered_ms = ?, answer_reason = ?"
                   " WHERE case_id = ? AND status = 'offered'",
                   {ctx.now(), "superseded by a binding decision of the mandate holder", id});
      if (!(assignee->user == c.owner.user && assignee->organisation == c.owner.organisation)) {
        change_owner(ctx, c, *assignee, "mandate");
        owner_changed = true;
      }
      what = "Binding decision: " + assignee->user + " of " + assignee->organisation + " is the accountable owner.";
    } else {
      ctx.db().run("INSERT INTO ch_action (id, case_id, description, owner_user, owner_org, due_date, status, binding,"
                   " created_ms, created_by, done_ms) VALUES (?, ?, ?, ?, ?, ?, 'open', 1, ?, ?, NULL)",
                   {OperationContext::new_id("action"), id, action->text("description", 2000), action->id("owner_user"),
                    action->id("owner_organisation"), action->day("due_date"), ctx.now(), ctx.actor().user});
      what = "Binding directive for " + action->id("owner_user") + " of " + action->id("owner_organisation") +
             ", due " + action->day("due_date") + ": " + action->text("description", 2000);
    }
    append_timeline(ctx, id, "mandate-decision", HEARTH_DATA_CASE_PLAN, what + " Reason: " + reason, true);
    check_owner_invariant(ctx.db(), id);
    ctx.audit(HEARTH_ACTION_UPDATE, view.objects() + ",decision:" + decision_id, c.legal_basis);
  });
  queue_case_changed(ctx, id, tenancy_id, "decision");
  auto out = json_object();
  out->set("decision_id", decision_id);
  out->set("case_id", id);
  out->set("kind", kind);
  out->set("binding", true);
  out->set("owner_changed", owner_changed);
  return to_json(out);
}

} // namespace

void add_escalation_operations(std::vector<Operation> &out) {
  out.push_back({"escalation.tick", HEARTH_ACTION_UPDATE, escalation_tick});
  out.push_back({"escalation.raise", HEARTH_ACTION_UPDATE, escalation_raise});
  out.push_back({"escalation.lower", HEARTH_ACTION_UPDATE, escalation_lower});
  out.push_back({"mandate.decide", HEARTH_ACTION_UPDATE, mandate_decide});
}

} // namespace hearth::handoff
