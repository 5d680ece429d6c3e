#!/usr/bin/env bash
# Installs the Debian 12 packages Hearth builds, runs and tests with, if any is missing.
# Needs root (or sudo). Everything comes from Debian's own archive.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  libpoco-dev libsoci-dev libspdlog-dev
  libboost-dev libboost-filesystem-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libsqlite3-dev libpq-dev
  postgresql
  abigail-tools binutils
  python3
  libyaml-dev
  clang-14 libclang-rt-14-dev
  chromium wrk
  libjna-java openjdk-17-jdk-headless dpkg-dev fakeroot make
  unixodbc odbc-postgresql libsqliteodbc
)
# Node.js and npm run the browser tests (tests/e2e, playwright-core from the npm registry).
# A machine that already has a node (Debian's or another vendor's package) keeps it:
# Debian's npm package would conflict with a node that bundles its own npm.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  packages+=(nodejs npm)
fi

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: every package is installed" >&2
  exit 0
fi

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  sudo_cmd=(sudo)
fi
echo "install-deps: installing ${missing[*]}" >&2
"${sudo_cmd[@]}" apt-get update -q
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
