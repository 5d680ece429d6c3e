// The coordinator's pages: /dashboard/coordinator (my cases, offers waiting, stalled
// cases, the escalation ladder), /dashboard/coordinator/neighbourhood (counts per CBS
// neighbourhood with the SVG heat grid; per street and entrance against the limits, with
// small counts suppressed; passing the buck per organisation; time-out capacity), the shared case page
// /dashboard/case?id= and POST /dashboard/handoff/offer. Also registers the casework POST
// routes (accept, decline, consult answer) shared with the care professional.
#include <algorithm>
#include <map>

#include <hearth/actor.h>

#include "svg.hpp"
#include "view.hpp"
#include "views/casework_html.hpp"
#include "views/persona_html.hpp"

namespace hearth::dashboards {
namespace {

using namespace persona;

constexpr std::int64_t kDayMs = 86'400'000;

// Offers I made that wait for an answer: the open_offer of my cases.
std::string offers_made_html(const ViewRequest &request, const Poco::JSON::Array::Ptr &cases) {
  std::vector<TableRow> rows;
  for (unsigned i = 0; i < cases->size(); ++i) {
    const auto c = cases->getObject(i);
    const auto offer = object_of(c, "open_offer");
    if (!offer || text_of(object_of(c, "owner"), "user") != request.session.user) continue;
    const std::string to_user = text_of(offer, "to_user");
    rows.push_back({{case_link_html(text_of(c, "case_id")),
                     escape((to_user.empty() ? "" : to_user + " – ") + text_of(offer, "to_organisation") + " (" +
                            text_of(offer, "to_role") + ")"),
                     escape(date_of(request, offer, "offered_ms")), escape(date_of(request, offer, "answer_by_ms"))},
                    "offer-made-row"});
  }
  return table_html(request.t("Door mij aangeboden, wacht op antwoord", "Offered by me, waiting for an answer"),
                    {request.t("Zaak", "Case"), request.t("Aan", "To"), request.t("Aangeboden op", "Offered on"),
                     request.t("Antwoord uiterlijk", "Answer by")},
                    rows, request.t("Geen aanbiedingen die wachten.", "No offers waiting for an answer."), "offers-made");
}

// The stalled cases of case.list; the number of days comes from the same answer (the
// plugin's handoff.ini [cases] stalled_after_calendar_days), so page and plugin agree.
std::string stalled_html(const ViewRequest &request, const Poco::JSON::Object::Ptr &case_answer) {
  const auto cases = array_of(case_answer, "cases");
  auto stalled = Poco::JSON::Array::Ptr(new Poco::JSON::Array);
  for (unsigned i = 0; i < cases->size(); ++i) {
    if (is_stalled(cases->getObject(i))) stalled->add(cases->getObject(i));
  }
  const std::string days = std::to_string(int_of(case_answer, "stalled_after_calendar_days"));
  return "<p data-test=\"stalled-rule\">" +
         escape(request.t("Open zaken zonder voortgang in de laatste ", "Open cases without progress in the last ") + days +
                request.t(" kalenderdagen (buiten nazorg).", " calendar days (outside monitoring).")) +
         "</p>" + cases_table_html(request, stalled, request.t("Vastgelopen zaken", "Stalled cases"));
}

// The ladder: per level its name (as my cases name it), my open cases there, all open cases
// there (metrics), and who holds the mandate for my cases at that level.
std::string ladder_html(const ViewRequest &request, const Poco::JSON::Array::Ptr &cases,
                        const Poco::JSON::Object::Ptr &metrics) {
  struct Level {
    std::string name;
    int mine = 0;
    std::int64_t all = 0;
    std::vector<std::string> holders;
  };
  std::map<std::int64_t, Level> levels;
  const auto neighbourhoods = array_of(metrics, "neighbourhoods");
  for (unsigned i = 0; i < neighbourhoods->size(); ++i) {
    const auto per_level = object_of(neighbourhoods->getObject(i), "open_cases_per_level");
    if (!per_level) continue;
    for (const auto &[key, value] : *per_level) {
      try {
        levels[std::stoll(key)].all += value.isNumeric() ? value.convert<std::int64_t>() : 0;
      } catch (const std::exception &) {
        // not a level number: ignored
      }
    }
  }
  for (unsigned i = 0; i < cases->size(); ++i) {
    const auto c = cases->getObject(i);
    if (!c || !bool_of(c, "is_open")) continue;
    Level &level = levels[int_of(c, "level")];
    level.name = text_of(c, "level_name");
    ++level.mine;
    const auto holder = object_of(c, "mandate_holder");
    if (holder) {
      const std::string who = text_of(holder, "user") + " (" + text_of(holder, "organisation") + ")";
      if (std::find(level.holders.begin(), level.holders.end(), who) == level.holders.end()) level.holders.push_back(who);
    }
  }
  std::vector<TableRow> rows;
  for (const auto &[number, level] : levels) {
    std::string holders;
    for (const auto &h : level.holders) holders += (holders.empty() ? "" : ", ") + h;
    rows.push_back({{escape(std::to_string(number)), escape(level.name.empty() ? "–" : level.name),
                     escape(std::to_string(level.mine)), escape(std::to_string(level.all)),
                     escape(holders.empty() ? "–" : holders)},
                    "ladder-level"});
  }
  return table_html(request.t("Escalatieladder", "Escalation ladder"),
                    {request.t("Niveau", "Level"), request.t("Betekenis", "Meaning"),
                     request.t("Mijn open zaken", "My open cases"), request.t("Alle open zaken", "All open cases"),
                     request.t("Doorzettingsmacht (mijn zaken)", "Mandate holder (my cases)")},
                    rows, request.t("Geen gegevens over de ladder.", "No ladder data."), "ladder");
}

ViewResponse coordinator_page(ViewRequest &request) {
  ViewResponse response;
  response.title = request.t("Coördinatie", "Coordination");
  const Poco::JSON::Object none;
  const CallResult cases = request.backend.call(request.session, kHandoffPlugin, "case.list", none);
  const auto case_list = array_of(answer_of(cases), "cases");
  std::string body = section_html(
      "my-cases", request.t("Mijn zaken", "My cases"),
      cases.ok() ? cases_table_html(request, case_list, request.t("Mijn zaken", "My cases")) : unavailable_html(request, cases));
  const CallResult inbox = request.backend.call(request.session, kHandoffPlugin, "handoff.inbox", none);
  body += section_html("offers", request.t("Aanbiedingen die wachten", "Offers waiting"),
                       (inbox.ok() ? offers_inbox_html(request, array_of(answer_of(inbox), "offers"), "/dashboard/coordinator")
                                   : unavailable_html(request, inbox)) +
                           (cases.ok() ? offers_made_html(request, case_list) : ""));
  body += section_html("stalled", request.t("Vastgelopen zaken", "Stalled cases"),
                       cases.ok() ? stalled_html(request, answer_of(cases)) : unavailable_html(request, cases));
  const CallResult metrics = request.backend.call(request.session, kHandoffPlugin, "metrics.neighbourhood", none);
  body += section_html("ladder", request.t("Escalatieladder", "Escalation ladder"),
                       ladder_html(request, case_list, answer_of(metrics)));
  const CallResult consults = request.backend.call(request.session, kHandoffPlugin, "consult.inbox", none);
  if (consults.ok() && array_of(answer_of(consults), "consults")->size() > 0) {
    body += section_html("consults", request.t("Consultvragen", "Consult requests"),
                         consults_inbox_html(request, array_of(answer_of(consults), "consults"), "/dashboard/coordinator"));
  }
  body += "<p><a href=\"/dashboard/coordinator/neighbourhood\">" +
          escape(request.t("Naar het buurtoverzicht", "To the neighbourhood overview")) + "</a></p>";
  response.body_html = body;
  return response;
}

// The measures of the heat grid, in column order: (metrics path, nl, en).
struct Measure {
  const char *object, *field, *nl, *en;
};
constexpr Measure kMeasures[] = {
    {nullptr, "open_cases", "open zaken", "open cases"},
    {nullptr, "stalled_cases", "vastgelopen", "stalled"},
    {"cases_per_owner", "max", "max. zaken per eigenaar", "max cases per owner"},
    {"days_waiting_for_acceptance", "pending_offers", "open aanbiedingen", "pending offers"},
    {"days_waiting_for_acceptance", "longest_pending_days", "langst wachtend (dagen)", "longest wait (days)"},
    {nullptr, "declined_offers", "afgewezen aanbiedingen", "declined offers"},
    {nullptr, "handoffs_per_open_case", "overdrachten per zaak", "handoffs per case"},
};

std::optional<double> measure_of(const Poco::JSON::Object::Ptr &row, const Measure &m) {
  const auto source = m.object == nullptr ? row : object_of(row, m.object);
  if (!source || !source->has(m.field) || !source->get(m.field).isNumeric()) return std::nullopt;
  return source->get(m.field).convert<double>();
}

std::string availability_html(ViewRequest &request) {
  const std::int64_t now = request.backend.now_ms();
  Poco::JSON::Object args;
  const std::string from = format_date(now, "en");
  const std::string until = format_date(now + 14 * kDayMs, "en");
  args.set("from_date", from);
  args.set("until_date", until);
  const CallResult result = request.backend.call(request.session, kHandoffPlugin, "places.availability", args);
  if (!result.ok()) return unavailable_html(request, result);
  const auto places = array_of(answer_of(result), "places");
  std::vector<TableRow> rows;
  for (unsigned i = 0; i < places->size(); ++i) {
    const auto place = places->getObject(i);
    const auto days = array_of(place, "days");
    std::int64_t fewest = int_of(place, "capacity");
    std::string first_full;
    for (unsigned d = 0; d < days->size(); ++d) {
      const auto day = days->getObject(d);
      const std::int64_t free = int_of(day, "free");
      fewest = std::min(fewest, free);
      if (free == 0 && first_full.empty()) first_full = text_of(day, "date");
    }
    rows.push_back({{escape(text_of(place, "name")), escape(text_of(place, "kind")), escape(text_of(place, "capacity")),
                     escape(std::to_string(fewest)), escape(first_full.empty() ? "–" : first_full)},
                    "place-row"});
  }
  return table_html(request.t("Time-out- en crisisplekken, komende 14 dagen", "Time-out and crisis places, next 14 days"),
                    {request.t("Plek", "Place"), request.t("Soort", "Kind"), request.t("Capaciteit", "Capacity"),
                     request.t("Minst vrij op een dag", "Fewest free on a day"),
                     request.t("Eerste volle dag", "First full day")},
                    rows, request.t("Geen plekken in het register.", "No places in the register."), "places");
}

// A count of the street overview: the number, or the words for a suppressed one.
std::string street_count_text(const ViewRequest &request, const Poco::JSON::Object::Ptr &row, const std::string &key,
                              std::int64_t min_count) {
  if (row->has(key) && row->get(key).isNumeric()) return text_of(row, key);
  // A street with a suppressed entrance or building shows only the sum of the others.
  if (const std::string at_least = key + "_at_least"; row->has(at_least) && row->get(at_least).isNumeric()) {
    return request.t("minstens ", "at least ") + text_of(row, at_least) +
           request.t(" (een portiek of gebouw heeft minder dan ", " (an entrance or building has fewer than ") +
           std::to_string(min_count) + ")";
  }
  return request.t("niet getoond (minder dan ", "not shown (fewer than ") + std::to_string(min_count) + ")";
}

std::string scope_text(const ViewRequest &request, const std::string &scope) {
  if (scope == "street") return request.t("hele straat", "whole street");
  if (scope == "building") return request.t("gebouw (postcode)", "building (postcode)");
  return request.t("portiek", "entrance");
}

// Open cases and recent vulnerable placements per street and entrance against
// placement.ini's limits (metrics.neighbourhood "streets"): an SVG heat grid whose cells
// print their number and mark "at or over the limit" with "!" and a thick border, and the
// same figures as a table that says it in words. Small counts arrive suppressed.
std::string streets_html(const ViewRequest &request, const Poco::JSON::Object::Ptr &metrics) {
  const auto overview = object_of(metrics, "overview");
  const std::int64_t min_count = int_of(overview, "min_count", 3);
  const std::string recent_days = text_of(overview, "recent_days");
  const auto streets = array_of(metrics, "streets");
  svg::HeatGrid grid;
  grid.text.id = "street-grid";
  grid.text.title = request.t("Open zaken en kwetsbare plaatsingen per straat en portiek",
                              "Open cases and vulnerable placements per street and entrance");
  grid.text.description =
      request.t("Per straat, gebouw en portiek: open zaken en kwetsbare plaatsingen in de laatste ",
                "Per street, building and entrance: open cases and vulnerable placements in the last ") +
      recent_days +
      request.t(" dagen. Een cel met ! staat op of boven de grens.", " days. A cell with ! is at or over the limit.") +
      (min_count > 1 ? request.t(" Een streepje: minder dan ", " A dash: fewer than ") + std::to_string(min_count) +
                           request.t(", niet getoond.", ", not shown.")
                     : std::string());
  grid.empty_text = request.t("Geen open zaken of plaatsingen.", "No open cases or placements.");
  grid.columns = {request.t("open zaken", "open cases"), request.t("kwetsbare plaatsingen", "vulnerable placements")};
  std::vector<TableRow> rows;
  for (unsigned i = 0; i < streets->size(); ++i) {
    const auto row = streets->getObject(i);
    if (!row) continue;
    const std::string scope = text_of(row, "scope");
    const std::string street = text_of(row, "street");
    std::string label = street;
    if (scope != "street") label += " " + text_of(row, "postcode") + (scope == "entrance" ? " " + text_of(row, "entrance") : "");
    grid.rows.push_back(label);
    std::vector<std::optional<double>> values, limits;
    for (const char *key : {"open_cases", "recent_vulnerable_placements"}) {
      values.push_back(row->has(key) && row->get(key).isNumeric() ? std::optional<double>(row->get(key).convert<double>())
                                                                  : std::nullopt);
      const std::int64_t limit = int_of(row, std::string(key) + "_limit");
      limits.push_back(limit > 0 ? std::optional<double>(static_cast<double>(limit)) : std::nullopt);
    }
    grid.values.push_back(values);
    grid.cell_limits.push_back(limits);
    const bool over = bool_of(row, "over_limit");
    const auto limit_text = [&](const char *key) {
      const std::int64_t limit = int_of(row, std::string(key) + "_limit");
      return limit > 0 ? std::to_string(limit) : request.t("geen", "none");
    };
    rows.push_back({{escape(street), escape(text_of(row, "neighbourhood_code")),
                     escape(scope == "street" ? "–" : text_of(row, "postcode")),
                     escape(scope == "entrance" ? text_of(row, "entrance") : "–"), escape(scope_text(request, scope)),
                     escape(street_count_text(request, row, "open_cases", min_count)),
                     escape(street_count_text(request, row, "recent_vulnerable_placements", min_count)),
                     escape(limit_text("open_cases") + " / " + limit_text("recent_vulnerable_placements")),
                     over ? "<strong class=\"over-limit\" data-test=\"over-limit\">" +
                                escape(request.t("ja: op of boven de grens", "yes: at or over the limit")) + "</strong>"
                          : escape(request.t("nee", "no"))},
                    over ? "street-row over-limit-row" : "street-row"});
  }
  const std::string explanation =
      "<p data-test=\"street-rules\">" +
      escape(request.t("Grenzen uit de plaatsingsregels (zaken / plaatsingen in de laatste ",
                       "Limits from the placement rules (cases / placements in the last ") +
             recent_days +
             request.t(" dagen). Op of boven de grens staat er in woorden bij.",
                       " days). At or over the limit is said in words.") +
             (min_count > 1
                  ? request.t(" Aantallen van 1 tot ", " Counts from 1 to ") + std::to_string(min_count - 1) +
                        request.t(" worden niet getoond, zodat geen aantal naar een huishouden wijst; zij tellen mee in "
                                  "de straat.",
                                  " are not shown, so that no count points at a household; they count in the street's "
                                  "total.")
                  : std::string())) +
      "</p>";
  return explanation + "<figure data-test=\"street-heat-grid\">" + svg::heat_grid(grid) + "<figcaption>" +
         escape(grid.text.description) + "</figcaption></figure>" +
         table_html(request.t("Per straat en portiek (alleen aantallen)", "Per street and entrance (counts only)"),
                    {request.t("Straat", "Street"), request.t("Buurt", "Neighbourhood"), request.t("Postcode", "Postcode"),
                     request.t("Portiek", "Entrance"), request.t("Niveau", "Scope"), request.t("Open zaken", "Open cases"),
                     request.t("Kwetsbare plaatsingen", "Vulnerable placements"),
                     request.t("Grens (zaken / plaatsingen)", "Limit (cases / placements)"),
                     request.t("Boven de grens?", "Over the limit?")},
                    rows, request.t("Geen open zaken of plaatsingen.", "No open cases or placements."), "streets");
}

// Passing the buck per organisation (metrics.neighbourhood "organisations").
std::string organisations_html(const ViewRequest &request, const Poco::JSON::Object::Ptr &metrics) {
  const std::string waiting_days = text_of(object_of(metrics, "overview"), "offer_waiting_days");
  const auto list = array_of(metrics, "organisations");
  std::vector<TableRow> rows;
  for (unsigned i = 0; i < list->size(); ++i) {
    const auto o = list->getObject(i);
    if (!o) continue;
    rows.push_back({{escape(text_of(o, "organisation")), escape(text_of(o, "offers_made")),
                     escape(text_of(o, "offers_received")), escape(text_of(o, "accepted")), escape(text_of(o, "declined")),
                     escape(text_of(o, "waiting")), escape(text_of(o, "waiting_long")), escape(text_of(o, "passed_on"))},
                    "organisation-row"});
  }
  return table_html(request.t("Doorschuiven per organisatie", "Passing the buck per organisation"),
                    {request.t("Organisatie", "Organisation"), request.t("Aangeboden", "Offered"),
                     request.t("Ontvangen", "Received"), request.t("Geaccepteerd", "Accepted"),
                     request.t("Afgewezen", "Declined"), request.t("Wacht op antwoord", "Waiting for an answer"),
                     request.t("Wacht ", "Waiting ") + waiting_days + request.t(" dagen of langer", " days or longer"),
                     request.t("Na acceptatie weer doorgeschoven", "Passed on again after accepting")},
                    rows, request.t("Nog geen overdrachten.", "No handoffs yet."), "organisations");
}

ViewResponse neighbourhood_page(ViewRequest &request) {
  ViewResponse response;
  response.title = request.t("Buurtoverzicht", "Neighbourhood overview");
  const Poco::JSON::Object none;
  const CallResult metrics = request.backend.call(request.session, kHandoffPlugin, "metrics.neighbourhood", none);
  std::string body;
  if (!metrics.ok()) {
    body = unavailable_html(request, metrics);
  } else {
    const auto list = array_of(answer_of(metrics), "neighbourhoods");
    svg::HeatGrid grid;
    grid.text.id = "neighbourhood-grid";
    grid.text.title = request.t("Open zaken en doorschuiven per buurt", "Open cases and passing the buck per neighbourhood");
    grid.text.description =
        request.t("Per CBS-buurt: open zaken, vastgelopen zaken, zaken per eigenaar, wachtende en afgewezen "
                  "aanbiedingen. De getallen staan in elke cel en in de tabel hieronder.",
                  "Per CBS neighbourhood: open cases, stalled cases, cases per owner, pending and declined offers. "
                  "The numbers are printed in every cell and in the table below.");
    grid.empty_text = request.t("Geen open zaken.", "No open cases.");
    for (const auto &m : kMeasures) grid.columns.push_back(request.t(m.nl, m.en));
    std::vector<TableRow> rows;
    for (unsigned i = 0; i < list->size(); ++i) {
      const auto row = list->getObject(i);
      if (!row) continue;
      grid.rows.push_back(text_of(row, "neighbourhood_code"));
      std::vector<std::optional<double>> values;
      TableRow table_row{{escape(text_of(row, "neighbourhood_code"))}, "neighbourhood-row"};
      for (const auto &m : kMeasures) {
        const auto v = measure_of(row, m);
        values.push_back(v);
        table_row.cells_html.push_back(escape(v ? svg::number(*v) : "–"));
      }
      grid.values.push_back(values);
      rows.push_back(table_row);
    }
    std::vector<std::string> headers{request.t("Buurt", "Neighbourhood")};
    for (const auto &m : kMeasures) headers.push_back(request.t(m.nl, m.en));
    body = "<figure data-test=\"heat-grid\">" + svg::heat_grid(grid) + "<figcaption>" + escape(grid.text.description) +
           "</figcaption></figure>" +
           table_html(request.t("Cijfers per buurt (alleen aantallen)", "Figures per neighbourhood (counts only)"), headers,
                      rows, request.t("Geen gegevens.", "No data."), "neighbourhoods");
  }
  std::string per_street;
  if (metrics.ok()) {
    per_street = section_html("streets", request.t("Per straat en portiek", "Per street and entrance"),
                              streets_html(request, answer_of(metrics))) +
                 section_html("organisations", request.t("Doorschuiven per organisatie", "Passing the buck per organisation"),
                              organisations_html(request, answer_of(metrics)));
  }
  response.body_html = section_html("metrics", request.t("Zaken per buurt", "Cases per neighbourhood"), body) + per_street +
                       section_html("capacity", request.t("Time-outcapaciteit", "Time-out capacity"),
                                    availability_html(request));
  return response;
}

std::string plan_html(const ViewRequest &request, const Poco::JSON::Object::Ptr &plan) {
  std::string out = "<dl class=\"plan\"><dt>" + escape(request.t("Wat heeft u nodig?", "What do you need?")) + "</dt><dd>" +
                    escape(text_of(plan, "what_do_you_need").empty() ? "–" : text_of(plan, "what_do_you_need")) +
                    "</dd><dt>" + escape(request.t("Wat kunt u bieden?", "What can you offer?")) + "</dt><dd>" +
                    escape(text_of(plan, "what_can_you_offer").empty() ? "–" : text_of(plan, "what_can_you_offer")) +
                    "</dd></dl>";
  std::vector<TableRow> rows;
  const auto actions = array_of(plan, "actions");
  for (unsigned i = 0; i < actions->size(); ++i) {
    const auto a = actions->getObject(i);
    rows.push_back({{escape(text_of(a, "description")), escape(text_of(object_of(a, "owner"), "user")),
                     escape(text_of(a, "due_date")), escape(text_of(a, "status")),
                     escape(bool_of(a, "binding") ? request.t("ja", "yes") : request.t("nee", "no"))},
                    "action-row"});
  }
  return out + table_html(request.t("Afspraken", "Agreed actions"),
                          {request.t("Afspraak", "Action"), request.t("Wie", "Who"), request.t("Uiterlijk", "Due"),
                           request.t("Status", "Status"), request.t("Bindend", "Binding")},
                          rows, request.t("Nog geen afspraken.", "No actions yet."), "actions");
}

std::string timeline_html(const ViewRequest &request, const Poco::JSON::Object::Ptr &timeline) {
  std::vector<TableRow> rows;
  const auto entries = array_of(timeline, "entries");
  for (unsigned i = 0; i < entries->size(); ++i) {
    const auto e = entries->getObject(i);
    rows.push_back({{escape(date_of(request, e, "at_ms")), escape(text_of(e, "kind")), escape(text_of(e, "data_class")),
                     escape(text_of(object_of(e, "by"), "user")), escape(text_of(e, "text"))},
                    "timeline-entry"});
  }
  return table_html(request.t("Tijdlijn", "Timeline"),
                    {request.t("Datum", "Date"), request.t("Soort", "Kind"), request.t("Gegevens", "Data class"),
                     request.t("Door", "By"), request.t("Tekst", "Text")},
                    rows, request.t("Geen tijdlijn.", "No timeline."), "timeline");
}

std::string history_html(const ViewRequest &request, const Poco::JSON::Object::Ptr &history) {
  std::vector<TableRow> rows;
  const auto owners = array_of(history, "owners");
  for (unsigned i = 0; i < owners->size(); ++i) {
    const auto o = owners->getObject(i);
    rows.push_back({{escape(text_of(o, "user") + " (" + text_of(o, "organisation") + ")"),
                     escape(date_of(request, o, "from_ms")),
                     escape(date_of(request, o, "until_ms").empty() ? request.t("nu", "now") : date_of(request, o, "until_ms")),
                     escape(text_of(o, "how"))},
                    "owner-row"});
  }
  return table_html(request.t("Eigenaren door de tijd", "Owners over time"),
                    {request.t("Eigenaar", "Owner"), request.t("Vanaf", "From"), request.t("Tot", "Until"),
                     request.t("Hoe", "How")},
                    rows, request.t("Geen geschiedenis.", "No history."), "owners");
}

std::string network_html(const ViewRequest &request, const Poco::JSON::Object::Ptr &network) {
  std::vector<TableRow> rows;
  const auto members = array_of(network, "members");
  for (unsigned i = 0; i < members->size(); ++i) {
    const auto m = members->getObject(i);
    rows.push_back({{escape(text_of(m, "relation")), escape(text_of(m, "kind")),
                     escape(text_of(m, "user").empty() ? "–" : text_of(m, "user")),
                     escape(text_of(m, "organisation").empty() ? "–" : text_of(m, "organisation")),
                     escape(text_of(object_of(m, "consent"), "status"))},
                    "network-member"});
  }
  return table_html(request.t("Netwerk", "Network"),
                    {request.t("Relatie", "Relation"), request.t("Soort", "Kind"), request.t("Gebruiker", "User"),
                     request.t("Organisatie", "Organisation"), request.t("Toestemming", "Consent")},
                    rows, request.t("Niemand in het netwerk.", "Nobody in the network."), "network");
}

std::string offer_form_html(const ViewRequest &request, const std::string &case_id) {
  const std::vector<std::pair<std::string, std::string>> roles{
      {HEARTH_ROLE_COORDINATOR, request.t("coördinator", "coordinator")},
      {HEARTH_ROLE_CARE_PROFESSIONAL, request.t("zorgprofessional", "care professional")},
      {HEARTH_ROLE_HOUSING_CONSULTANT, request.t("woonconsulent", "housing consultant")}};
  const std::vector<std::pair<std::string, std::string>> classes{
      {"", request.t("(geen samenvatting)", "(no summary)")},
      {"contact", request.t("contact", "contact")},
      {"housing", request.t("wonen", "housing")},
      {"nuisance", request.t("overlast", "nuisance")},
      {"case_plan", request.t("plan", "plan")},
      {"care", request.t("zorg", "care")}};
  return post_form_html(
      request, "/dashboard/handoff/offer",
      hidden_html("case_id", case_id) +
          input_html("offer-org", "to_organisation", request.t("Aan organisatie", "To organisation"), "text", "",
                     "required maxlength=\"100\"") +
          select_html("offer-role", "to_role", request.t("In de rol", "In the role"), roles, HEARTH_ROLE_COORDINATOR) +
          input_html("offer-user", "to_user", request.t("Aan persoon (gebruikers-id, optioneel)", "To person (user id, optional)"),
                     "text", "", "maxlength=\"100\"") +
          textarea_html("offer-reason", "reason", request.t("Reden", "Reason"), "", "required maxlength=\"2000\"") +
          select_html("offer-summary-class", "summary_class", request.t("Soort gegevens in de samenvatting", "Data class of the summary"),
                      classes, "") +
          textarea_html("offer-summary", "summary_text", request.t("Samenvatting", "Summary"), "", "maxlength=\"2000\""),
      request.t("Overdracht aanbieden", "Offer handoff"), "offer-form");
}

ViewResponse case_page(ViewRequest &request) {
  const std::string case_id = request.param("id");
  if (case_id.empty()) return ViewResponse::not_found(request);
  Poco::JSON::Object args;
  args.set("case_id", case_id);
  const CallResult got = request.backend.call(request.session, kHandoffPlugin, "case.get", args);
  const auto c = answer_of(got);
  if (!c) {
    if (got.status == HEARTH_ERROR_NOT_FOUND || got.status == HEARTH_ERROR_DENIED) return ViewResponse::not_found(request);
    ViewResponse response;
    response.status = 503;
    response.title = request.t("Zaak", "Case");
    response.body_html = unavailable_html(request, got);
    return response;
  }
  ViewResponse response;
  response.title = request.t("Zaak ", "Case ") + case_id;
  const auto owner = object_of(c, "owner");
  const auto holder = object_of(c, "mandate_holder");
  std::string body = "<dl class=\"case\" data-test=\"case-summary\"><dt>" + escape(request.t("Huurovereenkomst", "Tenancy")) +
                     "</dt><dd>" + escape(text_of(c, "tenancy_id")) + "</dd><dt>" + escape(request.t("Fase", "State")) +
                     "</dt><dd data-test=\"case-state\">" + escape(text_of(c, "state")) + "</dd><dt>" +
                     escape(request.t("Niveau", "Level")) + "</dt><dd>" + escape(level_text(c)) + "</dd><dt>" +
                     escape(request.t("Eigenaar", "Owner")) + "</dt><dd data-test=\"case-owner\">" +
                     escape(text_of(owner, "user") + " (" + text_of(owner, "organisation") + ")") + "</dd>";
  if (holder) {
    body += "<dt>" + escape(request.t("Doorzettingsmacht", "Mandate holder")) + "</dt><dd>" +
            escape(text_of(holder, "user") + " (" + text_of(holder, "organisation") + ")") + "</dd>";
  }
  body += "<dt>" + escape(request.t("Geopend", "Opened")) + "</dt><dd>" + escape(date_of(request, c, "opened_ms")) + "</dd></dl>";
  const auto section = [&](const char *operation, const std::string &id, const std::string &heading, auto render) {
    const CallResult result = request.backend.call(request.session, kHandoffPlugin, operation, args);
    if (result.ok()) body += section_html(id, heading, render(request, answer_of(result)));
  };
  section("plan.get", "plan", request.t("Plan", "Plan"), plan_html);
  section("network.list", "network", request.t("Netwerk", "Network"), network_html);
  section("timeline.get", "timeline", request.t("Tijdlijn", "Timeline"), timeline_html);
  section("case.history", "history", request.t("Geschiedenis", "History"), history_html);
  const auto open_offer = object_of(c, "open_offer");
  if (bool_of(c, "is_open") && text_of(owner, "user") == request.session.user && !open_offer) {
    body += section_html("offer", request.t("Overdracht aanbieden", "Offer a handoff"), offer_form_html(request, case_id));
  } else if (open_offer) {
    body += "<p data-test=\"open-offer\">" +
            escape(request.t("Er staat een aanbod open aan ", "An offer is open to ") + text_of(open_offer, "to_organisation") +
                   " (" + text_of(open_offer, "to_role") + ")") +
            "</p>";
  }
  response.body_html = body;
  return response;
}

ViewResponse offer_post(ViewRequest &request) {
  const std::string case_id = request.param("case_id");
  if (case_id.empty()) return ViewResponse::bad_request(request, escape(request.t("case_id: ontbreekt", "case_id: missing")));
  Poco::JSON::Object args;
  args.set("case_id", case_id);
  args.set("to_organisation", request.param("to_organisation"));
  args.set("to_role", request.param("to_role"));
  if (!request.param("to_user").empty()) args.set("to_user", request.param("to_user"));
  args.set("reason", request.param("reason"));
  Poco::JSON::Array summary;
  if (!request.param("summary_class").empty() || !request.param("summary_text").empty()) {
    Poco::JSON::Object item;
    item.set("data_class", request.param("summary_class"));
    item.set("text", request.param("summary_text"));
    summary.add(item);
  }
  args.set("summary", summary);
  const CallResult result = request.backend.call(request.session, kHandoffPlugin, "handoff.offer", args);
  if (!result.ok()) return failed_post(request, result);
  return ViewResponse::redirect_to("/dashboard/case?id=" + url_encode(case_id));
}

} // namespace

void register_coordinator_views(ViewRegistry &registry) {
  registry.add({"GET", "/dashboard/coordinator", {HEARTH_ROLE_COORDINATOR}, coordinator_page, "Coördinatie", "Coordination"});
  registry.add({"GET", "/dashboard/coordinator/neighbourhood", {HEARTH_ROLE_COORDINATOR}, neighbourhood_page,
                "Buurtoverzicht", "Neighbourhood"});
  registry.add({"GET", "/dashboard/case", {HEARTH_ROLE_COORDINATOR, HEARTH_ROLE_CARE_PROFESSIONAL, HEARTH_ROLE_HOUSING_CONSULTANT},
                case_page, "", ""});
  registry.add({"POST", "/dashboard/handoff/offer",
                {HEARTH_ROLE_COORDINATOR, HEARTH_ROLE_CARE_PROFESSIONAL, HEARTH_ROLE_HOUSING_CONSULTANT}, offer_post, "", ""});
  persona::register_casework_posts(registry);
}

} // namespace hearth::dashboards
