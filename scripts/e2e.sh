#!/usr/bin/env bash
# Browser test of the staff UI against a real server:
#   scripts/e2e.sh path/to/kaigo
# Builds web/dist, makes a throw-away data dir with a synthetic city of 500 people, starts
# `kaigo serve` on a free port, finds a kana prefix that matches somebody (logging in as `demo`
# with curl), runs `node --test tests/e2e/`, stops the server and exits with the tests' status.
# Screenshots go to $KAIGO_E2E_SHOTS (default: a new /tmp/kaigo-e2e-shots.* folder, printed).
# KAIGO_E2E_KEEP=1 keeps the data dir and the server log for a look afterwards.
set -euo pipefail

if [[ $# -ne 1 || ! -x "$1" ]]; then
  echo "usage: $0 path/to/kaigo" >&2
  exit 2
fi
binary="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
repo="$(cd "$(dirname "$0")/.." && pwd)"
password=e2e-pass-1234

"$repo/scripts/web-build.sh" --no-test >/dev/null

cd "$repo/tests/e2e"
if [[ ! -d node_modules/playwright-core ]]; then
  npm ci --no-audit --no-fund --loglevel=error 2>/dev/null || npm install --no-audit --no-fund --loglevel=error
fi

data="$(mktemp -d /tmp/kaigo-e2e-data.XXXXXX)"
shots="${KAIGO_E2E_SHOTS:-$(mktemp -d /tmp/kaigo-e2e-shots.XXXXXX)}"
server_pid=""
cleanup() {
  if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  if [[ "${KAIGO_E2E_KEEP:-}" == 1 ]]; then echo "kept: $data"; else rm -rf "$data"; fi
}
trap cleanup EXIT

# The synthetic city, and a server whose background worker polls the 中間サーバー simulator once
# a second with a first poll 1 s after submission, so the 番号連携 test sees answers quickly.
"$binary" --data-dir "$data" demo --people 500 --seed 7 >"$data/demo.log" 2>&1 || {
  echo "kaigo demo failed:" >&2
  cat "$data/demo.log" >&2
  exit 1
}
serve_extra=(--worker-interval-ms 1000 --inquiry-first-poll-s 1)

port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
url="http://127.0.0.1:$port"
KAIGO_DEMO_PASSWORD="$password" "$binary" --data-dir "$data" serve --port "$port" --web-dir "$repo/web/dist" \
  "${serve_extra[@]}" >"$data/serve.log" 2>&1 &
server_pid=$!

for _ in $(seq 1 120); do
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "kaigo serve exited before it was ready:" >&2
    cat "$data/serve.log" >&2
    exit 1
  fi
  [[ "$(curl -s -o /dev/null -w '%{http_code}' "$url/healthz")" == 200 ]] && break
  sleep 0.5
done
if [[ "$(curl -s -o /dev/null -w '%{http_code}' "$url/healthz")" != 200 ]]; then
  echo "kaigo serve did not answer /healthz with 200 within 60 s:" >&2
  cat "$data/serve.log" >&2
  exit 1
fi

# A kana prefix that matches somebody: the first katakana (in 五十音 order) any family name starts with.
jar="$data/cookies.txt"
curl -sf -c "$jar" -H 'Content-Type: application/json' \
  -d "{\"user_id\":\"demo\",\"password\":\"$password\"}" "$url/api/v1/login" >/dev/null || {
  echo "cannot log in as demo on $url" >&2
  exit 1
}
kana=""
for k in ア イ ウ エ オ カ キ ク ケ コ サ シ ス セ ソ タ チ ツ テ ト ナ ニ ヌ ネ ノ ハ ヒ フ ヘ ホ マ ミ ム メ モ ヤ ユ ヨ ラ リ ル レ ロ ワ; do
  body="$(curl -sf -b "$jar" -G --data-urlencode "kana=$k" --data-urlencode limit=1 "$url/api/v1/persons" || true)"
  if [[ "$body" == *'"person_id"'* ]]; then
    kana="$k"
    break
  fi
done
if [[ -z "$kana" ]]; then
  echo "no person found by any kana prefix on $url (is the database empty?)" >&2
  exit 1
fi
curl -s -b "$jar" -X POST -H "X-CSRF-Token: $(curl -s -b "$jar" "$url/api/v1/me" |
  node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).csrf_token))')" \
  "$url/api/v1/logout" >/dev/null

echo "e2e: server $url, kana prefix $kana, screenshots $shots"
status=0
KAIGO_E2E_URL="$url" KAIGO_E2E_USER=demo KAIGO_E2E_PASSWORD="$password" KAIGO_E2E_KANA="$kana" \
  KAIGO_E2E_SHOTS="$shots" node --test "$repo/tests/e2e/" || status=$?
exit "$status"
