// The commands of `hearth`. Each takes the parsed command line and the arguments after its
// command words, writes its output, and returns the exit code; failures are thrown as
// UsageError or CommandFailure (cli_errors.hpp).
#pragma once

#include <string>
#include <vector>

#include "command_line.hpp"

namespace hearth::cli {

// `hearth version`: the release and ABI version of the library.
int run_version(const CommandLine &command_line, const std::vector<std::string> &arguments);

// `hearth plugins list [--json]`: loads the configured plugins and lists them.
int run_plugins_list(const CommandLine &command_line, const std::vector<std::string> &arguments);

// `hearth plugins inspect FILE [--json]`: inspects one module in a child process.
// `hearth plugins scan DIR [--json]`: every module in DIR inspected in a child process.
int run_plugins_scan(const CommandLine &command_line, const std::vector<std::string> &arguments);
int run_plugins_inspect(const CommandLine &command_line,
                        const std::vector<std::string> &arguments);

// `hearth serve [--address A] [--port P] [--no-demo-data]`: seeds an empty store with a
// demo neighbourhood (unless --no-demo-data), then serves HTTP until SIGINT or SIGTERM.
int run_serve(const CommandLine &command_line, const std::vector<std::string> &arguments);

// `hearth demo-data [--tenancies N] [--seed S]`: generates a synthetic neighbourhood and
// stores it (idempotently) in the configured store.
int run_demo_data(const CommandLine &command_line, const std::vector<std::string> &arguments);

// `hearth purge [--user U] [--organisation O]`: deletes, as an administrator, what outlived
// its retention period ([retention] in hearth.ini) and prints the counts.
int run_purge(const CommandLine &command_line, const std::vector<std::string> &arguments);

// `hearth erase --person ID | --tenancy ID [--user U] [--organisation O]`: an erasure
// request, as an administrator; the audit log is kept.
int run_erase(const CommandLine &command_line, const std::vector<std::string> &arguments);

// `hearth audit verify [--user U] [--organisation O]`: checks the audit log's hash chain as
// an auditor; exit 0 when intact, 1 when tampered.
int run_audit(const CommandLine &command_line, const std::vector<std::string> &arguments);

} // namespace hearth::cli
