// `hearth register-entry [--json] [--out FILE] [--user U] [--organisation O]`: the
// algorithm-register entry for the running configuration (rule set, switches and the
// register.* settings of the early-warning plugin), as Markdown or JSON, on standard
// output or in FILE.
#pragma once

#include <string>
#include <vector>

#include "command_line.hpp"

namespace hearth::cli {

int run_register_entry(const CommandLine &command_line, const std::vector<std::string> &arguments);

} // namespace hearth::cli
