#include "commands/backtest/backtest_markdown.hpp"

#include <cstdio>
#include <sstream>

#include <Poco/JSON/Array.h>

namespace hearth::cli {
namespace {

std::string percent(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f%%", value * 100.0);
  return text;
}

std::string integer(const Poco::JSON::Object::Ptr &object, const char *key) {
  return std::to_string(object->getValue<std::int64_t>(key));
}

std::string range(const Poco::JSON::Object::Ptr &row, const char *from, const char *to) {
  return integer(row, from) + (row->isNull(to) ? "+" : "–" + std::to_string(row->getValue<std::int64_t>(to) - 1));
}

void confusion_row(std::ostringstream &out, const char *name, const Poco::JSON::Object::Ptr &c) {
  out << "| " << name << " | " << percent(c->getValue<double>("precision")) << " | "
      << percent(c->getValue<double>("recall")) << " | " << percent(c->getValue<double>("false_positive_rate")) << " | "
      << integer(c, "true_positives") << " | " << integer(c, "false_positives") << " | " << integer(c, "false_negatives")
      << " | " << integer(c, "true_negatives") << " |\n";
}

} // namespace

std::string backtest_markdown(const Poco::JSON::Object::Ptr &report, const BacktestScope &scope) {
  std::ostringstream out;
  out << "# Backtest of the early-warning rule set\n\n"
      << "Window " << scope.from << " to " << scope.to << ", rule set " << scope.rule_set << ".\n\n"
      << "Each tenancy with a recorded outcome is replayed in the order its signals happened and scored at the "
      << "window's start and after every signal in the window, up to the day its outcome was decided. A tenancy "
      << "counts as *flagged* when its highest score reached the threshold; *adverse* outcomes are notice to quit "
      << "and eviction. Flags are advice: these figures say how good the advice would have been, not what anyone "
      << "decided.\n\n";
  out << "## Population\n\n"
      << "| tenancies | adverse outcomes | prevalence | left out (decided before the window) |\n"
      << "|---:|---:|---:|---:|\n"
      << "| " << integer(report, "tenancies") << " | " << integer(report, "adverse_outcomes") << " | "
      << percent(report->getValue<double>("prevalence")) << " | " << integer(report, "excluded_decided_before_window")
      << " |\n\n";
  const auto outcomes = report->getArray("outcomes");
  out << "| outcome | tenancies | went red | red rate |\n|---|---:|---:|---:|\n";
  for (std::size_t i = 0; i < outcomes->size(); ++i) {
    const auto row = outcomes->getObject(static_cast<unsigned>(i));
    out << "| " << row->getValue<std::string>("outcome") << " | " << integer(row, "tenancies") << " | "
        << integer(row, "red") << " | " << percent(row->getValue<double>("red_rate")) << " |\n";
  }
  const auto top = report->getObject("top_k");
  out << "\n## Precision and recall\n\n"
      << "| flagged when | precision | recall | false-positive rate | true pos. | false pos. | false neg. | true neg. |\n"
      << "|---|---:|---:|---:|---:|---:|---:|---:|\n";
  confusion_row(out, ("red (score >= " + integer(report, "red_from") + ")").c_str(), report->getObject("at_red"));
  confusion_row(out, ("amber or red (score >= " + integer(report, "amber_from") + ")").c_str(), report->getObject("at_amber"));
  out << "\nTop " << integer(top, "k") << " scores: precision " << percent(top->getValue<double>("precision"))
      << ", recall " << percent(top->getValue<double>("recall")) << ".\n\n"
      << "![Precision against recall for every threshold](" << scope.curve_svg << ")\n\n";
  const auto lead = report->getObject("lead_time");
  out << "## Lead time\n\nFrom the first red score to the notice to quit or eviction: ";
  if (lead->isNull("median_days")) {
    out << "no adverse outcome was preceded by a red score.\n\n";
  } else {
    char median[32];
    std::snprintf(median, sizeof median, "%.1f", lead->getValue<double>("median_days"));
    out << "median " << median << " days over " << integer(lead, "count") << " tenancies.\n\n";
  }
  out << "![Lead times in days](" << scope.lead_time_svg << ")\n\n";
  out << "## Calibration\n\nThe share of adverse outcomes per band of the highest score.\n\n"
      << "| score | tenancies | adverse | observed rate |\n|---|---:|---:|---:|\n";
  const auto calibration = report->getArray("calibration");
  for (std::size_t i = 0; i < calibration->size(); ++i) {
    const auto row = calibration->getObject(static_cast<unsigned>(i));
    out << "| " << range(row, "from_score", "to_score") << " | " << integer(row, "tenancies") << " | "
        << integer(row, "adverse") << " | " << percent(row->getValue<double>("observed_rate")) << " |\n";
  }
  out << "\n| level | tenancies | adverse | observed rate |\n|---|---:|---:|---:|\n";
  const auto levels = report->getArray("calibration_by_level");
  for (std::size_t i = 0; i < levels->size(); ++i) {
    const auto row = levels->getObject(static_cast<unsigned>(i));
    out << "| " << row->getValue<std::string>("level") << " | " << integer(row, "tenancies") << " | "
        << integer(row, "adverse") << " | " << percent(row->getValue<double>("observed_rate")) << " |\n";
  }
  out << "\n![Highest scores, adverse outcomes and others](" << scope.distribution_svg << ")\n\n";
  out << "## Flag rates by neighbourhood\n\n"
      << "A ratio far from 1 means red flags fall more (or less) often in that neighbourhood than overall "
      << "(" << percent(report->getValue<double>("overall_red_rate")) << "). Compare it with the adverse rate before "
      << "drawing conclusions; a rule set may not use the neighbourhood itself.\n\n"
      << "| neighbourhood | tenancies | red | red rate | ratio to overall | adverse rate |\n"
      << "|---|---:|---:|---:|---:|---:|\n";
  const auto areas = report->getArray("neighbourhoods");
  for (std::size_t i = 0; i < areas->size(); ++i) {
    const auto row = areas->getObject(static_cast<unsigned>(i));
    char ratio[32];
    std::snprintf(ratio, sizeof ratio, "%.2f", row->getValue<double>("red_rate_ratio"));
    out << "| " << row->getValue<std::string>("neighbourhood") << " | " << integer(row, "tenancies") << " | "
        << integer(row, "red") << " | " << percent(row->getValue<double>("red_rate")) << " | " << ratio << " | "
        << percent(row->getValue<double>("adverse_rate")) << " |\n";
  }
  return out.str();
}

} // namespace hearth::cli
