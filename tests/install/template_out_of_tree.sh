#!/usr/bin/env bash
# template_out_of_tree.sh BUILD_DIR SOURCE_DIR LANG
#
# Installs the Hearth build BUILD_DIR into a scratch prefix (cmake --install), checks the
# installed layout, builds examples/plugin-template-LANG (c or cpp) out of tree against it
# twice — with find_package(Hearth) and with pkg-config (its Makefile) — and has the
# installed `hearth` command load each built module: `hearth plugins list --json` must show
# org.example.my-plugin ACTIVE from that module, next to the bundled plugins loaded from the
# installed lib/hearth/plugins. Needs no network. Prints what it checked; exits 1 with
# "FAIL: ..." on the first failed check.
set -euo pipefail

build_dir=$1
source_dir=$2
lang=$3

fail() { echo "FAIL: $*" >&2; exit 1; }
check() { echo "ok: $*"; }

scratch=$(mktemp -d "${TMPDIR:-/tmp}/hearth-install-test.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
prefix=$scratch/prefix

# --- Install and check the layout ---------------------------------------------------------
cmake --install "$build_dir" --prefix "$prefix" > "$scratch/install.log" ||
  { cat "$scratch/install.log" >&2; fail "cmake --install failed"; }
for file in bin/hearth lib/libhearth.so include/hearth/host.h include/hearth/plugin.h \
  include/hearth/plugin.hpp include/hearth/early_warning.h \
  lib/cmake/Hearth/HearthConfig.cmake lib/cmake/Hearth/HearthConfigVersion.cmake \
  lib/cmake/Hearth/HearthTargets.cmake lib/cmake/Hearth/hearth-plugin.map \
  lib/pkgconfig/hearth.pc share/hearth/hearth-plugin.map \
  share/hearth/config/hearth.ini share/hearth/config/policy.ini \
  share/hearth/config/scoring/default.ini share/hearth/config/handoff/handoff.ini \
  share/hearth/config/adapters/vera.ini share/doc/hearth/README.md share/doc/hearth/abi.md; do
  [[ -e $prefix/$file ]] || fail "the install lacks $file"
done
check "installed layout (bin, lib, include/hearth, lib/cmake/Hearth, pkgconfig, share/hearth/config, share/doc/hearth)"

soname=$(readelf -d "$prefix/lib/libhearth.so" | sed -n 's/.*Library soname: \[\(.*\)\].*/\1/p')
[[ $soname =~ ^libhearth\.so\.[0-9]+$ ]] || fail "libhearth's SONAME is '$soname'"
[[ -e $prefix/lib/$soname ]] || fail "the install lacks $soname"
check "libhearth SONAME $soname"

shopt -s nullglob
bundled=("$prefix"/lib/hearth/plugins/*.so)
((${#bundled[@]} >= 2)) || fail "lib/hearth/plugins holds ${#bundled[@]} modules"
for module in "${bundled[@]}"; do
  if grep -q "$build_dir" <<< "$(ldd "$module")"; then fail "$module still links into the build tree"; fi
done
if grep -q "$build_dir" <<< "$(ldd "$prefix/bin/hearth")"; then
  fail "the installed hearth links into the build tree: $(ldd "$prefix/bin/hearth" | grep "$build_dir")"
fi
# ldd's output is read whole first: `ldd | grep -q` under pipefail fails at random when grep
# stops reading before ldd has written everything (SIGPIPE).
installed_links=$(ldd "$prefix/bin/hearth")
grep -q "$prefix/bin/../lib/libhearth.so" <<< "$installed_links" ||
  fail "the installed hearth does not use the installed libhearth: $(grep hearth <<< "$installed_links")"
check "${#bundled[@]} bundled plugins; bin/hearth runs on the installed libhearth"

# --- The template, out of tree -------------------------------------------------------------
template=$source_dir/examples/plugin-template-$lang
[[ -d $template ]] || fail "no template at $template"
cp -r "$template" "$scratch/with-cmake"
cp -r "$template" "$scratch/with-pkg-config"

generator=()
command -v ninja > /dev/null && generator=(-G Ninja)
cmake -S "$scratch/with-cmake" -B "$scratch/with-cmake/build" "${generator[@]}" \
  -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_INSTALL_PREFIX="$scratch/plugin-prefix" \
  > "$scratch/configure.log" 2>&1 || { cat "$scratch/configure.log" >&2; fail "the template does not configure"; }
cmake --build "$scratch/with-cmake/build" > "$scratch/build.log" 2>&1 ||
  { cat "$scratch/build.log" >&2; fail "the template does not build with find_package(Hearth)"; }
cmake_module=$scratch/with-cmake/build/plugins/my_plugin.so
[[ -f $cmake_module ]] || fail "the CMake build made no plugins/my_plugin.so"
cmake --install "$scratch/with-cmake/build" > /dev/null ||
  fail "the template's install rule failed"
[[ -f $scratch/plugin-prefix/lib/hearth/plugins/my_plugin.so ]] ||
  fail "the template's install rule did not put my_plugin.so in lib/hearth/plugins"
check "template-$lang builds with find_package(Hearth) and installs into lib/hearth/plugins"

PKG_CONFIG_PATH=$prefix/lib/pkgconfig make -C "$scratch/with-pkg-config" > "$scratch/make.log" 2>&1 ||
  { cat "$scratch/make.log" >&2; fail "the template does not build with pkg-config"; }
pkg_module=$scratch/with-pkg-config/plugins/my_plugin.so
[[ -f $pkg_module ]] || fail "the pkg-config build made no plugins/my_plugin.so"
check "template-$lang builds with pkg-config"

for module in "$cmake_module" "$pkg_module"; do
  exported=$(nm -D --defined-only "$module" | awk '{print $3}' | grep -v '^$' | sort -u)
  [[ $exported == hearth_get_plugin_entry ]] || fail "$module exports: $exported"
done
check "each module exports only hearth_get_plugin_entry"

# --- Loads on the first try -----------------------------------------------------------------
# A site config: scratch store, the default config's relative paths resolved by running in
# share/hearth (where config/ lies), the module's folder as an extra plugin folder.
plugin_id=org.example.my-plugin
for module in "$cmake_module" "$pkg_module"; do
  config=$(mktemp -d "$scratch/config.XXXXXX")
  cat > "$config/hearth.ini" <<INI
[runtime]
data_dir = $config/data
[plugins]
bundled = true
path = $(dirname "$module")
INI
  listing=$(cd "$prefix/share/hearth" && "$prefix/bin/hearth" --config "$config" plugins list --json) ||
    fail "hearth plugins list failed with $module"
  python3 - "$listing" "$plugin_id" <<'PY' || fail "the plugin list is wrong for $module: $listing"
import json, sys
plugins = json.loads(sys.argv[1])
plugin_id = sys.argv[2]
def state(p):
    return str(p.get("state", "")).lower()
mine = [p for p in plugins if p.get("id") == plugin_id]
assert len(mine) == 1, f"{plugin_id} listed {len(mine)} times"
assert mine[0].get("file") == "my_plugin.so", mine[0]
assert state(mine[0]) == "active", f"{plugin_id} is {mine[0].get('state')}: {mine[0].get('message')}"
# Bundled plugins can only come from the installed lib/hearth/plugins: the installed
# libhearth (checked above with ldd) looks beside itself.
for bundled_id in ("nl.hearth.example.hello-c", "nl.hearth.early-warning"):
    found = [p for p in plugins if p.get("id") == bundled_id]
    assert found and state(found[0]) == "active", f"bundled {bundled_id}: {found}"
for p in plugins:
    if state(p) != "active":
        print(f"note: bundled {p.get('id') or p.get('file')} is {p.get('state')}: {p.get('message')}")
PY
done
check "the installed hearth loads $plugin_id active from both builds, beside its bundled plugins"

# --- hearth new-plugin and hearth config check, installed ------------------------------------
"$prefix/bin/hearth" new-plugin rent-reminder --lang "$lang" --dir "$scratch/rent-reminder" > /dev/null ||
  fail "the installed hearth new-plugin failed"
cmake -S "$scratch/rent-reminder" -B "$scratch/rent-reminder/build" "${generator[@]}" -DCMAKE_PREFIX_PATH="$prefix" \
  > "$scratch/new-plugin.log" 2>&1 && cmake --build "$scratch/rent-reminder/build" >> "$scratch/new-plugin.log" 2>&1 ||
  { cat "$scratch/new-plugin.log" >&2; fail "the project from hearth new-plugin does not build"; }
config=$(mktemp -d "$scratch/config.XXXXXX")
printf '[runtime]\ndata_dir = %s/data\n[plugins]\nbundled = false\npath = %s\n' \
  "$config" "$scratch/rent-reminder/build/plugins" > "$config/hearth.ini"
listing=$("$prefix/bin/hearth" --config "$config" plugins list --json) || fail "hearth plugins list failed for rent-reminder"
python3 -c 'import json, sys; p = json.loads(sys.argv[1]); assert [x["state"] for x in p if x["id"] == "org.example.rent-reminder"] == ["active"], p' \
  "$listing" || fail "org.example.rent-reminder is not active: $listing"
check "the installed hearth new-plugin makes a $lang project that builds and loads (org.example.rent-reminder)"

(cd "$prefix/share/hearth" && "$prefix/bin/hearth" --config config config check > "$scratch/check.out") ||
  { cat "$scratch/check.out" >&2; fail "hearth config check finds errors in the installed default configuration"; }
printf '[http]\nport = eighty\n[storage]\nbackend = oracle\n' > "$config/hearth.ini"
if "$prefix/bin/hearth" --config "$config" config check > "$scratch/check.out"; then
  fail "hearth config check passed a broken configuration"
fi
grep -q "^$config/hearth.ini: http.port: " "$scratch/check.out" && grep -q "^$config/hearth.ini: storage.backend: " "$scratch/check.out" ||
  fail "hearth config check did not name both errors: $(cat "$scratch/check.out")"
check "the installed hearth config check passes the default configuration and names both errors of a broken one"
echo "PASS"
