#!/usr/bin/env bash
# Runs the dashboards' browser tests (tests/e2e/tests/*.test.js, node's test runner) in
# Debian's headless chromium, driven by playwright-core, against a real `hearth serve` on
# loopback.
#
# Usage: tests/e2e/run-e2e.sh BUILD_DIR [TEST_FILE...]
#   BUILD_DIR  a build folder holding bin/hearth and lib/hearth/plugins (targets hearth_cli
#              and hearth_plugins); screenshots go to BUILD_DIR/e2e-screenshots/<test>/<view>.png
#              and the server's output to BUILD_DIR/e2e-logs/.
#   TEST_FILE  run only these test files (default: every tests/e2e/tests/*.test.js).
#
# What it does: installs playwright-core with `npm ci` (into BUILD_DIR/e2e-node, once per
# package-lock.json), starts two tiny test "CRM" origins, copies config/ to a scratch folder
# set to demo mode with a random API key, an HS256 token secret and frame_ancestors = the
# first test origin, starts `hearth serve` on a free port ([http] port = 0) (an empty store is seeded with the
# demo neighbourhood), waits for /readyz, runs the tests and stops everything again.
#
# Without node (>= 18), chromium or the npm packages it skips (exit 77, which CTest reports
# as skipped) with a message saying what is missing; with CI=true it fails instead.
# Environment: HEARTH_E2E_CHROMIUM (default /usr/bin/chromium).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"

if [ $# -lt 1 ]; then
  echo "usage: $0 BUILD_DIR [TEST_FILE...]" >&2
  exit 2
fi
build_dir="$(cd "$1" && pwd)"
shift

skip_or_fail() {
  if [ "${CI:-}" = "true" ]; then
    echo "e2e: FAILED: $1 (CI=true: the browser tests must run)" >&2
    exit 1
  fi
  echo "e2e: SKIPPED: $1" >&2
  exit 77
}

chromium="${HEARTH_E2E_CHROMIUM:-/usr/bin/chromium}"
hearth="$build_dir/bin/hearth"
command -v node >/dev/null 2>&1 || skip_or_fail "node is not installed (Debian package nodejs)"
command -v npm >/dev/null 2>&1 || skip_or_fail "npm is not installed (Debian package npm)"
node_major="$(node -p 'process.versions.node.split(".")[0]')"
[ "$node_major" -ge 18 ] || skip_or_fail "node $node_major is too old (playwright-core needs 18 or later)"
command -v python3 >/dev/null 2>&1 || skip_or_fail "python3 is not installed (Debian package python3)"
[ -x "$chromium" ] || skip_or_fail "chromium is not installed at $chromium (Debian package chromium)"
if [ ! -x "$hearth" ]; then
  echo "e2e: FAILED: $hearth is missing (build the targets hearth_cli and hearth_plugins)" >&2
  exit 1
fi

# playwright-core, exactly as package-lock.json pins it, outside the source tree.
node_dir="$build_dir/e2e-node"
lock_stamp="$(sha256sum "$here/package-lock.json" | cut -d' ' -f1)"
if [ ! -f "$node_dir/.installed" ] || [ "$(cat "$node_dir/.installed")" != "$lock_stamp" ]; then
  mkdir -p "$node_dir"
  cp "$here/package.json" "$here/package-lock.json" "$node_dir/"
  if ! (cd "$node_dir" && npm ci --ignore-scripts --no-audit --no-fund >"$node_dir/npm-ci.log" 2>&1); then
    cat "$node_dir/npm-ci.log" >&2
    skip_or_fail "npm ci could not install playwright-core (see the log above)"
  fi
  echo "$lock_stamp" > "$node_dir/.installed"
fi

# A full run starts with no screenshots; a run of some files replaces only theirs.
[ $# -gt 0 ] || rm -rf "$build_dir/e2e-screenshots"
scratch="$(mktemp -d "${TMPDIR:-/tmp}/hearth-e2e.XXXXXX")"
logs="$build_dir/e2e-logs"
mkdir -p "$logs"
pages_pid=""
hearth_pid=""
cleanup() {
  local status=$?
  if [ -n "$hearth_pid" ] && kill -0 "$hearth_pid" 2>/dev/null; then
    kill -TERM "$hearth_pid" 2>/dev/null || true
    wait "$hearth_pid" 2>/dev/null || true
  fi
  if [ -n "$pages_pid" ] && kill -0 "$pages_pid" 2>/dev/null; then
    kill -TERM "$pages_pid" 2>/dev/null || true
    wait "$pages_pid" 2>/dev/null || true
  fi
  cp "$scratch"/*.out "$scratch"/*.err "$logs/" 2>/dev/null || true
  rm -rf "$scratch"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Waits up to $2 seconds for the first line of file $1 matching $3; prints it.
wait_for_line() {
  local file="$1" seconds="$2" pattern="$3" pid="$4" line=""
  for _ in $(seq $((seconds * 10))); do
    line="$(grep -m1 -E "$pattern" "$file" 2>/dev/null || true)"
    if [ -n "$line" ]; then
      echo "$line"
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

node "$here/support/pages-server.js" >"$scratch/pages.out" 2>"$scratch/pages.err" &
pages_pid=$!
pages_line="$(wait_for_line "$scratch/pages.out" 10 '^\{' "$pages_pid")" || {
  cat "$scratch/pages.err" >&2
  echo "e2e: FAILED: the test pages server did not start" >&2
  exit 1
}
allowed_port="$(node -p "JSON.parse(process.argv[1]).allowed" "$pages_line")"
foreign_port="$(node -p "JSON.parse(process.argv[1]).foreign" "$pages_line")"
allowed_origin="http://127.0.0.1:$allowed_port"
foreign_origin="http://127.0.0.1:$foreign_port"

settings="$(node "$here/support/prepare-config.js" "$repo/config" "$scratch" "$allowed_origin")"
config_dir="$(node -p "JSON.parse(process.argv[1]).config_dir" "$settings")"

# The rule set and the other relative paths of hearth.ini are relative to the working
# directory: the scratch folder, which holds the copied config/.
(cd "$scratch" && exec "$hearth" --config "$config_dir" serve \
  >"$scratch/hearth.out" 2>"$scratch/hearth.err") &
hearth_pid=$!
serving="$(wait_for_line "$scratch/hearth.out" 300 'Hearth is serving on http://' "$hearth_pid")" || {
  cat "$scratch/hearth.err" >&2
  echo "e2e: FAILED: hearth serve did not start (output above)" >&2
  exit 1
}
hearth_url="$(echo "$serving" | sed -E 's|.*(http://[^/]+)/.*|\1|')"

if ! node "$here/support/wait-ready.js" "$hearth_url/readyz" 120; then
  cat "$scratch/hearth.err" >&2
  echo "e2e: FAILED: hearth serve did not become ready (output above)" >&2
  exit 1
fi
# The home the neighbour's report names: tenancy-000001's unit (the demo sign-in's tenant).
demo_address="$(python3 "$here/support/demo-address.py" "$scratch/hearth-data/hearth.db" tenancy-000001)"
echo "e2e: hearth serves on $hearth_url; test origins $allowed_origin (framing allowed) and $foreign_origin" >&2

if [ $# -gt 0 ]; then
  tests=("$@")
else
  tests=()
  while IFS= read -r file; do tests+=("$file"); done < <(ls "$here"/tests/*.test.js | sort)
fi

# One file at a time (they share one server and its data), each under node's test runner.
export HEARTH_E2E_URL="$hearth_url" HEARTH_E2E_ALLOWED_ORIGIN="$allowed_origin" \
  HEARTH_E2E_FOREIGN_ORIGIN="$foreign_origin" HEARTH_E2E_SETTINGS="$settings" \
  HEARTH_E2E_DEMO_ADDRESS="$demo_address" HEARTH_E2E_CHROMIUM="$chromium" \
  HEARTH_E2E_SCREENSHOTS="$build_dir/e2e-screenshots" NODE_PATH="$node_dir/node_modules"
status=0
failed=()
for test_file in "${tests[@]}"; do
  echo "e2e: $(basename "$test_file")" >&2
  if ! node --test "$test_file"; then
    status=1
    failed+=("$(basename "$test_file")")
  fi
done
if [ "$status" -ne 0 ]; then
  echo "e2e: FAILED: ${failed[*]}" >&2
else
  echo "e2e: every test file passed; screenshots in $build_dir/e2e-screenshots" >&2
fi
if ! kill -0 "$hearth_pid" 2>/dev/null; then
  echo "e2e: FAILED: hearth serve stopped during the tests (see $logs/hearth.err)" >&2
  status=1
fi
exit "$status"
