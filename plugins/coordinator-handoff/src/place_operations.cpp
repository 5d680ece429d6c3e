// Time-out homes and crisis places: places.availability, places.reserve, places.occupy,
// places.release. The register (places.ini) is mirrored into ch_place at start-up. A
// reservation takes the place's row lock first, so two reservations can never together
// exceed the capacity on any day — on one instance or several.
#include <map>

#include "case_store.hpp"
#include "operations.hpp"
#include "place_register.hpp"

namespace hearth::handoff {
namespace {

const std::string kNoSuchReservation = "reservation_id: no reservation with this id";

struct Range {
  Day from, until; // [from, until)
};

Range read_range(const OperationContext &ctx, const Args &args, bool future_only) {
  const Day from = *parse_day(args.day("from_date"));
  const Day until = *parse_day(args.day("until_date"));
  if (until <= from) {
    invalid("until_date", "must lie after from_date (the day the place is free again)");
  }
  if ((until - from).count() > ctx.config().place_max_days) {
    invalid("until_date", "longer than " + std::to_string(ctx.config().place_max_days) + " days (places.ini max_days)");
  }
  if (future_only && from < day_of(ctx.now())) {
    invalid("from_date", format_day(from) + " lies in the past");
  }
  return {from, until};
}

// Households in place `place_id` per day of `range` (reserved or occupied).
std::map<Day, int> occupancy(const Database &db, const std::string &place_id, const Range &range) {
  std::map<Day, int> per_day;
  for (Day d = range.from; d < range.until; d += std::chrono::days{1}) {
    per_day[d] = 0;
  }
  for (const auto &r : db.rows("SELECT from_day, until_day FROM ch_reservation WHERE place_id = ?"
                               " AND status IN ('reserved', 'occupied') AND from_day < ? AND until_day > ?",
                               {place_id, format_day(range.until), format_day(range.from)})) {
    const Day from = *parse_day(r.text(0));
    const Day until = *parse_day(r.text(1));
    for (Day d = std::max(from, range.from); d < std::min(until, range.until); d += std::chrono::days{1}) {
      ++per_day[d];
    }
  }
  return per_day;
}

std::string places_availability(OperationContext &ctx, const Args &args) {
  const Range range = read_range(ctx, args, false);
  std::optional<std::string> kind;
  if (args.has("kind")) {
    kind = args.choice("kind", {"time-out", "crisis"});
  }
  auto list = json_array();
  for (const auto &[id, place] : ctx.config().places) {
    if (kind && place.kind != *kind) {
      continue;
    }
    const auto per_day = occupancy(ctx.db(), id, range);
    int free_every_day = place.capacity;
    auto days = json_array();
    for (const auto &[day, used] : per_day) {
      const int free = std::max(0, place.capacity - used);
      free_every_day = std::min(free_every_day, free);
      auto d = json_object();
      d->set("date", format_day(day));
      d->set("free", free);
      days->add(d);
    }
    auto p = json_object();
    p->set("place_id", id);
    p->set("kind", place.kind);
    p->set("name", place.name);
    p->set("organisation", place.organisation);
    p->set("neighbourhood_code", place.neighbourhood_code);
    p->set("capacity", place.capacity);
    p->set("free_every_day", free_every_day);
    p->set("days", days);
    list->add(p);
  }
  auto out = json_object();
  out->set("from_date", format_day(range.from));
  out->set("until_date", format_day(range.until));
  out->set("places", list);
  return to_json(out);
}

std::string places_reserve(OperationContext &ctx, const Args &args) {
  const std::string place_id = args.id("place_id");
  const std::string case_id = args.id("case_id");
  const Range range = read_range(ctx, args, true);
  if (!ctx.config().places.contains(place_id)) {
    throw Error(HEARTH_ERROR_NOT_FOUND, "place_id: no place with this id (places.ini)");
  }
  const Place &place = ctx.config().places.at(place_id);
  const std::string reservation_id = OperationContext::new_id("reservation");
  ctx.transaction([&] {
    const CaseView view = access_case(ctx, case_id, HEARTH_ACTION_UPDATE, HEARTH_DATA_CASE_PLAN, Section::plan, true);
    if (!is_owner(ctx.actor(), view.row) && !is_mandate_holder(ctx, view.row)) {
      throw Error(HEARTH_ERROR_DENIED, "case_id: the case owner reserves a place");
    }
    if (!view.row.is_open) {
      throw Error(HEARTH_ERROR_CONFLICT, "case_id: the case is closed");
    }
    lock_place(ctx.db(), place_id);
    for (const auto &[day, used] : occupancy(ctx.db(), place_id, range)) {
      if (used >= place.capacity) {
        throw Error(HEARTH_ERROR_CONFLICT, "place_id: fully booked on " + format_day(day));
      }
    }
    ctx.db().run("INSERT INTO ch_reservation (id, place_id, case_id, from_day, until_day, status, created_ms,"
                 " created_by, changed_ms) VALUES (?, ?, ?, ?, ?, 'reserved', ?, ?, ?)",
                 {reservation_id, place_id, case_id, format_day(range.from), format_day(range.until), ctx.now(),
                  ctx.actor().user, ctx.now()});
    append_timeline(ctx, case_id, "place-reserved", HEARTH_DATA_CASE_PLAN,
                    place.name + " (" + place.kind + ") reserved from " + format_day(range.from) + " until " +
                        format_day(range.until) + ".",
                    true);
    ctx.audit(HEARTH_ACTION_UPDATE, view.objects() + ",reservation:" + reservation_id, view.row.legal_basis);
  });
  auto out = json_object();
  out->set("reservation_id", reservation_id);
  out->set("place_id", place_id);
  out->set("case_id", case_id);
  out->set("status", "reserved");
  return to_json(out);
}

// Moves a reservation from one of `from` to `to`.
std::string change_reservation(OperationContext &ctx, const Args &args, const std::set<std::string> &from,
                               const std::string &to) {
  const std::string reservation_id = args.id("reservation_id");
  std::string case_id;
  ctx.transaction([&] {
    const auto first = ctx.db().row("SELECT case_id FROM ch_reservation WHERE id = ?", {reservation_id});
    if (!first) {
      throw Error(HEARTH_ERROR_NOT_FOUND, kNoSuchReservation);
    }
    case_id = first->text(0);
    auto row = load_case(ctx.db(), case_id, true);
    if (!row) {
      throw Error(HEARTH_ERROR_NOT_FOUND, kNoSuchReservation);
    }
    const CaseView view = view_case(ctx, std::move(*row));
    const std::string objects = view.objects() + ",reservation:" + reservation_id;
    ctx.require(HEARTH_ACTION_UPDATE, HEARTH_DATA_CASE_PLAN, view.facts, objects, kNoSuchReservation);
    if (!is_owner(ctx.actor(), view.row) && !is_mandate_holder(ctx, view.row)) {
      throw Error(HEARTH_ERROR_DENIED, "reservation_id: the case owner changes the reservation");
    }
    const auto r = ctx.db().row("SELECT status, place_id FROM ch_reservation WHERE id = ?", {reservation_id});
    if (!from.contains(r->text(0))) {
      throw Error(HEARTH_ERROR_CONFLICT, "reservation_id: the reservation is " + r->text(0));
    }
    ctx.db().run("UPDATE ch_reservation SET status = ?, changed_ms = ? WHERE id = ?", {to, ctx.now(), reservation_id});
    append_timeline(ctx, case_id, "place-" + to, HEARTH_DATA_CASE_PLAN, "Place " + r->text(1) + ": " + to + ".", true);
    ctx.audit(HEARTH_ACTION_UPDATE, objects, view.row.legal_basis);
  });
  auto out = json_object();
  out->set("reservation_id", reservation_id);
  out->set("case_id", case_id);
  out->set("status", to);
  return to_json(out);
}

std::string places_occupy(OperationContext &ctx, const Args &args) {
  return change_reservation(ctx, args, {"reserved"}, "occupied");
}

std::string places_release(OperationContext &ctx, const Args &args) {
  return change_reservation(ctx, args, {"reserved", "occupied"}, "released");
}

} // namespace

void add_place_operations(std::vector<Operation> &out) {
  out.push_back({"places.availability", HEARTH_ACTION_SEARCH, places_availability});
  out.push_back({"places.reserve", HEARTH_ACTION_UPDATE, places_reserve});
  out.push_back({"places.occupy", HEARTH_ACTION_UPDATE, places_occupy});
  out.push_back({"places.release", HEARTH_ACTION_UPDATE, places_release});
}

} // namespace hearth::handoff
