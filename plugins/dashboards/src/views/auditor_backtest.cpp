// The auditor's backtest page (auditor_backtest.hpp). The early-warning plugin checks the
// role and the dates and audits the search; this page only asks and draws.
#include "views/auditor_backtest.hpp"

#include <hearth/actor.h>

#include "error_texts.hpp"
#include "svg.hpp"
#include "views/persona_html.hpp"

namespace hearth::dashboards::persona {
namespace {

std::string percent(const Poco::JSON::Object::Ptr &object, const std::string &key) {
  if (!object || !object->has(key) || !object->get(key).isNumeric()) return "–";
  return svg::number(object->get(key).convert<double>() * 100.0, 1) + " %";
}

double number_of(const Poco::JSON::Object::Ptr &object, const std::string &key) {
  if (!object || !object->has(key) || !object->get(key).isNumeric()) return 0;
  return object->get(key).convert<double>();
}

std::string figures_html(const ViewRequest &request, const Poco::JSON::Object::Ptr &report) {
  std::vector<TableRow> rows;
  const auto row = [&](const std::string &name, const Poco::JSON::Object::Ptr &at) {
    rows.push_back({{escape(name), escape(percent(at, "precision")), escape(percent(at, "recall")),
                     escape(percent(at, "false_positive_rate"))},
                    "backtest-figure"});
  };
  row(request.t("Bij rood", "At red"), object_of(report, "at_red"));
  row(request.t("Bij oranje", "At amber"), object_of(report, "at_amber"));
  const auto top = object_of(report, "top_k");
  rows.push_back({{escape(request.t("Hoogste ", "Top ") + text_of(top, "k")), escape(percent(top, "precision")),
                   escape(percent(top, "recall")), "–"},
                  "backtest-figure"});
  return "<p>" +
         escape(request.t("Huurovereenkomsten: ", "Tenancies: ") + text_of(report, "tenancies") +
                request.t(", waarvan met een nadelige afloop: ", ", with an adverse outcome: ") +
                text_of(report, "adverse_outcomes")) +
         "</p>" +
         table_html(request.t("Hoe goed de signalen de afloop voorspelden", "How well the flags predicted the outcome"),
                    {request.t("Drempel", "Threshold"), request.t("Precisie", "Precision"), request.t("Recall", "Recall"),
                     request.t("Vals-positief", "False-positive rate")},
                    rows, "", "backtest-figures");
}

std::string charts_html(const ViewRequest &request, const Poco::JSON::Object::Ptr &report) {
  svg::Histogram lead;
  lead.text = {"lead-time", request.t("Hoe lang vóór de afloop het signaal rood werd", "How long before the outcome the flag went red"),
               request.t("Aantal nadelige aflopen per 30 dagen tussen het eerste rode signaal en het besluit; mediaan ",
                         "Adverse outcomes per 30 days between the first red flag and the decision; median ") +
                   text_of(object_of(report, "lead_time"), "median_days") + request.t(" dagen.", " days.")};
  lead.x_label = request.t("dagen", "days");
  lead.y_label = request.t("aantal", "count");
  lead.empty_text = request.t("Geen nadelige afloop die rood werd.", "No adverse outcome went red.");
  const auto bins = array_of(object_of(report, "lead_time"), "histogram");
  for (unsigned i = 0; i < bins->size(); ++i) {
    const auto bin = bins->getObject(i);
    const std::string to = text_of(bin, "to_days");
    lead.bins.push_back({text_of(bin, "from_days") + (to.empty() ? "+" : "–" + std::to_string(int_of(bin, "to_days") - 1)),
                         number_of(bin, "count")});
  }
  svg::Histogram scores;
  scores.text = {"score-distribution", request.t("Verdeling van de hoogste score", "Distribution of the highest score"),
                 request.t("Huurovereenkomsten per band van 10 punten van hun hoogste score in het venster.",
                           "Tenancies per band of 10 points of their highest score in the window.")};
  scores.x_label = request.t("punten", "points");
  scores.y_label = request.t("huurovereenkomsten", "tenancies");
  scores.empty_text = request.t("Geen scores.", "No scores.");
  const auto bands = array_of(report, "calibration");
  for (unsigned i = 0; i < bands->size(); ++i) {
    const auto band = bands->getObject(i);
    const std::string to = text_of(band, "to_score");
    scores.bins.push_back({text_of(band, "from_score") + (to.empty() ? "+" : "–" + std::to_string(int_of(band, "to_score") - 1)),
                           number_of(band, "tenancies")});
  }
  svg::PrecisionRecall curve;
  curve.text = {"precision-recall", request.t("Precisie en recall per drempel", "Precision and recall per threshold"),
                request.t("Elke punt is een scoredrempel; rechts meer gevonden, boven minder vals alarm.",
                          "Each point is a score threshold; to the right more found, higher up fewer false alarms.")};
  curve.x_label = "recall";
  curve.y_label = request.t("precisie", "precision");
  curve.empty_text = request.t("Geen punten.", "No points.");
  const auto points = array_of(report, "precision_recall");
  for (unsigned i = 0; i < points->size(); ++i) {
    const auto p = points->getObject(i);
    curve.points.push_back({number_of(p, "threshold"), number_of(p, "precision"), number_of(p, "recall")});
  }
  std::string out;
  for (const auto &[chart, caption] : {std::pair{svg::histogram(lead), lead.text.description},
                                       std::pair{svg::histogram(scores), scores.text.description},
                                       std::pair{svg::precision_recall(curve), curve.text.description}}) {
    out += "<figure>" + chart + "<figcaption>" + escape(caption) + "</figcaption></figure>";
  }
  return out;
}

std::string neighbourhoods_html(const ViewRequest &request, const Poco::JSON::Object::Ptr &report) {
  std::vector<TableRow> rows;
  const auto areas = array_of(report, "neighbourhoods");
  for (unsigned i = 0; i < areas->size(); ++i) {
    const auto a = areas->getObject(i);
    rows.push_back({{escape(text_of(a, "neighbourhood")), escape(text_of(a, "tenancies")), escape(percent(a, "red_rate")),
                     escape(svg::number(number_of(a, "red_rate_ratio"), 2)), escape(percent(a, "adverse_rate"))},
                    "backtest-neighbourhood"});
  }
  return table_html(request.t("Rode signalen per buurt (ongelijkheid)", "Red flags per neighbourhood (disparity)"),
                    {request.t("Buurt", "Neighbourhood"), request.t("Huurovereenkomsten", "Tenancies"),
                     request.t("Rood", "Red"), request.t("Verhouding tot gemiddeld", "Ratio to overall"),
                     request.t("Nadelige afloop", "Adverse outcomes")},
                    rows, request.t("Geen buurten.", "No neighbourhoods."), "backtest-neighbourhoods");
}

ViewResponse backtest_page(ViewRequest &request) {
  ViewResponse response;
  response.title = request.t("Backtest van de signalering", "Backtest of the early warning");
  const std::string from = request.param("from");
  const std::string to = request.param("to");
  std::string body = "<form method=\"get\" action=\"/dashboard/auditor/backtest\" data-test=\"backtest-form\">" +
                     input_html("backtest-from", "from", request.t("Vanaf", "From"), "date", from, "required") +
                     input_html("backtest-to", "to", request.t("Tot en met", "Up to and including"), "date", to, "required") +
                     "<button type=\"submit\">" + escape(request.t("Backtest draaien", "Run the backtest")) + "</button></form>";
  if (!from.empty() || !to.empty()) {
    Poco::JSON::Object args;
    args.set("from", from);
    args.set("to", to);
    const CallResult result = request.backend.call(request.session, kEarlyWarningPlugin, "backtest", args);
    const auto answer = answer_of(result);
    if (result.status == HEARTH_ERROR_INVALID_ARGUMENT) {
      response.status = 400;
      body += "<p role=\"alert\" class=\"error\" data-test=\"error\">" + escape(error_text(result.status, result.body, request.session.lang)) + "</p>";
    } else if (!answer) {
      body += unavailable_html(request, result);
    } else {
      const auto report = object_of(answer, "report");
      body += section_html("backtest-figures", request.t("Cijfers", "Figures"), figures_html(request, report)) +
              section_html("backtest-charts", request.t("Grafieken", "Charts"), charts_html(request, report)) +
              section_html("backtest-disparity", request.t("Per buurt", "Per neighbourhood"),
                           neighbourhoods_html(request, report));
    }
  }
  response.body_html = body;
  return response;
}

} // namespace

void register_backtest_view(ViewRegistry &registry) {
  registry.add({"GET", "/dashboard/auditor/backtest", {HEARTH_ROLE_AUDITOR}, backtest_page, "Backtest", "Backtest"});
}

} // namespace hearth::dashboards::persona
