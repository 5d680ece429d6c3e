#!/usr/bin/env bash
# The main job on the embedded default: installs what is missing, builds the dev preset
# (the same build the tests use, so the second README command reuses it), and runs
# `hearth serve` with SQLite, the bundled plugins and a demo neighbourhood in
# ./hearth-data. Prints the URL; the dashboards are at /dashboard (pick a persona). Stop it with Ctrl-C. Extra arguments go to
# `hearth serve` (e.g. --port 9090). HEARTH_PRESET=release builds optimised instead.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
preset="${HEARTH_PRESET:-dev}"
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset" -j 2 --target hearth_cli hearth_plugins
# Demo mode: the dashboards offer a persona picker (never on a site with real data).
export HEARTH_RUNTIME_MODE="${HEARTH_RUNTIME_MODE:-demo}"
# The demo neighbourhood's history is fixed (2021-2025, docs/demo-data.md), so its flags
# are older than the default 90 days a flag stays open: keep them visible in the demo.
export HEARTH_PLUGIN_NL_HEARTH_EARLY_WARNING_FLAG_MAX_AGE_DAYS="${HEARTH_PLUGIN_NL_HEARTH_EARLY_WARNING_FLAG_MAX_AGE_DAYS:-3650}"
exec "build/$preset/bin/hearth" --config config serve "$@"
