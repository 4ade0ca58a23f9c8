#!/usr/bin/env bash
# Builds everything: the kaigo binary and tests (CMake) and the staff UI (web/dist).
# BUILD_DIR (default build) and KAIGO_WERROR (default ON) can be set.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
BUILD_DIR=${BUILD_DIR:-build}
cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DKAIGO_WERROR="${KAIGO_WERROR:-ON}" > "$BUILD_DIR.configure.log" 2>&1 \
  || { cat "$BUILD_DIR.configure.log"; exit 1; }
cmake --build "$BUILD_DIR" -j"$(nproc)"
bash scripts/web-build.sh --no-test  # the UI unit tests run in scripts/test.sh
