#include "flag_withdrawal.hpp"

#include "escalation.hpp"

namespace hearth::handoff {

void link_flag_to_case(const OperationContext &ctx, const std::string &flag_id, const std::string &case_id,
                       bool opened) {
  if (flag_id.empty()) {
    return; // an event without a flag id cannot be withdrawn by id later
  }
  if (ctx.db().scalar("SELECT COUNT(*) FROM ch_flag_case WHERE flag_id = ? AND case_id = ?", {flag_id, case_id}) > 0) {
    return;
  }
  ctx.db().run("INSERT INTO ch_flag_case (flag_id, case_id, opened, at_ms) VALUES (?, ?, ?, ?)",
               {flag_id, case_id, static_cast<std::int64_t>(opened ? 1 : 0), ctx.now()});
}

bool ladder_stopped(const OperationContext &ctx, const std::string &case_id) {
  return ctx.db().scalar("SELECT COUNT(*) FROM ch_ladder_stop WHERE case_id = ?", {case_id}) > 0;
}

bool resume_ladder(const OperationContext &ctx, const std::string &case_id, const std::string &why) {
  if (!ladder_stopped(ctx, case_id)) {
    return false;
  }
  ctx.db().run("DELETE FROM ch_ladder_stop WHERE case_id = ?", {case_id});
  append_timeline(ctx, case_id, "ladder-resumed", HEARTH_DATA_CASE_PLAN, why + " The escalation ladder runs again.",
                  false);
  return true;
}

WithdrawalCounts on_flag_withdrawn(OperationContext &ctx, const std::string &flag_id, const std::string &status,
                                   const std::string &event_key) {
  WithdrawalCounts counts;
  ctx.transaction([&] {
    counts = WithdrawalCounts{};
    if (!first_time(ctx, event_key)) {
      return;
    }
    const auto links = ctx.db().rows("SELECT case_id, opened FROM ch_flag_case WHERE flag_id = ? ORDER BY case_id",
                                     {flag_id});
    const std::string now_status = status.empty() ? std::string() : " (now " + status + ")";
    for (const auto &link : links) {
      auto row = load_case(ctx.db(), link.text(0), true);
      if (!row || !row->is_open) {
        continue;
      }
      const bool opened_by_flag = link.integer(1) != 0;
      const bool taken_up = row->state != ctx.config().lifecycle.initial;
      if (opened_by_flag && !taken_up) {
        if (!ladder_stopped(ctx, row->id)) {
          ctx.db().run("INSERT INTO ch_ladder_stop (case_id, flag_id, stopped_ms) VALUES (?, ?, ?)",
                       {row->id, flag_id, ctx.now()});
        }
        append_timeline(ctx, row->id, "ladder-stopped", HEARTH_DATA_CASE_PLAN,
                        "The early-warning flag this case was opened from was withdrawn" + now_status +
                            " before a coordinator took the case up. The escalation ladder stops; a person decides "
                            "whether to close the case.",
                        false);
        ++counts.stopped;
      } else {
        append_timeline(ctx, row->id, "flag-withdrawn", HEARTH_DATA_CASE_PLAN,
                        std::string(opened_by_flag ? "The early-warning flag this case was opened from"
                                                   : "An early-warning flag that raised this case") +
                            " was withdrawn" + now_status + ". The case goes on; a person decides whether to close it.",
                        false);
        ++counts.noted;
      }
      ctx.audit(HEARTH_ACTION_UPDATE, "case:" + row->id + ",tenancy:" + row->tenancy_id, row->legal_basis);
    }
  });
  return counts;
}

} // namespace hearth::handoff
