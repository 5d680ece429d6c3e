// The auditor's page /dashboard/auditor: a search form over the NEN 7513 audit log (GET,
// the runtime view "audit.search") with the results as a table, and the tamper check
// (POST /dashboard/auditor/verify, the runtime view "audit.verify") that says whether the
// hash chain is intact or names the first broken entry; and the backtest page
// (auditor_backtest.cpp).
#include <charconv>
#include <chrono>
#include <optional>

#include <hearth/actor.h>

#include "error_texts.hpp"
#include "view.hpp"
#include "views/auditor_backtest.hpp"
#include "views/persona_html.hpp"

namespace hearth::dashboards {
namespace {

using namespace persona;

constexpr std::int64_t kDayMs = 86'400'000;

// "2026-11-28" as Unix ms at 00:00 UTC, or nullopt when it is not a real date.
std::optional<std::int64_t> day_start_ms(const std::string &text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  int y = 0;
  unsigned m = 0, d = 0;
  const auto parse = [&](std::size_t at, std::size_t length, auto &into) {
    const auto r = std::from_chars(text.data() + at, text.data() + at + length, into);
    return r.ec == std::errc() && r.ptr == text.data() + at + length;
  };
  if (!parse(0, 4, y) || !parse(5, 2, m) || !parse(8, 2, d)) return std::nullopt;
  const std::chrono::year_month_day date{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
  if (!date.ok()) return std::nullopt;
  return static_cast<std::int64_t>(std::chrono::sys_days(date).time_since_epoch().count()) * kDayMs;
}

std::string search_form_html(const ViewRequest &request) {
  const std::vector<std::pair<std::string, std::string>> events{
      {"", request.t("(alle)", "(all)")}, {"read", "read"},     {"search", "search"}, {"create", "create"},
      {"update", "update"},               {"delete", "delete"}, {"export", "export"}};
  return "<form method=\"get\" action=\"/dashboard/auditor\" role=\"search\" data-test=\"audit-search-form\">" +
         input_html("audit-user", "user", request.t("Gebruiker", "User"), "text", request.param("user"), "maxlength=\"200\"") +
         input_html("audit-object", "object", request.t("Object (bijv. tenancy:T-1)", "Object (e.g. tenancy:T-1)"), "text",
                    request.param("object"), "maxlength=\"200\"") +
         select_html("audit-event", "event", request.t("Handeling", "Event"), events, request.param("event")) +
         input_html("audit-from", "from", request.t("Vanaf (datum)", "From (date)"), "date", request.param("from")) +
         input_html("audit-to", "to", request.t("Tot en met (datum)", "Up to and including (date)"), "date",
                    request.param("to")) +
         input_html("audit-limit", "limit", request.t("Hoeveel regels (1–1000)", "How many rows (1–1000)"), "number",
                    request.param("limit").empty() ? "100" : request.param("limit"), "min=\"1\" max=\"1000\"") +
         "<button type=\"submit\">" + escape(request.t("Zoeken", "Search")) + "</button></form>";
}

// The search's arguments from the query, or the reason (naming the field) it is refused.
std::optional<std::string> search_args(const ViewRequest &request, Poco::JSON::Object &args) {
  for (const char *field : {"user", "object", "event"}) {
    if (!request.param(field).empty()) args.set(field, request.param(field));
  }
  if (!request.param("from").empty()) {
    const auto from = day_start_ms(request.param("from"));
    if (!from) return request.t("from: geen geldige datum (JJJJ-MM-DD)", "from: not a valid date (YYYY-MM-DD)");
    args.set("from_ms", *from);
  }
  if (!request.param("to").empty()) {
    const auto to = day_start_ms(request.param("to"));
    if (!to) return request.t("to: geen geldige datum (JJJJ-MM-DD)", "to: not a valid date (YYYY-MM-DD)");
    args.set("to_ms", *to + kDayMs - 1);
  }
  const std::string limit_text = request.param("limit").empty() ? "100" : request.param("limit");
  std::int64_t limit = 0;
  const auto parsed = std::from_chars(limit_text.data(), limit_text.data() + limit_text.size(), limit);
  if (parsed.ec != std::errc() || parsed.ptr != limit_text.data() + limit_text.size() || limit < 1 || limit > 1000) {
    return request.t("limit: een getal van 1 tot en met 1000", "limit: a number from 1 to 1000");
  }
  args.set("limit", limit);
  return std::nullopt;
}

std::string results_html(const ViewRequest &request, const Poco::JSON::Object::Ptr &answer) {
  std::vector<TableRow> rows;
  const auto entries = array_of(answer, "entries");
  for (unsigned i = 0; i < entries->size(); ++i) {
    const auto e = entries->getObject(i);
    const std::string behalf = text_of(e, "on_behalf_of");
    rows.push_back({{escape(text_of(e, "sequence")), escape(format_date_time(int_of(e, "at_ms"), request.session.lang)),
                     escape(text_of(e, "user") + (behalf.empty() ? "" : " (" + request.t("namens ", "for ") + behalf + ")")),
                     escape(text_of(e, "role")), escape(text_of(e, "organisation")), escape(text_of(e, "event")),
                     escape(text_of(e, "objects")), escape(text_of(e, "purpose")),
                     "<span data-test=\"audit-outcome\">" + escape(text_of(e, "outcome")) + "</span>" +
                         (bool_of(e, "emergency") ? " <strong>" + escape(request.t("nood", "emergency")) + "</strong>" : "")},
                    "audit-row"});
  }
  return table_html(request.t("Gevonden regels in het auditlog", "Audit log entries found"),
                    {request.t("Nr.", "No."), request.t("Wanneer", "When"), request.t("Wie", "Who"), request.t("Rol", "Role"),
                     request.t("Organisatie", "Organisation"), request.t("Handeling", "Event"),
                     request.t("Objecten", "Objects"), request.t("Doel", "Purpose"), request.t("Uitkomst", "Outcome")},
                    rows, request.t("Geen regels gevonden.", "No entries found."), "audit-results");
}

std::string verify_form_html(const ViewRequest &request) {
  return "<p>" +
         escape(request.t("Controleer of de keten van het auditlog ongeschonden is.",
                          "Check whether the audit log's hash chain is intact.")) +
         "</p>" +
         post_form_html(request, "/dashboard/auditor/verify", "", request.t("Controle uitvoeren", "Run the check"),
                        "verify-form");
}

ViewResponse auditor_page(ViewRequest &request) {
  ViewResponse response;
  response.title = request.t("Auditlog", "Audit log");
  std::string results;
  const bool searched = !request.query.empty();
  if (searched) {
    Poco::JSON::Object args;
    if (const auto problem = search_args(request, args)) {
      response.status = 400;
      results = "<p role=\"alert\" class=\"error\" data-test=\"error\">" + escape(*problem) + "</p>";
    } else {
      const CallResult result = request.backend.read(request.session, "audit.search", args);
      if (result.ok()) {
        results = results_html(request, answer_of(result));
      } else if (result.status == HEARTH_ERROR_INVALID_ARGUMENT) {
        response.status = 400;
        results = "<p role=\"alert\" class=\"error\" data-test=\"error\">" + escape(error_text(result.status, result.body, request.session.lang)) + "</p>";
      } else {
        results = unavailable_html(request, result);
      }
    }
  }
  response.body_html = section_html("search", request.t("Zoeken in het auditlog", "Search the audit log"),
                                    search_form_html(request) + results) +
                       section_html("verify", request.t("Controle op manipulatie", "Tamper check"), verify_form_html(request));
  return response;
}

ViewResponse verify_post(ViewRequest &request) {
  ViewResponse response;
  response.title = request.t("Controle op manipulatie", "Tamper check");
  const CallResult result = request.backend.read(request.session, "audit.verify", Poco::JSON::Object());
  const auto answer = answer_of(result);
  if (!answer) {
    if (result.status == HEARTH_ERROR_DENIED || result.status == HEARTH_ERROR_NOT_FOUND) return ViewResponse::not_found(request);
    response.status = 503;
    response.body_html = unavailable_html(request, result);
    return response;
  }
  const std::string checked = text_of(answer, "entries");
  if (bool_of(answer, "intact")) {
    response.body_html = "<p role=\"status\" class=\"ok\" data-test=\"verify-intact\"><strong>" +
                         escape(request.t("Ongeschonden.", "Intact.")) + "</strong> " +
                         escape(request.t("Gecontroleerde regels: ", "Entries checked: ") + checked) + "</p>";
  } else {
    response.body_html = "<p role=\"alert\" class=\"error\" data-test=\"verify-broken\"><strong>" +
                         escape(request.t("Het auditlog is aangetast.", "The audit log has been tampered with.")) +
                         "</strong> " +
                         escape(request.t("Eerste kapotte regel: nr. ", "First broken entry: no. ") +
                                text_of(answer, "first_bad") + " (" + text_of(answer, "reason") + "). " +
                                request.t("Gecontroleerde regels: ", "Entries checked: ") + checked) +
                         "</p>";
  }
  response.body_html += "<p><a href=\"/dashboard/auditor\">" + escape(request.t("Terug naar het auditlog", "Back to the audit log")) +
                        "</a></p>";
  return response;
}

} // namespace

void register_auditor_views(ViewRegistry &registry) {
  registry.add({"GET", "/dashboard/auditor", {HEARTH_ROLE_AUDITOR}, auditor_page, "Auditlog", "Audit log"});
  registry.add({"POST", "/dashboard/auditor/verify", {HEARTH_ROLE_AUDITOR}, verify_post, "", ""});
  persona::register_backtest_view(registry);
}

} // namespace hearth::dashboards
