// Server-rendered SVG charts for the dashboards: the score trend of a tenancy, the
// neighbourhood heat grid, and the backtest's histogram and precision/recall curve. Each
// function is pure: it turns numbers and texts into one self-contained <svg> element with a
// <title> and a <desc> (role="img", aria-labelledby), every text XML-escaped, every number
// printed with a decimal point whatever the locale. Nothing relies on colour alone: lines
// carry point markers and labels, heat cells print their number. Since dashboards 1.0.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hearth::dashboards::svg {

// & < > " ' as XML entities; control characters other than tab, CR and LF (not allowed in
// XML 1.0) become U+FFFD. Any thread.
std::string xml_escape(std::string_view text);

// What every chart is called: `id` makes its <title>/<desc> ids unique on a page (only
// [A-Za-z0-9_-] are kept; empty becomes "chart"), `title` is the accessible name and
// `description` the longer text a screen reader reads (e.g. the latest value in words).
struct ChartText {
  std::string id;
  std::string title;
  std::string description;
};

// A horizontal reference line, e.g. the amber and red thresholds of the score.
struct Threshold {
  double value = 0;
  std::string label; // printed next to the line
  std::string css_class; // e.g. "amber", "red" (only [a-z0-9-] kept)
};

// One measurement of the trend: when (Unix epoch ms, UTC) and its value.
struct TrendPoint {
  std::int64_t at_ms = 0;
  double value = 0;
};

// The score trend of one tenancy. Points are drawn in time order (the caller's order does
// not matter); the x axis runs from the first to the last point, the y axis from 0 to the
// highest of the points, the thresholds and 1. Dates on the axis as "28-11-2026" for
// lang "nl", "2026-11-28" otherwise. With no points the chart says so (`empty_text`).
struct LineChart {
  ChartText text;
  std::string x_label, y_label, empty_text, lang = "nl";
  std::vector<TrendPoint> points;
  std::vector<Threshold> thresholds;
};
std::string line_chart(const LineChart &chart);

// A grid of rows (streets or entrances) by columns (measures). Each cell prints its value
// (or "–" when absent); its shade grows with value / limit of its column (the column's
// highest value when it has no limit), and a cell at or over its limit gets a thick border
// and the css class "over", so neither the number nor "over the limit" depends on colour.
struct HeatGrid {
  ChartText text;
  std::vector<std::string> rows, columns;
  std::vector<std::vector<std::optional<double>>> values; // [row][column]; short rows are padded with absent
  std::vector<std::optional<double>> limits;              // per column; absent or <= 0: no limit
  // Since dashboards 0.2.0: a limit per cell ([row][column]) that replaces its column's
  // limit, for rows of different scopes (an entrance, a street); absent: the column's.
  std::vector<std::vector<std::optional<double>>> cell_limits;
  std::string empty_text;
};
std::string heat_grid(const HeatGrid &grid);

// One bar of a histogram: its label (e.g. "30–59") and count.
struct Bin {
  std::string label;
  double count = 0;
};

// Vertical bars with their count printed above each bar.
struct Histogram {
  ChartText text;
  std::string x_label, y_label, empty_text;
  std::vector<Bin> bins;
};
std::string histogram(const Histogram &chart);

// One point of a precision/recall curve (both 0..1) at a score threshold.
struct CurvePoint {
  double threshold = 0;
  double precision = 0;
  double recall = 0;
};

// Precision (y) against recall (x), both 0..1, points sorted by recall, each point marked
// and labelled with its threshold when there are at most 12 of them.
struct PrecisionRecall {
  ChartText text;
  std::string x_label, y_label, empty_text;
  std::vector<CurvePoint> points;
};
std::string precision_recall(const PrecisionRecall &chart);

// A number for SVG attributes and labels: at most `decimals` decimals, trailing zeros
// removed, '.' as the decimal point, never "-0"; NaN and infinities print as "0".
std::string number(double value, int decimals = 1);

} // namespace hearth::dashboards::svg
