#!/usr/bin/env bash
# Installs every Debian 12 package kaigo needs to build, run and test.
# Idempotent: packages already present are skipped by apt. Works as root or through sudo.
set -euo pipefail

packages=(
  build-essential cmake pkg-config git ca-certificates
  libcpp-httplib-dev nlohmann-json3-dev libsqlite3-dev sqlite3
  libpq-dev postgresql postgresql-contrib
  libspdlog-dev libfmt-dev libcli11-dev
  libssl-dev libargon2-dev libzstd-dev
  libpango1.0-dev libcairo2-dev fonts-ipaexfont poppler-utils
  libgtest-dev libgmock-dev googletest libbenchmark-dev
  chromium chromium-driver
)
# Node.js with npm: the machine image may ship NodeSource's nodejs (which bundles npm and conflicts
# with Debian's npm package); take Debian's only where no npm is on the PATH.
command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)

if [ "$(id -u)" -eq 0 ]; then SUDO=(); else SUDO=(sudo); fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -qq
"${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
