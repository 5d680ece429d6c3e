#!/usr/bin/env bash
# deb_package.sh BUILD_DIR
#
# Builds the Debian packages of BUILD_DIR with CPack (cpack -G DEB), checks what each holds
# (control fields, conffiles, maintainer scripts, files), unpacks the hearth package into a
# scratch root (dpkg -x: a scratch root has no dpkg database for dpkg --root to satisfy
# dependencies from), and starts `hearth serve` from there the way the packaged systemd unit
# does — its ExecStart and Environment lines, with /etc/hearth, /var/lib/hearth and
# /usr/bin pointed into the scratch root — on a free loopback port, checks GET /healthz,
# and stops it with SIGTERM. systemd itself is used only where it runs as PID 1 and CI=true
# asks for the real system; otherwise the test says so. Needs no network.
set -euo pipefail

build_dir=$1
fail() { echo "FAIL: $*" >&2; exit 1; }
check() { echo "ok: $*"; }

scratch=$(mktemp -d "${TMPDIR:-/tmp}/hearth-deb-test.XXXXXX")
server_pid=
cleanup() {
  if [[ -n $server_pid ]] && kill -0 "$server_pid" 2> /dev/null; then kill "$server_pid"; wait "$server_pid" || true; fi
  rm -rf "$scratch"
}
trap cleanup EXIT

# --- Build and inspect the packages ---------------------------------------------------------
cpack -G DEB --config "$build_dir/CPackConfig.cmake" -B "$scratch/packages" > "$scratch/cpack.log" 2>&1 ||
  { cat "$scratch/cpack.log" >&2; fail "cpack -G DEB failed"; }
shopt -s nullglob
server=("$scratch"/packages/hearth_*.deb)
dev=("$scratch"/packages/hearth-dev_*.deb)
((${#server[@]} == 1)) || fail "expected one hearth_*.deb, found: $(ls "$scratch/packages")"
((${#dev[@]} == 1)) || fail "expected one hearth-dev_*.deb, found: $(ls "$scratch/packages")"
check "cpack made $(basename "${server[0]}") and $(basename "${dev[0]}")"

[[ $(dpkg-deb -f "${server[0]}" Package) == hearth ]] || fail "the server package is not called hearth"
[[ $(dpkg-deb -f "${dev[0]}" Package) == hearth-dev ]] || fail "the dev package is not called hearth-dev"
depends=$(dpkg-deb -f "${server[0]}" Depends)
[[ $depends == *adduser* ]] || fail "hearth does not depend on adduser: $depends"
[[ $depends == *libpoco* ]] || fail "hearth's Depends lack the shared libraries (dpkg-shlibdeps): $depends"
[[ $(dpkg-deb -f "${dev[0]}" Depends) == "hearth (= "* ]] || fail "hearth-dev does not depend on hearth"
check "control: hearth depends on adduser and its libraries; hearth-dev on hearth"

dpkg-deb -e "${server[0]}" "$scratch/control"
for script in postinst prerm postrm conffiles; do
  [[ -f $scratch/control/$script ]] || fail "the hearth package has no $script"
done
grep -qx /etc/hearth/hearth.ini "$scratch/control/conffiles" || fail "/etc/hearth/hearth.ini is not a conffile"
grep -qx /etc/hearth/scoring/default.ini "$scratch/control/conffiles" || fail "/etc/hearth/scoring/default.ini is not a conffile"
grep -q "adduser --system" "$scratch/control/postinst" || fail "the postinst does not create the user"
check "maintainer scripts and conffiles"

server_files=$(dpkg-deb -c "${server[0]}" | awk '{print $6}')
for file in ./usr/bin/hearth ./usr/lib/libhearth.so.1 ./usr/lib/hearth/plugins/hearth_early_warning.so \
  ./usr/libexec/hearth/hearth-plugin-host \
  ./usr/share/hearth/config/hearth.ini ./etc/hearth/hearth.ini ./etc/hearth/policy.ini \
  ./etc/hearth/handoff/handoff.ini ./lib/systemd/system/hearth.service ./usr/share/doc/hearth/README.md; do
  grep -qx -- "$file" <<< "$server_files" || fail "the hearth package lacks $file"
done
if grep -q '^./usr/include/' <<< "$server_files"; then fail "the hearth package carries headers"; fi
dev_files=$(dpkg-deb -c "${dev[0]}" | awk '{print $6}')
for file in ./usr/include/hearth/host.h ./usr/include/hearth/plugin.hpp \
  ./usr/lib/cmake/Hearth/HearthConfig.cmake ./usr/lib/pkgconfig/hearth.pc; do
  grep -qx -- "$file" <<< "$dev_files" || fail "the hearth-dev package lacks $file"
done
check "package contents (runtime, plugins, /etc/hearth, unit, docs | headers, CMake package, pc)"

# --- Unpack and start the service as its unit would -----------------------------------------
root=$scratch/root
state=$scratch/var-lib-hearth
mkdir -p "$root" "$state"
dpkg -x "${server[0]}" "$root"
unit=$root/lib/systemd/system/hearth.service
rooted() { sed -e "s#/var/lib/hearth#$state#g" -e "s#/etc/hearth#$root/etc/hearth#g" -e "s#/usr/bin/#$root/usr/bin/#g" <<< "$1"; }
exec_start=$(rooted "$(sed -n 's/^ExecStart=//p' "$unit")")
[[ -n $exec_start ]] || fail "the unit has no ExecStart"
environment=()
while IFS= read -r assignment; do
  environment+=("$(rooted "$assignment")")
done < <(sed -n 's/^Environment=//p' "$unit")
grep -qx "User=hearth" "$unit" || fail "the unit does not run as the user hearth"
grep -qx "StateDirectory=hearth" "$unit" || fail "the unit has no StateDirectory=hearth"

# /etc/hearth/hearth.ini names absolute paths; point them into the scratch root too.
site_ini=$root/etc/hearth/hearth.ini
grep -qx "rule_set = /etc/hearth/scoring/default.ini" "$site_ini" || fail "/etc/hearth/hearth.ini has no absolute rule_set"
grep -qx "data_dir = /var/lib/hearth" "$site_ini" || fail "/etc/hearth/hearth.ini does not keep its data in /var/lib/hearth"
rooted "$(cat "$site_ini")" > "$site_ini.rooted" && mv "$site_ini.rooted" "$site_ini"
"$root/usr/bin/hearth" --config "$root/etc/hearth" config check > "$scratch/check.out" ||
  fail "hearth config check finds errors in the packaged /etc/hearth: $(cat "$scratch/check.out")"
check "the packaged /etc/hearth uses absolute paths and passes hearth config check"

read -r -a command <<< "$exec_start"
# A free loopback port (`--port 0` would mean the configured one, 8080).
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
(cd "$state" && exec env "${environment[@]}" "${command[@]}" --address 127.0.0.1 --port "$port") \
  > "$scratch/serve.out" 2> "$scratch/serve.err" &
server_pid=$!
url=
for _ in $(seq 1 600); do
  url=$(sed -n 's#^Hearth is serving on \(http://[^ ]*\)/$#\1#p' "$scratch/serve.out")
  [[ -n $url ]] && break
  kill -0 "$server_pid" 2> /dev/null || { cat "$scratch/serve.err" >&2; fail "hearth serve exited before serving"; }
  sleep 0.1
done
[[ -n $url ]] || { cat "$scratch/serve.err" >&2; fail "hearth serve did not report its address"; }
[[ $url == "http://127.0.0.1:$port" ]] || fail "hearth serve reports $url, not port $port"

health=$(python3 -c 'import sys, urllib.request; r = urllib.request.urlopen(sys.argv[1] + "/healthz", timeout=10); print(r.status)' "$url") ||
  fail "GET $url/healthz failed"
[[ $health == 200 ]] || fail "GET $url/healthz answered $health"
active=$(sed -n 's/^\([0-9]*\) plugins\{0,1\} active$/\1/p' "$scratch/serve.out")
((active >= 3)) || fail "only '$active' plugins active: $(cat "$scratch/serve.err")"
[[ -f $state/hearth.db ]] || fail "the store is not in the state directory (/var/lib/hearth)"
check "the unpacked package serves $url/healthz (200) with $active plugins, store in the state directory"
kill -TERM "$server_pid"
wait "$server_pid" || fail "hearth serve did not stop cleanly on SIGTERM"
server_pid=
check "hearth serve stops on SIGTERM"

# The unit's sandboxing, as systemd rates it without running it (lower is better; 10 is
# an unhardened service).
if command -v systemd-analyze > /dev/null; then
  exposure=$(systemd-analyze security --offline=true "$unit" 2>&1 | sed -n 's/.*Overall exposure level for hearth.service: \([0-9.]*\).*/\1/p')
  [[ -n $exposure ]] || fail "systemd-analyze security did not rate the unit"
  python3 -c 'import sys; sys.exit(0 if float(sys.argv[1]) <= 2.0 else 1)' "$exposure" ||
    fail "the unit's exposure level is $exposure, more than 2.0"
  check "systemd-analyze security rates the unit's exposure $exposure (at most 2.0)"
else
  echo "note: systemd-analyze is missing: the unit's hardening was not rated"
fi

# --- Install into the real system (CI only: a throw-away machine) ----------------------------
# With HEARTH_TEST_SYSTEM_INSTALL=1 (set by .ci/run), as root, and no hearth package installed
# before: `apt-get install ./hearth_*.deb` (dpkg with the dependency check), the postinst's user
# and directories, the service started as the unit starts it — as the user hearth, from
# /var/lib/hearth, with /etc/hearth — answering /healthz, then `apt-get purge` removing the
# program and keeping the store. Where systemd is PID 1 the unit itself is started.
if [[ ${HEARTH_TEST_SYSTEM_INSTALL:-0} != 1 ]]; then
  echo "note: the package was not installed into this system (set HEARTH_TEST_SYSTEM_INSTALL=1, as root, on a throw-away machine)"
  echo "PASS"
  exit 0
fi
[[ $(id -u) == 0 ]] || fail "HEARTH_TEST_SYSTEM_INSTALL=1 needs root"
if dpkg -s hearth > /dev/null 2>&1; then fail "a hearth package is already installed here; refusing to replace it"; fi
system_installed=1
system_cleanup() {
  if [[ -n $server_pid ]] && kill -0 "$server_pid" 2> /dev/null; then kill "$server_pid"; wait "$server_pid" || true; fi
  if [[ -n ${system_installed:-} ]]; then apt-get purge -y -q hearth > /dev/null 2>&1 || true; fi
  rm -rf "$scratch"
}
trap system_cleanup EXIT
cp "${server[0]}" "$scratch/hearth.deb"
chmod 0644 "$scratch/hearth.deb"
# apt-get reads the local file as the user _apt; a 0700 scratch folder would make it warn.
chmod 0755 "$scratch"
apt-get install -y -q --no-install-recommends "$scratch/hearth.deb" > "$scratch/apt.log" 2>&1 ||
  { cat "$scratch/apt.log" >&2; fail "apt-get install of the hearth package failed"; }
grep -qx "Status: install ok installed" <<< "$(dpkg -s hearth)" || fail "dpkg does not list hearth as installed"
getent passwd hearth > /dev/null || fail "the postinst did not create the user hearth"
[[ $(stat -c %U:%a /var/lib/hearth) == hearth:750 ]] || fail "/var/lib/hearth is $(stat -c %U:%a /var/lib/hearth), not hearth:750"
[[ $(stat -c %U:%G:%a /etc/hearth) == root:hearth:750 ]] || fail "/etc/hearth is $(stat -c %U:%G:%a /etc/hearth), not root:hearth:750"
/usr/bin/hearth --config /etc/hearth config check > "$scratch/system-check.out" ||
  fail "hearth config check finds errors in the installed /etc/hearth: $(cat "$scratch/system-check.out")"
check "apt-get installed the package: user hearth, /var/lib/hearth (hearth, 0750), /etc/hearth (root:hearth, 0750), config check passes"

if [[ -d /run/systemd/system ]]; then
  systemctl is-active --quiet hearth.service || fail "the postinst did not start hearth.service: $(systemctl status hearth.service 2>&1 | tail -5)"
  system_port=$(sed -n 's/^port *= *\([0-9]*\)/\1/p' /etc/hearth/hearth.ini | head -1)
  system_url="http://127.0.0.1:${system_port:-8080}"
  check "systemd started hearth.service"
else
  # No systemd: run the unit's ExecStart as the unit would — user hearth, working directory
  # /var/lib/hearth, environment file /etc/hearth/hearth.env if present.
  read -r -a system_command <<< "$(sed -n 's/^ExecStart=//p' /lib/systemd/system/hearth.service)"
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  # The unit's environment, not the test's (ctest's HEARTH_LOG_FILE names a file of root's):
  # only PATH, and the sanitizers' options of a sanitizer build.
  # setpriv execs the service itself (runuser would stay its parent and answer SIGTERM with
  # a status of its own).
  setpriv --reuid=hearth --regid=hearth --init-groups env -i -C /var/lib/hearth PATH=/usr/sbin:/usr/bin:/sbin:/bin \
    ${ASAN_OPTIONS:+ASAN_OPTIONS=$ASAN_OPTIONS} ${UBSAN_OPTIONS:+UBSAN_OPTIONS=$UBSAN_OPTIONS} "${system_command[@]}" --address 127.0.0.1 --port "$port" \
    > "$scratch/system-serve.out" 2> "$scratch/system-serve.err" &
  server_pid=$!
  system_url="http://127.0.0.1:$port"
  check "the installed unit's ExecStart runs as the user hearth (systemd is not PID 1 here: $(cat /proc/1/comm))"
fi
health=
for _ in $(seq 1 300); do
  health=$(python3 -c 'import sys, urllib.request; print(urllib.request.urlopen(sys.argv[1] + "/healthz", timeout=2).status)' "$system_url" 2> /dev/null) && break
  if [[ -n $server_pid ]] && ! kill -0 "$server_pid" 2> /dev/null; then cat "$scratch/system-serve.err" >&2; fail "the installed hearth serve exited"; fi
  sleep 0.2
done
[[ $health == 200 ]] || { cat "$scratch/system-serve.err" >&2 2> /dev/null || true; fail "the installed service did not answer $system_url/healthz"; }
ready=$(python3 -c 'import sys, urllib.request; print(urllib.request.urlopen(sys.argv[1] + "/readyz", timeout=10).status)' "$system_url") ||
  fail "GET $system_url/readyz failed"
[[ $ready == 200 ]] || fail "the installed service is not ready: $ready"
[[ -f /var/lib/hearth/hearth.db ]] || fail "the installed service keeps no store in /var/lib/hearth"
[[ $(stat -c %U /var/lib/hearth/hearth.db) == hearth ]] || fail "the store is not owned by the user hearth"
check "the installed service answers /healthz and /readyz (200), its store owned by hearth in /var/lib/hearth"
if [[ -n $server_pid ]]; then
  kill -TERM "$server_pid"
  wait "$server_pid" || { cat "$scratch/system-serve.err" >&2; fail "the installed hearth serve did not stop cleanly on SIGTERM"; }
  server_pid=
fi

apt-get purge -y -q hearth > "$scratch/purge.log" 2>&1 || { cat "$scratch/purge.log" >&2; fail "apt-get purge hearth failed"; }
system_installed=
[[ ! -e /usr/bin/hearth ]] || fail "/usr/bin/hearth is still there after the purge"
[[ -f /var/lib/hearth/hearth.db ]] || fail "the purge removed the store (it must keep personal data for a person to remove)"
getent passwd hearth > /dev/null || fail "the purge removed the user hearth (it owns the kept store)"
check "apt-get purge removes the program and keeps /var/lib/hearth and the user hearth"
echo "PASS"
