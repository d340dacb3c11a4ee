#!/usr/bin/env node
// Finds, per (codec, phase), the heap limits (--max-old-space-size, MiB) at which a
// measured child at N tuples runs out of memory. Runs the compiled child directly,
// one fresh process per (codec, phase, limit). Run under the benchmark lock:
//   flock /work/bench.lock node scripts/heap-limit-scan.mjs --n 1000000 --codecs json,v8,msgpack,text --limits 600,500,400,350,300,250,200,150
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const child = join(root, 'dist', 'bench', 'measure', 'child.js');
const { values } = parseArgs({ options: { n: { type: 'string' }, codecs: { type: 'string' }, limits: { type: 'string' }, seed: { type: 'string' } } });
const n = Number(values.n ?? 1e6);
const seed = values.seed ?? '42';
const codecs = (values.codecs ?? 'json,v8,msgpack,text').split(',');
const limits = (values.limits ?? '600,500,400,350,300,250,200,150')
  .split(',')
  .map(Number)
  .sort((a, b) => b - a);
const dir = mkdtempSync(join(tmpdir(), 'footprint-heapscan-'));
const ext = { json: 'json', v8: 'v8', msgpack: 'msgpack', text: 'csv' };

function runChild(codec, phase, file, limit) {
  const flags = ['--expose-gc', ...(limit ? [`--max-old-space-size=${limit}`] : [])];
  const r = spawnSync(process.execPath, [...flags, child, '--codec', codec, '--phase', phase, '--n', String(n), '--seed', seed, '--file', file], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  if (/heap out of memory|Reached heap limit|Allocation failed/.test(r.stderr)) return { state: 'oom' };
  if (r.status !== 0) return { state: 'failed', why: `${r.stderr.trim().split('\n').pop() ?? ''} [${r.signal ?? r.status}]` };
  if (phase === 'prepare') return { state: 'ok' };
  const out = JSON.parse(r.stdout);
  return {
    state: out.verified ? 'ok' : 'lossy',
    why: out.verifyError,
    peakHeapUsedMiB: +(out.peakHeapUsedBytes / 1048576).toFixed(1),
    peakRssIncrementMiB: +(out.peakRssIncrementBytes / 1048576).toFixed(1),
  };
}

const rows = [];
try {
  for (const codec of codecs) {
    const file = join(dir, `${codec}.${ext[codec] ?? 'data'}`);
    const prep = runChild(codec, 'prepare', file, 0);
    if (prep.state !== 'ok') throw new Error(`prepare ${codec}: ${JSON.stringify(prep)}`);
    for (const phase of ['dump', 'load']) {
      const f = phase === 'dump' ? join(dir, `dump-${codec}.${ext[codec] ?? 'data'}`) : file;
      for (const limit of limits) {
        const r = runChild(codec, phase, f, limit);
        rows.push({ codec, phase, limit, ...r });
        console.log(JSON.stringify(rows.at(-1)));
        if (r.state === 'oom') break; // smaller limits fail too
      }
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
