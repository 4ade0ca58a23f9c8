#!/usr/bin/env bash
# A throw-away PostgreSQL cluster for tests (never for production: durability is switched off).
#
#   URL=$(scripts/pg-test-cluster.sh start DIR)   # prints postgresql://postgres@127.0.0.1:PORT/postgres
#   scripts/pg-test-cluster.sh stop DIR           # stops it and removes DIR
#
# The cluster lives entirely in DIR (data, log, unix socket), listens on 127.0.0.1 only, on a free
# port, and trusts loopback connections. Both commands are idempotent: `start` on a running
# cluster prints its URL again; `stop` on a missing DIR does nothing.
#
# initdb refuses to run as root, so as root the server runs as the `postgres` OS user (created by
# Debian's postgresql package) and DIR is handed to it; otherwise it runs as the current user.
set -euo pipefail

usage() {
  echo "usage: $0 start|stop DIR" >&2
  exit 2
}

[[ $# -eq 2 ]] || usage
cmd=$1
dir=$2

bin_dir() {
  local newest
  newest=$(ls -1 /usr/lib/postgresql 2>/dev/null | sort -V | tail -n 1)
  if [[ -z "$newest" || ! -x "/usr/lib/postgresql/$newest/bin/initdb" ]]; then
    echo "no PostgreSQL server found under /usr/lib/postgresql (install the postgresql package)" >&2
    exit 1
  fi
  echo "/usr/lib/postgresql/$newest/bin"
}

# Runs a command as the cluster's owner.
as_owner() {
  if [[ $(id -u) -eq 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

url_of() {
  echo "postgresql://postgres@127.0.0.1:$(cat "$dir/port")/postgres"
}

running() {
  [[ -f "$dir/data/postmaster.pid" ]] && as_owner "$BIN/pg_ctl" -D "$dir/data" status >/dev/null 2>&1
}

start() {
  if [[ -d "$dir/data" ]] && running; then
    url_of
    return
  fi
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  if [[ $(id -u) -eq 0 ]]; then
    chown -R postgres: "$dir"
  fi
  if [[ ! -f "$dir/data/PG_VERSION" ]]; then
    rm -rf "$dir/data"
    # C locale: text sorts by bytes, as SQLite's BINARY collation does. UTF8 for Japanese text.
    as_owner "$BIN/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C --no-sync >"$dir/initdb.log" 2>&1 || {
      cat "$dir/initdb.log" >&2
      exit 1
    }
  fi
  local port attempt
  for attempt in 1 2 3; do
    port=$(free_port)
    echo "$port" >"$dir/port"
    # Test-only settings: no fsync, no synchronous commit, no full-page writes.
    cat >"$dir/data/postgresql.auto.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
    chown --reference="$dir/data" "$dir/data/postgresql.auto.conf" "$dir/port"
    if as_owner "$BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >/dev/null 2>&1; then
      break
    fi
    # The port may have been taken between choosing it and binding it: try another.
    if [[ $attempt -eq 3 ]]; then
      echo "PostgreSQL did not start; see $dir/server.log:" >&2
      tail -n 20 "$dir/server.log" >&2 || true
      exit 1
    fi
  done
  local i
  for i in $(seq 1 120); do
    if "$BIN/pg_isready" -q -h 127.0.0.1 -p "$port"; then
      url_of
      return
    fi
    sleep 0.5
  done
  echo "PostgreSQL started but does not accept connections on 127.0.0.1:$port" >&2
  exit 1
}

stop() {
  [[ -e "$dir" ]] || return 0
  if [[ -d "$dir/data" ]] && running; then
    as_owner "$BIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
}

BIN=$(bin_dir)
case "$cmd" in
  start) start ;;
  stop) stop ;;
  *) usage ;;
esac
