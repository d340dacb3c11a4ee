#!/usr/bin/env bash
# Installs, from Debian's packages, what npm test needs beyond npm: Chromium for the HTML report's browser tests
# (test/html-browser.test.ts; never a downloaded browser build: playwright-core drives this system binary) and python3
# for the Python peer's parity tests (test/python-peer.test.ts: the only guard on the generator's Python port).
# Installs only what is missing. `npm test` runs it by itself when the machine can (scripts/ensure-test-tools.mjs).
set -euo pipefail
CHROMIUM="${FOOTPRINT_CHROMIUM:-/usr/bin/chromium}"
missing=()
[ -x "$CHROMIUM" ] || missing+=(chromium)
command -v python3 >/dev/null 2>&1 || missing+=(python3)
if [ ${#missing[@]} -eq 0 ]; then
  echo "test tools already installed: $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM"), $(python3 --version 2>&1)"
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
$SUDO apt-get install -y "${missing[@]}"
"$CHROMIUM" --version
python3 --version
