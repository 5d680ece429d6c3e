// `hearth backtest --from DATE --to DATE [--out DIR] [--top-k K] [--parts N] [--user U]
// [--organisation O]`: replays the labelled history through the configured rule set, as
// an auditor, and writes DIR/backtest.md with three SVG charts next to it (default DIR:
// backtest-report). Shows a progress bar on a terminal.
#pragma once

#include <string>
#include <vector>

#include "command_line.hpp"

namespace hearth::cli {

int run_backtest(const CommandLine &command_line, const std::vector<std::string> &arguments);

} // namespace hearth::cli
