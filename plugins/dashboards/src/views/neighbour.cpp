// The neighbour's page /dashboard/neighbour: my reports and their status (report.mine —
// the plugin answers only the reporter's own reports, never anything about the tenant or
// a case) and a form to file a new one (POST /dashboard/neighbour/report → report.file).
// The text a neighbour writes is printed escaped, like everything else.
#include <hearth/actor.h>

#include "error_texts.hpp"
#include "session_store.hpp"
#include "view.hpp"
#include "views/persona_html.hpp"

namespace hearth::dashboards {
namespace {

using namespace persona;

struct CategoryText {
  const char *key, *nl, *en;
};
constexpr CategoryText kCategories[] = {
    {"noise", "Geluidsoverlast", "Noise"},
    {"nuisance", "Andere overlast", "Other nuisance"},
    {"pollution", "Vervuiling of stank", "Pollution or smell"},
    {"drugs", "Drugsoverlast", "Drugs"},
    {"aggression", "Agressie of bedreiging", "Aggression or threats"},
};

std::string category_text(const ViewRequest &request, const std::string &key) {
  for (const auto &c : kCategories) {
    if (key == c.key) return request.t(c.nl, c.en);
  }
  return key;
}

std::string status_text(const ViewRequest &request, const std::string &status) {
  if (status == "received") return request.t("Ontvangen", "Received");
  if (status == "being_handled") return request.t("In behandeling", "Being handled");
  if (status == "closed") return request.t("Afgehandeld", "Closed");
  return status;
}

// The fixed message per status: in English the plugin's configured one (handoff.ini
// [reports] message_*), in Dutch its translation here; the plugin's text for a status
// this page does not know.
std::string status_message(const ViewRequest &request, const Poco::JSON::Object::Ptr &report) {
  const std::string status = text_of(report, "status");
  if (request.session.lang == "en" && !text_of(report, "message").empty()) return text_of(report, "message");
  if (status == "received") {
    return request.t("We hebben uw melding ontvangen. We laten u weten hoe het gaat.",
                     "We have received your report. We will let you know how it is going.");
  }
  if (status == "being_handled") {
    return request.t("Uw melding is in behandeling. Over andere bewoners kunnen we niets delen, maar we houden u op de hoogte.",
                     "Your report is being handled. We cannot share details about other residents, but we will keep you informed.");
  }
  if (status == "closed") {
    return request.t("We hebben uw melding afgehandeld. Dank u wel; u kunt altijd opnieuw melden.",
                     "We have finished handling your report. Thank you; you can always report again.");
  }
  return text_of(report, "message");
}

std::string reports_html(const ViewRequest &request, const Poco::JSON::Array::Ptr &reports) {
  std::vector<TableRow> rows;
  for (unsigned i = 0; i < reports->size(); ++i) {
    const auto r = reports->getObject(i);
    if (!r) continue;
    const std::string next = text_of(r, "next_update_by");
    const std::string closed = text_of(r, "closed_on");
    rows.push_back({{escape(text_of(r, "your_reference")),
                     escape(text_of(r, "received_on")),
                     escape(text_of(r, "category").empty() ? "–" : category_text(request, text_of(r, "category"))),
                     "<span data-test=\"report-description\">" +
                         escape(text_of(r, "description").empty() ? "–" : text_of(r, "description")) + "</span>",
                     "<strong data-test=\"report-status\">" + escape(status_text(request, text_of(r, "status"))) +
                         "</strong><br>" + escape(status_message(request, r)),
                     escape(!closed.empty() ? request.t("afgehandeld op ", "closed on ") + closed
                                            : next.empty() ? "–" : next)},
                    "report-row"});
  }
  return table_html(request.t("Mijn meldingen", "My reports"),
                    {request.t("Kenmerk", "Reference"), request.t("Ontvangen op", "Received on"),
                     request.t("Soort", "Kind"), request.t("Wat ik meldde", "What I reported"),
                     request.t("Status", "Status"), request.t("Volgend bericht uiterlijk", "Next update by")},
                    rows, request.t("U heeft nog geen meldingen gedaan.", "You have not filed any reports yet."), "reports");
}

// The filing form, with `values` (a failed attempt's input) filled in again.
std::string report_form_html(const ViewRequest &request, const std::map<std::string, std::string> &values) {
  const auto value = [&](const std::string &name) {
    const auto found = values.find(name);
    return found == values.end() ? std::string() : found->second;
  };
  std::vector<std::pair<std::string, std::string>> categories;
  for (const auto &c : kCategories) categories.emplace_back(c.key, request.t(c.nl, c.en));
  const std::string key = value("idempotency_key").empty() ? random_token().substr(0, 32) : value("idempotency_key");
  const std::string today = format_date(request.backend.now_ms(), "en");
  return "<p>" +
         escape(request.t("Uw melding gaat over een woning van ons. U hoort alleen over uw eigen melding, nooit over de bewoners.",
                          "Your report is about one of our homes. You hear about your own report only, never about the residents.")) +
         "</p>" +
         post_form_html(
             request, "/dashboard/neighbour/report",
             hidden_html("idempotency_key", key) +
                 input_html("report-postcode", "postcode", request.t("Postcode van de woning", "Postcode of the home"), "text",
                            value("postcode"), "required maxlength=\"7\" autocomplete=\"off\"") +
                 input_html("report-house-number", "house_number", request.t("Huisnummer (met toevoeging)", "House number (with addition)"),
                            "text", value("house_number"), "required maxlength=\"10\"") +
                 input_html("report-entrance", "entrance", request.t("Ingang (als die er is)", "Entrance (if any)"), "text",
                            value("entrance"), "maxlength=\"10\"") +
                 select_html("report-category", "category", request.t("Soort overlast", "Kind of nuisance"), categories,
                             value("category").empty() ? "noise" : value("category"), "required") +
                 textarea_html("report-description", "description", request.t("Wat is er gebeurd?", "What happened?"),
                               value("description"), "required maxlength=\"2000\" rows=\"5\"") +
                 input_html("report-date", "occurred_on", request.t("Wanneer was het?", "When was it?"), "date",
                            value("occurred_on").empty() ? today : value("occurred_on"), "required max=\"" + escape(today) + "\""),
             request.t("Melding versturen", "Send report"), "report-form");
}

ViewResponse neighbour_page_with(ViewRequest &request, const std::string &notice_html,
                                 const std::map<std::string, std::string> &values) {
  ViewResponse response;
  response.title = request.t("Mijn meldingen", "My reports");
  const CallResult reports = request.backend.call(request.session, kHandoffPlugin, "report.mine", Poco::JSON::Object());
  response.body_html =
      notice_html +
      section_html("reports", request.t("Mijn meldingen", "My reports"),
                   reports.ok() ? reports_html(request, array_of(answer_of(reports), "reports"))
                                : unavailable_html(request, reports)) +
      section_html("new-report", request.t("Nieuwe melding", "New report"), report_form_html(request, values));
  return response;
}

ViewResponse neighbour_page(ViewRequest &request) {
  std::string notice;
  if (request.param("filed") == "1") {
    notice = "<p role=\"status\" class=\"notice\" data-test=\"report-filed\">" +
             escape(request.t("Dank u wel. Uw melding is ontvangen.", "Thank you. Your report has been received.")) + "</p>";
  }
  return neighbour_page_with(request, notice, {});
}

ViewResponse file_report(ViewRequest &request) {
  Poco::JSON::Object args;
  std::map<std::string, std::string> values;
  for (const char *field : {"postcode", "house_number", "entrance", "category", "description", "occurred_on", "idempotency_key"}) {
    const std::string value = request.param(field);
    values[field] = value;
    if (!value.empty()) args.set(field, value);
  }
  const CallResult result = request.backend.call(request.session, kHandoffPlugin, "report.file", args);
  if (result.ok()) return ViewResponse::redirect_to("/dashboard/neighbour?filed=1");
  if (result.status == HEARTH_ERROR_INVALID_ARGUMENT || result.status == HEARTH_ERROR_CONFLICT) {
    // The form again, filled in, with the reason (which names the field) on top.
    if (result.status == HEARTH_ERROR_CONFLICT) values["idempotency_key"].clear(); // a fresh key for a new attempt
    ViewResponse response = neighbour_page_with(
        request,
        "<p role=\"alert\" class=\"error\" data-test=\"error\">" +
            escape(request.t("Uw melding is niet verstuurd: ", "Your report was not sent: ") +
                   error_text(result.status, result.body, request.session.lang)) + "</p>",
        values);
    response.status = 400;
    return response;
  }
  return failed_post(request, result);
}

} // namespace

void register_neighbour_views(ViewRegistry &registry) {
  registry.add({"GET", "/dashboard/neighbour", {HEARTH_ROLE_NEIGHBOUR}, neighbour_page, "Mijn meldingen", "My reports"});
  registry.add({"POST", "/dashboard/neighbour/report", {HEARTH_ROLE_NEIGHBOUR}, file_report, "", ""});
}

} // namespace hearth::dashboards
