// Placement advice for allocation: placement.record (a vulnerable placement happened) and
// placement.advice (for a candidate unit: open cases and recent vulnerable placements in
// the same entrance, building and street, against placement.ini's limits, explained in
// plain words). Units, streets and neighbourhoods come from the core tables.
#include "case_store.hpp"
#include "operations.hpp"

namespace hearth::handoff {
namespace {

const std::string kNoSuchUnit = "unit_id: no unit with this id";

struct Unit {
  std::string id, street, house_number, postcode, entrance, neighbourhood;
};

std::optional<Unit> load_unit(const Database &db, const std::string &id) {
  const auto r = db.row("SELECT id, street, house_number, postcode, entrance, neighbourhood_code FROM hearth_unit"
                        " WHERE id = ?",
                        {id});
  if (!r) {
    return std::nullopt;
  }
  return Unit{r->text(0), r->text(1), r->text(2), r->text(3), r->text(4), r->text(5)};
}

// One scope: a WHERE condition on hearth_unit u, its parameters, and words for people.
struct Scope {
  std::string name;
  bool applies = true;
  std::string condition;
  std::vector<Value> params;
  std::string words;
  PlacementLimits::Scope limits;
};

std::vector<Scope> scopes_of(const Unit &u, const PlacementLimits &limits) {
  std::vector<Scope> scopes;
  const bool has_postcode = !u.postcode.empty();
  const std::string building_condition = has_postcode ? "u.street = ? AND u.postcode = ?" : "u.street = ? AND u.house_number = ?";
  const std::vector<Value> building_params{u.street, has_postcode ? u.postcode : u.house_number};
  const std::string building_words = u.street + (has_postcode ? " (" + u.postcode + ")" : " " + u.house_number);
  Scope entrance{"entrance", !u.entrance.empty(), building_condition + " AND u.entrance = ?", building_params,
                 "entrance " + u.entrance + " of " + building_words, limits.entrance};
  entrance.params.push_back(u.entrance);
  scopes.push_back(entrance);
  scopes.push_back(Scope{"building", true, building_condition, building_params, "the building " + building_words,
                         limits.building});
  scopes.push_back(Scope{"street", true, "u.street = ? AND u.neighbourhood_code = ?", {u.street, u.neighbourhood},
                         u.street + " in neighbourhood " + u.neighbourhood, limits.street});
  return scopes;
}

std::string count_words(std::int64_t n, const std::string &one, const std::string &many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

std::string placement_record(OperationContext &ctx, const Args &args) {
  const std::string unit_id = args.id("unit_id");
  const std::string tenancy_id = args.id("tenancy_id");
  const std::string placed_on = args.day("placed_on");
  const bool vulnerable = args.flag("vulnerable", true);
  const std::string not_found = "tenancy_id: no tenancy of this unit with this id";
  const std::string placement_id = OperationContext::new_id("placement");
  ctx.transaction([&] {
    const auto t = ctx.db().row("SELECT portfolio_owner, tenant_user FROM hearth_tenancy WHERE id = ? AND unit_id = ?",
                                {tenancy_id, unit_id});
    if (!t) {
      throw Error(HEARTH_ERROR_NOT_FOUND, not_found);
    }
    RecordFacts facts;
    facts.tenancy_id = tenancy_id;
    facts.portfolio_owner = t->optional_text(0);
    facts.tenant_user = t->optional_text(1);
    const std::string objects = "tenancy:" + tenancy_id + ",unit:" + unit_id + ",placement:" + placement_id;
    ctx.require(HEARTH_ACTION_CREATE, HEARTH_DATA_HOUSING, facts, objects, not_found);
    ctx.db().run("INSERT INTO ch_placement (id, unit_id, tenancy_id, placed_on, vulnerable, recorded_by, recorded_ms)"
                 " VALUES (?, ?, ?, ?, ?, ?, ?)",
                 {placement_id, unit_id, tenancy_id, placed_on, static_cast<std::int64_t>(vulnerable ? 1 : 0),
                  ctx.actor().user, ctx.now()});
    ctx.audit(HEARTH_ACTION_CREATE, objects, ctx.config().rules.default_purpose);
  });
  auto out = json_object();
  out->set("placement_id", placement_id);
  return to_json(out);
}

std::string placement_advice(OperationContext &ctx, const Args &args) {
  const std::string unit_id = args.id("unit_id");
  const auto case_id = args.optional_id("case_id");
  const PlacementLimits &limits = ctx.config().placement;
  auto out = json_object();
  ctx.transaction([&] {
    const auto unit = load_unit(ctx.db(), unit_id);
    if (!unit) {
      throw Error(HEARTH_ERROR_NOT_FOUND, kNoSuchUnit);
    }
    std::string objects = "unit:" + unit_id;
    if (case_id) {
      // Advice for the household of a case (the coordinator's question).
      const CaseView view = access_case(ctx, *case_id, HEARTH_ACTION_READ, HEARTH_DATA_CASE_PLAN, Section::plan, false);
      objects += "," + view.objects();
    } else {
      // Advice for the consultant whose portfolio holds the unit (its latest tenancy).
      const auto t = ctx.db().row("SELECT id, portfolio_owner, tenant_user FROM hearth_tenancy WHERE unit_id = ?"
                                  " ORDER BY start_date DESC, id DESC",
                                  {unit_id});
      RecordFacts facts;
      if (t) {
        facts.tenancy_id = t->text(0);
        facts.portfolio_owner = t->optional_text(1);
        facts.tenant_user = t->optional_text(2);
      }
      ctx.require(HEARTH_ACTION_SEARCH, HEARTH_DATA_HOUSING, facts, objects, kNoSuchUnit);
    }
    const std::string since = format_day(day_of(ctx.now()) - std::chrono::days{limits.recent_days});
    auto scopes = json_array();
    std::string explanation;
    bool over_any = false;
    for (const auto &scope : scopes_of(*unit, limits)) {
      auto s = json_object();
      s->set("scope", scope.name);
      if (!scope.applies) {
        s->set("applies", false);
        scopes->add(s);
        continue;
      }
      const std::int64_t open_cases = ctx.db().scalar(
          "SELECT COUNT(*) FROM ch_case c JOIN hearth_unit u ON u.id = c.unit_id WHERE c.is_open = 1 AND " +
              scope.condition,
          scope.params);
      std::vector<Value> placement_params{since};
      placement_params.insert(placement_params.end(), scope.params.begin(), scope.params.end());
      const std::int64_t placements = ctx.db().scalar(
          "SELECT COUNT(*) FROM ch_placement p JOIN hearth_unit u ON u.id = p.unit_id WHERE p.vulnerable = 1"
          " AND p.placed_on >= ? AND " + scope.condition,
          placement_params);
      const bool cases_over = scope.limits.open_cases > 0 && open_cases >= scope.limits.open_cases;
      const bool placements_over = scope.limits.recent_placements > 0 && placements >= scope.limits.recent_placements;
      over_any |= cases_over || placements_over;
      s->set("applies", true);
      s->set("open_cases", open_cases);
      s->set("open_cases_limit", scope.limits.open_cases);
      s->set("recent_vulnerable_placements", placements);
      s->set("recent_vulnerable_placements_limit", scope.limits.recent_placements);
      s->set("at_or_over_limit", cases_over || placements_over);
      scopes->add(s);
      std::string sentence = "In " + scope.words + " there " + (open_cases == 1 ? "is " : "are ") +
                             count_words(open_cases, "open case", "open cases") + " and " +
                             count_words(placements, "vulnerable placement", "vulnerable placements") + " in the last " +
                             std::to_string(limits.recent_days) + " days";
      if (cases_over || placements_over) {
        sentence += "; that is at or over the limit of " +
                    (cases_over ? count_words(scope.limits.open_cases, "open case", "open cases") : std::string()) +
                    (cases_over && placements_over ? " and " : "") +
                    (placements_over ? count_words(scope.limits.recent_placements, "placement", "placements")
                                     : std::string());
      }
      explanation += sentence + ". ";
    }
    explanation += over_any ? "Another vulnerable household here would concentrate the heaviest cases in one place: "
                              "look for a unit elsewhere, or agree extra support with the neighbourhood first."
                            : "This unit is within every limit.";
    out->set("unit_id", unit_id);
    out->set("advice", over_any ? "not_advised" : "fits");
    out->set("scopes", scopes);
    out->set("explanation", explanation);
    ctx.audit(HEARTH_ACTION_SEARCH, objects, ctx.config().rules.default_purpose);
  });
  return to_json(out);
}

} // namespace

void add_placement_operations(std::vector<Operation> &out) {
  out.push_back({"placement.record", HEARTH_ACTION_CREATE, placement_record});
  out.push_back({"placement.advice", HEARTH_ACTION_SEARCH, placement_advice});
}

} // namespace hearth::handoff
