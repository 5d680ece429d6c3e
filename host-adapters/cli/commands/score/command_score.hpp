// `hearth score --full [--json] [--user U] [--organisation O]`: rescores every tenancy
// from the stored signals under the configured rule set, as an administrator, and prints
// what it found (the early-warning plugin's operation score.full).
#pragma once

#include <string>
#include <vector>

#include "command_line.hpp"

namespace hearth::cli {

int run_score(const CommandLine &command_line, const std::vector<std::string> &arguments);

} // namespace hearth::cli
