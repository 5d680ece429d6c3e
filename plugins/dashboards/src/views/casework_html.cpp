// Cases, offered handoffs and consults as the care professional's and coordinator's pages
// show them, and the POST routes that answer offers and consults.
#include "views/casework_html.hpp"

#include <map>

#include <hearth/actor.h>

#include "views/persona_html.hpp"

namespace hearth::dashboards::persona {
namespace {

const std::vector<std::string> kBackPaths{"/dashboard/care", "/dashboard/coordinator", "/dashboard/consultant"};

std::string person_text(const Poco::JSON::Object::Ptr &person) {
  const std::string user = text_of(person, "user");
  const std::string organisation = text_of(person, "organisation");
  if (user.empty()) return organisation;
  return organisation.empty() ? user : user + " (" + organisation + ")";
}

std::string state_text(const ViewRequest &request, const std::string &state) {
  static const std::map<std::string, std::pair<const char *, const char *>> kStates{
      {"signalled", {"gesignaleerd", "signalled"}}, {"triage", {"triage", "triage"}},
      {"assigned", {"toegewezen", "assigned"}},     {"plan_agreed", {"plan afgesproken", "plan agreed"}},
      {"active", {"actief", "active"}},             {"monitoring", {"nazorg", "monitoring"}},
      {"closed", {"gesloten", "closed"}},
  };
  const auto found = kStates.find(state);
  return found == kStates.end() ? state : request.t(found->second.first, found->second.second);
}

// The summary items of an offer the reader may see: "<class>: <text>" each.
std::string summary_html(const Poco::JSON::Array::Ptr &items) {
  if (items->size() == 0) return "–";
  std::string out = "<ul class=\"summary\">";
  for (unsigned i = 0; i < items->size(); ++i) {
    const auto item = items->getObject(i);
    if (!item) continue;
    out += "<li><span class=\"data-class\">" + escape(text_of(item, "data_class")) + "</span>: " +
           escape(text_of(item, "text")) + "</li>";
  }
  return out + "</ul>";
}

ViewResponse answer_offer(ViewRequest &request, bool accept) {
  const std::string offer_id = request.param("offer_id");
  const std::string back = safe_back(request.param("back"), kBackPaths, "/dashboard");
  if (offer_id.empty()) {
    return ViewResponse::bad_request(request, escape(request.t("offer_id: ontbreekt", "offer_id: missing")));
  }
  Poco::JSON::Object args;
  args.set("offer_id", offer_id);
  if (!accept) {
    const std::string reason = request.param("reason");
    if (reason.empty()) {
      return ViewResponse::bad_request(
          request, escape(request.t("reason: geef een reden waarom u het aanbod afwijst",
                                    "reason: say why you decline the offer")));
    }
    args.set("reason", reason);
  }
  const CallResult result =
      request.backend.call(request.session, kHandoffPlugin, accept ? "handoff.accept" : "handoff.decline", args);
  if (!result.ok()) return failed_post(request, result);
  if (accept) {
    const auto answer = answer_of(result);
    const std::string case_id = text_of(answer, "case_id");
    if (!case_id.empty()) return ViewResponse::redirect_to("/dashboard/case?id=" + url_encode(case_id));
  }
  return ViewResponse::redirect_to(back);
}

ViewResponse answer_consult(ViewRequest &request) {
  const std::string consult_id = request.param("consult_id");
  const std::string answer = request.param("answer");
  const std::string back = safe_back(request.param("back"), kBackPaths, "/dashboard");
  if (consult_id.empty()) {
    return ViewResponse::bad_request(request, escape(request.t("consult_id: ontbreekt", "consult_id: missing")));
  }
  if (answer.empty()) {
    return ViewResponse::bad_request(request, escape(request.t("answer: schrijf uw antwoord", "answer: write your answer")));
  }
  Poco::JSON::Object args;
  args.set("consult_id", consult_id);
  args.set("answer", answer);
  const CallResult result = request.backend.call(request.session, kHandoffPlugin, "consult.answer", args);
  if (!result.ok()) return failed_post(request, result);
  return ViewResponse::redirect_to(back);
}

} // namespace

bool is_stalled(const Poco::JSON::Object::Ptr &c) { return bool_of(c, "stalled"); }

std::string level_text(const Poco::JSON::Object::Ptr &c) {
  const std::string name = text_of(c, "level_name");
  return text_of(c, "level") + (name.empty() ? "" : " – " + name);
}

std::string cases_table_html(const ViewRequest &request, const Poco::JSON::Array::Ptr &cases,
                             const std::string &caption) {
  std::vector<TableRow> rows;
  for (unsigned i = 0; i < cases->size(); ++i) {
    const auto c = cases->getObject(i);
    if (!c) continue;
    const bool stalled = is_stalled(c);
    rows.push_back({{case_link_html(text_of(c, "case_id")), escape(text_of(c, "tenancy_id")),
                     escape(state_text(request, text_of(c, "state"))) +
                         (stalled ? " <strong class=\"stalled\">" + escape(request.t("(loopt vast)", "(stalled)")) +
                                        "</strong>"
                                  : ""),
                     escape(level_text(c)), escape(person_text(object_of(c, "owner"))),
                     escape(bool_of(c, "care_basis_recorded") ? request.t("vastgelegd", "recorded")
                                                              : request.t("geen", "none")),
                     escape(date_of(request, c, "last_activity_ms"))},
                    "case-row"});
  }
  return table_html(caption,
                    {request.t("Zaak", "Case"), request.t("Huurovereenkomst", "Tenancy"), request.t("Fase", "State"),
                     request.t("Niveau", "Level"), request.t("Eigenaar", "Owner"),
                     request.t("Grondslag zorggegevens", "Basis for care data"),
                     request.t("Laatste voortgang", "Last progress")},
                    rows, request.t("Geen zaken.", "No cases."), "cases");
}

std::string offers_inbox_html(const ViewRequest &request, const Poco::JSON::Array::Ptr &offers,
                              const std::string &back) {
  std::vector<TableRow> rows;
  for (unsigned i = 0; i < offers->size(); ++i) {
    const auto offer = offers->getObject(i);
    if (!offer) continue;
    const std::string offer_id = text_of(offer, "offer_id");
    const std::string id_suffix = std::to_string(i);
    const std::string accept = post_form_html(request, "/dashboard/handoff/accept",
                                              hidden_html("offer_id", offer_id) + hidden_html("back", back),
                                              request.t("Accepteren", "Accept"), "accept-form");
    const std::string decline = post_form_html(
        request, "/dashboard/handoff/decline",
        hidden_html("offer_id", offer_id) + hidden_html("back", back) +
            textarea_html("decline-reason-" + id_suffix, "reason", request.t("Reden van afwijzen", "Reason for declining"),
                          "", "required maxlength=\"2000\""),
        request.t("Afwijzen", "Decline"), "decline-form");
    rows.push_back({{escape(text_of(offer, "case_id")), escape(person_text(object_of(offer, "from"))),
                     escape(text_of(offer, "reason")), summary_html(array_of(offer, "summary")),
                     escape(date_of(request, offer, "offered_ms")),
                     escape(date_of(request, offer, "answer_by_ms")) +
                         (bool_of(offer, "escalated") ? " <strong>" + escape(request.t("(verlopen)", "(overdue)")) + "</strong>"
                                                      : ""),
                     accept + decline},
                    "offer-row"});
  }
  return table_html(request.t("Aan mij aangeboden overdrachten", "Handoffs offered to me"),
                    {request.t("Zaak", "Case"), request.t("Van", "From"), request.t("Reden", "Reason"),
                     request.t("Samenvatting", "Summary"), request.t("Aangeboden op", "Offered on"),
                     request.t("Antwoord uiterlijk", "Answer by"), request.t("Antwoord", "Answer")},
                    rows, request.t("Geen openstaande aanbiedingen.", "No offers waiting."), "offers");
}

std::string consults_inbox_html(const ViewRequest &request, const Poco::JSON::Array::Ptr &consults,
                                const std::string &back) {
  std::vector<TableRow> rows;
  for (unsigned i = 0; i < consults->size(); ++i) {
    const auto consult = consults->getObject(i);
    if (!consult) continue;
    const std::string status = text_of(consult, "status");
    std::string answer_cell;
    if (status == "answered") {
      answer_cell = escape(text_of(consult, "answer"));
    } else {
      answer_cell = post_form_html(
          request, "/dashboard/consult/answer",
          hidden_html("consult_id", text_of(consult, "consult_id")) + hidden_html("back", back) +
              textarea_html("consult-answer-" + std::to_string(i), "answer", request.t("Uw antwoord", "Your answer"), "",
                            "required maxlength=\"4000\""),
          request.t("Antwoord versturen", "Send answer"), "consult-answer-form");
    }
    rows.push_back({{escape(text_of(consult, "case_id")), escape(text_of(consult, "expertise")),
                     escape(text_of(consult, "question")), escape(text_of(consult, "requested_by")),
                     escape(date_of(request, consult, "answer_by_ms")) +
                         (status == "overdue" ? " <strong>" + escape(request.t("(te laat)", "(overdue)")) + "</strong>" : ""),
                     answer_cell},
                    "consult-row"});
  }
  return table_html(request.t("Consultvragen aan mij", "Consult requests to me"),
                    {request.t("Zaak", "Case"), request.t("Expertise", "Expertise"), request.t("Vraag", "Question"),
                     request.t("Gevraagd door", "Asked by"), request.t("Antwoord uiterlijk", "Answer by"),
                     request.t("Antwoord", "Answer")},
                    rows, request.t("Geen consultvragen.", "No consult requests."), "consults");
}

void register_casework_posts(ViewRegistry &registry) {
  registry.add({"POST", "/dashboard/handoff/accept",
                {HEARTH_ROLE_COORDINATOR, HEARTH_ROLE_CARE_PROFESSIONAL, HEARTH_ROLE_HOUSING_CONSULTANT},
                [](ViewRequest &request) { return answer_offer(request, true); }, "", ""});
  registry.add({"POST", "/dashboard/handoff/decline",
                {HEARTH_ROLE_COORDINATOR, HEARTH_ROLE_CARE_PROFESSIONAL, HEARTH_ROLE_HOUSING_CONSULTANT},
                [](ViewRequest &request) { return answer_offer(request, false); }, "", ""});
  registry.add({"POST", "/dashboard/consult/answer", {HEARTH_ROLE_COORDINATOR, HEARTH_ROLE_CARE_PROFESSIONAL},
                answer_consult, "", ""});
}

} // namespace hearth::dashboards::persona
