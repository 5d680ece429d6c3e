// The housing consultant's views: the flags in my portfolio (by level, then age), a
// flag's explanation and history (its signals, every decision on it, the tenancy's other
// flags), and the decision on it (accept, override, dismiss — always with a reason) and
// its revision. Everything through the early-warning plugin's operations
// (docs/early-warning.md) with the consultant's own actor: its policy check and audit
// apply to every row shown and every decision.
#include <algorithm>
#include <cstdio>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include "error_texts.hpp"
#include "view.hpp"
#include "views/consultant_rows.hpp"

namespace hearth::dashboards {
namespace {

constexpr const char *kEarlyWarning = "nl.hearth.early-warning";
constexpr std::int64_t kDayMs = 86'400'000;

std::string text(const Poco::JSON::Object &object, const char *name) {
  if (!object.has(name) || object.isNull(name)) {
    return {};
  }
  return object.get(name).convert<std::string>();
}

std::int64_t number(const Poco::JSON::Object &object, const char *name) {
  if (!object.has(name) || object.isNull(name)) {
    return 0;
  }
  return object.get(name).convert<std::int64_t>();
}

// Points with one decimal, with a decimal comma in Dutch.
std::string points(const Poco::JSON::Object &object, const char *name, const std::string &lang) {
  if (!object.has(name) || object.isNull(name)) {
    return {};
  }
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", object.get(name).convert<double>());
  std::string out = text;
  if (lang != "en") {
    std::replace(out.begin(), out.end(), '.', ',');
  }
  return out;
}

std::string option(const std::string &value, const std::string &label, const std::string &selected) {
  return "<option value=\"" + escape(value) + "\"" + (value == selected ? " selected" : "") + ">" + escape(label) +
         "</option>";
}

// GET /dashboard/consultant: the flags of my portfolio, highest level first, then oldest.
// `kept` is the plugin instance's KeptListings.
ViewResponse flag_list(ViewRequest &request, KeptListings &kept) {
  const std::string &lang = request.session.lang;
  std::string status = request.param("status");
  if (status.empty()) {
    status = "proposed";
  }
  std::string min_level = request.param("min_level");
  if (min_level.empty()) {
    min_level = "amber";
  }
  Poco::JSON::Object args;
  args.set("status", status);
  args.set("min_level", min_level);
  args.set("limit", 500);
  const CallResult result = request.backend.call(request.session, kEarlyWarning, "flags.portfolio", args);
  ViewResponse response;
  response.title = request.t("Signalen in mijn portefeuille", "Flags in my portfolio");
  std::string &html = response.body_html;
  html += "<form method=\"get\" action=\"/dashboard/consultant\" class=\"filters\" data-test=\"flag-filter\">";
  html += "<label for=\"status\">" + escape(request.t("Status", "Status")) + "</label><select id=\"status\" name=\"status\">";
  for (const char *s : {"proposed", "accepted", "overridden", "dismissed"}) {
    html += option(s, status_label(s, lang), status);
  }
  html += option("any", request.t("alle", "any"), status) + "</select>";
  html += "<label for=\"min_level\">" + escape(request.t("Vanaf niveau", "From level")) +
          "</label><select id=\"min_level\" name=\"min_level\">";
  for (const char *l : {"green", "amber", "red"}) {
    html += option(l, level_label(l, lang), min_level);
  }
  html += "</select> <button type=\"submit\">" + escape(request.t("Toon", "Show")) + "</button></form>\n";
  if (result.status == HEARTH_ERROR_INVALID_ARGUMENT) {
    return ViewResponse::bad_request(request, escape(error_text(result.status, result.body, request.session.lang)));
  }
  if (!result.ok()) {
    html += "<p role=\"alert\" data-test=\"error\">" +
            escape(request.t("De signalen zijn nu niet te lezen.", "The flags cannot be read now.")) + "</p>";
    response.status = result.status == HEARTH_ERROR_DENIED ? 403 : 503;
    return response;
  }
  // The rows and their HTML, kept for this person while flags.portfolio answers exactly
  // the same text (consultant_rows.hpp); the answer itself is fresh on every request.
  const auto listing =
      kept.listing_for(request.session.organisation + '\n' + request.session.user + '\n' + request.session.role,
                       lang, result.body);
  std::vector<std::size_t> shown;
  shown.reserve(listing->rows.size());
  const bool limited = scope_is_limited(request.session);
  for (std::size_t i = 0; i < listing->rows.size(); ++i) {
    if (!limited || in_scope(request.session, listing->rows[i].tenancy_id)) {
      shown.push_back(i);
    }
  }
  if (shown.empty()) {
    html += "<p data-test=\"no-flags\">" +
            escape(request.t("Er zijn geen signalen die aan deze keuze voldoen.", "No flags match this choice.")) +
            "</p>\n";
    return response;
  }
  const std::int64_t now = request.backend.now_ms();
  html += "<table data-test=\"flag-table\"><caption>" +
          escape(request.t("Signalen, hoogste niveau en oudste eerst", "Flags, highest level and oldest first")) +
          "</caption>\n<thead><tr><th scope=\"col\">" + escape(request.t("Niveau", "Level")) + "</th><th scope=\"col\">" +
          escape(request.t("Huurovereenkomst", "Tenancy")) + "</th><th scope=\"col\">" +
          escape(request.t("Score", "Score")) + "</th><th scope=\"col\">" + escape(request.t("Status", "Status")) +
          "</th><th scope=\"col\">" + escape(request.t("Gesignaleerd", "Raised")) + "</th><th scope=\"col\">" +
          escape(request.t("Dagen open", "Days open")) + "</th></tr></thead>\n<tbody>\n";
  std::size_t size = html.size() + 32;
  for (const std::size_t i : shown) {
    size += listing->html[i].size() + 32;
  }
  html.reserve(size);
  for (const std::size_t i : shown) {
    html += listing->html[i];
    html += std::to_string(std::max<std::int64_t>(0, (now - listing->rows[i].evaluated_at_ms) / kDayMs));
    html += "</td></tr>\n";
  }
  html += "</tbody></table>\n";
  return response;
}

// The form that records a decision: the first one (POST /dashboard/consultant/decide) or,
// when `revises` > 0, a revision of decision number `revises` (POST
// /dashboard/consultant/revise). `level` is the flag's own level (not offered for an
// override). Field ids carry a prefix so that both forms could share a page.
std::string decision_form(const ViewRequest &request, const std::string &flag_id, const std::string &level,
                          std::int64_t revises) {
  const std::string &lang = request.session.lang;
  const bool revision = revises > 0;
  const std::string prefix = revision ? "revise-" : "";
  std::string html = "<form method=\"post\" action=\"/dashboard/consultant/" + std::string(revision ? "revise" : "decide") +
                     "\" data-test=\"" + (revision ? "revise-form" : "decision-form") + "\">" +
                     csrf_field(request.session) + "<input type=\"hidden\" name=\"flag_id\" value=\"" +
                     escape(flag_id) + "\">";
  if (revision) {
    html += "<input type=\"hidden\" name=\"revises\" value=\"" + std::to_string(revises) + "\">";
  }
  html += "<fieldset><legend>" +
          escape(revision ? request.t("Nieuw besluit", "New decision") : request.t("Uw besluit", "Your decision")) +
          "</legend>";
  const struct {
    const char *value, *nl, *en;
  } choices[] = {{"accept", "Overnemen", "Accept"},
                 {"override", "Ander niveau kiezen", "Override the level"},
                 {"dismiss", "Afwijzen", "Dismiss"}};
  for (const auto &c : choices) {
    html += "<label><input type=\"radio\" name=\"decision\" value=\"" + std::string(c.value) + "\" required> " +
            escape(request.t(c.nl, c.en)) + "</label>";
  }
  html += "</fieldset><div data-role=\"override-level\"><label for=\"" + prefix + "level\">" +
          escape(request.t("Niveau bij aanpassen", "Level when overriding")) + "</label><select id=\"" + prefix +
          "level\" name=\"level\">";
  for (const char *l : {"green", "amber", "red"}) {
    if (l != level) {
      html += option(l, level_label(l, lang), "");
    }
  }
  html += "</select></div><label for=\"" + prefix + "reason\">" +
          escape(revision ? request.t("Reden van de herziening (verplicht)", "Reason for the revision (required)")
                          : request.t("Reden (verplicht)", "Reason (required)")) +
          "</label><textarea id=\"" + prefix + "reason\" name=\"reason\" rows=\"3\" maxlength=\"2000\" required></textarea>"
          "<p><button type=\"submit\" data-test=\"" + (revision ? "revise" : "decide") + "\">" +
          escape(revision ? request.t("Besluit herzien", "Revise the decision")
                          : request.t("Besluit vastleggen", "Record the decision")) +
          "</button></p></form>\n";
  return html;
}

// Every decision on the flag, oldest first: number, when, who (and their role), the
// decision, the level it set and the reason.
std::string decision_history(const ViewRequest &request, const Poco::JSON::Array::Ptr &decisions) {
  const std::string &lang = request.session.lang;
  if (decisions.isNull() || decisions->size() == 0) {
    return {};
  }
  std::string html = "<table data-test=\"decision-history\"><caption>" +
                     escape(request.t("Besluiten over dit signaal, oudste eerst", "Decisions on this flag, oldest first")) +
                     "</caption><thead><tr><th scope=\"col\">" + escape(request.t("Nr.", "No.")) +
                     "</th><th scope=\"col\">" + escape(request.t("Op", "On")) + "</th><th scope=\"col\">" +
                     escape(request.t("Door", "By")) + "</th><th scope=\"col\">" +
                     escape(request.t("Besluit", "Decision")) + "</th><th scope=\"col\">" +
                     escape(request.t("Niveau", "Level")) + "</th><th scope=\"col\">" +
                     escape(request.t("Reden", "Reason")) + "</th></tr></thead><tbody>\n";
  for (unsigned i = 0; i < decisions->size(); ++i) {
    const auto d = decisions->getObject(i);
    if (d.isNull()) {
      continue;
    }
    const std::string on_behalf_of = text(*d, "on_behalf_of");
    html += "<tr data-test=\"decision-history-row\" data-decision=\"" + escape(text(*d, "number")) +
            "\"><th scope=\"row\">" + escape(text(*d, "number")) + "</th><td>" +
            escape(format_date_time(number(*d, "at_ms"), lang)) + "</td><td>" + escape(text(*d, "by")) + " (" +
            escape(role_label(text(*d, "role"), lang)) + ")" +
            (on_behalf_of.empty() ? "" : " " + escape(request.t("namens", "on behalf of")) + " " + escape(on_behalf_of)) +
            "</td><td data-test=\"decision-history-status\">" + escape(status_label(text(*d, "status"), lang)) +
            "</td><td>" + (text(*d, "level").empty() ? "" : level_html(text(*d, "level"), lang)) +
            "</td><td data-test=\"decision-history-reason\">" + escape(text(*d, "reason")) + "</td></tr>\n";
  }
  html += "</tbody></table>\n";
  return html;
}

// GET /dashboard/consultant/flag?id=…: the explanation, the signals behind it, earlier
// flags of the tenancy and the decision (or the form to make it).
ViewResponse flag_page(ViewRequest &request) {
  const std::string &lang = request.session.lang;
  const std::string id = request.param("id");
  if (id.empty() || id.size() > 128) {
    return ViewResponse::not_found(request);
  }
  Poco::JSON::Object args;
  args.set("flag_id", id);
  args.set("lang", lang);
  const CallResult result = request.backend.call(request.session, kEarlyWarning, "flag.explain", args);
  if (result.status == HEARTH_ERROR_NOT_FOUND || result.status == HEARTH_ERROR_DENIED ||
      result.status == HEARTH_ERROR_INVALID_ARGUMENT) {
    return ViewResponse::not_found(request);
  }
  if (!result.ok()) {
    throw std::runtime_error("flag.explain answered status " + std::to_string(result.status));
  }
  const auto flag = result.object();
  const std::string level = text(*flag, "level");
  const std::string tenancy = text(*flag, "tenancy_id");
  if (!in_scope(request.session, tenancy)) {
    return ViewResponse::not_found(request);
  }
  const std::string status = text(*flag, "status");
  ViewResponse response;
  response.title = request.t("Signaal voor ", "Flag for ") + tenancy;
  std::string &html = response.body_html;
  html += "<dl class=\"facts\" data-test=\"flag-facts\"><dt>" + escape(request.t("Niveau", "Level")) + "</dt><dd>" +
          level_html(level, lang) + "</dd><dt>" + escape(request.t("Score", "Score")) + "</dt><dd>" +
          escape(text(*flag, "score")) + "</dd><dt>" + escape(request.t("Status", "Status")) +
          "</dt><dd data-test=\"flag-status\">" + escape(status_label(status, lang)) + "</dd><dt>" +
          escape(request.t("Gesignaleerd", "Raised")) + "</dt><dd>" +
          escape(format_date_time(number(*flag, "evaluated_at_ms"), lang)) + "</dd></dl>\n";

  const auto explanation = flag->getObject("explanation");
  html += "<h2>" + escape(request.t("Waarom", "Why")) + "</h2>\n<ul data-test=\"explanation\">";
  const auto lines = explanation.isNull() ? Poco::JSON::Array::Ptr() : explanation->getArray("lines");
  for (unsigned i = 0; !lines.isNull() && i < lines->size(); ++i) {
    html += "<li>" + escape(lines->getElement<std::string>(i)) + "</li>";
  }
  html += "</ul>\n";
  if (!explanation.isNull()) {
    html += "<p>" + escape(text(*explanation, "summary")) + "</p>\n<p class=\"notice\">" +
            escape(text(*explanation, "advice")) + "</p>\n<p><small>" + escape(text(*explanation, "rule_set")) +
            "</small></p>\n";
  }

  const auto decision = flag->getObject("decision");
  html += "<h2>" + escape(request.t("Besluit", "Decision")) + "</h2>\n";
  if (decision.isNull()) {
    html += decision_form(request, id, level, 0);
  } else {
    html += "<dl class=\"facts\" data-test=\"decision\"><dt>" + escape(request.t("Besluit", "Decision")) + "</dt><dd>" +
            escape(status_label(text(*decision, "status"), lang)) + "</dd><dt>" +
            escape(request.t("Niveau", "Level")) + "</dt><dd>" + level_html(text(*decision, "level"), lang) +
            "</dd><dt>" + escape(request.t("Door", "By")) + "</dt><dd>" + escape(text(*decision, "by")) + " (" +
            escape(role_label(text(*decision, "role"), lang)) + ")</dd><dt>" + escape(request.t("Op", "On")) +
            "</dt><dd>" + escape(format_date_time(number(*decision, "at_ms"), lang)) + "</dd><dt>" +
            escape(request.t("Reden", "Reason")) + "</dt><dd data-test=\"decision-reason\">" +
            escape(text(*decision, "reason")) + "</dd></dl>\n";
    html += "<h3>" + escape(request.t("Verloop van het besluit", "How the decision came about")) + "</h3>\n" +
            decision_history(request, flag->getArray("decisions"));
    html += "<h3>" + escape(request.t("Besluit herzien", "Revise the decision")) + "</h3>\n";
    html += decision_form(request, id, level, std::max<std::int64_t>(1, number(*decision, "number")));
  }

  const auto signals = flag->getArray("signals");
  html += "<h2>" + escape(request.t("Geschiedenis", "History")) + "</h2>\n";
  if (!signals.isNull() && signals->size() > 0) {
    html += "<table data-test=\"signal-table\"><caption>" +
            escape(request.t("Meldingen achter dit signaal", "Signals behind this flag")) +
            "</caption><thead><tr><th scope=\"col\">" + escape(request.t("Datum", "Date")) + "</th><th scope=\"col\">" +
            escape(request.t("Soort", "Type")) + "</th><th scope=\"col\">" + escape(request.t("Categorie", "Category")) +
            "</th><th scope=\"col\">" + escape(request.t("Punten toen", "Points then")) + "</th><th scope=\"col\">" +
            escape(request.t("Punten nu", "Points now")) + "</th></tr></thead><tbody>\n";
    for (unsigned i = 0; i < signals->size(); ++i) {
      const auto s = signals->getObject(i);
      html += "<tr><th scope=\"row\">" + escape(format_date(number(*s, "occurred_at_ms"), lang)) + "</th><td>" +
              escape(text(*s, "type")) + (text(*s, "detail").empty() ? "" : " / " + escape(text(*s, "detail"))) +
              "</td><td>" + escape(text(*s, "category")) + "</td><td>" + escape(points(*s, "points", lang)) + "</td><td>" +
              escape(points(*s, "points_now", lang)) + "</td></tr>\n";
    }
    html += "</tbody></table>\n";
  }
  Poco::JSON::Object history_args;
  history_args.set("tenancy_id", tenancy);
  history_args.set("lang", lang);
  const CallResult history = request.backend.call(request.session, kEarlyWarning, "flags.for-tenancy", history_args);
  if (history.ok()) {
    const auto earlier = history.object()->getArray("flags");
    std::string rows;
    for (unsigned i = 0; !earlier.isNull() && i < earlier->size(); ++i) {
      const auto f = earlier->getObject(i);
      if (text(*f, "id") == id) {
        continue;
      }
      rows += "<tr data-test=\"history-row\"><th scope=\"row\"><a href=\"/dashboard/consultant/flag?id=" +
              escape(url_encode(text(*f, "id"))) + "\">" + escape(format_date(number(*f, "evaluated_at_ms"), lang)) +
              "</a></th><td>" + level_html(text(*f, "level"), lang) + "</td><td>" + escape(text(*f, "score")) +
              "</td><td>" + escape(status_label(text(*f, "status"), lang)) + "</td></tr>\n";
    }
    if (!rows.empty()) {
      html += "<table data-test=\"flag-history\"><caption>" +
              escape(request.t("Andere signalen voor deze huurovereenkomst", "Other flags for this tenancy")) +
              "</caption><thead><tr><th scope=\"col\">" + escape(request.t("Gesignaleerd", "Raised")) +
              "</th><th scope=\"col\">" + escape(request.t("Niveau", "Level")) + "</th><th scope=\"col\">" +
              escape(request.t("Score", "Score")) + "</th><th scope=\"col\">" + escape(request.t("Status", "Status")) +
              "</th></tr></thead><tbody>\n" + rows + "</tbody></table>\n";
    }
  }
  html += "<p><a href=\"/dashboard/consultant\">" + escape(request.t("Terug naar de signalen", "Back to the flags")) +
          "</a></p>\n";
  return response;
}

// True when the session's scope covers the tenancy of flag `id`; a token limited to one
// tenancy decides on that tenancy's flags only (asks flag.explain as the person).
bool flag_in_scope(ViewRequest &request, const std::string &id) {
  if (!scope_is_limited(request.session)) {
    return true;
  }
  Poco::JSON::Object which;
  which.set("flag_id", id);
  const CallResult found = request.backend.call(request.session, kEarlyWarning, "flag.explain", which);
  return found.ok() && in_scope(request.session, text(*found.object(), "tenancy_id"));
}

// The arguments of flag.decide and flag.revise from the form: the flag, the decision, the
// reason, and for an override the level.
Poco::JSON::Object decision_args(ViewRequest &request, const std::string &id, const std::string &decision) {
  Poco::JSON::Object args;
  args.set("flag_id", id);
  args.set("decision", decision);
  args.set("reason", request.param("reason"));
  if (decision == "override") {
    args.set("level", request.param("level"));
  }
  return args;
}

// What a decision's form answers once the early-warning plugin has: back to the flag page,
// the refused page for a missing or forbidden flag, 400 naming the field, 409 with
// `conflict` (its title and its text, already in the page's language), 403.
ViewResponse decision_answer(ViewRequest &request, const std::string &id, const CallResult &result,
                             const char *operation, const std::string &conflict_title, const std::string &conflict_text) {
  if (result.ok()) {
    return ViewResponse::redirect_to("/dashboard/consultant/flag?id=" + url_encode(id));
  }
  if (result.status == HEARTH_ERROR_NOT_FOUND) {
    return ViewResponse::not_found(request);
  }
  ViewResponse response;
  if (result.status == HEARTH_ERROR_INVALID_ARGUMENT) {
    response = ViewResponse::bad_request(request, escape(error_text(result.status, result.body, request.session.lang)));
  } else if (result.status == HEARTH_ERROR_CONFLICT) {
    response.status = 409;
    response.title = conflict_title;
    response.body_html = "<p role=\"alert\" data-test=\"error\">" + escape(conflict_text) + "</p>";
  } else if (result.status == HEARTH_ERROR_DENIED) {
    response.status = 403;
    response.title = request.t("Geweigerd", "Refused");
    response.body_html = "<p role=\"alert\" data-test=\"error\">" +
                         escape(request.t("U mag over dit signaal niet besluiten.", "You may not decide on this flag.")) +
                         "</p>";
  } else {
    throw std::runtime_error(std::string(operation) + " answered status " + std::to_string(result.status));
  }
  response.body_html += "<p><a href=\"/dashboard/consultant/flag?id=" + escape(url_encode(id)) + "\">" +
                        escape(request.t("Terug naar het signaal", "Back to the flag")) + "</a></p>";
  return response;
}

// POST /dashboard/consultant/decide: records the decision, then back to the flag page.
ViewResponse decide(ViewRequest &request) {
  const std::string id = request.param("flag_id");
  if (!flag_in_scope(request, id)) {
    return ViewResponse::not_found(request);
  }
  const CallResult result =
      request.backend.call(request.session, kEarlyWarning, "flag.decide", decision_args(request, id, request.param("decision")));
  return decision_answer(request, id, result, "flag.decide", request.t("Al besloten", "Already decided"),
                         request.t("Over dit signaal is al besloten.", "This flag has already been decided."));
}

// True when `text` is 1 to 18 digits (a number std::stoll reads without overflow).
bool whole_number(const std::string &text) {
  return !text.empty() && text.size() <= 18 &&
         std::all_of(text.begin(), text.end(), [](unsigned char c) { return c >= '0' && c <= '9'; });
}

// POST /dashboard/consultant/revise: records a new decision that replaces the flag's
// latest (`revises`, its number as the form showed it), then back to the flag page. A
// stale number — someone revised the flag after the page was read — answers 409 naming
// the field `revises`; nothing changes.
ViewResponse revise(ViewRequest &request) {
  const std::string id = request.param("flag_id");
  if (!flag_in_scope(request, id)) {
    return ViewResponse::not_found(request);
  }
  Poco::JSON::Object args = decision_args(request, id, request.param("decision"));
  const std::string revises = request.param("revises");
  if (whole_number(revises)) {
    args.set("revises", static_cast<Poco::Int64>(std::stoll(revises)));
  } else if (!revises.empty()) {
    args.set("revises", revises); // the plugin names the field and why
  }
  const CallResult result = request.backend.call(request.session, kEarlyWarning, "flag.revise", args);
  // Every conflict of a revision is about the decision it names: not (or no longer) the latest.
  return decision_answer(request, id, result, "flag.revise",
                         request.t("Besluit intussen gewijzigd", "The decision changed meanwhile"),
                         result.status == HEARTH_ERROR_CONFLICT
                             ? "revises: " + error_text(result.status, result.body, request.session.lang)
                             : std::string());
}

} // namespace

void register_consultant_views(ViewRegistry &registry) {
  // One KeptListings per registry (per plugin instance), shared by the list's requests.
  auto kept = std::make_shared<KeptListings>();
  registry.add({"GET",
                "/dashboard/consultant",
                {HEARTH_ROLE_HOUSING_CONSULTANT},
                [kept](ViewRequest &request) { return flag_list(request, *kept); },
                "Signalen",
                "Flags"});
  registry.add({"GET",
                "/dashboard/consultant/flag",
                {HEARTH_ROLE_HOUSING_CONSULTANT, HEARTH_ROLE_COORDINATOR},
                flag_page,
                "",
                ""});
  registry.add({"POST",
                "/dashboard/consultant/decide",
                {HEARTH_ROLE_HOUSING_CONSULTANT, HEARTH_ROLE_COORDINATOR},
                decide,
                "",
                ""});
  registry.add({"POST",
                "/dashboard/consultant/revise",
                {HEARTH_ROLE_HOUSING_CONSULTANT, HEARTH_ROLE_COORDINATOR},
                revise,
                "",
                ""});
}

} // namespace hearth::dashboards
