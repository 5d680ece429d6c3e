// The two ways a command ends early: a usage error (exit 2) or a failure (exit 1).
// main() catches both and prints "hearth: <message>" on stderr.
#pragma once

#include <stdexcept>
#include <string>

namespace hearth::cli {

// The process exit codes of the `hearth` command.
enum ExitCode : int { exit_success = 0, exit_failure = 1, exit_usage = 2 };

// The command line was wrong: exit 2, with a hint to see --help.
class UsageError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

// The command could not do its job: exit 1.
class CommandFailure : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

} // namespace hearth::cli
