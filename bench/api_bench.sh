#!/usr/bin/env bash
# API benchmark at city scale: builds a synthetic city of N people (default 1,000,000) into a
# scratch SQLite database (or reuses KAIGO_BENCH_DIR), starts `kaigo serve`, logs in, and drives
# the person search and the person page with wrk (Debian package) on loopback for a fixed time.
# Usage: bench/api_bench.sh [BINARY] [PEOPLE]. Prints requests/second and latency per endpoint.
set -euo pipefail
bin=${1:-build/src/cli/kaigo}
people=${2:-1000000}
command -v wrk >/dev/null || { echo "api_bench: installing wrk"; apt-get install -y -qq wrk >/dev/null; }
dir=${KAIGO_BENCH_DIR:-$(mktemp -d /tmp/kaigo-api-bench.XXXXXX)}
if [ ! -f "$dir/kaigo.db" ]; then
  /usr/bin/time -f "city of $people people built in %e s" "$bin" --data-dir "$dir" demo --people "$people" --seed 1 >/dev/null
fi
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
KAIGO_DEMO_PASSWORD=bench-pass-1234 "$bin" --data-dir "$dir" serve --port "$port" --threads 8 --demo-people 0 \
  --worker-interval-ms 0 >"$dir/serve.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
cookie=$(curl -s -D - -o /dev/null -H 'Content-Type: application/json' \
  -d '{"user_id":"demo","password":"bench-pass-1234"}' "http://127.0.0.1:$port/api/v1/login" |
  sed -n 's/^Set-Cookie: \(kaigo_session=[^;]*\).*/\1/p')
person=$(curl -s -H "Cookie: $cookie" "http://127.0.0.1:$port/api/v1/persons?kana=%E3%82%B5%E3%83%88%E3%82%A6&limit=1" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["person_id"])')
run() {
  echo "== $1"
  wrk -t2 -c16 -d10s -H "Cookie: $cookie" "http://127.0.0.1:$port$2" | grep -E 'Requests/sec|Latency|requests in'
}
run "person search, kana prefix サトウ, 50 rows (each row access-logged)" "/api/v1/persons?kana=%E3%82%B5%E3%83%88%E3%82%A6+%E3%82%BF"
run "person page (identity, household, history; access-logged)" "/api/v1/persons/$person"
run "healthz (no database write)" "/healthz"
