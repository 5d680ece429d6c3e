// metrics.neighbourhood: the pass-the-buck picture per CBS neighbourhood — open cases,
// cases per owner, handoffs per case, days waiting for acceptance, declined offers,
// stalled cases; per street and entrance the open cases and recent vulnerable placements
// against placement.ini's limits (small counts suppressed); and per organisation the
// offers it declined, left waiting or passed on. Counts only: no case, tenancy, person or
// house number appears in the answer.
#include <algorithm>
#include <chrono>
#include <map>
#include <tuple>

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

// One cell of the street overview: an entrance (street, postcode, entrance code), a
// building without entrance codes (street, postcode) or a whole street (street in a
// neighbourhood), as placement.ini's scopes define them.
struct CellKey {
  std::string neighbourhood, street, scope, postcode, entrance;
  auto order() const {
    // A street's total first, then its entrances and buildings by postcode and entrance.
    return std::tie(neighbourhood, street, scope == "street" ? kFirst : kLater, postcode, entrance);
  }
  bool operator<(const CellKey &other) const { return order() < other.order(); }
  static inline const std::string kFirst = "0", kLater = "1";
};

struct CellCounts {
  int open_cases = 0;
  int placements = 0;
};

// Adds one unit's case or placement to its entrance (or building) cell and its street.
void count_in_cells(std::map<CellKey, CellCounts> &cells, const Row &r, int CellCounts::*what) {
  const std::string neighbourhood = r.text(0), street = r.text(1), postcode = r.text(2), entrance = r.text(3);
  ++(cells[CellKey{neighbourhood, street, "street", "", ""}].*what);
  ++(cells[CellKey{neighbourhood, street, entrance.empty() ? "building" : "entrance", postcode, entrance}].*what);
}

// One count of a cell: the number, or null when it is suppressed (1 .. min_count - 1).
Poco::Dynamic::Var shown_count(int count, int min_count, bool &suppressed) {
  if (count > 0 && count < min_count) {
    suppressed = true;
    return Poco::Dynamic::Var();
  }
  return count;
}

bool is_small(int count, int min_count) { return count > 0 && count < min_count; }

// What a street row may show of one measure. A street's count is the sum of its entrance
// and building cells; were it shown while one of them is suppressed, the suppressed one
// would follow by subtraction (and two suppressed cells of a known small sum, each at
// least 1, could follow too). So a street with a suppressed cell shows no count, only the
// sum of its cells that are shown, as `<measure>_at_least`. [secondary suppression]
struct StreetMeasure {
  int shown_sum = 0;      // the sum of this street's cells that are shown
  bool hidden_cell = false; // one of them is suppressed
};

struct StreetMeasures {
  StreetMeasure open_cases, placements;
};

std::map<std::pair<std::string, std::string>, StreetMeasures> street_measures(const std::map<CellKey, CellCounts> &cells,
                                                                             int min_count) {
  std::map<std::pair<std::string, std::string>, StreetMeasures> out;
  for (const auto &[key, counts] : cells) {
    if (key.scope == "street") {
      continue;
    }
    StreetMeasures &street = out[{key.neighbourhood, key.street}];
    for (auto [measure, count] : {std::pair{&street.open_cases, counts.open_cases}, std::pair{&street.placements, counts.placements}}) {
      if (is_small(count, min_count)) {
        measure->hidden_cell = true;
      } else {
        measure->shown_sum += count;
      }
    }
  }
  return out;
}

Poco::JSON::Array::Ptr streets_json(const std::map<CellKey, CellCounts> &cells, const PlacementLimits &limits) {
  const auto per_street = street_measures(cells, limits.min_count);
  auto streets = json_array();
  for (const auto &[key, counts] : cells) {
    const PlacementLimits::Scope &limit =
        key.scope == "street" ? limits.street : key.scope == "building" ? limits.building : limits.entrance;
    auto row = json_object();
    row->set("neighbourhood_code", key.neighbourhood);
    row->set("street", key.street);
    row->set("postcode", key.postcode);
    row->set("entrance", key.entrance);
    row->set("scope", key.scope);
    bool cases_suppressed = false;
    bool placements_suppressed = false;
    bool by_cells = false; // suppressed because one of the street's cells is
    // The figure a limit is compared with: the count, or for a street with a suppressed
    // cell the sum of its shown cells (a suppressed count never sets the mark).
    int cases_known = counts.open_cases;
    int placements_known = counts.placements;
    const auto street = key.scope == "street" ? per_street.find({key.neighbourhood, key.street}) : per_street.end();
    const auto show = [&](const char *name, int count, const StreetMeasure *measure, bool &suppressed, int &known) {
      if (measure != nullptr && measure->hidden_cell && !is_small(count, limits.min_count)) {
        suppressed = true;
        by_cells = true;
        known = measure->shown_sum;
        row->set(name, Poco::Dynamic::Var());
        row->set(std::string(name) + "_at_least", measure->shown_sum);
        return;
      }
      row->set(name, shown_count(count, limits.min_count, suppressed));
      if (suppressed) {
        known = 0;
      }
    };
    show("open_cases", counts.open_cases, street != per_street.end() ? &street->second.open_cases : nullptr,
         cases_suppressed, cases_known);
    show("recent_vulnerable_placements", counts.placements,
         street != per_street.end() ? &street->second.placements : nullptr, placements_suppressed, placements_known);
    const bool suppressed = cases_suppressed || placements_suppressed;
    row->set("open_cases_limit", limit.open_cases);
    row->set("recent_vulnerable_placements_limit", limit.recent_placements);
    // At or over a limit, as in placement.advice, judged on what is shown.
    const bool cases_over = limit.open_cases > 0 && cases_known >= limit.open_cases;
    const bool placements_over = limit.recent_placements > 0 && placements_known >= limit.recent_placements;
    row->set("over_limit", cases_over || placements_over);
    row->set("suppressed", suppressed);
    if (suppressed) {
      row->set("suppressed_reason",
               by_cells ? "a count of an entrance or building in this street is below " + std::to_string(limits.min_count) +
                              ", so the street shows only the sum of the counts that are shown (placement.ini [overview] min_count)"
                        : "a count below " + std::to_string(limits.min_count) +
                              " is not shown (placement.ini [overview] min_count)");
    }
    streets->add(row);
  }
  return streets;
}

// Per organisation: offers it made, received, accepted, declined, left waiting (and how
// many of those for offer_waiting_days or longer), and cases it accepted and then offered
// on again (passed on).
struct OrganisationTally {
  int made = 0, received = 0, accepted = 0, declined = 0, withdrawn = 0, waiting = 0, waiting_long = 0, passed_on = 0;
};

struct OfferRow {
  std::string case_id, from_org, to_org, status;
  std::int64_t created_ms = 0;
};

std::map<std::string, OrganisationTally> organisation_tallies(const std::vector<OfferRow> &offers, std::int64_t now_ms,
                                                              int waiting_days) {
  std::map<std::string, OrganisationTally> out;
  std::map<std::string, std::vector<const OfferRow *>> per_case;
  for (const auto &o : offers) {
    ++out[o.from_org].made;
    OrganisationTally &to = out[o.to_org];
    ++to.received;
    if (o.status == "accepted") {
      ++to.accepted;
    } else if (o.status == "declined") {
      ++to.declined;
    } else if (o.status == "withdrawn") {
      ++to.withdrawn;
    } else if (o.status == "offered") {
      ++to.waiting;
      if (now_ms - o.created_ms >= static_cast<std::int64_t>(waiting_days) * kMillisPerDay) {
        ++to.waiting_long;
      }
    }
    per_case[o.case_id].push_back(&o);
  }
  for (auto &[case_id, list] : per_case) {
    std::sort(list.begin(), list.end(), [](const OfferRow *a, const OfferRow *b) { return a->created_ms < b->created_ms; });
    for (std::size_t i = 0; i < list.size(); ++i) {
      if (list[i]->status != "accepted") {
        continue;
      }
      for (std::size_t j = i + 1; j < list.size(); ++j) {
        if (list[j]->from_org == list[i]->to_org) {
          ++out[list[i]->to_org].passed_on;
          break;
        }
      }
    }
  }
  return out;
}

Poco::JSON::Array::Ptr organisations_json(const std::map<std::string, OrganisationTally> &tallies) {
  auto list = json_array();
  for (const auto &[organisation, t] : tallies) {
    auto o = json_object();
    o->set("organisation", organisation);
    o->set("offers_made", t.made);
    o->set("offers_received", t.received);
    o->set("accepted", t.accepted);
    o->set("declined", t.declined);
    o->set("withdrawn", t.withdrawn);
    o->set("waiting", t.waiting);
    o->set("waiting_long", t.waiting_long);
    o->set("passed_on", t.passed_on);
    list->add(o);
  }
  return list;
}

Poco::JSON::Object::Ptr overview_json(const PlacementLimits &limits) {
  auto overview = json_object();
  overview->set("min_count", limits.min_count);
  overview->set("recent_days", limits.recent_days);
  overview->set("offer_waiting_days", limits.offer_waiting_days);
  auto all = json_object();
  for (const auto &[name, scope] : {std::pair{"entrance", limits.entrance}, std::pair{"building", limits.building},
                                    std::pair{"street", limits.street}}) {
    auto l = json_object();
    l->set("open_cases", scope.open_cases);
    l->set("recent_vulnerable_placements", scope.recent_placements);
    all->set(name, l);
  }
  overview->set("limits", all);
  return overview;
}

std::string metrics_neighbourhood(OperationContext &ctx, const Args &args) {
  const auto only = args.optional_id("neighbourhood_code");
  const Ladder &ladder = ctx.config().ladder;
  const PlacementLimits &placement = ctx.config().placement;
  std::map<std::string, Tally> tallies;
  std::map<CellKey, CellCounts> cells;
  std::vector<OfferRow> offers;
  ctx.transaction([&] {
    const std::string filter = only ? " WHERE c.neighbourhood_code = ?" : "";
    std::vector<Value> params;
    if (only) {
      params.push_back(*only);
    }
    for (const auto &r : ctx.db().rows("SELECT c.neighbourhood_code, c.owner_user, c.owner_org, c.level, c.state,"
                                       " c.last_activity_ms FROM ch_case c" +
                                           filter + (only ? " AND" : " WHERE") + " c.is_open = 1",
                                       params)) {
      Tally &t = tallies[r.text(0)];
      ++t.open_cases;
      ++t.per_owner[r.text(1) + "@" + r.text(2)];
      ++t.per_level[static_cast<int>(r.integer(3))];
      if (is_stalled(ctx.config(), true, r.text(4), r.integer(5), ctx.now())) {
        ++t.stalled;
      }
    }
    for (const auto &r : ctx.db().rows("SELECT u.neighbourhood_code, u.street, u.postcode, u.entrance FROM ch_case c"
                                       " JOIN hearth_unit u ON u.id = c.unit_id" +
                                           filter + (only ? " AND" : " WHERE") + " c.is_open = 1",
                                       params)) {
      count_in_cells(cells, r, &CellCounts::open_cases);
    }
    std::vector<Value> placement_params{format_day(day_of(ctx.now()) - std::chrono::days{placement.recent_days})};
    if (only) {
      placement_params.push_back(*only);
    }
    for (const auto &r : ctx.db().rows("SELECT u.neighbourhood_code, u.street, u.postcode, u.entrance FROM ch_placement p"
                                       " JOIN hearth_unit u ON u.id = p.unit_id WHERE p.vulnerable = 1 AND p.placed_on >= ?" +
                                           std::string(only ? " AND u.neighbourhood_code = ?" : ""),
                                       placement_params)) {
      count_in_cells(cells, r, &CellCounts::placements);
    }
    for (const auto &r : ctx.db().rows("SELECT c.neighbourhood_code, c.is_open, o.status, o.created_ms, o.answered_ms,"
                                       " o.case_id, o.from_org, o.to_org"
                                       " FROM ch_offer o JOIN ch_case c ON c.id = o.case_id" + filter,
                                       params)) {
      offers.push_back(OfferRow{r.text(5), r.text(6), r.text(7), r.text(2), r.integer(3)});
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
  out->set("stalled_after_calendar_days", ctx.config().rules.stalled_after_calendar_days);
  out->set("neighbourhoods", list);
  out->set("overview", overview_json(placement));
  out->set("streets", streets_json(cells, placement));
  out->set("organisations",
           organisations_json(organisation_tallies(offers, ctx.now(), placement.offer_waiting_days)));
  return to_json(out);
}

} // namespace

void add_metrics_operations(std::vector<Operation> &out) {
  out.push_back({"metrics.neighbourhood", HEARTH_ACTION_SEARCH, metrics_neighbourhood});
}

} // namespace hearth::handoff
