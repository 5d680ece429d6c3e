// The tenant's support network: network.add, network.update, network.list. Each member
// (the buddy for life, family, professionals) has the tenant's consent or not, and sees
// only the parts of the case the tenant chose. People are recorded by relation and, when
// they use Hearth, by pseudonymous user id — never by name.
#include "case_store.hpp"
#include "operations.hpp"

namespace hearth::handoff {
namespace {

const std::string kNoSuchMember = "member_id: no network member with this id";
const std::set<std::string> kKinds{"buddy", "family", "professional"};
const std::set<std::string> kRelations{"neighbour", "relative", "friend", "peer_expert", "partner",
                                       "care",      "housing",  "municipality", "other"};
const std::set<std::string> kConsent{"given", "withdrawn", "not_asked"};
const std::set<std::string> kSections{"plan", "timeline", "network"};

Poco::JSON::Object::Ptr member_json(const Row &r) {
  auto m = json_object();
  m->set("member_id", r.text(0));
  m->set("kind", r.text(1));
  m->set("relation", r.text(2));
  m->set("user", r.is_null(3) ? Poco::Dynamic::Var() : Poco::Dynamic::Var(r.text(3)));
  m->set("organisation", r.is_null(4) ? Poco::Dynamic::Var() : Poco::Dynamic::Var(r.text(4)));
  m->set("role", r.is_null(5) ? Poco::Dynamic::Var() : Poco::Dynamic::Var(r.text(5)));
  m->set("buddy_for_life", r.integer(6) != 0);
  auto consent = json_object();
  consent->set("status", r.text(7));
  consent->set("basis", r.text(8));
  consent->set("on", r.text(9));
  m->set("consent", consent);
  auto visibility = json_array();
  for (const auto &section : parse_string_array(r.text(10))) {
    visibility->add(section);
  }
  m->set("may_see", visibility);
  return m;
}

std::string sections_json(const std::vector<std::string> &sections) {
  auto array = json_array();
  for (const auto &s : std::set<std::string>(sections.begin(), sections.end())) {
    array->add(s);
  }
  return to_json(array);
}

constexpr const char *kMemberColumns = "SELECT id, kind, relation, member_user, member_org, member_role, buddy, consent,"
                                       " consent_basis, consent_on, visibility FROM ch_network";

std::string network_add(OperationContext &ctx, const Args &args) {
  const std::string id = args.id("case_id");
  const std::string kind = args.choice("kind", kKinds);
  const std::string relation = args.choice("relation", kRelations);
  const bool buddy = args.flag("buddy_for_life", kind == "buddy");
  const auto user = args.optional_id("user");
  const auto organisation = args.optional_id("organisation");
  std::optional<std::string> role;
  if (args.has("role")) {
    role = args.choice("role", {HEARTH_ROLE_CARE_PROFESSIONAL, HEARTH_ROLE_HOUSING_CONSULTANT, HEARTH_ROLE_COORDINATOR});
  }
  if (kind == "professional" && (!user || !organisation || !role)) {
    invalid(!user ? "user" : (!organisation ? "organisation" : "role"), "missing: a professional is named by user, "
                                                                        "organisation and role");
  }
  const auto consent = args.object("consent");
  const std::string status = consent->choice("status", kConsent);
  const std::string basis = consent->choice("basis", {"consent", "avg-6-1-e", "avg-9-2-h"});
  const std::string on = consent->day("on");
  const auto visibility = args.strings("may_see", kSections);
  const std::string member_id = OperationContext::new_id("member");
  ctx.transaction([&] {
    const CaseView view = access_case(ctx, id, HEARTH_ACTION_UPDATE, HEARTH_DATA_CASE_PLAN, Section::network, true);
    if (!is_owner(ctx.actor(), view.row) && !is_mandate_holder(ctx, view.row)) {
      throw Error(HEARTH_ERROR_DENIED, "case_id: the case owner records the network with the tenant");
    }
    if (user && ctx.db().scalar("SELECT COUNT(*) FROM ch_network WHERE case_id = ? AND member_user = ?", {id, *user}) > 0) {
      throw Error(HEARTH_ERROR_CONFLICT, "user: already in this case's network");
    }
    ctx.db().run("INSERT INTO ch_network (id, case_id, kind, relation, member_user, member_org, member_role, buddy,"
                 " consent, consent_basis, consent_on, visibility, updated_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                 " ?, ?)",
                 {member_id, id, kind, relation, text_or_null(user), text_or_null(organisation), text_or_null(role),
                  static_cast<std::int64_t>(buddy ? 1 : 0), status, basis, on, sections_json(visibility), ctx.now()});
    append_timeline(ctx, id, "network-changed", HEARTH_DATA_CASE_PLAN,
                    "Network: a " + relation + " (" + kind + (buddy ? ", buddy for life" : "") +
                        ") was added; consent " + status + ".",
                    true);
    ctx.audit(HEARTH_ACTION_UPDATE, view.objects() + ",network:" + member_id, basis);
  });
  auto out = json_object();
  out->set("member_id", member_id);
  out->set("case_id", id);
  return to_json(out);
}

std::string network_update(OperationContext &ctx, const Args &args) {
  const std::string member_id = args.id("member_id");
  std::optional<std::string> status;
  if (args.has("consent")) {
    status = args.choice("consent", kConsent);
  }
  const bool new_visibility = args.has("may_see");
  const auto visibility = args.strings("may_see", kSections);
  if (!status && !new_visibility) {
    invalid("consent", "missing: give consent and/or may_see");
  }
  std::string case_id;
  ctx.transaction([&] {
    const auto first = ctx.db().row("SELECT case_id FROM ch_network WHERE id = ?", {member_id});
    if (!first) {
      throw Error(HEARTH_ERROR_NOT_FOUND, kNoSuchMember);
    }
    case_id = first->text(0);
    auto row = load_case(ctx.db(), case_id, true);
    if (!row) {
      throw Error(HEARTH_ERROR_NOT_FOUND, kNoSuchMember);
    }
    const CaseView view = view_case(ctx, std::move(*row));
    const std::string objects = view.objects() + ",network:" + member_id;
    ctx.require(HEARTH_ACTION_UPDATE, HEARTH_DATA_CASE_PLAN, view.facts, objects, kNoSuchMember);
    if (!is_owner(ctx.actor(), view.row) && !is_mandate_holder(ctx, view.row)) {
      throw Error(HEARTH_ERROR_DENIED, "member_id: the case owner records the network with the tenant");
    }
    if (status) {
      ctx.db().run("UPDATE ch_network SET consent = ?, consent_on = ?, updated_ms = ? WHERE id = ?",
                   {*status, format_day(day_of(ctx.now())), ctx.now(), member_id});
    }
    if (new_visibility) {
      ctx.db().run("UPDATE ch_network SET visibility = ?, updated_ms = ? WHERE id = ?",
                   {sections_json(visibility), ctx.now(), member_id});
    }
    append_timeline(ctx, case_id, "network-changed", HEARTH_DATA_CASE_PLAN,
                    std::string("Network: a member's ") + (status ? "consent is now " + *status : "") +
                        (status && new_visibility ? " and " : "") + (new_visibility ? "visibility changed" : "") + ".",
                    true);
    ctx.audit(HEARTH_ACTION_UPDATE, objects, view.row.legal_basis);
  });
  auto out = json_object();
  out->set("member_id", member_id);
  out->set("case_id", case_id);
  return to_json(out);
}

std::string network_list(OperationContext &ctx, const Args &args) {
  const std::string id = args.id("case_id");
  auto members = json_array();
  ctx.transaction([&] {
    const CaseView view = access_case(ctx, id, HEARTH_ACTION_READ, HEARTH_DATA_CASE_PLAN, Section::network, false);
    for (const auto &r : ctx.db().rows(std::string(kMemberColumns) + " WHERE case_id = ? ORDER BY updated_ms, id", {id})) {
      members->add(member_json(r));
    }
    ctx.audit(HEARTH_ACTION_READ, view.objects() + ",network:" + id, view.row.legal_basis);
  });
  auto out = json_object();
  out->set("case_id", id);
  out->set("members", members);
  return to_json(out);
}

} // namespace

void add_network_operations(std::vector<Operation> &out) {
  out.push_back({"network.add", HEARTH_ACTION_UPDATE, network_add});
  out.push_back({"network.update", HEARTH_ACTION_UPDATE, network_update});
  out.push_back({"network.list", HEARTH_ACTION_READ, network_list});
}

} // namespace hearth::handoff
