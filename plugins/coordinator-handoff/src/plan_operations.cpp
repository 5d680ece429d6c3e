// The tenant's plan: plan.get, plan.update, plan.add_action, plan.complete_action. The
// needs and offers are written down in the tenant's own words.
#include "case_store.hpp"
#include "operations.hpp"

namespace hearth::handoff {
namespace {

const std::string kNoSuchAction = "action_id: no action with this id";

Poco::JSON::Object::Ptr action_json(const Row &r) {
  auto a = json_object();
  a->set("action_id", r.text(0));
  a->set("description", r.text(1));
  auto owner = json_object();
  owner->set("user", r.text(2));
  owner->set("organisation", r.text(3));
  a->set("owner", owner);
  a->set("due_date", r.text(4));
  a->set("status", r.text(5));
  a->set("binding", r.integer(6) != 0);
  a->set("done_ms", r.is_null(7) ? Poco::Dynamic::Var() : Poco::Dynamic::Var(r.integer(7)));
  return a;
}

std::string plan_get(OperationContext &ctx, const Args &args) {
  const std::string id = args.id("case_id");
  auto out = json_object();
  ctx.transaction([&] {
    const CaseView view = access_case(ctx, id, HEARTH_ACTION_READ, HEARTH_DATA_CASE_PLAN, Section::plan, false);
    out->set("case_id", id);
    const auto plan = ctx.db().row("SELECT needs, offers, housing_wishes, in_words_of, updated_ms, updated_by"
                                   " FROM ch_plan WHERE case_id = ?",
                                   {id});
    if (plan) {
      out->set("what_do_you_need", plan->text(0));
      out->set("what_can_you_offer", plan->text(1));
      out->set("housing_wishes", parse_object(plan->text(2)));
      out->set("in_words_of", plan->text(3));
      out->set("updated_ms", plan->integer(4));
      out->set("updated_by", plan->text(5));
    } else {
      out->set("what_do_you_need", Poco::Dynamic::Var());
      out->set("what_can_you_offer", Poco::Dynamic::Var());
      out->set("housing_wishes", Poco::Dynamic::Var());
    }
    auto actions = json_array();
    for (const auto &r : ctx.db().rows("SELECT id, description, owner_user, owner_org, due_date, status, binding,"
                                       " done_ms FROM ch_action WHERE case_id = ? ORDER BY due_date, id",
                                       {id})) {
      actions->add(action_json(r));
    }
    out->set("actions", actions);
    ctx.audit(HEARTH_ACTION_READ, view.objects() + ",plan:" + id, view.row.legal_basis);
  });
  return to_json(out);
}

std::string plan_update(OperationContext &ctx, const Args &args) {
  const std::string id = args.id("case_id");
  const std::string needs = args.text("what_do_you_need", 4000);
  const std::string offers = args.text("what_can_you_offer", 4000);
  const std::string words = args.choice("in_words_of", {"tenant", "tenant-with-help"});
  auto wishes = json_object();
  if (const auto given = args.object("housing_wishes", true)) {
    wishes->set("small_scale", given->flag("small_scale", false));
    wishes->set("group_living", given->flag("group_living", false));
    if (const auto type = given->optional_text("home_type", 100)) {
      wishes->set("home_type", *type);
    }
    if (const auto notes = given->optional_text("notes", 2000)) {
      wishes->set("notes", *notes);
    }
  }
  ctx.transaction([&] {
    const CaseView view = access_case(ctx, id, HEARTH_ACTION_UPDATE, HEARTH_DATA_CASE_PLAN, Section::plan, true);
    if (!is_member(ctx, view)) {
      throw Error(HEARTH_ERROR_DENIED, "case_id: only a case member writes the plan down with the tenant");
    }
    const std::vector<Value> values{needs, offers, to_json(wishes), words, ctx.now(), ctx.actor().user, id};
    if (ctx.db().scalar("SELECT COUNT(*) FROM ch_plan WHERE case_id = ?", {id}) > 0) {
      ctx.db().run("UPDATE ch_plan SET needs = ?, offers = ?, housing_wishes = ?, in_words_of = ?, updated_ms = ?,"
                   " updated_by = ? WHERE case_id = ?",
                   values);
    } else {
      ctx.db().run("INSERT INTO ch_plan (needs, offers, housing_wishes, in_words_of, updated_ms, updated_by, case_id)"
                   " VALUES (?, ?, ?, ?, ?, ?, ?)",
                   values);
    }
    append_timeline(ctx, id, "plan-updated", HEARTH_DATA_CASE_PLAN, "The tenant's plan was updated.", true);
    ctx.audit(HEARTH_ACTION_UPDATE, view.objects() + ",plan:" + id, view.row.legal_basis);
  });
  auto out = json_object();
  out->set("case_id", id);
  out->set("updated_ms", ctx.now());
  return to_json(out);
}

std::string plan_add_action(OperationContext &ctx, const Args &args) {
  const std::string id = args.id("case_id");
  const std::string description = args.text("description", 2000);
  const std::string owner_user = args.id("owner_user");
  const std::string owner_org = args.id("owner_organisation");
  const std::string due = args.day("due_date");
  if (*parse_day(due) < day_of(ctx.now())) {
    invalid("due_date", due + " lies in the past");
  }
  const std::string action_id = OperationContext::new_id("action");
  ctx.transaction([&] {
    const CaseView view = access_case(ctx, id, HEARTH_ACTION_UPDATE, HEARTH_DATA_CASE_PLAN, Section::plan, true);
    if (!view.row.is_open) {
      throw Error(HEARTH_ERROR_CONFLICT, "case_id: the case is closed");
    }
    ctx.db().run("INSERT INTO ch_action (id, case_id, description, owner_user, owner_org, due_date, status, binding,"
                 " created_ms, created_by, done_ms) VALUES (?, ?, ?, ?, ?, ?, 'open', 0, ?, ?, NULL)",
                 {action_id, id, description, owner_user, owner_org, due, ctx.now(), ctx.actor().user});
    append_timeline(ctx, id, "action-added", HEARTH_DATA_CASE_PLAN,
                    "Action for " + owner_user + " of " + owner_org + ", due " + due + ": " + description, true);
    ctx.audit(HEARTH_ACTION_UPDATE, view.objects() + ",action:" + action_id, view.row.legal_basis);
  });
  auto out = json_object();
  out->set("action_id", action_id);
  out->set("case_id", id);
  return to_json(out);
}

std::string plan_complete_action(OperationContext &ctx, const Args &args) {
  const std::string action_id = args.id("action_id");
  std::string case_id;
  ctx.transaction([&] {
    const auto first = ctx.db().row("SELECT case_id FROM ch_action WHERE id = ?", {action_id});
    if (!first) {
      throw Error(HEARTH_ERROR_NOT_FOUND, kNoSuchAction);
    }
    case_id = first->text(0);
    auto row = load_case(ctx.db(), case_id, true);
    if (!row) {
      throw Error(HEARTH_ERROR_NOT_FOUND, kNoSuchAction);
    }
    const CaseView view = view_case(ctx, std::move(*row));
    const std::string objects = view.objects() + ",action:" + action_id;
    ctx.require(HEARTH_ACTION_UPDATE, HEARTH_DATA_CASE_PLAN, view.facts, objects, kNoSuchAction);
    const auto action = ctx.db().row("SELECT owner_user, owner_org, status, binding FROM ch_action WHERE id = ?",
                                     {action_id});
    const bool action_owner = action->text(0) == ctx.actor().user && action->text(1) == ctx.actor().organisation;
    const bool binding = action->integer(3) != 0;
    if (binding && !action_owner && !is_mandate_holder(ctx, view.row)) {
      throw Error(HEARTH_ERROR_DENIED, "action_id: a binding action is completed by its owner or the mandate holder");
    }
    if (!binding && !action_owner && !is_owner(ctx.actor(), view.row) && !is_mandate_holder(ctx, view.row)) {
      throw Error(HEARTH_ERROR_DENIED, "action_id: an action is completed by its owner or the case owner");
    }
    if (action->text(2) != "open") {
      throw Error(HEARTH_ERROR_CONFLICT, "action_id: the action is already " + action->text(2));
    }
    ctx.db().run("UPDATE ch_action SET status = 'done', done_ms = ? WHERE id = ?", {ctx.now(), action_id});
    append_timeline(ctx, case_id, "action-done", HEARTH_DATA_CASE_PLAN, "Action done by " + ctx.actor().user + ".",
                    true);
    ctx.audit(HEARTH_ACTION_UPDATE, objects, view.row.legal_basis);
  });
  auto out = json_object();
  out->set("action_id", action_id);
  out->set("case_id", case_id);
  out->set("status", "done");
  return to_json(out);
}

} // namespace

void add_plan_operations(std::vector<Operation> &out) {
  out.push_back({"plan.get", HEARTH_ACTION_READ, plan_get});
  out.push_back({"plan.update", HEARTH_ACTION_UPDATE, plan_update});
  out.push_back({"plan.add_action", HEARTH_ACTION_UPDATE, plan_add_action});
  out.push_back({"plan.complete_action", HEARTH_ACTION_UPDATE, plan_complete_action});
}

} // namespace hearth::handoff
