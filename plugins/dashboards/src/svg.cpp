// The SVG charts of svg.hpp. Layout in a fixed viewBox (the page's CSS scales it); colours
// through css classes where the stylesheet may restyle them, with fills that keep AA
// contrast for the printed numbers.
#include "svg.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <ctime>

namespace hearth::dashboards::svg {
namespace {

constexpr double kWidth = 640;
constexpr double kHeight = 320;
constexpr double kLeft = 56;
constexpr double kRight = 24;
constexpr double kTop = 24;
constexpr double kBottom = 56;

std::string keep(std::string_view text, bool upper_too) {
  std::string out;
  for (const char c : text) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
                    (upper_too && c >= 'A' && c <= 'Z');
    if (ok) out.push_back(c);
  }
  return out;
}

std::string chart_id(const ChartText &text) {
  const std::string id = keep(text.id, true);
  return id.empty() ? "chart" : id;
}

// <svg ...><title/><desc/> for `text`, viewBox width x height.
std::string open_svg(const ChartText &text, const char *kind, double width, double height) {
  const std::string id = chart_id(text);
  std::string out = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart " + std::string(kind) +
                    "\" viewBox=\"0 0 " + number(width) + " " + number(height) + "\" role=\"img\" aria-labelledby=\"" +
                    id + "-title " + id + "-desc\" data-test=\"chart-" + kind + "\">";
  out += "<title id=\"" + id + "-title\">" + xml_escape(text.title) + "</title>";
  out += "<desc id=\"" + id + "-desc\">" + xml_escape(text.description) + "</desc>";
  return out;
}

std::string text_at(double x, double y, std::string_view content, const char *anchor = "middle",
                    const std::string &css = "label") {
  return "<text x=\"" + number(x) + "\" y=\"" + number(y) + "\" text-anchor=\"" + anchor + "\" class=\"" + css +
         "\">" + xml_escape(content) + "</text>";
}

std::string line(double x1, double y1, double x2, double y2, const std::string &css) {
  return "<line x1=\"" + number(x1) + "\" y1=\"" + number(y1) + "\" x2=\"" + number(x2) + "\" y2=\"" + number(y2) +
         "\" class=\"" + css + "\"/>";
}

std::string empty_chart(const ChartText &text, const char *kind, const std::string &empty_text) {
  return open_svg(text, kind, kWidth, 80) + text_at(kWidth / 2, 44, empty_text) + "</svg>";
}

// A "nice" upper bound for an axis: 1, 2, 2.5 or 5 times a power of ten, at least `value`.
double nice_ceiling(double value) {
  if (!(value > 0) || !std::isfinite(value)) return 1;
  const double power = std::pow(10.0, std::floor(std::log10(value)));
  for (const double step : {1.0, 2.0, 2.5, 5.0, 10.0}) {
    if (step * power >= value) return step * power;
  }
  return 10 * power;
}

// Axes with four horizontal grid lines and their values, for a plot area of the default
// margins and y from 0 to `y_max`.
std::string axes(double y_max, const std::string &x_label, const std::string &y_label, int decimals) {
  const double plot_bottom = kHeight - kBottom;
  const double plot_height = plot_bottom - kTop;
  std::string out = "<g class=\"axes\">";
  for (int i = 0; i <= 4; ++i) {
    const double y = plot_bottom - plot_height * i / 4.0;
    out += line(kLeft, y, kWidth - kRight, y, i == 0 ? "axis" : "grid");
    out += text_at(kLeft - 6, y + 4, number(y_max * i / 4.0, decimals), "end", "tick");
  }
  out += line(kLeft, kTop, kLeft, plot_bottom, "axis");
  out += text_at((kLeft + kWidth - kRight) / 2, kHeight - 8, x_label, "middle", "axis-label");
  out += "<text x=\"14\" y=\"" + number((kTop + plot_bottom) / 2) + "\" text-anchor=\"middle\" transform=\"rotate(-90 14 " +
         number((kTop + plot_bottom) / 2) + ")\" class=\"axis-label\">" + xml_escape(y_label) + "</text>";
  return out + "</g>";
}

std::string date_label(std::int64_t ms, const std::string &lang) {
  const std::time_t seconds = static_cast<std::time_t>(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
  std::tm parts{};
  gmtime_r(&seconds, &parts);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, lang == "nl" ? "%d-%m-%Y" : "%Y-%m-%d", &parts);
  return buffer;
}

// White on dark shades, near-black on light ones: both at least 4.5:1.
const char *cell_fill(double share) {
  static const char *const kShades[] = {"#f7fbff", "#deebf7", "#c6dbef", "#9ecae1", "#4292c6", "#2171b5", "#08306b"};
  const int index = static_cast<int>(std::clamp(share, 0.0, 1.0) * 6.0 + 0.5);
  return kShades[std::clamp(index, 0, 6)];
}

} // namespace

std::string xml_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 16);
  for (const char c : text) {
    switch (c) {
    case '&': out += "&amp;"; break;
    case '<': out += "&lt;"; break;
    case '>': out += "&gt;"; break;
    case '"': out += "&quot;"; break;
    case '\'': out += "&#39;"; break;
    default:
      if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r') {
        out += "\xEF\xBF\xBD";
      } else {
        out.push_back(c);
      }
    }
  }
  return out;
}

std::string number(double value, int decimals) {
  if (!std::isfinite(value)) return "0";
  decimals = std::clamp(decimals, 0, 6);
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed, decimals);
  std::string out(buffer, result.ec == std::errc() ? result.ptr : buffer);
  if (out.find('.') != std::string::npos) {
    while (!out.empty() && out.back() == '0') out.pop_back();
    if (!out.empty() && out.back() == '.') out.pop_back();
  }
  if (out == "-0" || out.empty()) return "0";
  return out;
}

std::string line_chart(const LineChart &chart) {
  if (chart.points.empty()) return empty_chart(chart.text, "line", chart.empty_text);
  std::vector<TrendPoint> points = chart.points;
  std::stable_sort(points.begin(), points.end(), [](const TrendPoint &a, const TrendPoint &b) { return a.at_ms < b.at_ms; });
  double highest = 1;
  for (const auto &p : points) highest = std::max(highest, std::isfinite(p.value) ? p.value : 0.0);
  for (const auto &t : chart.thresholds) highest = std::max(highest, t.value);
  const double y_max = nice_ceiling(highest);
  const double plot_bottom = kHeight - kBottom;
  const double plot_width = kWidth - kLeft - kRight;
  const double plot_height = plot_bottom - kTop;
  const auto first = points.front().at_ms;
  const auto span = static_cast<double>(points.back().at_ms - first);
  auto x_of = [&](std::int64_t at) {
    return span > 0 ? kLeft + plot_width * static_cast<double>(at - first) / span : kLeft + plot_width / 2;
  };
  auto y_of = [&](double v) { return plot_bottom - plot_height * std::clamp(std::isfinite(v) ? v : 0.0, 0.0, y_max) / y_max; };

  std::string out = open_svg(chart.text, "line", kWidth, kHeight) + axes(y_max, chart.x_label, chart.y_label, 0);
  for (const auto &t : chart.thresholds) {
    const std::string css = keep(t.css_class, false);
    out += "<g class=\"threshold" + (css.empty() ? "" : " " + css) + "\">" +
           line(kLeft, y_of(t.value), kWidth - kRight, y_of(t.value), "threshold-line") +
           text_at(kWidth - kRight - 4, y_of(t.value) - 4, t.label + " (" + number(t.value) + ")", "end") + "</g>";
  }
  out += text_at(kLeft, plot_bottom + 18, date_label(points.front().at_ms, chart.lang), "start", "tick");
  if (points.size() > 1) {
    out += text_at(kWidth - kRight, plot_bottom + 18, date_label(points.back().at_ms, chart.lang), "end", "tick");
  }
  std::string path;
  for (const auto &p : points) {
    path += (path.empty() ? "" : " ") + number(x_of(p.at_ms)) + "," + number(y_of(p.value));
  }
  out += "<polyline class=\"trend\" fill=\"none\" points=\"" + path + "\"/>";
  out += "<g class=\"markers\">";
  for (const auto &p : points) {
    out += "<circle class=\"marker\" cx=\"" + number(x_of(p.at_ms)) + "\" cy=\"" + number(y_of(p.value)) +
           "\" r=\"3.5\"><title>" + xml_escape(date_label(p.at_ms, chart.lang) + ": " + number(p.value)) +
           "</title></circle>";
  }
  out += "</g>";
  const auto &last = points.back();
  out += text_at(x_of(last.at_ms) - 6, y_of(last.value) - 8, number(last.value), "end", "value");
  return out + "</svg>";
}

std::string heat_grid(const HeatGrid &grid) {
  if (grid.rows.empty() || grid.columns.empty()) return empty_chart(grid.text, "heat", grid.empty_text);
  constexpr double kRowLabel = 220, kCellWidth = 96, kCellHeight = 32, kHeader = 48;
  const std::size_t columns = grid.columns.size();
  auto value_at = [&](std::size_t r, std::size_t c) -> std::optional<double> {
    if (r >= grid.values.size() || c >= grid.values[r].size()) return std::nullopt;
    const auto v = grid.values[r][c];
    return v && std::isfinite(*v) ? v : std::nullopt;
  };
  std::vector<double> scale(columns, 0), limit(columns, 0);
  for (std::size_t c = 0; c < columns; ++c) {
    if (c < grid.limits.size() && grid.limits[c] && *grid.limits[c] > 0) limit[c] = *grid.limits[c];
    double highest = 0;
    for (std::size_t r = 0; r < grid.rows.size(); ++r) {
      if (const auto v = value_at(r, c)) highest = std::max(highest, *v);
    }
    scale[c] = limit[c] > 0 ? limit[c] : highest;
  }
  const double width = kRowLabel + kCellWidth * static_cast<double>(columns) + 8;
  const double height = kHeader + kCellHeight * static_cast<double>(grid.rows.size()) + 8;
  std::string out = open_svg(grid.text, "heat", width, height);
  out += "<g class=\"columns\">";
  for (std::size_t c = 0; c < columns; ++c) {
    const double x = kRowLabel + kCellWidth * (static_cast<double>(c) + 0.5);
    std::string header = grid.columns[c];
    out += text_at(x, 20, header, "middle", "column");
    if (limit[c] > 0) out += text_at(x, 38, "≤ " + number(limit[c]), "middle", "limit");
  }
  out += "</g>";
  for (std::size_t r = 0; r < grid.rows.size(); ++r) {
    const double y = kHeader + kCellHeight * static_cast<double>(r);
    out += "<g class=\"row\">" + text_at(kRowLabel - 8, y + 21, grid.rows[r], "end", "row-label");
    for (std::size_t c = 0; c < columns; ++c) {
      const double x = kRowLabel + kCellWidth * static_cast<double>(c);
      const auto v = value_at(r, c);
      double cell_limit = limit[c], cell_scale = scale[c];
      if (r < grid.cell_limits.size() && c < grid.cell_limits[r].size() && grid.cell_limits[r][c] &&
          std::isfinite(*grid.cell_limits[r][c]) && *grid.cell_limits[r][c] > 0) {
        cell_limit = cell_scale = *grid.cell_limits[r][c];
      }
      const double share = v && cell_scale > 0 ? *v / cell_scale : 0;
      const bool over = v && cell_limit > 0 && *v >= cell_limit;
      const char *fill = cell_fill(share);
      const bool dark = std::clamp(share, 0.0, 1.0) * 6.0 + 0.5 >= 4;
      out += "<rect x=\"" + number(x + 1) + "\" y=\"" + number(y + 1) + "\" width=\"" + number(kCellWidth - 2) +
             "\" height=\"" + number(kCellHeight - 2) + "\" fill=\"" + fill + "\" class=\"cell" +
             (over ? " over\" stroke=\"#b10026\" stroke-width=\"3\"" : "\"") + "/>";
      const std::string shown = v ? number(*v) + (over ? " !" : "") : "–";
      out += "<text x=\"" + number(x + kCellWidth / 2) + "\" y=\"" + number(y + 21) +
             "\" text-anchor=\"middle\" class=\"cell-value\" fill=\"" + (dark ? "#ffffff" : "#111111") + "\">" +
             xml_escape(shown) + "</text>";
    }
    out += "</g>";
  }
  return out + "</svg>";
}

std::string histogram(const Histogram &chart) {
  if (chart.bins.empty()) return empty_chart(chart.text, "histogram", chart.empty_text);
  double highest = 1;
  for (const auto &b : chart.bins) highest = std::max(highest, std::isfinite(b.count) ? b.count : 0.0);
  const double y_max = nice_ceiling(highest);
  const double plot_bottom = kHeight - kBottom;
  const double plot_width = kWidth - kLeft - kRight;
  const double plot_height = plot_bottom - kTop;
  const double slot = plot_width / static_cast<double>(chart.bins.size());
  std::string out = open_svg(chart.text, "histogram", kWidth, kHeight) + axes(y_max, chart.x_label, chart.y_label, 0);
  out += "<g class=\"bars\">";
  for (std::size_t i = 0; i < chart.bins.size(); ++i) {
    const double count = std::isfinite(chart.bins[i].count) ? std::max(0.0, chart.bins[i].count) : 0.0;
    const double bar_height = plot_height * count / y_max;
    const double x = kLeft + slot * static_cast<double>(i);
    out += "<rect class=\"bar\" x=\"" + number(x + slot * 0.1) + "\" y=\"" + number(plot_bottom - bar_height) +
           "\" width=\"" + number(slot * 0.8) + "\" height=\"" + number(bar_height) + "\"><title>" +
           xml_escape(chart.bins[i].label + ": " + number(count)) + "</title></rect>";
    out += text_at(x + slot / 2, plot_bottom - bar_height - 4, number(count), "middle", "value");
    out += text_at(x + slot / 2, plot_bottom + 16, chart.bins[i].label, "middle", "tick");
  }
  return out + "</g></svg>";
}

std::string precision_recall(const PrecisionRecall &chart) {
  if (chart.points.empty()) return empty_chart(chart.text, "precision-recall", chart.empty_text);
  std::vector<CurvePoint> points = chart.points;
  std::stable_sort(points.begin(), points.end(), [](const CurvePoint &a, const CurvePoint &b) {
    return a.recall < b.recall || (a.recall == b.recall && a.precision > b.precision);
  });
  const double plot_bottom = kHeight - kBottom;
  const double plot_width = kWidth - kLeft - kRight;
  const double plot_height = plot_bottom - kTop;
  auto unit = [](double v) { return std::isfinite(v) ? std::clamp(v, 0.0, 1.0) : 0.0; };
  auto x_of = [&](double recall) { return kLeft + plot_width * unit(recall); };
  auto y_of = [&](double precision) { return plot_bottom - plot_height * unit(precision); };
  std::string out = open_svg(chart.text, "precision-recall", kWidth, kHeight) + axes(1, chart.x_label, chart.y_label, 2);
  for (int i = 0; i <= 4; ++i) {
    out += text_at(kLeft + plot_width * i / 4.0, plot_bottom + 16, number(i / 4.0, 2), "middle", "tick");
  }
  std::string path;
  for (const auto &p : points) path += (path.empty() ? "" : " ") + number(x_of(p.recall)) + "," + number(y_of(p.precision));
  out += "<polyline class=\"curve\" fill=\"none\" points=\"" + path + "\"/><g class=\"markers\">";
  const bool label_all = points.size() <= 12;
  for (const auto &p : points) {
    out += "<circle class=\"marker\" cx=\"" + number(x_of(p.recall)) + "\" cy=\"" + number(y_of(p.precision)) +
           "\" r=\"3.5\"><title>" +
           xml_escape("≥ " + number(p.threshold) + ": " + number(p.precision, 2) + " / " + number(p.recall, 2)) +
           "</title></circle>";
    if (label_all) out += text_at(x_of(p.recall) + 6, y_of(p.precision) - 6, "≥ " + number(p.threshold), "start", "value");
  }
  return out + "</g></svg>";
}

} // namespace hearth::dashboards::svg
