#!/usr/bin/env bash
# Build the staff web UI: web/dist/index.html + web/dist/assets/*, which `kaigo serve --web-dir`
# serves at `/`. Runs the unit tests (vitest) first. Idempotent: dependencies are installed from
# package-lock.json only when node_modules is missing or older than the lock file.
#   scripts/web-build.sh            install (if needed), test, build
#   scripts/web-build.sh --no-test  skip the unit tests (when only dist/ is wanted)
set -euo pipefail
cd "$(dirname "$0")/../web"

run_tests=1
[[ "${1:-}" == "--no-test" ]] && run_tests=0

npm_quiet=(--no-audit --no-fund --loglevel=error)
if [[ ! -f package-lock.json ]]; then
  npm install "${npm_quiet[@]}"
elif [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  # npm 11 writes lock files without the other platforms' optional packages (rollup's native
  # builds, npm/cli#4828) and then `npm ci` refuses that same lock file; `npm install` installs
  # exactly the locked versions and leaves the lock file unchanged.
  npm ci "${npm_quiet[@]}" 2>/dev/null || npm install "${npm_quiet[@]}"
fi

if (( run_tests )); then
  npm --silent test -- --reporter=dot
fi
npm --silent run build -- --logLevel warn
test -f dist/index.html
echo "web UI built: $(pwd)/dist"
