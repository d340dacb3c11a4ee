#!/usr/bin/env bash
# Installs Debian's Chromium for the HTML report's browser test (test/html-browser.test.ts).
# Never downloads a browser build: playwright-core drives this system binary.
# `npm test` runs it by itself when Chromium is missing and the machine can (scripts/ensure-chromium.mjs).
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  echo "chromium already installed: $(/usr/bin/chromium --version 2>/dev/null || echo /usr/bin/chromium)"
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
$SUDO apt-get install -y chromium
/usr/bin/chromium --version
