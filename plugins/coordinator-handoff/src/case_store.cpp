#include "case_store.hpp"

#include <algorithm>

#include "json_args.hpp"

namespace hearth::handoff {
namespace {

constexpr const char *kCaseColumns =
    "SELECT id, tenancy_id, unit_id, neighbourhood_code, state, level, owner_user, owner_org, owner_role,"
    " owner_since_ms, mandate_user, mandate_org, legal_basis, care_basis, opened_ms, closed_ms, is_open,"
    " last_activity_ms, last_level_change_ms, last_nuisance_escalation_ms FROM ch_case WHERE id = ?";

CaseRow case_from(const Row &r) {
  CaseRow c;
  c.id = r.text(0);
  c.tenancy_id = r.text(1);
  c.unit_id = r.text(2);
  c.neighbourhood_code = r.text(3);
  c.state = r.text(4);
  c.level = static_cast<int>(r.integer(5));
  c.owner = Person{r.text(6), r.text(7), r.text(8)};
  c.owner_since_ms = r.integer(9);
  c.mandate_user = r.optional_text(10);
  c.mandate_org = r.optional_text(11);
  c.legal_basis = r.text(12);
  c.care_basis = r.optional_text(13);
  c.opened_ms = r.integer(14);
  c.closed_ms = r.optional_integer(15);
  c.is_open = r.integer(16) != 0;
  c.last_activity_ms = r.integer(17);
  c.last_level_change_ms = r.integer(18);
  c.last_nuisance_escalation_ms = r.integer(19);
  return c;
}

[[noreturn]] void invariant_broken(const std::string &case_id, const std::string &what) {
  throw Error(HEARTH_ERROR_INTERNAL, "owner invariant broken for case " + case_id + ": " + what +
                                         "; the change was rolled back");
}

} // namespace

std::string CaseView::objects() const { return "case:" + row.id + ",tenancy:" + row.tenancy_id; }

std::optional<CaseRow> load_case(const Database &db, const std::string &id, bool lock) {
  if (lock) {
    db.run("UPDATE ch_case SET row_version = row_version + 1 WHERE id = ?", {id});
  }
  const auto row = db.row(kCaseColumns, {id});
  if (!row) {
    return std::nullopt;
  }
  return case_from(*row);
}

std::optional<std::string> open_case_of_tenancy(const Database &db, const std::string &tenancy_id) {
  const auto row = db.row("SELECT id FROM ch_case WHERE tenancy_id = ? AND is_open = 1", {tenancy_id});
  if (!row) {
    return std::nullopt;
  }
  return row->text(0);
}

CaseView view_case(const OperationContext &ctx, CaseRow row) {
  CaseView view;
  view.facts.tenancy_id = row.tenancy_id;
  if (const auto tenancy =
          ctx.db().row("SELECT portfolio_owner, tenant_user FROM hearth_tenancy WHERE id = ?", {row.tenancy_id})) {
    view.facts.portfolio_owner = tenancy->optional_text(0);
    view.facts.tenant_user = tenancy->optional_text(1);
  }
  view.facts.care_basis_recorded = row.care_basis.has_value();
  view.facts.case_members.push_back(row.owner.user);
  if (row.mandate_user && row.level >= ctx.config().ladder.mandate_level) {
    view.facts.case_members.push_back(*row.mandate_user);
  }
  for (const auto &r : ctx.db().rows("SELECT member_user, member_org, member_role, visibility FROM ch_network"
                                     " WHERE case_id = ? AND consent = 'given' AND member_user IS NOT NULL",
                                     {row.id})) {
    NetworkAccess access{r.text(0), r.text(1), r.text(2), {}};
    for (const auto &section : parse_string_array(r.text(3))) {
      access.visibility.insert(section);
    }
    view.facts.case_members.push_back(access.user);
    view.network.push_back(std::move(access));
  }
  view.row = std::move(row);
  return view;
}

bool is_owner(const Actor &actor, const CaseRow &row) {
  return actor.user == row.owner.user && actor.organisation == row.owner.organisation;
}

bool is_mandate_holder(const OperationContext &ctx, const CaseRow &row) {
  return row.level >= ctx.config().ladder.mandate_level && row.mandate_user && row.mandate_org &&
         *row.mandate_user == ctx.actor().user && *row.mandate_org == ctx.actor().organisation;
}

bool is_member(const OperationContext &ctx, const CaseView &view) {
  if (is_owner(ctx.actor(), view.row) || is_mandate_holder(ctx, view.row)) {
    return true;
  }
  return std::any_of(view.network.begin(), view.network.end(), [&](const NetworkAccess &n) {
    return n.user == ctx.actor().user && n.organisation == ctx.actor().organisation;
  });
}

CaseView access_case(const OperationContext &ctx, const std::string &id, const char *action, const char *data_class,
                     Section section, bool lock) {
  auto row = load_case(ctx.db(), id, lock);
  if (!row) {
    throw Error(HEARTH_ERROR_NOT_FOUND, kNoSuchCase);
  }
  CaseView view = view_case(ctx, std::move(*row));
  ctx.require(action, data_class, view.facts, view.objects(), kNoSuchCase);
  if (section != Section::summary && !is_owner(ctx.actor(), view.row) && !is_mandate_holder(ctx, view.row)) {
    static const char *const names[] = {"summary", "plan", "timeline", "network"};
    const std::string wanted = names[static_cast<int>(section)];
    for (const auto &n : view.network) {
      if (n.user == ctx.actor().user && !n.visibility.contains(wanted)) {
        throw Hidden{action, view.objects(), kNoSuchCase};
      }
    }
  }
  return view;
}

void append_timeline(const OperationContext &ctx, const std::string &case_id, const std::string &kind,
                     const std::string &data_class, const std::string &text, bool progress) {
  const Actor &a = ctx.actor();
  ctx.db().run("INSERT INTO ch_timeline (case_id, at_ms, kind, data_class, actor_user, actor_org, actor_role, text,"
               " progress) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
               {case_id, ctx.now(), kind, data_class, a.user, a.organisation, a.role, text,
                static_cast<std::int64_t>(progress ? 1 : 0)});
  if (progress) {
    touch_case(ctx, case_id);
  }
}

void touch_case(const OperationContext &ctx, const std::string &case_id) {
  ctx.db().run("UPDATE ch_case SET last_activity_ms = ? WHERE id = ? AND last_activity_ms < ?",
               {ctx.now(), case_id, ctx.now()});
}

void start_ownership(const OperationContext &ctx, const CaseRow &row) {
  ctx.db().run("INSERT INTO ch_ownership (case_id, seq, owner_user, owner_org, owner_role, from_ms, until_ms, how)"
               " VALUES (?, 1, ?, ?, ?, ?, NULL, 'opened')",
               {row.id, row.owner.user, row.owner.organisation, row.owner.role, row.opened_ms});
  check_owner_invariant(ctx.db(), row.id);
}

void change_owner(const OperationContext &ctx, CaseRow &row, const Person &next, const std::string &how) {
  const auto &db = ctx.db();
  const std::int64_t last_seq = db.scalar("SELECT MAX(seq) FROM ch_ownership WHERE case_id = ?", {row.id});
  db.run("UPDATE ch_ownership SET until_ms = ? WHERE case_id = ? AND until_ms IS NULL", {ctx.now(), row.id});
  db.run("INSERT INTO ch_ownership (case_id, seq, owner_user, owner_org, owner_role, from_ms, until_ms, how)"
         " VALUES (?, ?, ?, ?, ?, ?, NULL, ?)",
         {row.id, last_seq + 1, next.user, next.organisation, next.role, ctx.now(), how});
  db.run("UPDATE ch_case SET owner_user = ?, owner_org = ?, owner_role = ?, owner_since_ms = ? WHERE id = ?",
         {next.user, next.organisation, next.role, ctx.now(), row.id});
  row.owner = next;
  row.owner_since_ms = ctx.now();
  check_owner_invariant(db, row.id);
}

void check_owner_invariant(const Database &db, const std::string &case_id) {
  const auto owner = db.row("SELECT owner_user, owner_org, opened_ms FROM ch_case WHERE id = ?", {case_id});
  if (!owner) {
    invariant_broken(case_id, "the case row is missing");
  }
  if (owner->text(0).empty() || owner->text(1).empty()) {
    invariant_broken(case_id, "the case has no owner");
  }
  const auto history = db.rows("SELECT seq, owner_user, owner_org, from_ms, until_ms FROM ch_ownership"
                               " WHERE case_id = ? ORDER BY seq",
                               {case_id});
  if (history.empty()) {
    invariant_broken(case_id, "no ownership history");
  }
  int current = 0;
  for (std::size_t i = 0; i < history.size(); ++i) {
    const Row &h = history[i];
    if (h.integer(0) != static_cast<std::int64_t>(i + 1)) {
      invariant_broken(case_id, "ownership sequence has a hole");
    }
    if (i == 0 && h.integer(3) != owner->integer(2)) {
      invariant_broken(case_id, "the first owner did not start when the case opened");
    }
    if (h.is_null(4)) {
      ++current;
      if (i + 1 != history.size()) {
        invariant_broken(case_id, "an earlier ownership never ended");
      }
    } else if (h.integer(4) < h.integer(3)) {
      invariant_broken(case_id, "an ownership ended before it began");
    }
    if (i > 0 && (history[i - 1].is_null(4) || history[i - 1].integer(4) != h.integer(3))) {
      invariant_broken(case_id, "a gap or overlap between two owners");
    }
  }
  if (current != 1) {
    invariant_broken(case_id, std::to_string(current) + " current owners");
  }
  const Row &last = history.back();
  if (last.text(1) != owner->text(0) || last.text(2) != owner->text(1)) {
    invariant_broken(case_id, "the case row and the ownership history name different owners");
  }
}

bool is_stalled(const HandoffConfig &config, bool is_open, const std::string &state, std::int64_t last_activity_ms,
                std::int64_t now_ms) {
  return is_open && config.ladder.stalled_states.contains(state) &&
         now_ms - last_activity_ms >= static_cast<std::int64_t>(config.rules.stalled_after_calendar_days) * kMillisPerDay;
}

Poco::JSON::Object::Ptr case_json(const OperationContext &ctx, const CaseView &view) {
  const CaseRow &c = view.row;
  const auto &lifecycle = ctx.config().lifecycle;
  auto out = json_object();
  out->set("case_id", c.id);
  out->set("tenancy_id", c.tenancy_id);
  out->set("state", c.state);
  const auto describe = lifecycle.describe.find(c.state);
  out->set("state_description", describe != lifecycle.describe.end() ? describe->second : "");
  out->set("is_open", c.is_open);
  out->set("level", c.level);
  out->set("level_name", ctx.config().ladder.name_of(c.level));
  auto owner = json_object();
  owner->set("user", c.owner.user);
  owner->set("organisation", c.owner.organisation);
  owner->set("role", c.owner.role);
  owner->set("since_ms", c.owner_since_ms);
  out->set("owner", owner);
  if (c.mandate_user && c.level >= ctx.config().ladder.mandate_level) {
    auto holder = json_object();
    holder->set("user", *c.mandate_user);
    holder->set("organisation", c.mandate_org.value_or(""));
    out->set("mandate_holder", holder);
  } else {
    out->set("mandate_holder", Poco::Dynamic::Var());
  }
  out->set("legal_basis", c.legal_basis);
  out->set("care_basis_recorded", c.care_basis.has_value());
  out->set("opened_ms", c.opened_ms);
  if (c.closed_ms) {
    out->set("closed_ms", *c.closed_ms);
  } else {
    out->set("closed_ms", Poco::Dynamic::Var());
  }
  out->set("last_activity_ms", c.last_activity_ms);
  out->set("stalled", is_stalled(ctx.config(), c.is_open, c.state, c.last_activity_ms, ctx.now()));
  const auto offer = ctx.db().row("SELECT id, to_user, to_org, to_role, created_ms, deadline_ms FROM ch_offer"
                                  " WHERE case_id = ? AND status = 'offered'",
                                  {c.id});
  if (offer) {
    auto o = json_object();
    o->set("offer_id", offer->text(0));
    if (offer->is_null(1)) {
      o->set("to_user", Poco::Dynamic::Var());
    } else {
      o->set("to_user", offer->text(1));
    }
    o->set("to_organisation", offer->text(2));
    o->set("to_role", offer->text(3));
    o->set("offered_ms", offer->integer(4));
    o->set("answer_by_ms", offer->integer(5));
    out->set("open_offer", o);
  } else {
    out->set("open_offer", Poco::Dynamic::Var());
  }
  return out;
}

} // namespace hearth::handoff
