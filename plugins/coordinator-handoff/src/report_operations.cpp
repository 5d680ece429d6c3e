// Neighbours' reports: report.mine, report.get (the neighbour), report.update (the
// housing consultant whose portfolio holds the tenancy). Created by record_report() when a
// report arrives as a signal.
#include "case_store.hpp"
#include "operations.hpp"
#include "reports.hpp"

namespace hearth::handoff {
namespace {

const std::string kNoSuchReport = "report_id: no report with this id";
const std::string kPurpose = "nuisance-handling";

constexpr const char *kReportColumns = "SELECT r.id, r.signal_seq, r.tenancy_id, r.reporter_user, r.status,"
                                       " r.received_ms, r.next_update_by_ms, r.closed_ms, s.external_id"
                                       " FROM ch_report r JOIN hearth_signal s ON s.seq = r.signal_seq";

// What the neighbour reads: their report's status only.
Poco::JSON::Object::Ptr neighbour_view(const OperationContext &ctx, const Row &r) {
  const std::string status = r.text(4);
  auto out = json_object();
  out->set("report_id", r.text(0));
  out->set("your_reference", r.text(8));
  out->set("status", status);
  out->set("message", ctx.config().rules.report_messages.at(status));
  out->set("received_on", format_day(day_of(r.integer(5))));
  if (status == "closed") {
    out->set("next_update_by", Poco::Dynamic::Var());
    out->set("closed_on", r.is_null(7) ? Poco::Dynamic::Var() : Poco::Dynamic::Var(format_day(day_of(r.integer(7)))));
  } else {
    out->set("next_update_by", format_day(day_of(r.integer(6))));
    out->set("closed_on", Poco::Dynamic::Var());
  }
  return out;
}

RecordFacts report_facts(const OperationContext &ctx, const Row &r) {
  RecordFacts facts;
  facts.tenancy_id = r.text(2);
  facts.reporter_user = r.text(3);
  if (const auto t = ctx.db().row("SELECT portfolio_owner, tenant_user FROM hearth_tenancy WHERE id = ?", {r.text(2)})) {
    facts.portfolio_owner = t->optional_text(0);
    facts.tenant_user = t->optional_text(1);
  }
  return facts;
}

std::string report_mine(OperationContext &ctx, const Args &) {
  auto list = json_array();
  ctx.transaction([&] {
    std::string objects;
    for (const auto &r : ctx.db().rows(std::string(kReportColumns) + " WHERE r.reporter_user = ? ORDER BY r.received_ms, r.id",
                                       {ctx.actor().user})) {
      if (!ctx.allowed(HEARTH_ACTION_READ, HEARTH_DATA_NUISANCE, report_facts(ctx, r))) {
        continue;
      }
      list->add(neighbour_view(ctx, r));
      objects += (objects.empty() ? "" : ",") + ("report:" + r.text(0));
    }
    ctx.audit(HEARTH_ACTION_READ, objects.empty() ? "report:none" : objects, kPurpose);
  });
  auto out = json_object();
  out->set("reports", list);
  return to_json(out);
}

std::string report_get(OperationContext &ctx, const Args &args) {
  const std::string id = args.id("report_id");
  Poco::JSON::Object::Ptr out;
  ctx.transaction([&] {
    const auto r = ctx.db().row(std::string(kReportColumns) + " WHERE r.id = ?", {id});
    if (!r) {
      throw Error(HEARTH_ERROR_NOT_FOUND, kNoSuchReport);
    }
    ctx.require(HEARTH_ACTION_READ, HEARTH_DATA_NUISANCE, report_facts(ctx, *r), "report:" + id, kNoSuchReport);
    out = neighbour_view(ctx, *r);
    ctx.audit(HEARTH_ACTION_READ, "report:" + id, kPurpose);
  });
  return to_json(out);
}

std::string report_update(OperationContext &ctx, const Args &args) {
  const std::string id = args.id("report_id");
  const std::string status = args.choice("status", {"being_handled", "closed"});
  const auto next = args.optional_day("next_update_by");
  if (next && *parse_day(*next) < day_of(ctx.now())) {
    invalid("next_update_by", *next + " lies in the past");
  }
  if (next && status == "closed") {
    invalid("next_update_by", "a closed report gets no further update");
  }
  Poco::JSON::Object::Ptr out;
  ctx.transaction([&] {
    const auto r = ctx.db().row(std::string(kReportColumns) + " WHERE r.id = ?", {id});
    if (!r) {
      throw Error(HEARTH_ERROR_NOT_FOUND, kNoSuchReport);
    }
    const std::string objects = "report:" + id + ",tenancy:" + r->text(2);
    ctx.require(HEARTH_ACTION_UPDATE, HEARTH_DATA_NUISANCE, report_facts(ctx, *r), objects, kNoSuchReport);
    const std::int64_t next_ms =
        next ? start_of(*parse_day(*next))
             : ctx.config().rules.calendar.add_working_days(ctx.now(), ctx.config().rules.report_update_every_working_days);
    if (status == "closed") {
      ctx.db().run("UPDATE ch_report SET status = 'closed', closed_ms = ?, updated_ms = ? WHERE id = ?",
                   {ctx.now(), ctx.now(), id});
    } else {
      ctx.db().run("UPDATE ch_report SET status = ?, next_update_by_ms = ?, closed_ms = NULL, updated_ms = ?"
                   " WHERE id = ?",
                   {status, next_ms, ctx.now(), id});
    }
    out = neighbour_view(ctx, *ctx.db().row(std::string(kReportColumns) + " WHERE r.id = ?", {id}));
    ctx.audit(HEARTH_ACTION_UPDATE, objects, kPurpose);
  });
  return to_json(out);
}

} // namespace

void record_report(OperationContext &ctx, std::int64_t signal_seq) {
  const auto signal = ctx.db().row("SELECT tenancy_id, reporter_user, type FROM hearth_signal WHERE seq = ?", {signal_seq});
  if (!signal || signal->is_null(1) || signal->text(1).empty() ||
      !ctx.config().rules.report_types.contains(signal->text(2))) {
    return;
  }
  if (ctx.db().scalar("SELECT COUNT(*) FROM ch_report WHERE signal_seq = ?", {signal_seq}) > 0) {
    return;
  }
  const std::string tenancy_id = signal->text(0);
  const auto case_id = open_case_of_tenancy(ctx.db(), tenancy_id);
  const std::int64_t next =
      ctx.config().rules.calendar.add_working_days(ctx.now(), ctx.config().rules.report_update_every_working_days);
  const std::string id = "report-" + std::to_string(signal_seq);
  ctx.db().run("INSERT INTO ch_report (signal_seq, id, tenancy_id, reporter_user, case_id, status, received_ms,"
               " next_update_by_ms, updated_ms, closed_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)",
               {signal_seq, id, tenancy_id, signal->text(1), text_or_null(case_id),
                std::string(case_id ? "being_handled" : "received"), ctx.now(), next, ctx.now()});
  ctx.audit(HEARTH_ACTION_CREATE, "report:" + id + ",tenancy:" + tenancy_id, kPurpose);
}

void add_report_operations(std::vector<Operation> &out) {
  out.push_back({"report.mine", HEARTH_ACTION_READ, report_mine});
  out.push_back({"report.get", HEARTH_ACTION_READ, report_get});
  out.push_back({"report.update", HEARTH_ACTION_UPDATE, report_update});
}

} // namespace hearth::handoff
