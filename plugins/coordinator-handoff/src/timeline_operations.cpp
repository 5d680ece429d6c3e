// One timeline per case across organisations: timeline.get shows each entry only to those
// the policy service lets read the entry's data class for this case; timeline.add_note.
#include "case_store.hpp"
#include "operations.hpp"

namespace hearth::handoff {
namespace {

const std::set<std::string> kClasses{HEARTH_DATA_CONTACT, HEARTH_DATA_HOUSING,  HEARTH_DATA_FINANCE,
                                     HEARTH_DATA_NUISANCE, HEARTH_DATA_CARE, HEARTH_DATA_CASE_PLAN};

std::string timeline_get(OperationContext &ctx, const Args &args) {
  const std::string id = args.id("case_id");
  auto entries = json_array();
  ctx.transaction([&] {
    const CaseView view = access_case(ctx, id, HEARTH_ACTION_READ, HEARTH_DATA_CASE_PLAN, Section::timeline, false);
    std::map<std::string, bool> readable;
    for (const auto &r : ctx.db().rows("SELECT seq, at_ms, kind, data_class, actor_user, actor_org, actor_role, text"
                                       " FROM ch_timeline WHERE case_id = ? ORDER BY seq",
                                       {id})) {
      const std::string data_class = r.text(3);
      auto known = readable.find(data_class);
      if (known == readable.end()) {
        known = readable.emplace(data_class, ctx.allowed(HEARTH_ACTION_READ, data_class.c_str(), view.facts)).first;
      }
      if (!known->second) {
        continue;
      }
      auto e = json_object();
      e->set("at_ms", r.integer(1));
      e->set("kind", r.text(2));
      e->set("data_class", data_class);
      auto by = json_object();
      by->set("user", r.text(4));
      by->set("organisation", r.text(5));
      by->set("role", r.text(6));
      e->set("by", by);
      e->set("text", r.text(7));
      entries->add(e);
    }
    ctx.audit(HEARTH_ACTION_READ, view.objects() + ",timeline:" + id, view.row.legal_basis);
  });
  auto out = json_object();
  out->set("case_id", id);
  out->set("entries", entries);
  return to_json(out);
}

std::string timeline_add_note(OperationContext &ctx, const Args &args) {
  const std::string id = args.id("case_id");
  const std::string data_class = args.choice("data_class", kClasses);
  const std::string text = args.text("text", 4000);
  ctx.transaction([&] {
    const CaseView view = access_case(ctx, id, HEARTH_ACTION_UPDATE, HEARTH_DATA_CASE_PLAN, Section::timeline, true);
    if (data_class != HEARTH_DATA_CASE_PLAN && !ctx.allowed(HEARTH_ACTION_CREATE, data_class.c_str(), view.facts)) {
      throw Error(HEARTH_ERROR_DENIED, "data_class: a " + ctx.actor().role + " may not record " + data_class +
                                           " data on this case");
    }
    append_timeline(ctx, id, "note", data_class, text, true);
    ctx.audit(HEARTH_ACTION_CREATE, view.objects() + ",timeline:" + id, view.row.legal_basis);
  });
  auto out = json_object();
  out->set("case_id", id);
  out->set("at_ms", ctx.now());
  return to_json(out);
}

} // namespace

void add_timeline_operations(std::vector<Operation> &out) {
  out.push_back({"timeline.get", HEARTH_ACTION_READ, timeline_get});
  out.push_back({"timeline.add_note", HEARTH_ACTION_CREATE, timeline_add_note});
}

} // namespace hearth::handoff
