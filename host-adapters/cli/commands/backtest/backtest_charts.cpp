#include "commands/backtest/backtest_charts.hpp"

#include <algorithm>
#include <cstdio>
#include <sstream>
#include <vector>

#include <Poco/JSON/Array.h>

namespace hearth::cli {
namespace {

// The plotting area inside a 640 x 400 picture.
constexpr double kWidth = 640, kHeight = 400, kLeft = 60, kRight = 20, kTop = 40, kBottom = 60;

std::string number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", value);
  return text;
}

// One bar group of a bar chart: a label and one or two stacked values.
struct Bar {
  std::string label;
  double lower = 0; // drawn first (bottom)
  double upper = 0; // stacked on top
};

std::string open_svg(const std::string &title) {
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + number(kWidth) + "\" height=\"" + number(kHeight) +
         "\" viewBox=\"0 0 " + number(kWidth) + " " + number(kHeight) + "\" font-family=\"sans-serif\" font-size=\"12\">\n" +
         "<title>" + title + "</title>\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n" +
         "<text x=\"" + number(kWidth / 2) + "\" y=\"22\" text-anchor=\"middle\" font-size=\"15\">" + title + "</text>\n";
}

std::string axes(const std::string &x_label, const std::string &y_label) {
  const double bottom = kHeight - kBottom;
  return "<line x1=\"" + number(kLeft) + "\" y1=\"" + number(bottom) + "\" x2=\"" + number(kWidth - kRight) + "\" y2=\"" +
         number(bottom) + "\" stroke=\"black\"/>\n<line x1=\"" + number(kLeft) + "\" y1=\"" + number(kTop) + "\" x2=\"" +
         number(kLeft) + "\" y2=\"" + number(bottom) + "\" stroke=\"black\"/>\n<text x=\"" +
         number((kLeft + kWidth - kRight) / 2) + "\" y=\"" + number(kHeight - 15) + "\" text-anchor=\"middle\">" +
         x_label + "</text>\n<text x=\"15\" y=\"" + number((kTop + bottom) / 2) +
         "\" text-anchor=\"middle\" transform=\"rotate(-90 15 " + number((kTop + bottom) / 2) + ")\">" + y_label +
         "</text>\n";
}

std::string bar_chart(const std::string &title, const std::string &x_label, const std::string &y_label,
                      const std::vector<Bar> &bars, const std::string &lower_name, const std::string &upper_name) {
  std::ostringstream svg;
  svg << open_svg(title) << axes(x_label, y_label);
  double top = 1;
  for (const auto &bar : bars) {
    top = std::max(top, bar.lower + bar.upper);
  }
  const double plot_width = kWidth - kLeft - kRight;
  const double plot_height = kHeight - kTop - kBottom;
  const double bottom = kHeight - kBottom;
  const double slot = bars.empty() ? plot_width : plot_width / static_cast<double>(bars.size());
  for (std::size_t i = 0; i < bars.size(); ++i) {
    const double x = kLeft + slot * static_cast<double>(i) + slot * 0.1;
    const double w = slot * 0.8;
    const double lower = bars[i].lower / top * plot_height;
    const double upper = bars[i].upper / top * plot_height;
    svg << "<rect x=\"" << number(x) << "\" y=\"" << number(bottom - lower) << "\" width=\"" << number(w)
        << "\" height=\"" << number(lower) << "\" fill=\"#c0392b\"/>\n";
    if (upper > 0) {
      svg << "<rect x=\"" << number(x) << "\" y=\"" << number(bottom - lower - upper) << "\" width=\"" << number(w)
          << "\" height=\"" << number(upper) << "\" fill=\"#95a5a6\"/>\n";
    }
    svg << "<text x=\"" << number(x + w / 2) << "\" y=\"" << number(bottom + 15) << "\" text-anchor=\"middle\">"
        << bars[i].label << "</text>\n";
  }
  svg << "<text x=\"" << number(kLeft - 5) << "\" y=\"" << number(kTop + 4) << "\" text-anchor=\"end\">"
      << number(top) << "</text>\n<text x=\"" << number(kLeft - 5) << "\" y=\"" << number(bottom) << "\" text-anchor=\"end\">0</text>\n";
  svg << "<rect x=\"" << number(kWidth - 200) << "\" y=\"" << number(kTop) << "\" width=\"10\" height=\"10\" fill=\"#c0392b\"/>"
      << "<text x=\"" << number(kWidth - 185) << "\" y=\"" << number(kTop + 9) << "\">" << lower_name << "</text>\n";
  if (!upper_name.empty()) {
    svg << "<rect x=\"" << number(kWidth - 200) << "\" y=\"" << number(kTop + 16) << "\" width=\"10\" height=\"10\" fill=\"#95a5a6\"/>"
        << "<text x=\"" << number(kWidth - 185) << "\" y=\"" << number(kTop + 25) << "\">" << upper_name << "</text>\n";
  }
  svg << "</svg>\n";
  return svg.str();
}

} // namespace

std::string score_distribution_svg(const Poco::JSON::Object::Ptr &report) {
  std::vector<Bar> bars;
  const auto bands = report->getArray("calibration");
  for (std::size_t i = 0; i < bands->size(); ++i) {
    const auto row = bands->getObject(static_cast<unsigned>(i));
    const auto adverse = row->getValue<double>("adverse");
    const std::string label = std::to_string(row->getValue<std::int64_t>("from_score")) + (row->isNull("to_score") ? "+" : "");
    bars.push_back({label, adverse, row->getValue<double>("tenancies") - adverse});
  }
  return bar_chart("Highest score per tenancy", "score (bands of 10 points)", "tenancies", bars,
                   "notice to quit or eviction", "other outcomes");
}

std::string lead_time_svg(const Poco::JSON::Object::Ptr &report) {
  std::vector<Bar> bars;
  const auto bins = report->getObject("lead_time")->getArray("histogram");
  for (std::size_t i = 0; i < bins->size(); ++i) {
    const auto row = bins->getObject(static_cast<unsigned>(i));
    const std::string label = std::to_string(row->getValue<std::int64_t>("from_days")) + (row->isNull("to_days") ? "+" : "");
    bars.push_back({label, row->getValue<double>("count"), 0});
  }
  return bar_chart("Lead time from the first red score to notice or eviction", "days (bins of 30)", "tenancies", bars,
                   "tenancies", "");
}

std::string precision_recall_svg(const Poco::JSON::Object::Ptr &report) {
  std::ostringstream svg;
  svg << open_svg("Precision against recall over every threshold") << axes("recall", "precision");
  const double plot_width = kWidth - kLeft - kRight;
  const double plot_height = kHeight - kTop - kBottom;
  const double bottom = kHeight - kBottom;
  const auto points = report->getArray("precision_recall");
  std::string path;
  for (std::size_t i = 0; i < points->size(); ++i) {
    const auto p = points->getObject(static_cast<unsigned>(i));
    const double x = kLeft + p->getValue<double>("recall") * plot_width;
    const double y = bottom - p->getValue<double>("precision") * plot_height;
    path += (i == 0 ? "M" : " L") + number(x) + " " + number(y);
  }
  if (!path.empty()) {
    svg << "<path d=\"" << path << "\" fill=\"none\" stroke=\"#2c3e50\" stroke-width=\"2\"/>\n";
  }
  const auto red = report->getObject("at_red");
  const double rx = kLeft + red->getValue<double>("recall") * plot_width;
  const double ry = bottom - red->getValue<double>("precision") * plot_height;
  svg << "<circle cx=\"" << number(rx) << "\" cy=\"" << number(ry) << "\" r=\"5\" fill=\"#c0392b\"/>\n"
      << "<text x=\"" << number(rx + 8) << "\" y=\"" << number(ry - 8) << "\">red threshold</text>\n";
  for (const double tick : {0.0, 0.5, 1.0}) {
    svg << "<text x=\"" << number(kLeft + tick * plot_width) << "\" y=\"" << number(bottom + 15)
        << "\" text-anchor=\"middle\">" << number(tick) << "</text>\n"
        << "<text x=\"" << number(kLeft - 5) << "\" y=\"" << number(bottom - tick * plot_height + 4)
        << "\" text-anchor=\"end\">" << number(tick) << "</text>\n";
  }
  svg << "</svg>\n";
  return svg.str();
}

} // namespace hearth::cli
