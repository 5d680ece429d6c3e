// The backtest report (the early-warning plugin's backtest.report answer) as Markdown, for
// people: the figures in tables, the charts linked, and what the numbers mean.
#pragma once

#include <string>

#include <Poco/JSON/Object.h>

namespace hearth::cli {

// What the report is about, for its heading.
struct BacktestScope {
  std::string from, to;                   // the window, YYYY-MM-DD
  std::string rule_set;                   // "hearth-default 2026.1 (sha256 3f2a...)"
  std::string distribution_svg = "score-distribution.svg";
  std::string curve_svg = "precision-recall.svg";
  std::string lead_time_svg = "lead-time.svg";
};

std::string backtest_markdown(const Poco::JSON::Object::Ptr &report, const BacktestScope &scope);

} // namespace hearth::cli
