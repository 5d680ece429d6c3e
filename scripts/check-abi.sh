#!/usr/bin/env bash
# check-abi.sh — guards libhearth's binary interface with libabigail (abidw + abidiff).
#
#   scripts/check-abi.sh BUILD_DIR            compare BUILD_DIR/lib/libhearth.so with the
#                                             baselines in plugin-api/abi/
#   scripts/check-abi.sh --update BUILD_DIR   rewrite the baseline of the ABI version in
#                                             version.h (plugin-api/abi/hearth-M.m.abi)
#   scripts/check-abi.sh --compare OLD_LIB NEW_LIB HEADERS_DIR
#                                             the same comparison for any two libraries
#                                             (used by the self-test in tests/abi)
#
# BUILD_DIR may also be the path of the library itself. The library needs DWARF debug
# information: build with CMAKE_BUILD_TYPE Debug or RelWithDebInfo, or add -g.
#
# What is compared: the hearth_* functions the library exports and every type reachable
# from them that is defined in a public header (plugin-api/include/hearth). Against the baseline of
# the current version (version.h) any reported change fails, added functions included, so
# the baseline only ever changes on purpose. Against the baselines of older minors of the
# same major, added functions are allowed and everything else fails. In both, the only
# suppressed change is a data member appended at the end of a struct
# (plugin-api/abi/suppressions.ini).
#
# Exit status: 0 no reported change; 1 the ABI changed; 2 usage or tool error.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
public_headers_dir="$repo_root/plugin-api/include/hearth"
abi_dir="$repo_root/plugin-api/abi"
suppressions="$abi_dir/suppressions.ini"
public_symbols_filter="$abi_dir/public-symbols.ini"

# A temporary folder for the dumps, removed on exit (see make_scratch_dir).
scratch_dir=""
remove_scratch_dir() {
  if [[ -n "$scratch_dir" ]]; then
    rm -rf "$scratch_dir"
  fi
}
trap remove_scratch_dir EXIT

# Creates the temporary folder; its path is in $scratch_dir.
make_scratch_dir() {
  scratch_dir="$(mktemp -d)"
}

# Prints the usage (the header comment above) and exits with status 2.
usage() {
  sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//' >&2
  exit 2
}

# Prints a message and exits with status 2 (a tool or usage error, not an ABI change).
fail_tool() {
  echo "check-abi: $*" >&2
  exit 2
}

# Checks that the commands this script runs exist.
require_tools() {
  local tool
  for tool in abidw abidiff readelf sed grep; do
    command -v "$tool" >/dev/null 2>&1 ||
      fail_tool "$tool not found (Debian: apt-get install abigail-tools binutils)"
  done
}

# Echoes "MAJOR.MINOR" from version.h.
abi_version_from_header() {
  local header="$public_headers_dir/version.h" major minor
  major="$(sed -nE 's/^#define HEARTH_ABI_MAJOR ([0-9]+)u?.*/\1/p' "$header")"
  minor="$(sed -nE 's/^#define HEARTH_ABI_MINOR ([0-9]+)u?.*/\1/p' "$header")"
  [[ -n "$major" && -n "$minor" ]] || fail_tool "cannot read HEARTH_ABI_MAJOR/MINOR from $header"
  echo "$major.$minor"
}

# Resolves BUILD_DIR (or a library path) to the libhearth shared object.
library_in() {
  local build_or_library="$1"
  if [[ -f "$build_or_library" ]]; then
    echo "$build_or_library"
  elif [[ -e "$build_or_library/lib/libhearth.so" ]]; then
    echo "$build_or_library/lib/libhearth.so"
  elif [[ -d "$build_or_library" ]]; then
    fail_tool "no libhearth.so in $build_or_library/lib (build the 'hearth' target first)"
  else
    fail_tool "$build_or_library does not exist (build the 'hearth' target first)"
  fi
}

# abi_dump LIBRARY HEADERS_DIR OUT_FILE: writes the library's ABI as abixml: the exported
# functions named hearth_* (public-symbols.ini) and the types they reach, restricted to
# types defined under HEADERS_DIR, with no machine paths and no source locations.
abi_dump() {
  local library="$1" headers_dir="$2" out_file="$3"
  [[ -f "$library" ]] || fail_tool "no such library: $library"
  readelf -S --wide "$library" | grep -q '\.debug_info' ||
    fail_tool "$library has no DWARF debug info; build it with -g (Debug or RelWithDebInfo)"
  abidw --exported-interfaces-only --suppressions "$public_symbols_filter" \
    --headers-dir "$headers_dir" --drop-private-types --drop-undefined-syms \
    --no-corpus-path --no-comp-dir-path --no-show-locs --no-elf-needed \
    --type-id-style hash --out-file "$out_file.raw" "$library" ||
    fail_tool "abidw failed on $library"
  # abidw still names each translation unit by the path the compiler saw. Make those
  # paths relative to the repository, and any other absolute path a bare file name.
  sed -e "s#'$repo_root/#'#g" -E -e "s#(path|dir)='/([^'/]*/)*([^'/]*)'#\1='\3'#g" \
    "$out_file.raw" >"$out_file"
  rm -f "$out_file.raw"
  if grep -q "='/" "$out_file"; then
    fail_tool "an absolute path is left in the ABI dump of $library"
  fi
}

# abi_compare OLD_ABI NEW_ABI [ABIDIFF_OPTION...]: prints abidiff's report; returns 0 when
# nothing is reported, 1 when the ABI changed. Tool errors exit with status 2.
abi_compare() {
  local old_abi="$1" new_abi="$2" status=0
  shift 2
  abidiff --no-default-suppression --suppressions "$suppressions" "$@" "$old_abi" "$new_abi" ||
    status=$?
  # abidiff's status is a bit field: 1 error, 2 usage error, 4 ABI change, 8 incompatible.
  if ((status & 3)); then
    fail_tool "abidiff failed (status $status) comparing $old_abi with $new_abi"
  fi
  if ((status & 12)); then
    return 1
  fi
  return 0
}

# Compares the library in BUILD_DIR with every baseline of its major version.
check_library() {
  local library version major minor baseline changed=0 baseline_minor
  library="$(library_in "$1")"
  version="$(abi_version_from_header)"
  major="${version%%.*}"
  minor="${version#*.}"
  baseline="$abi_dir/hearth-$version.abi"
  [[ -f "$baseline" ]] || {
    echo "check-abi: no baseline for ABI $version ($baseline)." >&2
    echo "check-abi: after reviewing the interface, create it with: $0 --update BUILD_DIR" >&2
    exit 1
  }
  make_scratch_dir
  abi_dump "$library" "$public_headers_dir" "$scratch_dir/current.abi"

  echo "check-abi: $library against hearth-$version.abi (no change allowed but appended members)"
  if ! abi_compare "$baseline" "$scratch_dir/current.abi"; then
    changed=1
  fi
  for baseline_minor in $(seq 0 $((minor - 1))); do
    local older="$abi_dir/hearth-$major.$baseline_minor.abi"
    [[ -f "$older" ]] || continue
    echo "check-abi: $library against hearth-$major.$baseline_minor.abi (additions allowed)"
    if ! abi_compare "$older" "$scratch_dir/current.abi" --no-added-syms; then
      changed=1
    fi
  done
  if ((changed)); then
    echo "check-abi: FAILED: libhearth's ABI differs from the baseline (report above)." >&2
    echo "check-abi: a break needs a new major. An addition allowed in a minor release" >&2
    echo "check-abi: (docs/abi.md) needs HEARTH_ABI_MINOR raised, then: $0 --update BUILD_DIR" >&2
    exit 1
  fi
  echo "check-abi: OK"
}

# Rewrites the baseline of the current ABI version from the library in BUILD_DIR.
update_baseline() {
  local library version baseline
  library="$(library_in "$1")"
  version="$(abi_version_from_header)"
  baseline="$abi_dir/hearth-$version.abi"
  abi_dump "$library" "$public_headers_dir" "$baseline"
  echo "check-abi: wrote ${baseline#"$repo_root"/}"
}

# Compares two arbitrary libraries with the same dump options and suppressions.
compare_libraries() {
  local old_library="$1" new_library="$2" headers_dir="$3"
  make_scratch_dir
  abi_dump "$old_library" "$headers_dir" "$scratch_dir/old.abi"
  abi_dump "$new_library" "$headers_dir" "$scratch_dir/new.abi"
  if ! abi_compare "$scratch_dir/old.abi" "$scratch_dir/new.abi"; then
    echo "check-abi: FAILED: $(basename "$new_library") differs from $(basename "$old_library")" >&2
    exit 1
  fi
  echo "check-abi: OK: no reported change"
}

main() {
  require_tools
  case "${1:-}" in
  --update)
    [[ $# -eq 2 ]] || usage
    update_baseline "$2"
    ;;
  --compare)
    [[ $# -eq 4 ]] || usage
    compare_libraries "$2" "$3" "$4"
    ;;
  -h | --help | "" | -*)
    usage
    ;;
  *)
    [[ $# -eq 1 ]] || usage
    check_library "$1"
    ;;
  esac
}

main "$@"
