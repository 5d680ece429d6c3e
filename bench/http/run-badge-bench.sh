#!/usr/bin/env bash
# The risk-badge benchmark (issue 7, "Speed"; figures in docs/benchmarks.md): wrk against
#   1. GET /widgets/risk-badge?tenancy=<a real flagged tenancy> with an API key (X-API-KEY),
#   2. hearth_badge_peer, a minimal Poco HTTPServer sending the same bytes, in the same run
#      (the issue's peer), and the same peer listening with Hearth's own socket
#      (--socket hearth: src/http/connection_socket.hpp), which tells Hearth's request path
#      apart from what its socket saves,
#   3. GET /dashboard/consultant (every flag of the portfolio) with a session cookie,
# each with 2 threads, 64 connections and DURATION seconds (the consultant view once more
# with 8 connections, a team at work, and with 1: one person's latency), and prints
# requests/s, p50, p99 and Hearth's ratios to the peer.
#
# Usage: bench/http/run-badge-bench.sh BUILD_DIR [--duration S] [--tenancies N]
#                                       [--consultant USER] [--threads N] [--portfolio N]
#   BUILD_DIR     a build holding bin/hearth, bin/hearth_badge_peer and the plugins
#                 (use the release preset: cmake --preset release; targets hearth_cli,
#                 hearth_plugins, hearth_badge_peer)
#   --duration    seconds per wrk run (default 10)
#   --tenancies   demo neighbourhood size (default 500, seed 1)
#   --consultant  whose portfolio (default consultant-01; the API key acts as them)
#   --portfolio   the first N tenancies (by id) go to the consultant's portfolio
#                 (default 350: about a hundred flags with the default 500 tenancies)
#   --threads     [http] threads of Hearth and the peer's thread pool (default 64: one per
#                 connection, as Poco's server keeps a thread per kept-alive connection)
#   --rounds      badge and peer runs alternate this many times (default 1); the medians
#                 of requests/s, p50 and p99 are reported, and each round's ratios on
#                 standard error (a shared machine drifts: alternating keeps both sides fair)
#   --hold        set everything up, print the URLs, headers and process ids (for a profiler
#                 or a wrk run by hand) and wait until interrupted instead of measuring
# Needs wrk (Debian package wrk), node and python3. Everything listens on 127.0.0.1 only
# and stops when the script ends.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
[ $# -ge 1 ] || { echo "usage: $0 BUILD_DIR [--duration S] [--tenancies N] [--consultant USER] [--threads N] [--portfolio N] [--hold]" >&2; exit 2; }
build_dir="$(cd "$1" && pwd)"
shift
duration=10
tenancies=500
consultant=consultant-01
threads=64
portfolio=350
hold=0
rounds=1
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) duration="$2"; shift 2 ;;
    --tenancies) tenancies="$2"; shift 2 ;;
    --consultant) consultant="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --portfolio) portfolio="$2"; shift 2 ;;
    --hold) hold=1; shift ;;
    --rounds) rounds="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

hearth="$build_dir/bin/hearth"
peer="$build_dir/bin/hearth_badge_peer"
for tool in wrk node python3; do
  command -v "$tool" >/dev/null 2>&1 || { echo "bench: $tool is not installed" >&2; exit 1; }
done
for binary in "$hearth" "$peer"; do
  [ -x "$binary" ] || { echo "bench: $binary is missing (build hearth_cli hearth_plugins hearth_badge_peer)" >&2; exit 1; }
done
build_type="$(sed -n 's/^CMAKE_BUILD_TYPE:STRING=//p' "$build_dir/CMakeCache.txt" 2>/dev/null || true)"
if [ "$build_type" = "Debug" ]; then
  echo "bench: WARNING: $build_dir is a Debug build; figures for docs/benchmarks.md come from the release preset" >&2
fi

scratch="$(mktemp -d "${TMPDIR:-/tmp}/hearth-badge-bench.XXXXXX")"
hearth_pid=""
peer_pid=""
socket_peer_pid=""
cleanup() {
  local status=$?
  for pid in "$socket_peer_pid" "$peer_pid" "$hearth_pid"; do
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
    fi
  done
  rm -rf "$scratch"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

settings="$(node "$repo/tests/e2e/support/prepare-config.js" "$repo/config" "$scratch" "'self'" "$consultant")"
config_dir="$(node -p "JSON.parse(process.argv[1]).config_dir" "$settings")"
api_key="$(node -p "JSON.parse(process.argv[1]).api_key" "$settings")"

echo "bench: seeding a demo neighbourhood of $tenancies tenancies (seed 1)" >&2
(cd "$scratch" && "$hearth" --config "$config_dir" demo-data --tenancies "$tenancies" --seed 1 >/dev/null)
# The demo gives each consultant ten buildings (about 20 flags); the consultant view is
# measured with a portfolio of --portfolio tenancies (default 350), so that it lists about
# a hundred flags. Done on the store before Hearth starts.
python3 - "$scratch/hearth-data/hearth.db" "$consultant" "$portfolio" <<'PY'
import sqlite3, sys
store, consultant, size = sys.argv[1], sys.argv[2], int(sys.argv[3])
with sqlite3.connect(store) as db:
    db.execute("UPDATE hearth_tenancy SET portfolio_owner = ? WHERE id IN"
               " (SELECT id FROM hearth_tenancy ORDER BY id LIMIT ?)", (consultant, size))
PY

(cd "$scratch" && HEARTH_HTTP_THREADS="$threads" HEARTH_LOG_LEVEL=warn \
  exec "$hearth" --config "$config_dir" serve >"$scratch/hearth.out" 2>"$scratch/hearth.err") &
hearth_pid=$!
for _ in $(seq 3000); do
  grep -q 'Hearth is serving on http://' "$scratch/hearth.out" 2>/dev/null && break
  kill -0 "$hearth_pid" 2>/dev/null || { cat "$scratch/hearth.err" >&2; exit 1; }
  sleep 0.1
done
hearth_url="$(grep -m1 -o 'http://[^/]*' "$scratch/hearth.out")"
node "$repo/tests/e2e/support/wait-ready.js" "$hearth_url/readyz" 300 || { cat "$scratch/hearth.err" >&2; exit 1; }

setup="$(node "$here/bench-setup.js" "$hearth_url" "$settings" "$scratch" "$consultant")"
field() { node -p "JSON.parse(process.argv[1])[process.argv[2]]" "$setup" "$1"; }
badge_path="$(field badge_path)"
view_path="$(field view_path)"
cookie="$(field cookie)"

# Starts the peer as NAME with --socket SOCKET; sets NAME_pid (for the clean-up) and
# prints nothing; the peer's URL is then read by peer_url_of NAME.
start_peer() {
  local name="$1" socket="$2"
  "$peer" --body "$scratch/badge.body" --headers "$scratch/badge.headers" --threads "$threads" \
    --socket "$socket" >"$scratch/$name.out" 2>"$scratch/$name.err" &
  local pid=$!
  printf -v "${name//-/_}_pid" '%s' "$pid"
  for _ in $(seq 100); do
    grep -q '^listening on ' "$scratch/$name.out" 2>/dev/null && return 0
    kill -0 "$pid" 2>/dev/null || { cat "$scratch/$name.err" >&2; exit 1; }
    sleep 0.1
  done
  echo "bench: $name did not start" >&2
  exit 1
}
peer_url_of() { echo "http://127.0.0.1:$(sed -n 's/^listening on //p' "$scratch/$1.out")"; }
start_peer peer poco
peer_url="$(peer_url_of peer)"
start_peer socket-peer hearth
socket_peer_url="$(peer_url_of socket-peer)"

if [ "$hold" = 1 ]; then
  cat <<HOLD
hearth:  $hearth_url (pid $hearth_pid)
peer:    $peer_url (pid $peer_pid)
peer with Hearth's socket: $socket_peer_url (pid $socket_peer_pid)
badge:   $badge_path   header X-API-KEY: $api_key
view:    $view_path   header Cookie: $cookie
wrk:     HEARTH_BENCH_API_KEY=$api_key wrk -t2 -c64 -d10s --latency -s $here/wrk-headers.lua '$hearth_url$badge_path'
HOLD
  echo "bench: holding; interrupt to stop" >&2
  wait "$hearth_pid"
  exit 0
fi

# Runs wrk; prints its wrk-result line (wrk-headers.lua). Fails on non-2xx answers.
run_wrk() {
  local label="$1" url="$2" seconds="$3" connections="${4:-64}"
  local threads_of_wrk=2
  [ "$connections" -ge 2 ] || threads_of_wrk=1
  local out
  out="$(wrk -t"$threads_of_wrk" -c"$connections" -d"${seconds}s" --timeout 10s --latency \
    -s "$here/wrk-headers.lua" "$url")"
  echo "$out" > "$scratch/wrk-$label.txt"
  local line
  line="$(grep '^wrk-result ' <<<"$out")"
  if ! grep -q ' non2xx=0 ' <<<"$line"; then
    echo "bench: $label: answers other than 2xx: $line" >&2
    exit 1
  fi
  echo "$line"
}
value() { sed -E "s/.* $2=([0-9.]+).*/\1/" <<<"$1"; }

load="$(cut -d' ' -f1-3 /proc/loadavg)"
# Lets the server finish what a run left queued (wrk hangs up; the server still answers).
drain() { sleep 3; }

echo "bench: measuring, $duration s per run after a 2 s warm-up each" >&2
HEARTH_BENCH_API_KEY="$api_key" run_wrk warmup-badge "$hearth_url$badge_path" 2 >/dev/null
drain
run_wrk warmup-peer "$peer_url$badge_path" 2 >/dev/null
drain
run_wrk warmup-socket-peer "$socket_peer_url$badge_path" 2 >/dev/null
drain
# The median of each field of several wrk-result lines, as one such line.
median_line() {
  python3 -c '
import statistics, sys
rows = [dict(kv.split("=") for kv in line.split()[1:]) for line in sys.stdin if line.startswith("wrk-result ")]
keys = rows[0].keys()
print("wrk-result " + " ".join(k + "=" + str(round(statistics.median(float(r[k]) for r in rows))) for k in keys))'
}
badge_lines=""
peer_lines=""
socket_peer_lines=""
for round in $(seq "$rounds"); do
  line="$(HEARTH_BENCH_API_KEY="$api_key" run_wrk badge "$hearth_url$badge_path" "$duration")"
  badge_lines+="$line"$'\n'
  drain
  peer_line="$(run_wrk peer "$peer_url$badge_path" "$duration")"
  peer_lines+="$peer_line"$'\n'
  drain
  socket_peer_line="$(run_wrk socket-peer "$socket_peer_url$badge_path" "$duration")"
  socket_peer_lines+="$socket_peer_line"$'\n'
  drain
  if [ "$rounds" -gt 1 ]; then
    echo "bench: round $round: badge $(value "$line" rps)/s p99 $(value "$line" p99_us) us;" \
      "peer $(value "$peer_line" rps)/s p99 $(value "$peer_line" p99_us) us;" \
      "peer with Hearth's socket $(value "$socket_peer_line" rps)/s p99 $(value "$socket_peer_line" p99_us) us" >&2
  fi
done
badge="$(printf '%s' "$badge_lines" | median_line)"
peer_result="$(printf '%s' "$peer_lines" | median_line)"
socket_peer_result="$(printf '%s' "$socket_peer_lines" | median_line)"
HEARTH_BENCH_COOKIE="$cookie" run_wrk warmup-view "$hearth_url$view_path" 2 >/dev/null
drain
view="$(HEARTH_BENCH_COOKIE="$cookie" run_wrk view "$hearth_url$view_path" "$duration")"
drain
view_eight="$(HEARTH_BENCH_COOKIE="$cookie" run_wrk view-eight "$hearth_url$view_path" "$duration" 8)"
drain
view_single="$(HEARTH_BENCH_COOKIE="$cookie" run_wrk view-single "$hearth_url$view_path" "$duration" 1)"
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"

node - "$setup" "$badge" "$peer_result" "$socket_peer_result" "$view" "$view_eight" "$view_single" "$load" "$load_after" "$build_type" "$tenancies" "$threads" "$duration" "$rounds" <<'EOF'
const [setupJson, badge, peer, socketPeer, view, viewEight, viewSingle, load, loadAfter, buildType, tenancies, threads, duration, rounds] = process.argv.slice(2);
const setup = JSON.parse(setupJson);
const parse = (line) => Object.fromEntries(line.split(' ').slice(1).map((kv) => kv.split('=')).map(([k, v]) => [k, Number(v)]));
const b = parse(badge), p = parse(peer), sp = parse(socketPeer), v = parse(view), v8 = parse(viewEight), v1 = parse(viewSingle);
const ms = (us) => (us / 1000).toFixed(2);
console.log(`machine: ${require('node:os').cpus().length} cores, load average ${load} before, ${loadAfter} after; build ${buildType || '?'}`);
console.log(`data: demo neighbourhood of ${tenancies} tenancies; badge of ${setup.tenancy} (${setup.badge_bytes} bytes body); consultant view with ${setup.view_rows} flags (${setup.view_bytes} bytes)`);
console.log(`wrk: 2 threads, 64 connections, ${duration} s each; [http] threads = ${threads} (peer: the same); badge and peer: median of ${rounds} alternating round(s)`);
console.log('| run | requests/s | p50 ms | p99 ms | socket errors |');
console.log('|---|---:|---:|---:|---:|');
console.log(`| Hearth risk badge (API key, real flag) | ${b.rps} | ${ms(b.p50_us)} | ${ms(b.p99_us)} | ${b.errors} |`);
console.log(`| Poco peer, same bytes | ${p.rps} | ${ms(p.p50_us)} | ${ms(p.p99_us)} | ${p.errors} |`);
console.log(`| Poco peer with Hearth's socket, same bytes | ${sp.rps} | ${ms(sp.p50_us)} | ${ms(sp.p99_us)} | ${sp.errors} |`);
console.log(`| Hearth consultant view, ${setup.view_rows} flags (session cookie) | ${v.rps} | ${ms(v.p50_us)} | ${ms(v.p99_us)} | ${v.errors} |`);
console.log(`| Hearth consultant view, ${setup.view_rows} flags, 8 connections | ${v8.rps} | ${ms(v8.p50_us)} | ${ms(v8.p99_us)} | ${v8.errors} |`);
console.log(`| Hearth consultant view, ${setup.view_rows} flags, 1 connection | ${v1.rps} | ${ms(v1.p50_us)} | ${ms(v1.p99_us)} | ${v1.errors} |`);
console.log(`ratio badge/peer requests/s: ${(b.rps / p.rps).toFixed(3)} (target >= 0.80)`);
console.log(`ratio badge/peer p99: ${(b.p99_us / p.p99_us).toFixed(3)} (target <= 1.5)`);
console.log(`ratio badge/peer with Hearth's socket: requests/s ${(b.rps / sp.rps).toFixed(3)}, p99 ${(b.p99_us / sp.p99_us).toFixed(3)} (Hearth's request path alone)`);
console.log(`consultant view p99: ${ms(v.p99_us)} ms with 64 connections, ${ms(v8.p99_us)} ms with 8, ${ms(v1.p99_us)} ms with 1 (target < 50 ms)`);
EOF
