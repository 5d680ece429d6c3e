#!/usr/bin/env bash
# The main job on the embedded default: installs what is missing, builds the dev preset
# (the same build the tests use, so the second README command reuses it), and runs
# `hearth serve` with SQLite, the bundled plugins and a demo neighbourhood in
# ./hearth-data. Prints the URL. Stop it with Ctrl-C. Extra arguments go to
# `hearth serve` (e.g. --port 9090). HEARTH_PRESET=release builds optimised instead.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
preset="${HEARTH_PRESET:-dev}"
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset" -j 2 --target hearth_cli hearth_plugins
# Demo mode: the dashboards offer a persona picker (never on a site with real data).
export HEARTH_RUNTIME_MODE="${HEARTH_RUNTIME_MODE:-demo}"
exec "build/$preset/bin/hearth" --config config serve "$@"
