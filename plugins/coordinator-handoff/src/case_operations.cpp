// case.open, case.get, case.list, case.transition, case.history, case.set_care_basis,
// case.export.
#include <algorithm>

#include "case_store.hpp"
#include "flag_withdrawal.hpp"
#include "operations.hpp"

namespace hearth::handoff {
namespace {

std::string purpose_of(const OperationContext &ctx) { return ctx.config().rules.default_purpose; }

std::string case_open(OperationContext &ctx, const Args &args) {
  const std::string tenancy_id = args.id("tenancy_id");
  const std::string reason = args.text("reason", 2000);
  const std::string legal_basis = args.choice("legal_basis", ctx.config().rules.case_bases);
  std::optional<std::string> care_basis;
  if (args.has("care_basis")) {
    care_basis = args.choice("care_basis", ctx.config().rules.care_bases);
  }
  const Actor &a = ctx.actor();
  if (!ctx.config().rules.owner_roles.contains(a.role)) {
    throw Error(HEARTH_ERROR_DENIED, "a " + a.role + " may not own a case (handoff.ini owner_roles)");
  }
  std::string case_id;
  ctx.transaction([&] {
    case_id = open_case(ctx, tenancy_id, Person{a.user, a.organisation, a.role}, legal_basis, care_basis, reason, true);
  });
  auto out = json_object();
  out->set("case_id", case_id);
  return to_json(out);
}

std::string case_get(OperationContext &ctx, const Args &args) {
  const std::string id = args.id("case_id");
  Poco::JSON::Object::Ptr out;
  ctx.transaction([&] {
    const CaseView view = access_case(ctx, id, HEARTH_ACTION_READ, HEARTH_DATA_CASE_PLAN, Section::summary, false);
    out = case_json(ctx, view);
    ctx.audit(HEARTH_ACTION_READ, view.objects(), view.row.legal_basis);
  });
  return to_json(out);
}

// Candidate cases the actor may have a tie to; the policy service decides on each.
std::vector<std::string> candidate_cases(const OperationContext &ctx, bool open_only) {
  const Actor &a = ctx.actor();
  const std::string open = open_only ? " AND c.is_open = 1" : "";
  std::vector<Row> rows;
  if (a.role == HEARTH_ROLE_TENANT) {
    rows = ctx.db().rows("SELECT c.id FROM ch_case c JOIN hearth_tenancy t ON t.id = c.tenancy_id"
                         " WHERE t.tenant_user = ?" + open + " ORDER BY c.opened_ms, c.id",
                         {a.user});
  } else if (a.role == HEARTH_ROLE_HOUSING_CONSULTANT) {
    rows = ctx.db().rows("SELECT c.id FROM ch_case c JOIN hearth_tenancy t ON t.id = c.tenancy_id"
                         " WHERE t.portfolio_owner = ?" + open + " ORDER BY c.opened_ms, c.id",
                         {a.user});
  } else {
    rows = ctx.db().rows("SELECT c.id FROM ch_case c WHERE (c.owner_user = ? OR c.mandate_user = ? OR EXISTS"
                         " (SELECT 1 FROM ch_network n WHERE n.case_id = c.id AND n.member_user = ?"
                         " AND n.consent = 'given'))" + open + " ORDER BY c.opened_ms, c.id",
                         {a.user, a.user, a.user});
  }
  std::vector<std::string> ids;
  for (const auto &r : rows) {
    ids.push_back(r.text(0));
  }
  return ids;
}

std::string case_list(OperationContext &ctx, const Args &args) {
  const bool open_only = args.flag("open_only", true);
  auto list = json_array();
  ctx.transaction([&] {
    std::string objects;
    for (const auto &id : candidate_cases(ctx, open_only)) {
      const auto row = load_case(ctx.db(), id, false);
      if (!row) {
        continue;
      }
      const CaseView view = view_case(ctx, *row);
      // Listing is a search; each case in it is one the actor may read.
      if (!ctx.allowed(HEARTH_ACTION_READ, HEARTH_DATA_CASE_PLAN, view.facts)) {
        continue;
      }
      list->add(case_json(ctx, view));
      objects += (objects.empty() ? "" : ",") + ("case:" + id);
    }
    ctx.audit(HEARTH_ACTION_SEARCH, objects.empty() ? "case:none" : objects, purpose_of(ctx));
  });
  auto out = json_object();
  out->set("cases", list);
  out->set("stalled_after_calendar_days", ctx.config().rules.stalled_after_calendar_days);
  return to_json(out);
}

std::string case_transition(OperationContext &ctx, const Args &args) {
  const std::string id = args.id("case_id");
  const std::string name = args.text("transition", 100);
  const std::string reason = args.text("reason", 2000);
  const auto &lifecycle = ctx.config().lifecycle;
  const auto found = lifecycle.transitions.find(name);
  if (found == lifecycle.transitions.end()) {
    std::string known;
    for (const auto &[key, unused] : lifecycle.transitions) {
      known += (known.empty() ? "" : ", ") + key;
    }
    invalid("transition", "is not one of " + known + " (states.ini)");
  }
  const Transition &t = found->second;
  std::string tenancy_id, from_state;
  ctx.transaction([&] {
    CaseView view = access_case(ctx, id, HEARTH_ACTION_UPDATE, HEARTH_DATA_CASE_PLAN, Section::summary, true);
    CaseRow &c = view.row;
    if (!t.roles.contains(ctx.actor().role)) {
      throw Error(HEARTH_ERROR_DENIED, "transition: a " + ctx.actor().role + " may not make '" + name + "'");
    }
    if (t.who == Who::owner && !is_owner(ctx.actor(), c) && !is_mandate_holder(ctx, c)) {
      throw Error(HEARTH_ERROR_DENIED, "transition: only the case owner may make '" + name + "'");
    }
    if (t.who == Who::member && !is_member(ctx, view)) {
      throw Error(HEARTH_ERROR_DENIED, "transition: only a case member may make '" + name + "'");
    }
    if (!t.from.contains(c.state)) {
      throw Error(HEARTH_ERROR_CONFLICT, "transition: '" + name + "' cannot start from state '" + c.state + "'");
    }
    from_state = c.state;
    tenancy_id = c.tenancy_id;
    const bool closing = t.to == lifecycle.closed;
    const bool reopening = c.state == lifecycle.closed;
    if (reopening && open_case_of_tenancy(ctx.db(), c.tenancy_id)) {
      throw Error(HEARTH_ERROR_CONFLICT, "transition: the tenancy has another open case");
    }
    if (closing) {
      ctx.db().run("UPDATE ch_case SET state = ?, is_open = 0, closed_ms = ? WHERE id = ?", {t.to, ctx.now(), id});
      ctx.db().run("UPDATE ch_offer SET status = 'cancelled', answered_ms = ?, answer_reason = 'case closed'"
                   " WHERE case_id = ? AND status = 'offered'",
                   {ctx.now(), id});
      ctx.db().run("UPDATE ch_report SET status = 'closed', closed_ms = ?, updated_ms = ? WHERE case_id = ?"
                   " AND status <> 'closed'",
                   {ctx.now(), ctx.now(), id});
    } else if (reopening) {
      ctx.db().run("UPDATE ch_case SET state = ?, is_open = 1, closed_ms = NULL WHERE id = ?", {t.to, id});
    } else {
      ctx.db().run("UPDATE ch_case SET state = ? WHERE id = ?", {t.to, id});
    }
    append_timeline(ctx, id, "transition", HEARTH_DATA_CASE_PLAN, name + ": " + c.state + " -> " + t.to + ". " + reason,
                    true);
    if (!closing) {
      // A person took the case up: a ladder stopped by a withdrawn flag runs again.
      resume_ladder(ctx, id, "The case was taken up (" + name + ").");
    }
    check_owner_invariant(ctx.db(), id);
    ctx.audit(HEARTH_ACTION_UPDATE, view.objects(), c.legal_basis);
    c.state = t.to;
  });
  queue_case_changed(ctx, id, tenancy_id, "state");
  auto out = json_object();
  out->set("case_id", id);
  out->set("from", from_state);
  out->set("state", t.to);
  return to_json(out);
}

std::string case_history(OperationContext &ctx, const Args &args) {
  const std::string id = args.id("case_id");
  auto out = json_object();
  ctx.transaction([&] {
    const CaseView view = access_case(ctx, id, HEARTH_ACTION_READ, HEARTH_DATA_CASE_PLAN, Section::summary, false);
    auto owners = json_array();
    for (const auto &r : ctx.db().rows("SELECT seq, owner_user, owner_org, owner_role, from_ms, until_ms, how"
                                       " FROM ch_ownership WHERE case_id = ? ORDER BY seq",
                                       {id})) {
      auto o = json_object();
      o->set("seq", r.integer(0));
      o->set("user", r.text(1));
      o->set("organisation", r.text(2));
      o->set("role", r.text(3));
      o->set("from_ms", r.integer(4));
      o->set("until_ms", r.is_null(5) ? Poco::Dynamic::Var() : Poco::Dynamic::Var(r.integer(5)));
      o->set("how", r.text(6));
      owners->add(o);
    }
    auto levels = json_array();
    for (const auto &r : ctx.db().rows("SELECT from_level, to_level, trigger_name, at_ms, by_user FROM ch_escalation"
                                       " WHERE case_id = ? ORDER BY seq",
                                       {id})) {
      auto e = json_object();
      e->set("from_level", r.integer(0));
      e->set("to_level", r.integer(1));
      e->set("trigger", r.text(2));
      e->set("at_ms", r.integer(3));
      e->set("by", r.text(4));
      levels->add(e);
    }
    auto decisions = json_array();
    for (const auto &r : ctx.db().rows("SELECT id, kind, decided_by, decided_org, reason, at_ms FROM ch_decision"
                                       " WHERE case_id = ? ORDER BY at_ms, id",
                                       {id})) {
      auto d = json_object();
      d->set("decision_id", r.text(0));
      d->set("kind", r.text(1));
      d->set("decided_by", r.text(2));
      d->set("organisation", r.text(3));
      d->set("reason", r.text(4));
      d->set("at_ms", r.integer(5));
      d->set("binding", true);
      decisions->add(d);
    }
    out->set("case_id", id);
    out->set("owners", owners);
    out->set("escalations", levels);
    out->set("decisions", decisions);
    ctx.audit(HEARTH_ACTION_READ, view.objects(), view.row.legal_basis);
  });
  return to_json(out);
}

std::string case_set_care_basis(OperationContext &ctx, const Args &args) {
  const std::string id = args.id("case_id");
  std::optional<std::string> basis;
  const std::string given = args.text("care_basis", 100);
  if (given != "none") {
    basis = args.choice("care_basis", ctx.config().rules.care_bases);
  }
  const std::string reason = args.text("reason", 2000);
  ctx.transaction([&] {
    const CaseView view = access_case(ctx, id, HEARTH_ACTION_UPDATE, HEARTH_DATA_CASE_PLAN, Section::summary, true);
    if (!is_owner(ctx.actor(), view.row) && !is_mandate_holder(ctx, view.row)) {
      throw Error(HEARTH_ERROR_DENIED, "care_basis: only the case owner records the legal basis for care data");
    }
    ctx.db().run("UPDATE ch_case SET care_basis = ? WHERE id = ?", {text_or_null(basis), id});
    append_timeline(ctx, id, "care-basis", HEARTH_DATA_CASE_PLAN,
                    (basis ? "Legal basis for care data recorded: " + *basis : std::string("Legal basis for care data withdrawn")) +
                        ". " + reason,
                    false);
    ctx.audit(HEARTH_ACTION_UPDATE, view.objects(), view.row.legal_basis);
  });
  auto out = json_object();
  out->set("case_id", id);
  out->set("care_basis_recorded", basis.has_value());
  return to_json(out);
}

std::string case_export(OperationContext &ctx, const Args &args) {
  const std::string id = args.id("case_id");
  const std::string target = args.choice("target", {"zgw", "vera"});
  Poco::JSON::Object::Ptr payload;
  std::string subject;
  ctx.transaction([&] {
    const CaseView view = access_case(ctx, id, HEARTH_ACTION_READ, HEARTH_DATA_CASE_PLAN, Section::summary, false);
    const CaseRow &c = view.row;
    if (!is_owner(ctx.actor(), c) && !is_mandate_holder(ctx, c)) {
      throw Error(HEARTH_ERROR_DENIED, "case_id: only the case owner may export the case");
    }
    payload = json_object();
    payload->set("case_id", c.id);
    payload->set("target", target);
    payload->set("tenancy_id", c.tenancy_id);
    payload->set("unit_id", c.unit_id);
    payload->set("neighbourhood_code", c.neighbourhood_code);
    payload->set("state", c.state);
    payload->set("is_open", c.is_open);
    payload->set("level", c.level);
    payload->set("level_name", ctx.config().ladder.name_of(c.level));
    payload->set("opened_ms", c.opened_ms);
    payload->set("closed_ms", c.closed_ms ? Poco::Dynamic::Var(*c.closed_ms) : Poco::Dynamic::Var());
    auto coordinator = json_object();
    coordinator->set("user", c.owner.user);
    coordinator->set("organisation", c.owner.organisation);
    coordinator->set("vera_role", "ZAA");
    payload->set("coordinator", coordinator);
    payload->set("legal_basis", c.legal_basis);
    payload->set("purpose", ctx.config().rules.default_purpose);
    auto by = json_object();
    by->set("user", ctx.actor().user);
    by->set("organisation", ctx.actor().organisation);
    payload->set("requested_by", by);
    payload->set("requested_ms", ctx.now());
    subject = "case:" + c.id;
    append_timeline(ctx, id, "export", HEARTH_DATA_CASE_PLAN, "Export to " + target + " requested.", false);
    ctx.audit(HEARTH_ACTION_EXPORT, view.objects() + ",export:" + target, c.legal_basis);
  });
  ctx.publish_after_commit({kEventExportRequested, subject, to_json(payload)});
  auto out = json_object();
  out->set("case_id", id);
  out->set("event", kEventExportRequested);
  out->set("target", target);
  return to_json(out);
}

} // namespace

std::string open_case(OperationContext &ctx, const std::string &tenancy_id, const Person &owner,
                      const std::string &legal_basis, const std::optional<std::string> &care_basis,
                      const std::string &reason, bool check_policy) {
  const auto tenancy = ctx.db().row("SELECT t.unit_id, u.neighbourhood_code, t.portfolio_owner, t.tenant_user"
                                    " FROM hearth_tenancy t JOIN hearth_unit u ON u.id = t.unit_id WHERE t.id = ?",
                                    {tenancy_id});
  const std::string not_found = "tenancy_id: no tenancy with this id";
  if (!tenancy) {
    throw Error(HEARTH_ERROR_NOT_FOUND, not_found);
  }
  RecordFacts facts;
  facts.tenancy_id = tenancy_id;
  facts.portfolio_owner = tenancy->optional_text(2);
  facts.tenant_user = tenancy->optional_text(3);
  facts.case_members = {owner.user};
  facts.care_basis_recorded = care_basis.has_value();
  if (check_policy) {
    ctx.require(HEARTH_ACTION_CREATE, HEARTH_DATA_CASE_PLAN, facts, "tenancy:" + tenancy_id, not_found);
  }
  if (open_case_of_tenancy(ctx.db(), tenancy_id)) {
    throw Error(HEARTH_ERROR_CONFLICT, "tenancy_id: this tenancy already has an open case");
  }
  CaseRow c;
  c.id = OperationContext::new_id("case");
  c.tenancy_id = tenancy_id;
  c.unit_id = tenancy->text(0);
  c.neighbourhood_code = tenancy->text(1);
  c.state = ctx.config().lifecycle.initial;
  c.level = ctx.config().ladder.opening_level;
  c.owner = owner;
  c.owner_since_ms = ctx.now();
  c.legal_basis = legal_basis;
  c.care_basis = care_basis;
  c.opened_ms = ctx.now();
  try {
    ctx.db().run("INSERT INTO ch_case (id, tenancy_id, unit_id, neighbourhood_code, state, level, owner_user, owner_org,"
                 " owner_role, owner_since_ms, mandate_user, mandate_org, legal_basis, care_basis, opened_ms, closed_ms,"
                 " is_open, last_activity_ms, last_level_change_ms, last_nuisance_escalation_ms, row_version)"
                 " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, ?, ?, ?, NULL, 1, ?, ?, 0, 1)",
                 {c.id, c.tenancy_id, c.unit_id, c.neighbourhood_code, c.state, static_cast<std::int64_t>(c.level),
                  owner.user, owner.organisation, owner.role, c.owner_since_ms, legal_basis, text_or_null(care_basis),
                  c.opened_ms, c.opened_ms, c.opened_ms});
  } catch (const Error &e) {
    if (e.status() == HEARTH_ERROR_CONFLICT) {
      throw Error(HEARTH_ERROR_CONFLICT, "tenancy_id: this tenancy already has an open case");
    }
    throw;
  }
  start_ownership(ctx, c);
  append_timeline(ctx, c.id, "opened", HEARTH_DATA_CASE_PLAN, reason, true);
  ctx.db().run("UPDATE ch_report SET case_id = ?, status = 'being_handled', updated_ms = ? WHERE tenancy_id = ?"
               " AND status <> 'closed'",
               {c.id, ctx.now(), tenancy_id});
  ctx.audit(HEARTH_ACTION_CREATE, "case:" + c.id + ",tenancy:" + tenancy_id, legal_basis);
  queue_case_changed(ctx, c.id, tenancy_id, "opened");
  return c.id;
}

void queue_case_changed(OperationContext &ctx, const std::string &case_id, const std::string &tenancy_id,
                        const std::string &change) {
  auto payload = json_object();
  payload->set("case_id", case_id);
  payload->set("tenancy_id", tenancy_id);
  payload->set("change", change);
  ctx.publish_after_commit({kEventCaseChanged, "tenancy:" + tenancy_id, to_json(payload)});
}

void add_case_operations(std::vector<Operation> &out) {
  out.push_back({"case.open", HEARTH_ACTION_CREATE, case_open});
  out.push_back({"case.get", HEARTH_ACTION_READ, case_get});
  out.push_back({"case.list", HEARTH_ACTION_SEARCH, case_list});
  out.push_back({"case.transition", HEARTH_ACTION_UPDATE, case_transition});
  out.push_back({"case.history", HEARTH_ACTION_READ, case_history});
  out.push_back({"case.set_care_basis", HEARTH_ACTION_UPDATE, case_set_care_basis});
  out.push_back({"case.export", HEARTH_ACTION_EXPORT, case_export});
}

} // namespace hearth::handoff
