#!/usr/bin/env bash
# The template C adapter builds out of tree against the public headers and libhearth, and
# does what docs/integrators/adapter-guide.md says: stores records and signals, refuses a
# bad line with a dead letter, and finds duplicates the second time.
#   template_c_test.sh TEMPLATE_DIR INCLUDE_DIR LIBHEARTH WORK_DIR [C_FLAGS]
set -euo pipefail
template="$1" include="$2" library="$3" work="$4" cflags="${5:-}"
rm -rf "$work"
mkdir -p "$work/config"
cmake -S "$template" -B "$work/build" -DHEARTH_INCLUDE_DIR="$include" -DHEARTH_LIBRARY="$library" \
  -DCMAKE_C_FLAGS="$cflags" >/dev/null
cmake --build "$work/build" >/dev/null
adapter="$work/build/hearth-template-adapter"

cat >"$work/config/hearth.ini" <<INI
[storage]
backend = sqlite
sqlite_path = $work/hearth.db
[plugins]
bundled = false
INI
cat >"$work/records.json" <<'JSON'
[{"kind":"unit","id":"U-1","street":"Oosterparkstraat","house_number":"12","neighbourhood_code":"BU03630402"},
 {"kind":"tenancy","id":"T-1","unit_id":"U-1","start_date":"2019-04-01"}]
JSON
printf 'E-1;T-1;2024-03-01;SCH;BET;45000\nE-2;T-1;2024-03-02;OVE;;\nE-3;T-1;03-03-2024;OVE;;\n' >"$work/export.txt"

set +e
first="$("$adapter" "$work/config" "$work/export.txt" "$work/records.json" 2>"$work/stderr.txt")"
code=$?
set -e
expected=$'records 2\naccepted 2, duplicate 0, rejected 1'
if [ "$first" != "$expected" ] || [ "$code" -ne 1 ]; then
  echo "first run: exit $code, printed:"; echo "$first"; cat "$work/stderr.txt"; exit 1
fi
grep -q "line 3 refused: date is not a date YYYY-MM-DD" "$work/stderr.txt" || { cat "$work/stderr.txt"; exit 1; }
if grep -q "03-03-2024" "$work/stderr.txt"; then
  echo "the refusal repeated the input"; exit 1
fi

head -n 2 "$work/export.txt" >"$work/again.txt"
second="$("$adapter" "$work/config" "$work/again.txt")"
if [ "$second" != "accepted 0, duplicate 2, rejected 0" ]; then
  echo "second run printed: $second"; exit 1
fi
echo "1 passed, 0 failed"
