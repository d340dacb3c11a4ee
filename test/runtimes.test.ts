/**
 * Runtimes other than Node: parsing --runtime, installing into the cache
 * (with stand-in binaries: no download), Deno's node-style launcher, the
 * capability rows and what compares across runtimes. One optional test runs
 * the real Bun and Deno when they are already in the project's cache.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { gcCostUnitMs, currentRuntime, markerClock } from '../bench/measure/runtime-adapter.js';
import { capabilitiesOf, comparability, gcUnitFromRatio, type CapabilityProbe } from '../bench/measure/capabilities.js';
import {
  installJsRuntime,
  installRuntime,
  parseRuntimeList,
  RuntimeInstallError,
  runtimeBinaryPath,
  runtimeInstallDir,
  versionMatches,
} from '../bench/matrix/runtimes.js';
import { PROJECT_ROOT } from '../bench/run/paths.js';
import { compareReports } from '../bench/compare/compare.js';
import { syntheticReport } from './helpers/synthetic.js';

function standIn(cache: string, name: 'bun' | 'deno', version: string, script: string): string {
  const bin = runtimeBinaryPath(name, runtimeInstallDir(name, version, cache));
  mkdirSync(path.dirname(bin), { recursive: true });
  writeFileSync(bin, `#!/bin/sh\n${script}\n`);
  chmodSync(bin, 0o755);
  return bin;
}

describe('--runtime', () => {
  it('parses node@MAJOR, bun@VERSION, deno@VERSION and python', () => {
    expect(parseRuntimeList('node@20,node@22,bun@1.4,deno@2.9,python').map((s) => s.label)).toEqual(['node@20', 'node@22', 'bun@1.4', 'deno@2.9', 'python']);
    expect(parseRuntimeList('node@v22,node@22')).toHaveLength(1);
    expect(() => parseRuntimeList('bun')).toThrow(/needs a version, e\.g\. bun@1\.4/);
    expect(() => parseRuntimeList('python@3.11')).toThrow(/python takes no version/);
    expect(() => parseRuntimeList('node@22.1')).toThrow(/major version/);
    expect(() => parseRuntimeList('ruby@3')).toThrow(/not one of node@MAJOR/);
    expect(versionMatches('1.4', '1.4.5')).toBe(true);
    expect(versionMatches('1.4', '1.40.0')).toBe(false);
  });
});

describe('installing Bun and Deno (stand-ins in a temporary cache)', () => {
  it('reuses a cached Bun without calling npm, and says what and where', async () => {
    const cache = mkdtempSync(path.join(tmpdir(), 'footprint-rtcache-'));
    const bin = standIn(cache, 'bun', '1.4', 'echo 1.4.5');
    const lines: string[] = [];
    const r = await installRuntime(parseRuntimeList('bun@1.4')[0]!, cache, (l) => lines.push(l));
    expect(r).toMatchObject({ version: '1.4.5', binary: bin, executable: bin, installed: false });
    expect(lines).toEqual([`using cached bun 1.4.5 at ${bin}`]);
  });

  it('reports a runtime that does not run, or is the wrong version, naming the folder to delete', async () => {
    const cache = mkdtempSync(path.join(tmpdir(), 'footprint-rtcache-'));
    standIn(cache, 'bun', '1.4', 'echo "cannot execute" >&2; exit 126');
    await expect(installJsRuntime('bun', '1.4', cache, () => {})).rejects.toThrow(RuntimeInstallError);
    await expect(installJsRuntime('bun', '1.4', cache, () => {})).rejects.toThrow(/bun does not run \(delete .*bun-1\.4 to reinstall\)/);
    standIn(cache, 'deno', '2.9', 'echo "deno 2.8.0 (stable)"');
    await expect(installJsRuntime('deno', '2.9', cache, () => {})).rejects.toThrow(/is deno 2\.8\.0, expected 2\.9\.x/);
    await expect(installRuntime(parseRuntimeList('python')[0]!, cache, () => {})).rejects.toThrow(/python3 on the PATH/);
  });

  it('starts Deno through a launcher that turns node-style flags into deno run --v8-flags', async () => {
    const cache = mkdtempSync(path.join(tmpdir(), 'footprint-rtcache-'));
    // the stand-in answers --version like deno and otherwise prints the arguments it got
    const bin = standIn(cache, 'deno', '2.9', 'if [ "$1" = --version ]; then echo "deno 2.9.6 (stable)"; else echo "$@"; echo "$FOOTPRINT_LAUNCH_FLAGS"; fi');
    const r = await installJsRuntime('deno', '2.9', cache, () => {});
    expect(r.executable).toBe(bin);
    expect(r.binary).not.toBe(bin);
    const out = execFileSync(r.binary, ['--expose-gc', '--max-old-space-size=100', 'child.js', '--n', '5'], { encoding: 'utf8' }).trim().split('\n');
    expect(out[0]).toBe('run -A --v8-flags=--expose-gc,--max-old-space-size=100 child.js --n 5');
    expect(out[1]).toBe('--expose-gc,--max-old-space-size=100'); // what the child's verifier is started with
    expect(execFileSync(r.binary, ['child.js'], { encoding: 'utf8' }).split('\n')[0]).toBe('run -A child.js');
  });
});

describe('adapter and capabilities', () => {
  const probe = (over: Partial<CapabilityProbe>): CapabilityProbe => ({
    runtime: 'node',
    version: 'v20.20.2',
    v8: '11.3',
    peakReset: true,
    gc: 'gc()',
    gcCostPerMs: 1000,
    gcCostUnitAssumed: 'µs',
    v8TupleBytes: 48,
    v8Header: 'ff0f4103',
    heapProfiler: true,
    heapUsedWithinTotal: true,
    ...over,
  });

  it("knows the runtime it runs on, and each runtime's GC cost unit and marker clock", () => {
    expect(currentRuntime()).toBe('node');
    expect(markerClock('node')).toBe('monotonic');
    expect(markerClock('bun')).toBe('process-start');
    expect(gcCostUnitMs('deno')).toBe(1e-6);
    expect(gcCostUnitMs('bun')).toBe(1e-3);
    expect(gcUnitFromRatio(999_152)).toBe('ns');
    expect(gcUnitFromRatio(944)).toBe('µs');
    expect(gcUnitFromRatio(null)).toBe('unknown');
  });

  it("marks Bun's heap and its v8 codec as not comparable, and a GC unit the probe contradicts as suspect", () => {
    const bun = capabilitiesOf(
      probe({ runtime: 'bun', version: '1.4.5', v8TupleBytes: 73, v8Header: '0e000000', heapProfiler: false, heapUsedWithinTotal: false }),
    );
    expect(bun.engine).toBe('JavaScriptCore');
    const row = (what: RegExp) => bun.rows.find((r) => what.test(r.what))!;
    expect(row(/heap figures/).status).toBe('differs');
    expect(row(/`v8` codec/)).toMatchObject({ status: 'differs', detail: expect.stringMatching(/structured clone \(header 0e000000, a tuple is 73 B\)/) });
    expect(row(/sizeof/).status).toBe('no');
    const deno = capabilitiesOf(probe({ runtime: 'deno', version: '2.9.6', gcCostPerMs: 1000, gcCostUnitAssumed: 'ns' }));
    expect(deno.rows.find((r) => /GC time/.test(r.what))).toMatchObject({ status: 'differs', detail: expect.stringMatching(/suspect/) });
    const node = capabilitiesOf(probe({}));
    expect(node.rows.every((r) => r.status === 'yes')).toBe(true);

    expect(comparability('json', 'peakRssIncrementBytes', node, bun)).toEqual({ comparable: true });
    expect(comparability('json', 'peakExternalIncrementBytes', node, bun)).toEqual({ comparable: true });
    expect(comparability('json', 'peakHeapLiveIncrementBytes', node, bun)).toMatchObject({
      comparable: false,
      why: expect.stringMatching(/bun 1\.4\.5's heap is JavaScriptCore's/),
    });
    expect(comparability('json', 'peakHeapLiveIncrementBytes', undefined, deno)).toEqual({ comparable: true });
    expect(comparability('v8', 'peakRssIncrementBytes', bun, node)).toMatchObject({ comparable: false, why: expect.stringMatching(/structured-clone format/) });
    expect(comparability('v8', 'fileBytes', node, deno)).toEqual({ comparable: true });
  });
});

describe('compare across runtimes', () => {
  it('leaves out what does not compare: Bun heap figures, the v8 codec on Bun, any case of a peer group', () => {
    const cases = [
      { codec: 'json', phase: 'dump' as const },
      { codec: 'v8', phase: 'dump' as const },
    ];
    const node = syntheticReport({ cases });
    const bun = syntheticReport({ cases, noiseSeed: 2 });
    bun.environment.runtime = capabilitiesOf({
      runtime: 'bun',
      version: '1.4.5',
      v8: '14.6',
      peakReset: true,
      gc: 'Bun.gc(true)',
      gcCostPerMs: 1000,
      gcCostUnitAssumed: 'µs',
      v8TupleBytes: 73,
      v8Header: '0e000000',
      heapProfiler: false,
      heapUsedWithinTotal: false,
    });
    const pair = compareReports([
      { label: 'node', report: node },
      { label: 'bun', report: bun },
    ]).pairs[0]!;
    expect(pair.cases.map((c) => c.codec)).toEqual(['json']);
    expect(pair.cases[0]!.metrics.map((m) => m.metric)).toEqual(['peakRssIncrementBytes', 'peakExternalIncrementBytes', 'wallMs', 'fileBytes']);
    expect(pair.unmatched).toEqual([
      { dataset: 'tuples', codec: 'v8', phase: 'dump', n: expect.any(Number), note: expect.stringMatching(/^not comparable: .*structured-clone format/) },
    ]);
    expect(pair.warnings.some((w) => /peakHeapLiveIncrementBytes left out: bun 1\.4\.5's heap is JavaScriptCore's/.test(w))).toBe(true);

    const python = syntheticReport({ cases, noiseSeed: 3 });
    python.peer = { language: 'python', version: '3.11.7', notMeasured: [], uint64: {} };
    const peerPair = compareReports([
      { label: 'node', report: node },
      { label: 'python', report: python },
    ]).pairs[0]!;
    expect(peerPair.cases).toEqual([]);
    expect(peerPair.unmatched.every((u) => /python is the python peer group/.test(u.note))).toBe(true);
  });
});

/** Real Bun and Deno, only when a matrix run already put them in the project's cache (no download here). */
const CACHE = path.join(PROJECT_ROOT, '.cache');
const real = (['bun', 'deno'] as const).map((name) => {
  const version = name === 'bun' ? '1.4' : '2.9';
  return { name, version, present: existsSync(runtimeBinaryPath(name, runtimeInstallDir(name, version, CACHE))) };
});

describe.each(real)('real $name@$version from the cache (optional)', ({ name, version, present }) => {
  it.skipIf(!present)('runs the measured child: verified dump, peak reset, and its own capability table', async () => {
    const rt = await installJsRuntime(name, version, CACHE, () => {});
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'footprint-rt-')), 'x.msgpack');
    const out = execFileSync(
      rt.binary,
      [
        '--expose-gc',
        path.join(PROJECT_ROOT, 'dist/bench/measure/child.js'),
        '--codec',
        'msgpack',
        '--phase',
        'dump',
        '--n',
        '500',
        '--seed',
        '42',
        '--file',
        file,
      ],
      { encoding: 'utf8' },
    );
    const figures = JSON.parse(out) as { verified: boolean; peakRssSource: string; fileBytes: number; gcMs: number };
    expect(figures).toMatchObject({ verified: true, peakRssSource: 'vmhwm-reset' });
    expect(figures.fileBytes).toBe(readFileSync(file).length);
    expect(figures.gcMs).toBeGreaterThanOrEqual(0);
    const probe = JSON.parse(execFileSync(rt.binary, ['--expose-gc', path.join(PROJECT_ROOT, 'dist/bench/measure/env-probe.js')], { encoding: 'utf8' })) as {
      capabilities: ReturnType<typeof capabilitiesOf>;
    };
    expect(probe.capabilities.name).toBe(name);
    const v8Row = probe.capabilities.rows.find((r) => /`v8` codec/.test(r.what))!;
    expect(v8Row.status).toBe(name === 'bun' ? 'differs' : 'yes');
    expect(probe.capabilities.rows.find((r) => /GC time/.test(r.what))!.status).toBe('yes'); // the probe confirmed the unit
  });
});
