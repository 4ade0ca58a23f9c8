#!/usr/bin/env bash
# Builds everything and starts kaigo on its embedded default: SQLite under ./var, a synthetic city
# of 10,000 people on first start, simulated counterparts, the demo login printed below, the
# staff UI at the printed URL. PORT (default 8080) chooses the port; extra arguments go to serve.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
exec build/src/cli/kaigo --data-dir var serve --port "${PORT:-8080}" "$@"
