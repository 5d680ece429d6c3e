#!/usr/bin/env bash
# Installs what is missing, starts a throwaway PostgreSQL on loopback, then builds and
# runs every test in the asan preset: Debug, warnings as errors, AddressSanitizer +
# UndefinedBehaviorSanitizer, the ABI checks (abidiff) included. One preset keeps CI on
# 2 cores within its time; the dev preset builds the same code without sanitizers (and
# the benchmarks): HEARTH_TEST_PRESETS="dev asan" runs both, in that order.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
eval "$(scripts/start-postgres.sh)"
trap 'scripts/stop-postgres.sh >/dev/null 2>&1 || true' EXIT

for preset in ${HEARTH_TEST_PRESETS:-asan}; do
  echo "== preset $preset: build" >&2
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset" -j 2
  echo "== preset $preset: test" >&2
  ctest --preset "$preset"
done
