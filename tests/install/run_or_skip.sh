#!/usr/bin/env bash
# run_or_skip.sh TOOL[,TOOL...] -- COMMAND...
#
# Runs COMMAND when every TOOL (a program on PATH, or a file path) exists. When one is
# missing it prints "SKIP: ..." and exits 77 (the tests' SKIP_RETURN_CODE) — or fails with
# exit 1 when the environment variable CI is "true", where everything must run.
set -euo pipefail
IFS=, read -r -a tools <<< "$1"
shift
[[ ${1:-} == -- ]] && shift
for tool in "${tools[@]}"; do
  if [[ $tool == /* ]]; then
    [[ -e $tool ]] && continue
  elif command -v "$tool" > /dev/null; then
    continue
  fi
  if [[ ${CI:-} == true ]]; then
    echo "FAIL: $tool is missing, and CI=true needs this test to run" >&2
    exit 1
  fi
  echo "SKIP: $tool is missing"
  exit 77
done
exec "$@"
