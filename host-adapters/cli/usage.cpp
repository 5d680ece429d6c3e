// The usage text of the `hearth` command.
#include "usage.hpp"

namespace hearth::cli {

void print_usage(std::ostream &out) {
  out << "Usage: hearth [--config DIR] COMMAND [OPTIONS]\n"
         "\n"
         "Runs Hearth: early warning, coordinator handoff and dashboards for keeping\n"
         "tenants housed.\n"
         "\n"
         "Commands:\n"
         "  help                          Show this text.\n"
         "  version                       Show the release and ABI version.\n"
         "  plugins list [--json]         Load the configured plugins and list them with\n"
         "                                their state (and why a plugin was refused).\n"
         "  plugins inspect FILE [--json] Show a plugin module's descriptor and ABI version\n"
         "                                without loading it into Hearth.\n"
         "  serve [--address A] [--port P] [--no-demo-data]\n"
         "                                Load the plugins and serve HTTP until SIGINT or\n"
         "                                SIGTERM. Without them (or with port 0), [http]\n"
         "                                address and port of the configuration apply;\n"
         "                                port = 0 there picks a free port. An empty store\n"
         "                                is first seeded with a demo neighbourhood (200\n"
         "                                tenancies, seed 1) unless --no-demo-data is given.\n"
         "  demo-data [--tenancies N] [--seed S]\n"
         "                                Generate a synthetic neighbourhood (default 500\n"
         "                                tenancies, seed 1; N up to 1000000) with signal\n"
         "                                histories and outcomes, and store it. The same\n"
         "                                seed gives the same data; a rerun stores nothing new.\n"
         "\n"
         "Global options:\n"
         "  --config DIR                  The configuration folder (holding hearth.ini);\n"
         "                                default: $HEARTH_CONFIG_DIR, else built-in defaults.\n"
         "  -h, --help                    Show this text.\n"
         "\n"
         "Exit status: 0 on success, 1 on failure, 2 for a wrong command line.\n";
}

} // namespace hearth::cli
