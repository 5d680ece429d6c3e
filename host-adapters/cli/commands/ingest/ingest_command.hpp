// `hearth ingest --adapter NAME [options] FILE...`: reads back-office exports with one of
// the host adapters and ingests them through the runtime as the system role, with a
// progress bar on a terminal (plain lines otherwise) and a summary of what was accepted,
// already there (duplicate), refused (rejected) and not a signal (ignored). Since 0.1.
#pragma once

#include <string>
#include <vector>

#include "adapter_common/adapter.hpp"
#include "command_line.hpp"

namespace hearth::cli {

// Runs the command; `arguments` are those after "ingest". Exit 0 when nothing was refused,
// 1 when any record was refused or denied by the policy (the summary says which field and why) or the runtime
// failed, 2 for a usage error. Throws UsageError / CommandFailure like the other commands.
int run_ingest(const CommandLine &command_line, const std::vector<std::string> &arguments);

// The adapters `hearth ingest` offers (adapter_table.cpp).
const adapters::AdapterRegistry &ingest_adapters();

} // namespace hearth::cli
