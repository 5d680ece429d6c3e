#!/usr/bin/env bash
# Installs what is missing, starts a throwaway PostgreSQL on loopback, then builds and
# runs every test: the dev preset (Debug, warnings as errors, includes the ABI checks)
# and the asan preset (AddressSanitizer + UndefinedBehaviorSanitizer).
# HEARTH_TEST_PRESETS="dev" runs only the named presets.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
eval "$(scripts/start-postgres.sh)"
trap 'scripts/stop-postgres.sh >/dev/null 2>&1 || true' EXIT

for preset in ${HEARTH_TEST_PRESETS:-dev asan}; do
  echo "== preset $preset: build" >&2
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset" -j 2
  echo "== preset $preset: test" >&2
  ctest --preset "$preset"
done
