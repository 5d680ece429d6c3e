#!/usr/bin/env bash
# Installs what is missing, starts a throwaway PostgreSQL on loopback, then builds and
# runs every test in the asan preset: Debug, warnings as errors, AddressSanitizer +
# UndefinedBehaviorSanitizer, the ABI checks (abidiff) included. One preset keeps CI on
# 2 cores within its time; the dev preset builds the same code without sanitizers (and
# the benchmarks): HEARTH_TEST_PRESETS="dev asan" runs both, in that order.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
# The tests' throwaway server needs no crash safety (scripts/start-postgres.sh).
eval "$(HEARTH_PG_DURABLE="${HEARTH_PG_DURABLE:-off}" scripts/start-postgres.sh)"
trap 'scripts/stop-postgres.sh >/dev/null 2>&1 || true' EXIT

for preset in ${HEARTH_TEST_PRESETS:-asan}; do
  echo "== preset $preset: build" >&2
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset" -j 2
  echo "== preset $preset: test" >&2
  ctest --preset "$preset"
done

# The adapters' parsers under libFuzzer (Clang 14), seeded from the fixtures: a short run
# per target (docs/fuzzing.md has the long one). HEARTH_TEST_FUZZ_SECONDS=0 skips it.
fuzz_seconds="${HEARTH_TEST_FUZZ_SECONDS:-10}"
if [[ "$fuzz_seconds" != "0" ]]; then
  echo "== fuzz: ${fuzz_seconds} s per target" >&2
  host-adapters/common/fuzz/run-fuzz.sh --seconds "$fuzz_seconds"
fi
