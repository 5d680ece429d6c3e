#!/usr/bin/env bash
# Builds the adapters' libFuzzer targets with Clang 14 and runs each for a while, seeded
# from the shared fixtures (written at run time by make_seeds.py; nothing is copied into
# the repository). Exits non-zero when a fuzzer finds a crash, a hang or a leak; the input
# that caused it is kept in <build>/fuzz-artifacts/.
#
#   host-adapters/common/fuzz/run-fuzz.sh --short          # CI: 30 s per target
#   host-adapters/common/fuzz/run-fuzz.sh --seconds 3600   # the long run (docs/fuzzing.md)
#   options: --build DIR (default build-fuzz), --jobs N (parallel fuzz jobs per target)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
seconds=30
build="$root/build-fuzz"
jobs=1
while [ $# -gt 0 ]; do
  case "$1" in
    --short) seconds=30 ;;
    --seconds) seconds="$2"; shift ;;
    --build) build="$2"; shift ;;
    --jobs) jobs="$2"; shift ;;
    *) echo "run-fuzz: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

mkdir -p "$build"
build="$(cd "$build" && pwd)"

cc="${HEARTH_FUZZ_CC:-clang-14}"
cxx="${HEARTH_FUZZ_CXX:-clang++-14}"
if ! command -v "$cxx" >/dev/null; then
  echo "run-fuzz: $cxx not found (Debian: apt-get install clang-14 libclang-rt-14-dev)" >&2
  exit 1
fi

fixtures="$root/../shared/fixtures"
if [ ! -d "$fixtures" ]; then
  if [ "${CI:-}" = "true" ]; then
    echo "run-fuzz: the fixtures ($fixtures) are required in CI" >&2
    exit 1
  fi
  echo "run-fuzz: no fixtures at $fixtures; fuzzing from empty corpora" >&2
fi

generator=()
if command -v ninja >/dev/null; then
  generator=(-G Ninja)
fi
cmake -S "$root" -B "$build" "${generator[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER="$cc" -DCMAKE_CXX_COMPILER="$cxx" -DHEARTH_FUZZ=ON \
  -DHEARTH_BUILD_TESTS=OFF -DHEARTH_BUILD_BENCHMARKS=OFF -DHEARTH_WARNINGS_AS_ERRORS=ON >/dev/null

targets=()
for description in "$build"/fuzz/*.target; do
  targets+=("$(basename "$description" .target)")
done
if [ ${#targets[@]} -eq 0 ]; then
  echo "run-fuzz: no fuzz targets were configured" >&2
  exit 1
fi
cmake --build "$build" --target "${targets[@]}" -j"${HEARTH_FUZZ_BUILD_JOBS:-2}"

seeds="$build/fuzz-seeds"
rm -rf "$seeds"
mkdir -p "$seeds" "$build/fuzz-artifacts"
if [ -d "$fixtures" ]; then
  python3 "$root/host-adapters/common/fuzz/make_seeds.py" "$fixtures" "$seeds"
fi

# libFuzzer writes its job logs (fuzz-N.log) to the working folder: keep them in the build.
cd "$build"
parallel=()
if [ "$jobs" -gt 1 ]; then
  parallel=(-jobs="$jobs" -workers="$jobs")
fi
failed=0
for target in "${targets[@]}"; do
  read -r corpus executable <"$build/fuzz/$target.target"
  # A corpus is a seed set of make_seeds.py by name, or a folder of the adapter's own.
  if [ "${corpus#/}" != "$corpus" ]; then
    seed_dir="$corpus"
  else
    seed_dir="$seeds/$corpus"
  fi
  work="$build/fuzz-corpus/$target"
  mkdir -p "$work" "$seed_dir"
  echo "run-fuzz: $target for ${seconds}s (seeds $seed_dir)" >&2
  if ! "$executable" "$work" "$seed_dir" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
      -max_len=65536 "${parallel[@]}" -print_final_stats=1 \
      -artifact_prefix="$build/fuzz-artifacts/$target-" >"$build/fuzz-$target.log" 2>&1; then
    echo "run-fuzz: $target FAILED; see $build/fuzz-$target.log and $build/fuzz-artifacts/" >&2
    tail -n 40 "$build/fuzz-$target.log" >&2
    failed=1
  else
    grep -E "stat::number_of_executed_units|stat::peak_rss_mb" "$build/fuzz-$target.log" | sed "s/^/run-fuzz: $target /" >&2 || true
  fi
done
if [ "$failed" -ne 0 ]; then
  exit 1
fi
echo "run-fuzz: ${#targets[@]} targets passed (${seconds}s each)"
