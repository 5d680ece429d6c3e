// metrics.neighbourhood: the pass-the-buck picture per CBS neighbourhood — open cases,
// cases per owner, handoffs per case, days waiting for acceptance, declined offers,
// stalled cases. Counts only: no case, tenancy or person appears in the answer.
#include <algorithm>
#include <map>

#include "case_store.hpp"
#include "operations.hpp"

namespace hearth::handoff {
namespace {

struct Tally {
  int open_cases = 0;
  std::map<std::string, int> per_owner;
  int accepted_handoffs_on_open = 0;
  int declined_offers = 0;
  int pending_offers = 0;
  double waiting_days_sum = 0;
  int waiting_count = 0;
  double waiting_days_max = 0;
  double pending_days_max = 0;
  int stalled = 0;
  std::map<int, int> per_level;
};

double days(std::int64_t ms) { return static_cast<double>(ms) / static_cast<double>(kMillisPerDay); }

double round1(double value) { return static_cast<double>(static_cast<long long>(value * 10.0 + 0.5)) / 10.0; }

std::string metrics_neighbourhood(OperationContext &ctx, const Args &args) {
  const auto only = args.optional_id("neighbourhood_code");
  const Ladder &ladder = ctx.config().ladder;
  std::map<std::string, Tally> tallies;
  ctx.transaction([&] {
    const std::string filter = only ? " WHERE c.neighbourhood_code = ?" : "";
    std::vector<Value> params;
    if (only) {
      params.push_back(*only);
    }
    for (const auto &r : ctx.db().rows("SELECT c.neighbourhood_code, c.owner_user, c.owner_org, c.level, c.state,"
                                       " c.last_activity_ms, c.last_level_change_ms FROM ch_case c" +
                                           filter + (only ? " AND" : " WHERE") + " c.is_open = 1",
                                       params)) {
      Tally &t = tallies[r.text(0)];
      ++t.open_cases;
      ++t.per_owner[r.text(1) + "@" + r.text(2)];
      ++t.per_level[static_cast<int>(r.integer(3))];
      const std::int64_t since = std::max(r.integer(5), r.integer(6));
      if (ladder.stalled_after_working_days > 0 && ladder.stalled_states.contains(r.text(4)) &&
          ctx.config().rules.calendar.working_days_between(since, ctx.now()) >= ladder.stalled_after_working_days) {
        ++t.stalled;
      }
    }
    for (const auto &r : ctx.db().rows("SELECT c.neighbourhood_code, c.is_open, o.status, o.created_ms, o.answered_ms"
                                       " FROM ch_offer o JOIN ch_case c ON c.id = o.case_id" + filter,
                                       params)) {
      Tally &t = tallies[r.text(0)];
      const std::string status = r.text(2);
      if (status == "accepted") {
        const double waited = days(r.integer(4) - r.integer(3));
        t.waiting_days_sum += waited;
        ++t.waiting_count;
        t.waiting_days_max = std::max(t.waiting_days_max, waited);
        if (r.integer(1) == 1) {
          ++t.accepted_handoffs_on_open;
        }
      } else if (status == "declined") {
        ++t.declined_offers;
      } else if (status == "offered") {
        ++t.pending_offers;
        t.pending_days_max = std::max(t.pending_days_max, days(ctx.now() - r.integer(3)));
      }
    }
    ctx.audit(HEARTH_ACTION_SEARCH, "neighbourhood:" + (only ? *only : std::string("all")),
              ctx.config().rules.default_purpose);
  });
  auto list = json_array();
  for (const auto &[code, t] : tallies) {
    auto m = json_object();
    m->set("neighbourhood_code", code);
    m->set("open_cases", t.open_cases);
    auto owners = json_object();
    int most = 0;
    for (const auto &[owner, n] : t.per_owner) {
      most = std::max(most, n);
    }
    owners->set("owners", static_cast<int>(t.per_owner.size()));
    owners->set("max", most);
    owners->set("mean", t.per_owner.empty() ? 0.0 : round1(static_cast<double>(t.open_cases) / static_cast<double>(t.per_owner.size())));
    m->set("cases_per_owner", owners);
    m->set("handoffs_per_open_case",
           t.open_cases == 0 ? 0.0 : round1(static_cast<double>(t.accepted_handoffs_on_open) / t.open_cases));
    auto waiting = json_object();
    waiting->set("accepted_offers", t.waiting_count);
    waiting->set("mean_days", t.waiting_count == 0 ? 0.0 : round1(t.waiting_days_sum / t.waiting_count));
    waiting->set("max_days", round1(t.waiting_days_max));
    waiting->set("pending_offers", t.pending_offers);
    waiting->set("longest_pending_days", round1(t.pending_days_max));
    m->set("days_waiting_for_acceptance", waiting);
    m->set("declined_offers", t.declined_offers);
    m->set("stalled_cases", t.stalled);
    auto levels = json_object();
    for (const auto &level : ladder.levels) {
      const auto found = t.per_level.find(level.number);
      levels->set(std::to_string(level.number), found != t.per_level.end() ? found->second : 0);
    }
    m->set("open_cases_per_level", levels);
    list->add(m);
  }
  auto out = json_object();
  out->set("now_ms", ctx.now());
  out->set("neighbourhoods", list);
  return to_json(out);
}

} // namespace

void add_metrics_operations(std::vector<Operation> &out) {
  out.push_back({"metrics.neighbourhood", HEARTH_ACTION_SEARCH, metrics_neighbourhood});
}

} // namespace hearth::handoff
