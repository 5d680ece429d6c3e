// Warm handoff: handoff.offer, handoff.accept, handoff.decline, handoff.withdraw,
// handoff.inbox. The sender stays owner until the receiver accepts; only acceptance (or a
// mandate holder's binding decision) moves ownership.
#include "case_store.hpp"
#include "operations.hpp"

namespace hearth::handoff {
namespace {

const std::string kNoSuchOffer = "offer_id: no offer with this id";

const std::set<std::string> &data_classes() {
  static const std::set<std::string> classes{HEARTH_DATA_CONTACT, HEARTH_DATA_HOUSING,  HEARTH_DATA_FINANCE,
                                             HEARTH_DATA_NUISANCE, HEARTH_DATA_CARE, HEARTH_DATA_CASE_PLAN};
  return classes;
}

struct OfferRow {
  std::string id, case_id, from_user, from_org;
  std::optional<std::string> to_user;
  std::string to_org, to_role, reason, summary, status;
  std::int64_t created_ms = 0, deadline_ms = 0;
  std::optional<std::int64_t> escalated_ms;
};

std::optional<OfferRow> load_offer(const Database &db, const std::string &id) {
  const auto r = db.row("SELECT id, case_id, from_user, from_org, to_user, to_org, to_role, reason, summary, status,"
                        " created_ms, deadline_ms, escalated_ms FROM ch_offer WHERE id = ?",
                        {id});
  if (!r) {
    return std::nullopt;
  }
  return OfferRow{r->text(0),  r->text(1),  r->text(2),    r->text(3),          r->optional_text(4),
                  r->text(5),  r->text(6),  r->text(7),    r->text(8),          r->text(9),
                  r->integer(10), r->integer(11), r->optional_integer(12)};
}

bool is_addressee(const Actor &actor, const OfferRow &offer) {
  if (offer.to_user) {
    return actor.user == *offer.to_user && actor.organisation == offer.to_org;
  }
  return actor.organisation == offer.to_org && actor.role == offer.to_role;
}

// Loads the offer and its case (locked when `lock`) for its addressee, or hides both.
std::pair<OfferRow, CaseView> offer_for_addressee(const OperationContext &ctx, const std::string &offer_id,
                                                  const char *action, bool lock) {
  auto offer = load_offer(ctx.db(), offer_id);
  if (!offer) {
    throw Error(HEARTH_ERROR_NOT_FOUND, kNoSuchOffer);
  }
  auto row = load_case(ctx.db(), offer->case_id, lock);
  if (!row) {
    throw Error(HEARTH_ERROR_NOT_FOUND, kNoSuchOffer);
  }
  if (lock) {
    offer = load_offer(ctx.db(), offer_id); // read again under the case's lock
  }
  CaseView view = view_case(ctx, std::move(*row));
  const std::string objects = view.objects() + ",offer:" + offer_id;
  if (!is_addressee(ctx.actor(), *offer)) {
    throw Hidden{action, objects, kNoSuchOffer};
  }
  view.facts.case_members.push_back(ctx.actor().user);
  ctx.require(action, HEARTH_DATA_CASE_PLAN, view.facts, objects, kNoSuchOffer);
  return {std::move(*offer), std::move(view)};
}

// The summary items the reader may see (each item's data class asked of the policy service).
Poco::JSON::Array::Ptr visible_summary(const OperationContext &ctx, const OfferRow &offer, const RecordFacts &facts) {
  auto out = json_array();
  const auto items = parse_array(offer.summary);
  for (unsigned i = 0; i < items->size(); ++i) {
    const auto item = items->getObject(i);
    if (!item) {
      continue;
    }
    const std::string data_class = item->getValue<std::string>("data_class");
    if (ctx.allowed(HEARTH_ACTION_READ, data_class.c_str(), facts)) {
      out->add(item);
    }
  }
  return out;
}

std::string handoff_offer(OperationContext &ctx, const Args &args) {
  const std::string case_id = args.id("case_id");
  const auto to_user = args.optional_id("to_user");
  const std::string to_org = args.id("to_organisation");
  const std::string to_role = args.text("to_role", 50);
  const std::string reason = args.text("reason", 2000);
  const auto items = args.objects("summary", true);
  const auto &rules = ctx.config().rules;
  if (!rules.owner_roles.contains(to_role)) {
    invalid("to_role", "a " + to_role + " may not own a case (handoff.ini owner_roles)");
  }
  if (to_user && *to_user == ctx.actor().user && to_org == ctx.actor().organisation) {
    invalid("to_user", "the case cannot be offered to its own owner");
  }
  std::string offer_id = OperationContext::new_id("offer");
  std::int64_t deadline = rules.calendar.add_working_days(ctx.now(), rules.answer_within_working_days);
  std::string tenancy_id;
  ctx.transaction([&] {
    CaseView view = access_case(ctx, case_id, HEARTH_ACTION_UPDATE, HEARTH_DATA_CASE_PLAN, Section::summary, true);
    const CaseRow &c = view.row;
    tenancy_id = c.tenancy_id;
    if (!is_owner(ctx.actor(), c)) {
      throw Error(HEARTH_ERROR_DENIED, "case_id: only the case owner may offer the case");
    }
    if (!c.is_open) {
      throw Error(HEARTH_ERROR_CONFLICT, "case_id: the case is closed");
    }
    if (ctx.db().scalar("SELECT COUNT(*) FROM ch_offer WHERE case_id = ? AND status = 'offered'", {case_id}) > 0) {
      throw Error(HEARTH_ERROR_CONFLICT, "case_id: the case already has an open offer; withdraw it first");
    }
    // The summary carries only what the legal basis allows: each item's data class must be
    // readable by the sender and by the receiver for this case, and care data needs a
    // recorded basis or consent.
    Actor receiver = ctx.actor();
    receiver.user = to_user.value_or("offer-addressee");
    receiver.organisation = to_org;
    receiver.role = to_role;
    RecordFacts receiver_facts = view.facts;
    receiver_facts.case_members.push_back(receiver.user);
    auto summary = json_array();
    for (const auto &item : items) {
      const std::string data_class = item.choice("data_class", data_classes());
      const std::string text = item.text("text", 2000);
      const std::string field = item.name("data_class");
      if (data_class == HEARTH_DATA_CARE && !c.care_basis) {
        invalid(field, "care data may not be shared: no legal basis or consent for care data is recorded for this case");
      }
      if (!ctx.allowed(HEARTH_ACTION_READ, data_class.c_str(), view.facts)) {
        invalid(field, "you may not share " + data_class + " data of this case");
      }
      std::string why;
      if (!ctx.allowed_for(receiver, HEARTH_ACTION_READ, data_class.c_str(), receiver_facts, &why)) {
        invalid(field, "a " + to_role + " may not receive " + data_class + " data (" + why + ")");
      }
      auto stored = json_object();
      stored->set("data_class", data_class);
      stored->set("text", text);
      summary->add(stored);
    }
    ctx.db().run("INSERT INTO ch_offer (id, case_id, from_user, from_org, to_user, to_org, to_role, reason, summary,"
                 " status, created_ms, deadline_ms, escalated_ms, answered_ms, answered_by, answer_reason)"
                 " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'offered', ?, ?, NULL, NULL, NULL, NULL)",
                 {offer_id, case_id, ctx.actor().user, ctx.actor().organisation, text_or_null(to_user), to_org, to_role,
                  reason, to_json(summary), ctx.now(), deadline});
    append_timeline(ctx, case_id, "handoff-offered", HEARTH_DATA_CASE_PLAN,
                    "Offered to " + (to_user ? *to_user + " of " : std::string()) + to_org + " (" + to_role +
                        "): " + reason,
                    true);
    check_owner_invariant(ctx.db(), case_id);
    ctx.audit(HEARTH_ACTION_UPDATE, view.objects() + ",offer:" + offer_id, c.legal_basis);
  });
  queue_case_changed(ctx, case_id, tenancy_id, "offer");
  auto out = json_object();
  out->set("offer_id", offer_id);
  out->set("case_id", case_id);
  out->set("answer_by_ms", deadline);
  return to_json(out);
}

std::string handoff_accept(OperationContext &ctx, const Args &args) {
  const std::string offer_id = args.id("offer_id");
  const Actor &a = ctx.actor();
  std::string case_id, tenancy_id;
  ctx.transaction([&] {
    auto [offer, view] = offer_for_addressee(ctx, offer_id, HEARTH_ACTION_UPDATE, true);
    case_id = view.row.id;
    tenancy_id = view.row.tenancy_id;
    if (offer.status != "offered") {
      throw Error(HEARTH_ERROR_CONFLICT, "offer_id: the offer is " + offer.status + ", no longer open");
    }
    if (!ctx.config().rules.owner_roles.contains(a.role)) {
      throw Error(HEARTH_ERROR_DENIED, "a " + a.role + " may not own a case (handoff.ini owner_roles)");
    }
    change_owner(ctx, view.row, Person{a.user, a.organisation, a.role}, "handoff");
    ctx.db().run("UPDATE ch_offer SET status = 'accepted', answered_ms = ?, answered_by = ? WHERE id = ?",
                 {ctx.now(), a.user, offer_id});
    append_timeline(ctx, case_id, "handoff-accepted", HEARTH_DATA_CASE_PLAN,
                    "Accepted by " + a.user + " of " + a.organisation + "; the previous owner was " + offer.from_user +
                        " of " + offer.from_org + ".",
                    true);
    check_owner_invariant(ctx.db(), case_id);
    ctx.audit(HEARTH_ACTION_UPDATE, view.objects() + ",offer:" + offer_id, view.row.legal_basis);
  });
  queue_case_changed(ctx, case_id, tenancy_id, "owner");
  auto out = json_object();
  out->set("offer_id", offer_id);
  out->set("case_id", case_id);
  auto owner = json_object();
  owner->set("user", a.user);
  owner->set("organisation", a.organisation);
  owner->set("role", a.role);
  out->set("owner", owner);
  return to_json(out);
}

std::string handoff_decline(OperationContext &ctx, const Args &args) {
  const std::string offer_id = args.id("offer_id");
  if (!args.has("reason")) {
    invalid("reason", "missing: a decline needs a reason");
  }
  const std::string reason = args.text("reason", 2000);
  std::string case_id, tenancy_id;
  ctx.transaction([&] {
    auto [offer, view] = offer_for_addressee(ctx, offer_id, HEARTH_ACTION_UPDATE, true);
    case_id = view.row.id;
    tenancy_id = view.row.tenancy_id;
    if (offer.status != "offered") {
      throw Error(HEARTH_ERROR_CONFLICT, "offer_id: the offer is " + offer.status + ", no longer open");
    }
    ctx.db().run("UPDATE ch_offer SET status = 'declined', answered_ms = ?, answered_by = ?, answer_reason = ?"
                 " WHERE id = ?",
                 {ctx.now(), ctx.actor().user, reason, offer_id});
    append_timeline(ctx, case_id, "handoff-declined", HEARTH_DATA_CASE_PLAN,
                    "Declined by " + ctx.actor().user + " of " + ctx.actor().organisation + ": " + reason, false);
    check_owner_invariant(ctx.db(), case_id);
    ctx.audit(HEARTH_ACTION_UPDATE, view.objects() + ",offer:" + offer_id, view.row.legal_basis);
  });
  queue_case_changed(ctx, case_id, tenancy_id, "offer");
  auto out = json_object();
  out->set("offer_id", offer_id);
  out->set("case_id", case_id);
  out->set("status", "declined");
  return to_json(out);
}

std::string handoff_withdraw(OperationContext &ctx, const Args &args) {
  const std::string offer_id = args.id("offer_id");
  const std::string reason = args.text("reason", 2000);
  std::string case_id;
  ctx.transaction([&] {
    const auto first = load_offer(ctx.db(), offer_id);
    if (!first) {
      throw Error(HEARTH_ERROR_NOT_FOUND, kNoSuchOffer);
    }
    auto row = load_case(ctx.db(), first->case_id, true);
    if (!row) {
      throw Error(HEARTH_ERROR_NOT_FOUND, kNoSuchOffer);
    }
    const auto offer = load_offer(ctx.db(), offer_id);
    CaseView view = view_case(ctx, std::move(*row));
    const std::string objects = view.objects() + ",offer:" + offer_id;
    ctx.require(HEARTH_ACTION_UPDATE, HEARTH_DATA_CASE_PLAN, view.facts, objects, kNoSuchOffer);
    if (!is_owner(ctx.actor(), view.row)) {
      throw Error(HEARTH_ERROR_DENIED, "offer_id: only the case owner may withdraw an offer");
    }
    if (offer->status != "offered") {
      throw Error(HEARTH_ERROR_CONFLICT, "offer_id: the offer is " + offer->status + ", no longer open");
    }
    case_id = view.row.id;
    ctx.db().run("UPDATE ch_offer SET status = 'withdrawn', answered_ms = ?, answered_by = ?, answer_reason = ?"
                 " WHERE id = ?",
                 {ctx.now(), ctx.actor().user, reason, offer_id});
    append_timeline(ctx, case_id, "handoff-withdrawn", HEARTH_DATA_CASE_PLAN, "Offer withdrawn: " + reason, false);
    check_owner_invariant(ctx.db(), case_id);
    ctx.audit(HEARTH_ACTION_UPDATE, objects, view.row.legal_basis);
  });
  auto out = json_object();
  out->set("offer_id", offer_id);
  out->set("case_id", case_id);
  out->set("status", "withdrawn");
  return to_json(out);
}

std::string handoff_inbox(OperationContext &ctx, const Args &) {
  const Actor &a = ctx.actor();
  auto list = json_array();
  ctx.transaction([&] {
    const auto rows = ctx.db().rows("SELECT id FROM ch_offer WHERE status = 'offered' AND to_org = ? AND"
                                    " ((to_user = ?) OR (to_user IS NULL AND to_role = ?)) ORDER BY created_ms, id",
                                    {a.organisation, a.user, a.role});
    std::string objects;
    for (const auto &r : rows) {
      const std::string offer_id = r.text(0);
      const auto offer = load_offer(ctx.db(), offer_id);
      const auto row = offer ? load_case(ctx.db(), offer->case_id, false) : std::nullopt;
      if (!offer || !row || !is_addressee(a, *offer)) {
        continue;
      }
      CaseView view = view_case(ctx, *row);
      view.facts.case_members.push_back(a.user);
      if (!ctx.allowed(HEARTH_ACTION_READ, HEARTH_DATA_CASE_PLAN, view.facts)) {
        continue;
      }
      auto o = json_object();
      o->set("offer_id", offer->id);
      o->set("case_id", offer->case_id);
      o->set("tenancy_id", view.row.tenancy_id);
      o->set("level", view.row.level);
      o->set("state", view.row.state);
      auto from = json_object();
      from->set("user", offer->from_user);
      from->set("organisation", offer->from_org);
      o->set("from", from);
      o->set("reason", offer->reason);
      o->set("summary", visible_summary(ctx, *offer, view.facts));
      o->set("offered_ms", offer->created_ms);
      o->set("answer_by_ms", offer->deadline_ms);
      o->set("escalated", offer->escalated_ms.has_value());
      list->add(o);
      objects += (objects.empty() ? "" : ",") + view.objects() + ",offer:" + offer->id;
    }
    ctx.audit(HEARTH_ACTION_READ, objects.empty() ? "offer:none" : objects, ctx.config().rules.default_purpose);
  });
  auto out = json_object();
  out->set("offers", list);
  return to_json(out);
}

} // namespace

void add_handoff_operations(std::vector<Operation> &out) {
  out.push_back({"handoff.offer", HEARTH_ACTION_UPDATE, handoff_offer});
  out.push_back({"handoff.accept", HEARTH_ACTION_UPDATE, handoff_accept});
  out.push_back({"handoff.decline", HEARTH_ACTION_UPDATE, handoff_decline});
  out.push_back({"handoff.withdraw", HEARTH_ACTION_UPDATE, handoff_withdraw});
  out.push_back({"handoff.inbox", HEARTH_ACTION_READ, handoff_inbox});
}

} // namespace hearth::handoff
