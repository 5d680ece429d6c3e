#!/usr/bin/env bash
# Stops the test PostgreSQL server that scripts/start-postgres.sh started. Its data stays
# in ${HEARTH_PG_DIR:-${TMPDIR:-/tmp}/hearth-pg} for the next start; pass --purge to
# delete that folder as well. Does nothing when the server is not running.
set -euo pipefail

base_dir="${HEARTH_PG_DIR:-${TMPDIR:-/tmp}/hearth-pg}"
data_dir="${base_dir}/data"
purge=0

# Writes one progress line to stderr.
say() { echo "stop-postgres: $*" >&2; }

for argument in "$@"; do
  case "${argument}" in
    --purge) purge=1 ;;
    *) say "unknown argument ${argument} (usage: stop-postgres.sh [--purge])"; exit 2 ;;
  esac
done

# Runs a server command as the user that owns the cluster: `postgres` when we are root.
as_server_user() {
  if [[ "$(id -u)" -eq 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

if [[ -f "${data_dir}/PG_VERSION" ]]; then
  bin_dir="/usr/lib/postgresql/$(cat "${data_dir}/PG_VERSION")/bin"
  if as_server_user "${bin_dir}/pg_ctl" status --pgdata="${data_dir}" >/dev/null 2>&1; then
    say "stopping the server in ${data_dir}"
    as_server_user "${bin_dir}/pg_ctl" stop --pgdata="${data_dir}" --mode=fast --wait >&2
  else
    say "no server running in ${data_dir}"
  fi
else
  say "no cluster in ${data_dir}"
fi

if [[ "${purge}" -eq 1 ]]; then
  say "removing ${base_dir}"
  rm -rf -- "${base_dir}"
fi
