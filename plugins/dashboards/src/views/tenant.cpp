// The tenant's page /dashboard/tenant: my plan in my own words, my coordinator and buddy,
// my flag with its reasons and the score trend, and who viewed my file. Everything is read
// with the tenant's own actor: the plugins and the runtime show a tenant only their own
// tenancy (tenant_user), so nothing of anyone else can appear here.
#include <algorithm>
#include <set>

#include <Poco/JSON/Parser.h>

#include <hearth/actor.h>

#include "svg.hpp"
#include "view.hpp"
#include "views/persona_html.hpp"

namespace hearth::dashboards {
namespace {

using namespace persona;

// The tenancies this tenant can be shown: those of their cases and of their flags, and a
// tenancy scope the CRM's token named ("tenancy:<id>").
std::vector<std::string> my_tenancies(ViewRequest &request, const Poco::JSON::Array::Ptr &cases) {
  std::set<std::string> ids;
  for (unsigned i = 0; i < cases->size(); ++i) {
    const std::string id = text_of(cases->getObject(i), "tenancy_id");
    if (!id.empty()) ids.insert(id);
  }
  Poco::JSON::Object args;
  args.set("status", "any");
  args.set("min_level", "green");
  const auto flags = array_of(answer_of(request.backend.call(request.session, kEarlyWarningPlugin, "flags.portfolio", args)),
                              "flags");
  for (unsigned i = 0; i < flags->size(); ++i) {
    const std::string id = text_of(flags->getObject(i), "tenancy_id");
    if (!id.empty()) ids.insert(id);
  }
  const std::string scope = request.session.scope;
  if (scope.rfind("tenancy:", 0) == 0 && scope.size() > 8) ids.insert(scope.substr(8));
  return {ids.begin(), ids.end()};
}

std::string level_word(const ViewRequest &request, const std::string &level) {
  if (level == "red") return request.t("rood", "red");
  if (level == "amber") return request.t("oranje", "amber");
  if (level == "green") return request.t("groen", "green");
  return level;
}

std::string plan_html(ViewRequest &request, const Poco::JSON::Array::Ptr &cases) {
  std::string out;
  for (unsigned i = 0; i < cases->size(); ++i) {
    const auto c = cases->getObject(i);
    Poco::JSON::Object args;
    args.set("case_id", text_of(c, "case_id"));
    const CallResult result = request.backend.call(request.session, kHandoffPlugin, "plan.get", args);
    if (!result.ok()) {
      out += unavailable_html(request, result);
      continue;
    }
    const auto plan = answer_of(result);
    const std::string words = text_of(plan, "in_words_of");
    out += "<article class=\"plan\" data-test=\"my-plan\"><dl><dt>" +
           escape(request.t("Wat heb ik nodig?", "What do I need?")) + "</dt><dd>" +
           escape(text_of(plan, "what_do_you_need").empty() ? request.t("Nog niet ingevuld.", "Not filled in yet.")
                                                              : text_of(plan, "what_do_you_need")) +
           "</dd><dt>" + escape(request.t("Wat kan ik bieden?", "What can I offer?")) + "</dt><dd>" +
           escape(text_of(plan, "what_can_you_offer").empty() ? request.t("Nog niet ingevuld.", "Not filled in yet.")
                                                                : text_of(plan, "what_can_you_offer")) +
           "</dd></dl>";
    if (words == "tenant") {
      out += "<p class=\"words\">" + escape(request.t("In mijn eigen woorden.", "In my own words.")) + "</p>";
    } else if (words == "tenant-with-help") {
      out += "<p class=\"words\">" + escape(request.t("In mijn woorden, met hulp opgeschreven.", "In my words, written down with help.")) + "</p>";
    }
    std::vector<TableRow> rows;
    const auto actions = array_of(plan, "actions");
    for (unsigned a = 0; a < actions->size(); ++a) {
      const auto action = actions->getObject(a);
      rows.push_back({{escape(text_of(action, "description")), escape(text_of(action, "due_date")),
                       escape(text_of(action, "status") == "done" ? request.t("gedaan", "done") : request.t("open", "open"))},
                      "plan-action"});
    }
    out += table_html(request.t("Wat we hebben afgesproken", "What we agreed"),
                      {request.t("Afspraak", "Action"), request.t("Uiterlijk", "Due"), request.t("Status", "Status")}, rows,
                      request.t("Nog geen afspraken.", "No agreements yet."), "plan-actions") +
           "</article>";
  }
  return out.empty() ? "<p data-test=\"no-plan\">" + escape(request.t("U heeft nog geen plan.", "You have no plan yet.")) + "</p>"
                     : out;
}

std::string people_html(ViewRequest &request, const Poco::JSON::Array::Ptr &cases) {
  std::vector<TableRow> rows;
  for (unsigned i = 0; i < cases->size(); ++i) {
    const auto c = cases->getObject(i);
    const auto owner = object_of(c, "owner");
    rows.push_back({{escape(request.t("Mijn coördinator", "My coordinator")), escape(text_of(owner, "user")),
                     escape(text_of(owner, "organisation"))},
                    "my-coordinator"});
    Poco::JSON::Object args;
    args.set("case_id", text_of(c, "case_id"));
    const auto members = array_of(answer_of(request.backend.call(request.session, kHandoffPlugin, "network.list", args)),
                                  "members");
    for (unsigned m = 0; m < members->size(); ++m) {
      const auto member = members->getObject(m);
      const bool buddy = bool_of(member, "buddy_for_life") || text_of(member, "kind") == "buddy";
      if (text_of(object_of(member, "consent"), "status") == "withdrawn") continue;
      rows.push_back({{escape(buddy ? request.t("Mijn buddy", "My buddy") : text_of(member, "relation")),
                       escape(text_of(member, "user").empty() ? "–" : text_of(member, "user")),
                       escape(text_of(member, "organisation").empty() ? "–" : text_of(member, "organisation"))},
                      buddy ? "my-buddy" : "network-member"});
    }
  }
  return table_html(request.t("Mijn coördinator en netwerk", "My coordinator and network"),
                    {request.t("Wie", "Who"), request.t("Gebruiker", "User"), request.t("Organisatie", "Organisation")},
                    rows, request.t("Er is nog niemand aan u gekoppeld.", "Nobody has been linked to you yet."), "people");
}

std::string flag_html(ViewRequest &request, const std::string &tenancy_id) {
  Poco::JSON::Object args;
  args.set("tenancy_id", tenancy_id);
  args.set("lang", request.session.lang == "en" ? "en" : "nl");
  const CallResult result = request.backend.call(request.session, kEarlyWarningPlugin, "flags.for-tenancy", args);
  if (!result.ok()) return unavailable_html(request, result);
  const auto answer = answer_of(result);
  const auto flags = array_of(answer, "flags");
  std::string out;
  svg::LineChart chart;
  chart.text.id = "trend-" + tenancy_id;
  chart.text.title = request.t("Verloop van mijn score", "How my score developed");
  chart.lang = request.session.lang;
  chart.x_label = request.t("datum", "date");
  chart.y_label = request.t("punten", "points");
  chart.empty_text = request.t("Nog geen score.", "No score yet.");
  for (unsigned i = 0; i < flags->size(); ++i) {
    const auto f = flags->getObject(i);
    chart.points.push_back({int_of(f, "evaluated_at_ms"), static_cast<double>(int_of(f, "score"))});
  }
  const auto current = object_of(answer, "current");
  if (current) chart.points.push_back({int_of(current, "as_of_ms"), static_cast<double>(int_of(current, "score"))});
  chart.text.description =
      current ? request.t("Huidige score: ", "Current score: ") + text_of(current, "score") + " (" +
                    level_word(request, text_of(current, "level")) + ")"
              : request.t("Er is geen huidige score.", "There is no current score.");
  if (flags->size() == 0) {
    out += "<p data-test=\"no-flag\">" +
           escape(request.t("Er is geen signaal over uw huurovereenkomst.", "There is no flag about your tenancy.")) + "</p>";
  } else {
    const auto latest = flags->getObject(flags->size() - 1);
    const auto explanation = object_of(latest, "explanation");
    out += "<article data-test=\"my-flag\"><p>" + escape(request.t("Niveau: ", "Level: ")) + "<strong data-test=\"flag-level\">" +
           escape(level_word(request, text_of(latest, "level"))) + "</strong> (" +
           escape(date_of(request, latest, "raised_at_ms")) + ")</p><ul data-test=\"flag-reasons\">";
    const auto lines = array_of(explanation, "lines");
    for (unsigned l = 0; l < lines->size(); ++l) {
      out += "<li>" + escape(lines->get(l).isString() ? lines->get(l).convert<std::string>() : "") + "</li>";
    }
    out += "</ul><p>" + escape(text_of(explanation, "advice")) + "</p></article>";
  }
  out += "<figure data-test=\"score-trend\">" + svg::line_chart(chart) + "<figcaption>" + escape(chart.text.description) +
         "</figcaption></figure>";
  return out;
}

std::string viewers_html(ViewRequest &request, const std::string &tenancy_id) {
  Poco::JSON::Object args;
  args.set("object", "tenancy:" + tenancy_id);
  const CallResult result = request.backend.read(request.session, "audit.viewers", args);
  if (!result.ok()) return unavailable_html(request, result);
  Poco::JSON::Array::Ptr viewers;
  try {
    Poco::JSON::Parser parser;
    viewers = parser.parse(result.body).extract<Poco::JSON::Array::Ptr>();
  } catch (const std::exception &) {
    viewers = new Poco::JSON::Array;
  }
  std::vector<TableRow> rows;
  // Newest first, at most 100.
  for (unsigned n = 0; n < viewers->size() && rows.size() < 100; ++n) {
    const auto v = viewers->getObject(viewers->size() - 1 - n);
    rows.push_back({{escape(format_date_time(int_of(v, "at_ms"), request.session.lang)), escape(text_of(v, "user")),
                     escape(text_of(v, "organisation")), escape(text_of(v, "role")), escape(text_of(v, "event")),
                     escape(bool_of(v, "emergency") ? request.t("ja", "yes") : request.t("nee", "no"))},
                    "viewer-row"});
  }
  return table_html(request.t("Wie heeft mijn dossier bekeken", "Who viewed my file"),
                    {request.t("Wanneer", "When"), request.t("Wie", "Who"), request.t("Organisatie", "Organisation"),
                     request.t("Rol", "Role"), request.t("Wat", "What"), request.t("Noodtoegang", "Emergency access")},
                    rows, request.t("Nog niemand.", "Nobody yet."), "viewers");
}

ViewResponse tenant_page(ViewRequest &request) {
  ViewResponse response;
  response.title = request.t("Mijn huis en mijn plan", "My home and my plan");
  const Poco::JSON::Object none;
  const CallResult cases = request.backend.call(request.session, kHandoffPlugin, "case.list", none);
  const auto case_list = array_of(answer_of(cases), "cases");
  std::string body = section_html("plan", request.t("Mijn plan", "My plan"),
                                  cases.ok() ? plan_html(request, case_list) : unavailable_html(request, cases));
  body += section_html("people", request.t("Mijn coördinator en buddy", "My coordinator and buddy"),
                       cases.ok() ? people_html(request, case_list) : unavailable_html(request, cases));
  const auto tenancies = my_tenancies(request, case_list);
  if (tenancies.empty()) {
    body += "<p data-test=\"no-tenancy\">" +
            escape(request.t("Wij vinden geen huurovereenkomst om te tonen.", "We find no tenancy to show.")) + "</p>";
  }
  for (const auto &tenancy_id : tenancies) {
    const std::string suffix = tenancies.size() > 1 ? " (" + tenancy_id + ")" : "";
    body += section_html("flag-" + tenancy_id, request.t("Mijn signaal en de redenen", "My flag and its reasons") + suffix,
                         flag_html(request, tenancy_id));
    body += section_html("viewers-" + tenancy_id, request.t("Wie keek in mijn dossier", "Who viewed my file") + suffix,
                         viewers_html(request, tenancy_id));
  }
  response.body_html = body;
  return response;
}

} // namespace

void register_tenant_views(ViewRegistry &registry) {
  registry.add({"GET", "/dashboard/tenant", {HEARTH_ROLE_TENANT}, tenant_page, "Mijn huis", "My home"});
}

} // namespace hearth::dashboards
