// The care professional's page /dashboard/care: my cases, the care details of those with a
// recorded legal basis for care data (the care entries of their timelines — the plugin
// shows them only then), handoffs offered to me and consult requests to me.
#include <hearth/actor.h>

#include "view.hpp"
#include "views/casework_html.hpp"
#include "views/persona_html.hpp"

namespace hearth::dashboards {
namespace {

using namespace persona;

// At most this many cases' timelines are read for care details on one page.
constexpr unsigned kCareDetailCases = 20;

std::string care_details_html(ViewRequest &request, const Poco::JSON::Array::Ptr &cases) {
  std::vector<TableRow> rows;
  unsigned read = 0;
  for (unsigned i = 0; i < cases->size() && read < kCareDetailCases; ++i) {
    const auto c = cases->getObject(i);
    if (!c || !bool_of(c, "care_basis_recorded")) continue;
    ++read;
    Poco::JSON::Object args;
    args.set("case_id", text_of(c, "case_id"));
    const auto timeline = answer_of(request.backend.call(request.session, kHandoffPlugin, "timeline.get", args));
    const auto entries = array_of(timeline, "entries");
    for (unsigned e = 0; e < entries->size(); ++e) {
      const auto entry = entries->getObject(e);
      if (!entry || text_of(entry, "data_class") != "care") continue;
      rows.push_back({{case_link_html(text_of(c, "case_id")), escape(date_of(request, entry, "at_ms")),
                       escape(text_of(object_of(entry, "by"), "user")), escape(text_of(entry, "text"))},
                      "care-entry"});
    }
  }
  return "<p>" +
         escape(request.t("Zorggegevens staan hier alleen bij zaken met een vastgelegde grondslag of toestemming.",
                          "Care details appear only for cases with a recorded legal basis or consent.")) +
         "</p>" +
         table_html(request.t("Zorggegevens van mijn zaken", "Care details of my cases"),
                    {request.t("Zaak", "Case"), request.t("Datum", "Date"), request.t("Door", "By"),
                     request.t("Notitie", "Note")},
                    rows, request.t("Geen zorggegevens om te tonen.", "No care details to show."), "care-details");
}

ViewResponse care_page(ViewRequest &request) {
  ViewResponse response;
  response.title = request.t("Mijn zorgzaken", "My care cases");
  const Poco::JSON::Object none;
  const CallResult cases = request.backend.call(request.session, kHandoffPlugin, "case.list", none);
  const auto case_list = array_of(answer_of(cases), "cases");
  std::string body =
      section_html("my-cases", request.t("Mijn zaken", "My cases"),
                   cases.ok() ? cases_table_html(request, case_list, request.t("Mijn zaken", "My cases"))
                              : unavailable_html(request, cases));
  body += section_html("care-details", request.t("Zorggegevens", "Care details"),
                       cases.ok() ? care_details_html(request, case_list) : unavailable_html(request, cases));
  const CallResult offers = request.backend.call(request.session, kHandoffPlugin, "handoff.inbox", none);
  body += section_html("offers", request.t("Aangeboden overdrachten", "Handoffs offered to me"),
                       offers.ok() ? offers_inbox_html(request, array_of(answer_of(offers), "offers"), "/dashboard/care")
                                   : unavailable_html(request, offers));
  const CallResult consults = request.backend.call(request.session, kHandoffPlugin, "consult.inbox", none);
  body += section_html("consults", request.t("Consultvragen", "Consult requests"),
                       consults.ok()
                           ? consults_inbox_html(request, array_of(answer_of(consults), "consults"), "/dashboard/care")
                           : unavailable_html(request, consults));
  response.body_html = body;
  return response;
}

} // namespace

void register_care_views(ViewRegistry &registry) {
  registry.add({"GET", "/dashboard/care", {HEARTH_ROLE_CARE_PROFESSIONAL}, care_page, "Mijn zorgzaken", "My care cases"});
}

} // namespace hearth::dashboards
