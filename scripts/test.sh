#!/usr/bin/env bash
# Builds everything and runs ALL tests: unit, integration on SQLite and on a throw-away
# PostgreSQL cluster started here on loopback, the web UI's unit tests, and the browser tests in
# headless Chromium. Exits non-zero if anything fails.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh

pg_dir=$(mktemp -d /tmp/kaigo-pg.XXXXXX)
cleanup() { bash scripts/pg-test-cluster.sh stop "$pg_dir" >/dev/null 2>&1 || true; }
trap cleanup EXIT
KAIGO_TEST_PG_URL=$(bash scripts/pg-test-cluster.sh start "$pg_dir")
export KAIGO_TEST_PG_URL
echo "test PostgreSQL: $KAIGO_TEST_PG_URL"

passed=0 failed=0
count() { passed=$((passed + $1)); failed=$((failed + $2)); }

# C++ unit and integration tests (each integration suite runs on both databases).
set +e
ctest --test-dir build -j2 --output-on-failure --timeout 600 2>&1 | tee build/ctest.log
ctest_status=${PIPESTATUS[0]}
set -e
total=$(sed -n 's/.*tests passed, \([0-9]*\) tests failed out of \([0-9]*\).*/\2/p' build/ctest.log | tail -1)
bad=$(sed -n 's/.*tests passed, \([0-9]*\) tests failed out of \([0-9]*\).*/\1/p' build/ctest.log | tail -1)
count $(( ${total:-0} - ${bad:-0} )) "${bad:-1}"

# Web UI unit tests (vitest).
set +e
(cd web && NO_COLOR=1 npm test --silent 2>&1) | sed 's/\x1b\[[0-9;]*m//g' | tee build/web-unit.log
web_status=${PIPESTATUS[0]}
set -e
web_passed=$(sed -n 's/.*Tests *\([0-9]*\) passed.*/\1/p' build/web-unit.log | tail -1)
count "${web_passed:-0}" $(( web_status == 0 ? 0 : 1 ))

# Browser tests: a real server on loopback, headless Chromium through playwright-core.
set +e
bash scripts/e2e.sh build/src/cli/kaigo 2>&1 | tee build/e2e.log
e2e_status=${PIPESTATUS[0]}
set -e
e2e_passed=$(sed -n 's/^# pass \([0-9]*\)/\1/p' build/e2e.log | tail -1)
e2e_failed=$(sed -n 's/^# fail \([0-9]*\)/\1/p' build/e2e.log | tail -1)
count "${e2e_passed:-0}" "${e2e_failed:-$(( e2e_status == 0 ? 0 : 1 ))}"

echo
echo "all: $passed passed, $failed failed"
[ "$ctest_status" -eq 0 ] && [ "$web_status" -eq 0 ] && [ "$e2e_status" -eq 0 ]
