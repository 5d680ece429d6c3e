// `hearth config check [--json]`: reports every error in the configuration folder chosen
// by --config, HEARTH_CONFIG_DIR or the default, with file, key and reason.
#pragma once

#include <string>
#include <vector>

#include "command_line.hpp"

namespace hearth::cli {

// Runs `hearth config ...` with `arguments` after the word "config": "check [--json]".
// Prints one line per problem ("file: key: reason") or, with --json, an array of
// {"file","key","reason"} objects; returns exit_success when there is none and
// exit_failure when there is any. Throws UsageError for another subcommand or option.
int run_config(const CommandLine &command_line, const std::vector<std::string> &arguments);

} // namespace hearth::cli
