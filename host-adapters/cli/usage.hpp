// The usage text of the `hearth` command.
#pragma once

#include <ostream>

namespace hearth::cli {

// Writes the usage: every command and the global options.
void print_usage(std::ostream &out);

} // namespace hearth::cli
