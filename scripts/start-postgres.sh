#!/usr/bin/env bash
# Starts a throwaway PostgreSQL server for Hearth's tests and benchmarks, from Debian's
# postgresql packages, and prints the one line that points the tests at it:
#
#   eval "$(scripts/start-postgres.sh)"
#
# Data directory, unix socket and log live under ${HEARTH_PG_DIR:-${TMPDIR:-/tmp}/hearth-pg}.
# The server listens only on 127.0.0.1, port ${HEARTH_PG_PORT:-54329}, with trust
# authentication (a test server: never expose it) and fsync on (benchmarks measure
# durable commits). HEARTH_PG_DURABLE=off starts it without fsync and synchronous commit
# instead: the test suite (scripts/test.sh) creates and drops hundreds of schemas and
# needs no crash safety from its throwaway server. Run again while it is up and it reuses
# the running server, as it was started.
# As root, the server runs as the `postgres` user (PostgreSQL refuses to run as root).
# Progress goes to stderr and the server log; stdout carries only the export line.
set -euo pipefail

port="${HEARTH_PG_PORT:-54329}"
base_dir="${HEARTH_PG_DIR:-${TMPDIR:-/tmp}/hearth-pg}"
data_dir="${base_dir}/data"
socket_dir="${base_dir}/socket"
log_file="${base_dir}/postgres.log"
database="hearth_test"

# Writes one progress line to stderr.
say() { echo "start-postgres: $*" >&2; }

# The bin folder of the newest PostgreSQL installed under /usr/lib/postgresql.
newest_postgres_bin() {
  local version
  version="$(find /usr/lib/postgresql -mindepth 1 -maxdepth 1 -printf '%f\n' 2>/dev/null |
    sort -V | tail -n 1)"
  if [[ -z "${version}" || ! -x "/usr/lib/postgresql/${version}/bin/pg_ctl" ]]; then
    say "no PostgreSQL server found under /usr/lib/postgresql (apt-get install postgresql)"
    exit 1
  fi
  echo "/usr/lib/postgresql/${version}/bin"
}

# Runs a server command as the user that owns the cluster: `postgres` when we are root.
as_server_user() {
  if [[ "$(id -u)" -eq 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

bin_dir="$(newest_postgres_bin)"

mkdir -p "${base_dir}" "${socket_dir}"
touch "${log_file}"
if [[ "$(id -u)" -eq 0 ]]; then
  chown -R postgres:postgres "${base_dir}"
fi
chmod 700 "${base_dir}"

if [[ ! -f "${data_dir}/PG_VERSION" ]]; then
  say "creating a cluster in ${data_dir}"
  as_server_user "${bin_dir}/initdb" --pgdata="${data_dir}" --username=postgres \
    --auth=trust --encoding=UTF8 --no-locale >>"${log_file}" 2>&1 ||
    { say "initdb failed; see ${log_file}"; tail -n 20 "${log_file}" >&2; exit 1; }
  cat >>"${data_dir}/postgresql.conf" <<CONF

# Added by scripts/start-postgres.sh: a local, throwaway test server.
listen_addresses = '127.0.0.1'
port = ${port}
unix_socket_directories = '${socket_dir}'
fsync = on
synchronous_commit = on
CONF
fi

if as_server_user "${bin_dir}/pg_ctl" status --pgdata="${data_dir}" >/dev/null 2>&1; then
  say "reusing the server already running from ${data_dir}"
  # Line 4 of postmaster.pid is the port the running server listens on.
  running_port="$(sed -n 4p "${data_dir}/postmaster.pid")"
  if [[ -n "${running_port}" && "${running_port}" != "${port}" ]]; then
    say "it listens on port ${running_port}, not ${port}; using ${running_port}"
    port="${running_port}"
  fi
else
  server_options="-p ${port}"
  case "${HEARTH_PG_DURABLE:-on}" in
    on) ;;
    off) server_options+=" -c fsync=off -c synchronous_commit=off -c full_page_writes=off" ;;
    *) say "HEARTH_PG_DURABLE must be on or off, not '${HEARTH_PG_DURABLE}'"; exit 2 ;;
  esac
  say "starting PostgreSQL on 127.0.0.1:${port} (durable: ${HEARTH_PG_DURABLE:-on}; log: ${log_file})"
  as_server_user "${bin_dir}/pg_ctl" start --pgdata="${data_dir}" --log="${log_file}" \
    --wait --timeout=60 -o "${server_options}" >&2 ||
    { say "the server did not start; see ${log_file}"; tail -n 20 "${log_file}" >&2; exit 1; }
fi

psql_admin=("${bin_dir}/psql" --no-psqlrc --quiet --tuples-only --no-align
  --host=127.0.0.1 --port="${port}" --username=postgres --dbname=postgres)
if [[ "$("${psql_admin[@]}" -c "SELECT 1 FROM pg_database WHERE datname = '${database}'")" != "1" ]]; then
  say "creating database ${database}"
  "${psql_admin[@]}" -c "CREATE DATABASE ${database}" >&2
fi

echo "export HEARTH_TEST_POSTGRES='host=127.0.0.1 port=${port} dbname=${database} user=postgres'"
