// `hearth new-plugin NAME [--lang c|cpp] [--dir D] [--id ID]`: creates a plugin project
// that builds out of tree against the installed Hearth (find_package(Hearth) or pkg-config).
#pragma once

#include <string>
#include <vector>

#include "command_line.hpp"

namespace hearth::cli {

// Creates the project in D (default ./NAME) from the installed template for the language
// (default c) and prints the files and the next steps. Returns exit_success; throws
// UsageError for a bad name, language, id or option, CommandFailure when the folder exists
// and is not empty or the template is missing.
int run_new_plugin(const CommandLine &command_line, const std::vector<std::string> &arguments);

} // namespace hearth::cli
