#!/usr/bin/env bash
# Measures what the parent's RSS sampling costs the measured phase: the same
# cases run with --sample-ms 0 (off) and --sample-ms $SAMPLE_MS, alternating
# in rounds so machine drift hits both alike. Prints, per case, the median
# phase wall time of each, their difference, the median extra peak RSS of each
# (sampling must not change it), and how far the sampled series' in-phase
# maximum is from the child's own VmHWM peak (worst run).
#
# On a shared machine, hold the benchmark lock:
#   flock /work/bench.lock scripts/sampling-overhead.sh
# Settings (environment): CODECS PHASES N REPEATS ROUNDS SAMPLE_MS OUT_DIR
set -euo pipefail
cd "$(dirname "$0")/.."

CODECS=${CODECS:-json,msgpack}
PHASES=${PHASES:-dump,load}
N=${N:-1000000}
REPEATS=${REPEATS:-5}
ROUNDS=${ROUNDS:-2}
SAMPLE_MS=${SAMPLE_MS:-2}
OUT_DIR=${OUT_DIR:-results/sampling-overhead-$(date -u +%Y%m%dT%H%M%SZ)}

npm run build --silent
mkdir -p "$OUT_DIR"
for round in $(seq 1 "$ROUNDS"); do
  for ms in 0 "$SAMPLE_MS"; do
    out="$OUT_DIR/sample-${ms}ms-round${round}.json"
    echo "round $round/$ROUNDS, --sample-ms $ms -> $out" >&2
    node dist/bench/cli/main.js run --codecs "$CODECS" --phases "$PHASES" --n "$N" --repeats "$REPEATS" \
      --sample-ms "$ms" --memory-only --no-sizes --out "$out" >&2
  done
done

node --input-type=module - "$OUT_DIR" "$SAMPLE_MS" <<'JS'
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { seriesPhaseMaxBytes } from './dist/bench/measure/sampler.js';
import { columnsOf, markdownTable } from './dist/bench/report/table.js';

const [dir, sampleMs] = process.argv.slice(2);
const median = (v) => {
  const s = [...v].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const byCase = new Map(); // "codec phase n" -> { off: runs[], on: runs[] }
for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
  const variant = file.startsWith('sample-0ms') ? 'off' : 'on';
  const report = JSON.parse(readFileSync(join(dir, file), 'utf8'));
  for (const c of report.cases) {
    if (c.state !== 'ok') console.log(`${file}: ${c.codec} ${c.phase} N=${c.n} is ${c.state}: ${c.error ?? ''}`);
    const key = `${c.codec} ${c.phase} N=${c.n}`;
    if (!byCase.has(key)) byCase.set(key, { off: [], on: [] });
    byCase.get(key)[variant].push(...c.runs);
  }
}
const MiB = 1024 * 1024;
console.log(`\nsampling overhead: --sample-ms 0 vs --sample-ms ${sampleMs} (medians over all runs of all rounds)`);
const header = ['case', 'runs off/on', 'wall off (ms)', 'wall on (ms)', 'difference', 'extra peak off (MiB)', 'extra peak on (MiB)', 'sampled max vs VmHWM, worst run', 'samples/run (median)'];
const rows = [];
for (const [key, { off, on }] of byCase) {
  if (off.length === 0 || on.length === 0) continue;
  const wOff = median(off.map((r) => r.wallMs));
  const wOn = median(on.map((r) => r.wallMs));
  const gaps = on.filter((r) => r.series).map((r) => (seriesPhaseMaxBytes(r.series) - r.peakRssBytes) / r.peakRssBytes);
  const worst = gaps.length ? gaps.reduce((a, b) => (Math.abs(b) > Math.abs(a) ? b : a)) : NaN;
  const samples = median(on.filter((r) => r.series).map((r) => r.series.rawSamples));
  rows.push([
    key,
    `${off.length}/${on.length}`,
    wOff.toFixed(0),
    wOn.toFixed(0),
    `${(((wOn - wOff) / wOff) * 100).toFixed(1)}%`,
    (median(off.map((r) => r.peakRssIncrementBytes)) / MiB).toFixed(1),
    (median(on.map((r) => r.peakRssIncrementBytes)) / MiB).toFixed(1),
    Number.isNaN(worst) ? 'no series' : `${(worst * 100).toFixed(2)}%`,
    String(samples ?? '-'),
  ]);
}
console.log(markdownTable(columnsOf(header), rows));
JS
