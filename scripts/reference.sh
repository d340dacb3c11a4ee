#!/usr/bin/env bash
# Regenerates the committed reference results in results/reference/ with the
# default suite on this machine. The markdown is generated from the JSON; never
# edit either by hand. Usage: npm run reference
set -euo pipefail
cd "$(dirname "$0")/.."
version="$(node -p 'process.version.slice(1)')"
out="results/reference/node${version}.json"
mkdir -p results/reference
node dist/bench/cli/main.js run --out "$out" "$@"
echo "reference results: $out and ${out%.json}.md"
