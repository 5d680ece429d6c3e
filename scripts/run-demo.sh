#!/usr/bin/env bash
# The main job on the embedded default: installs what is missing, builds the release
# preset, and runs `hearth serve` with SQLite and the bundled plugins. Prints the URL.
# Stop it with Ctrl-C. Extra arguments go to `hearth serve` (e.g. --port 9090).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release
exec build/release/bin/hearth --config config serve "$@"
