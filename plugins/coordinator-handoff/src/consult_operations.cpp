// Expertise on call: consult.directory, consult.request, consult.answer, consult.list,
// consult.inbox. A request has an answer-by date in working days; a missed date escalates
// (escalation.cpp, evaluated by escalation.tick).
#include "case_store.hpp"
#include "operations.hpp"

namespace hearth::handoff {
namespace {

const std::string kNoSuchConsult = "consult_id: no consult with this id";

constexpr const char *kConsultColumns = "SELECT id, case_id, expertise, consultant_user, consultant_org, question,"
                                        " answer, status, requested_by, requested_ms, answer_by_ms, answered_ms,"
                                        " escalated_to FROM ch_consult";

Poco::JSON::Object::Ptr consult_json(const Row &r) {
  auto c = json_object();
  c->set("consult_id", r.text(0));
  c->set("case_id", r.text(1));
  c->set("expertise", r.text(2));
  auto consultant = json_object();
  consultant->set("user", r.text(3));
  consultant->set("organisation", r.text(4));
  c->set("consultant", consultant);
  c->set("question", r.text(5));
  c->set("answer", r.is_null(6) ? Poco::Dynamic::Var() : Poco::Dynamic::Var(r.text(6)));
  c->set("status", r.text(7));
  c->set("requested_by", r.text(8));
  c->set("requested_ms", r.integer(9));
  c->set("answer_by_ms", r.integer(10));
  c->set("answered_ms", r.is_null(11) ? Poco::Dynamic::Var() : Poco::Dynamic::Var(r.integer(11)));
  c->set("escalated_to", r.is_null(12) ? Poco::Dynamic::Var() : Poco::Dynamic::Var(r.text(12)));
  return c;
}

std::string consult_directory(OperationContext &ctx, const Args &) {
  auto list = json_array();
  for (const auto &[key, e] : ctx.config().directory) {
    auto item = json_object();
    item->set("expertise", key);
    item->set("name", e.name);
    item->set("organisation", e.consultant.organisation);
    item->set("answer_within_working_days", e.answer_within_working_days);
    list->add(item);
  }
  auto out = json_object();
  out->set("directory", list);
  return to_json(out);
}

std::string consult_request(OperationContext &ctx, const Args &args) {
  const std::string id = args.id("case_id");
  std::set<std::string> keys;
  for (const auto &[key, e] : ctx.config().directory) {
    keys.insert(key);
  }
  const Expertise &expertise = ctx.config().directory.at(args.choice("expertise", keys));
  const std::string question = args.text("question", 4000);
  const std::int64_t answer_by =
      ctx.config().rules.calendar.add_working_days(ctx.now(), expertise.answer_within_working_days);
  const std::string consult_id = OperationContext::new_id("consult");
  ctx.transaction([&] {
    const CaseView view = access_case(ctx, id, HEARTH_ACTION_UPDATE, HEARTH_DATA_CASE_PLAN, Section::plan, true);
    if (!is_member(ctx, view)) {
      throw Error(HEARTH_ERROR_DENIED, "case_id: a consult is requested by a case member");
    }
    if (!view.row.is_open) {
      throw Error(HEARTH_ERROR_CONFLICT, "case_id: the case is closed");
    }
    ctx.db().run("INSERT INTO ch_consult (id, case_id, expertise, consultant_user, consultant_org, question, answer,"
                 " status, requested_by, requested_ms, answer_by_ms, answered_ms, escalated_to, escalated_ms)"
                 " VALUES (?, ?, ?, ?, ?, ?, NULL, 'open', ?, ?, ?, NULL, NULL, NULL)",
                 {consult_id, id, expertise.key, expertise.consultant.user, expertise.consultant.organisation, question,
                  ctx.actor().user, ctx.now(), answer_by});
    append_timeline(ctx, id, "consult-requested", HEARTH_DATA_CASE_PLAN,
                    "Consult requested from " + expertise.name + ", answer by " + format_day(day_of(answer_by)) + ".",
                    true);
    ctx.audit(HEARTH_ACTION_UPDATE, view.objects() + ",consult:" + consult_id, view.row.legal_basis);
  });
  auto out = json_object();
  out->set("consult_id", consult_id);
  out->set("case_id", id);
  out->set("answer_by_ms", answer_by);
  return to_json(out);
}

std::string consult_answer(OperationContext &ctx, const Args &args) {
  const std::string consult_id = args.id("consult_id");
  const std::string answer = args.text("answer", 4000);
  std::string case_id;
  ctx.transaction([&] {
    const auto first = ctx.db().row("SELECT case_id, consultant_user, consultant_org FROM ch_consult WHERE id = ?",
                                    {consult_id});
    if (!first) {
      throw Error(HEARTH_ERROR_NOT_FOUND, kNoSuchConsult);
    }
    case_id = first->text(0);
    auto row = load_case(ctx.db(), case_id, true);
    if (!row) {
      throw Error(HEARTH_ERROR_NOT_FOUND, kNoSuchConsult);
    }
    CaseView view = view_case(ctx, std::move(*row));
    const std::string objects = view.objects() + ",consult:" + consult_id;
    if (first->text(1) != ctx.actor().user || first->text(2) != ctx.actor().organisation) {
      throw Hidden{HEARTH_ACTION_UPDATE, objects, kNoSuchConsult};
    }
    view.facts.case_members.push_back(ctx.actor().user);
    ctx.require(HEARTH_ACTION_UPDATE, HEARTH_DATA_CASE_PLAN, view.facts, objects, kNoSuchConsult);
    const auto status = ctx.db().row("SELECT status FROM ch_consult WHERE id = ?", {consult_id})->text(0);
    if (status == "answered") {
      throw Error(HEARTH_ERROR_CONFLICT, "consult_id: the consult is already answered");
    }
    ctx.db().run("UPDATE ch_consult SET answer = ?, status = 'answered', answered_ms = ? WHERE id = ?",
                 {answer, ctx.now(), consult_id});
    append_timeline(ctx, case_id, "consult-answered", HEARTH_DATA_CASE_PLAN,
                    "The consult was answered" + std::string(status == "overdue" ? " after its answer-by date." : "."),
                    true);
    ctx.audit(HEARTH_ACTION_UPDATE, objects, view.row.legal_basis);
  });
  auto out = json_object();
  out->set("consult_id", consult_id);
  out->set("case_id", case_id);
  out->set("status", "answered");
  return to_json(out);
}

std::string consult_list(OperationContext &ctx, const Args &args) {
  const std::string id = args.id("case_id");
  auto list = json_array();
  ctx.transaction([&] {
    const CaseView view = access_case(ctx, id, HEARTH_ACTION_READ, HEARTH_DATA_CASE_PLAN, Section::plan, false);
    for (const auto &r : ctx.db().rows(std::string(kConsultColumns) + " WHERE case_id = ? ORDER BY requested_ms, id",
                                       {id})) {
      list->add(consult_json(r));
    }
    ctx.audit(HEARTH_ACTION_READ, view.objects() + ",consults:" + id, view.row.legal_basis);
  });
  auto out = json_object();
  out->set("case_id", id);
  out->set("consults", list);
  return to_json(out);
}

std::string consult_inbox(OperationContext &ctx, const Args &) {
  auto list = json_array();
  ctx.transaction([&] {
    std::string objects;
    for (const auto &r : ctx.db().rows(std::string(kConsultColumns) +
                                           " WHERE consultant_user = ? AND consultant_org = ? AND status <> 'answered'"
                                           " ORDER BY answer_by_ms, id",
                                       {ctx.actor().user, ctx.actor().organisation})) {
      const auto row = load_case(ctx.db(), r.text(1), false);
      if (!row) {
        continue;
      }
      CaseView view = view_case(ctx, *row);
      view.facts.case_members.push_back(ctx.actor().user);
      if (!ctx.allowed(HEARTH_ACTION_READ, HEARTH_DATA_CASE_PLAN, view.facts)) {
        continue;
      }
      list->add(consult_json(r));
      objects += (objects.empty() ? "" : ",") + view.objects() + ",consult:" + r.text(0);
    }
    ctx.audit(HEARTH_ACTION_READ, objects.empty() ? "consult:none" : objects, ctx.config().rules.default_purpose);
  });
  auto out = json_object();
  out->set("consults", list);
  return to_json(out);
}

} // namespace

void add_consult_operations(std::vector<Operation> &out) {
  out.push_back({"consult.directory", HEARTH_ACTION_READ, consult_directory});
  out.push_back({"consult.request", HEARTH_ACTION_UPDATE, consult_request});
  out.push_back({"consult.answer", HEARTH_ACTION_UPDATE, consult_answer});
  out.push_back({"consult.list", HEARTH_ACTION_READ, consult_list});
  out.push_back({"consult.inbox", HEARTH_ACTION_READ, consult_inbox});
}

} // namespace hearth::handoff
