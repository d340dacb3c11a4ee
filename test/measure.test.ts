/** The measurement itself, through real child processes. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { seriesPhaseMaxBytes, startSampler, type SamplerResult } from '../bench/measure/sampler.js';
import { measureImport } from '../bench/run/side-measurements.js';
import { runChild } from '../bench/run/spawn.js';
import type { SuiteOptions } from '../bench/types.js';

const dir = mkdtempSync(join(tmpdir(), 'footprint-measure-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const MiB = 1024 * 1024;
const base = { nodeBinary: process.execPath, flags: ['--expose-gc'], timeoutMs: 60_000 };

describe('peak RSS of a phase', () => {
  it('reports a 64 MiB buffer touched inside the phase as +63..68 MiB', async () => {
    const out = await runChild(
      { codec: 'alloc64', phase: 'dump', n: 100, seed: 1, file: join(dir, 'a.json'), codecModules: [resolve('test/fixtures/alloc64-codec.mjs')] },
      base,
    );
    if (out.kind !== 'result') throw new Error(`child did not return figures: ${JSON.stringify(out)}`);
    const inc = out.figures.peakRssIncrementBytes;
    expect(out.figures.peakRssSource).toBe('vmhwm-reset');
    // 64.07-64.17 MiB over 49 runs (quiet and loaded): 64 MiB as the bound left only the ~70 KiB that json.dump touches.
    // The same 1 MiB of slack below as the spike test's, whose same-size touch in the same window read as low as 63.70 MiB.
    expect(inc).toBeGreaterThanOrEqual(63 * MiB);
    expect(inc).toBeLessThanOrEqual(68 * MiB);
    // the buffer was external memory, not V8 heap: the external increment sees it, the live heap does not
    expect(out.figures.peakExternalIncrementBytes).toBeGreaterThanOrEqual(64 * MiB);
    expect(out.figures.peakExternalIncrementBytes).toBe(out.figures.peakExternalBytes - out.figures.baselineExternalBytes);
    expect(out.figures.peakHeapLiveIncrementBytes!).toBeLessThan(8 * MiB);
    expect(out.figures.verified).toBe(true);
    expect(out.markers.map((m) => m.label)).toEqual(['start', 'generated', 'baseline', 'phase-start', 'phase-end', 'verify-start', 'verify-end']);
  });

  it('the live-heap peak leaves out young-generation garbage that the raw heap peak counts', async () => {
    const out = await runChild(
      { codec: 'churn', phase: 'dump', n: 100, seed: 1, file: join(dir, 'g.json'), codecModules: [resolve('test/fixtures/churn-codec.mjs')] },
      { ...base, flags: ['--expose-gc', '--single-threaded-gc'] },
    );
    if (out.kind !== 'result') throw new Error(`child did not return figures: ${JSON.stringify(out)}`);
    const f = out.figures;
    expect(f.gcCount).toBeGreaterThan(0); // the churn triggered scavenges
    // the nursery filled with garbage between scavenges: the raw peak reads MiBs the live peak does not
    expect(f.peakHeapWithGarbageIncrementBytes - f.peakHeapLiveIncrementBytes!).toBeGreaterThan(2 * MiB);
    expect(f.peakHeapLiveIncrementBytes!).toBeLessThan(2 * MiB);
  });

  it('the live-heap peak sees objects still held when the phase ends', async () => {
    const out = await runChild(
      { codec: 'hold32', phase: 'dump', n: 100, seed: 1, file: join(dir, 'h.json'), codecModules: [resolve('test/fixtures/hold32-codec.mjs')] },
      { ...base, flags: ['--expose-gc', '--single-threaded-gc'] },
    );
    if (out.kind !== 'result') throw new Error(`child did not return figures: ${JSON.stringify(out)}`);
    expect(out.figures.peakHeapLiveIncrementBytes!).toBeGreaterThan(24 * MiB);
    expect(out.figures.peakHeapLiveIncrementBytes!).toBeLessThanOrEqual(out.figures.peakHeapWithGarbageIncrementBytes + 1 * MiB);
  });

  it('catches a transient spike: 64 MiB touched and freed inside the phase is a +63..68 MiB peak over an end RSS near the baseline', async () => {
    const out = await runChild(
      { codec: 'spike64', phase: 'dump', n: 100, seed: 1, file: join(dir, 'c.json'), codecModules: [resolve('test/fixtures/spike64-codec.mjs')] },
      base,
    );
    if (out.kind !== 'result') throw new Error(`child did not return figures: ${JSON.stringify(out)}`);
    const f = out.figures;
    // 1 MiB of slack below: allocating 64 MiB of external memory can trigger a GC that frees a few
    // of the baseline's pages before the buffer is touched (seen: 64 MiB - 76 KiB)
    expect(f.peakRssIncrementBytes).toBeGreaterThanOrEqual(63 * MiB);
    expect(f.peakRssIncrementBytes).toBeLessThanOrEqual(68 * MiB);
    expect(f.endRssBytes - f.baselineRssBytes).toBeLessThan(8 * MiB);
    expect(f.peakRssBytes - f.endRssBytes).toBeGreaterThan(56 * MiB);
    expect(f.verified).toBe(true);
  });

  it("the parent's RSS samples line up with the child's phase markers: the spike is inside the phase, not after it", async () => {
    let sampled: SamplerResult | undefined;
    const out = await runChild(
      { codec: 'spike64', phase: 'dump', n: 100, seed: 1, file: join(dir, 'd.json'), codecModules: [resolve('test/fixtures/spike64-codec.mjs')] },
      {
        ...base,
        onSpawn: (pid, spawnedAt) => {
          const s = startSampler(pid, 1, spawnedAt);
          return {
            stop: () => {
              sampled = s.stop();
            },
            marker: () => {},
          };
        },
      },
    );
    if (out.kind !== 'result' || !sampled) throw new Error(`no figures or series: ${JSON.stringify(out)}`);
    const series = { intervalMs: 1, ...sampled, markers: out.markers };
    const at = (label: string): number => out.markers.find((m) => m.label === label)!.tMs;
    // in the phase window the sampler saw the spike's top (VmHWM), within 2%
    expect(seriesPhaseMaxBytes(series, 0)! / out.figures.peakRssBytes).toBeGreaterThan(0.98);
    // before the phase and after it, RSS was far below the spike
    const outside = sampled.tMs.flatMap((t, i) => (t < at('phase-start') || t > at('phase-end') ? [sampled!.rssBytes[i]!] : []));
    expect(outside.length).toBeGreaterThan(0);
    expect(Math.max(...outside)).toBeLessThan(out.figures.peakRssBytes - 48 * MiB);
  });

  it('reports a phase that allocates nothing as a near-zero increment', async () => {
    const out = await runChild({ codec: 'json', phase: 'dump', n: 10, seed: 1, file: join(dir, 'b.json'), codecModules: [] }, base);
    if (out.kind !== 'result') throw new Error(JSON.stringify(out));
    expect(out.figures.peakRssIncrementBytes).toBeLessThan(4 * MiB);
    expect(out.figures.fileBytes).toBeGreaterThan(0);
  });
});

describe('a child that misbehaves is a result, not a crash', () => {
  const mod = [resolve('test/fixtures/misbehaving-codec.mjs')];
  const withBehaviour = async <T>(b: string, fn: () => Promise<T>): Promise<T> => {
    process.env.FOOTPRINT_TEST_BEHAVIOUR = b;
    try {
      return await fn();
    } finally {
      delete process.env.FOOTPRINT_TEST_BEHAVIOUR;
    }
  };

  it('heap exhaustion is oom, with the limit recorded', async () => {
    const out = await withBehaviour('hog', () =>
      runChild(
        { codec: 'hog', phase: 'dump', n: 10, seed: 1, file: join(dir, 'h.json'), codecModules: mod },
        { ...base, flags: ['--expose-gc', '--max-old-space-size=48'] },
      ),
    );
    expect(out.kind).toBe('oom');
    if (out.kind === 'oom') expect(out.error).toMatch(/heap limit 48 MiB/);
  });

  it('a child past its wall timeout is killed and reported as timeout', async () => {
    const out = await withBehaviour('sleep', () =>
      runChild({ codec: 'sleep', phase: 'dump', n: 10, seed: 1, file: join(dir, 's.json'), codecModules: mod }, { ...base, timeoutMs: 1500 }),
    );
    expect(out.kind).toBe('timeout');
    if (out.kind === 'timeout') expect(out.exitSignal).toBe('SIGKILL');
  });

  it('an exception in the phase is failed, with its message', async () => {
    const out = await withBehaviour('throw', () =>
      runChild({ codec: 'throw', phase: 'dump', n: 10, seed: 1, file: join(dir, 't.json'), codecModules: mod }, base),
    );
    expect(out.kind).toBe('failed');
    if (out.kind === 'failed') expect(out.error).toMatch(/RangeError: Invalid string length/);
  });

  it('a codec that changes the data is caught by verification', async () => {
    const out = await withBehaviour('lossy', () =>
      runChild({ codec: 'lossy', phase: 'dump', n: 50, seed: 1, file: join(dir, 'l.json'), codecModules: mod }, base),
    );
    if (out.kind !== 'result') throw new Error(JSON.stringify(out));
    expect(out.figures.verified).toBe(false);
    expect(out.figures.verifyError).toMatch(/differs/);
  });
});

describe('verification of what a load returned', () => {
  const mod = [resolve('test/fixtures/misbehaving-codec.mjs')];
  const load = async (behaviour: string, n = 50) => {
    process.env.FOOTPRINT_TEST_BEHAVIOUR = behaviour;
    try {
      const file = join(dir, `${behaviour}.json`);
      const prepared = await runChild({ codec: behaviour, phase: 'prepare', n, seed: 1, file, codecModules: mod }, base);
      expect(prepared.kind).toBe('prepared');
      return await runChild({ codec: behaviour, phase: 'load', n, seed: 1, file, codecModules: mod }, base);
    } finally {
      delete process.env.FOOTPRINT_TEST_BEHAVIOUR;
    }
  };

  it('a load that returns another number of records fails, naming both counts', async () => {
    const out = await load('short');
    expect(out.kind).toBe('failed');
    if (out.kind === 'failed') expect(out.error).toMatch(/loaded 49 records, expected 50/);
  });

  it('a uint64 that comes back as a Number is lossy, with the record', async () => {
    const out = await load('number');
    if (out.kind !== 'result') throw new Error(JSON.stringify(out));
    expect(out.figures.verified).toBe(false);
    expect(out.figures.uint64).toBe('lossy');
    expect(out.figures.verifyError).toMatch(/first differing record \d+: uint64 \d+ came back as \d+ \(number\)$/);
  });

  it('a load that returns columns without declaring returns: columns fails, saying what to declare', async () => {
    const out = await load('typed-arrays', 0);
    expect(out.kind).toBe('failed');
    if (out.kind === 'failed')
      expect(out.error).toMatch(/declares that its load returns rows .*the default.*but it returned columns .*declare returns: 'columns'/);
  });
});

describe('what importing a codec costs a fresh process', () => {
  const flags = ['--expose-gc', '--single-threaded-gc'];
  const measure = (codec: string, modulePath?: string) =>
    measureImport(codec, modulePath, flags, { nodeBinary: process.execPath, timeoutMs: 60_000 } as SuiteOptions, () => {});

  it("sees bson's 17 MiB buffer, apache-arrow's heap, and next to nothing for a codec with no library", async () => {
    const [json, bson, arrow] = await Promise.all([measure('json'), measure('bson'), measure('arrow')]);
    // json's module imports no library: a few hundred KiB of code at most
    expect(Math.abs(json!.heapBytes)).toBeLessThan(1 * MiB);
    expect(Math.abs(json!.externalBytes)).toBeLessThan(256 * 1024);
    // the bson package allocates its 17 MiB serialization buffer at import
    expect(bson!.externalBytes).toBeGreaterThanOrEqual(16 * MiB);
    expect(bson!.externalBytes).toBeLessThan(19 * MiB);
    expect(arrow!.heapBytes).toBeGreaterThan(json!.heapBytes + 1 * MiB);
    expect(arrow!.rssBytes).toBeGreaterThan(json!.rssBytes + 2 * MiB);
    for (const x of [json, bson, arrow]) expect(x!.ms).toBeGreaterThan(0);
  });

  it('imports a --codec-module codec from its module, and says why it cannot when there is none', async () => {
    const mine = await measure('msgpack-records', resolve('examples/msgpack-records-codec.mjs'));
    expect(mine!.heapBytes).toBeGreaterThan(0); // msgpackr, which the module imports
    const lines: string[] = [];
    const none = await measureImport('no-such-codec', undefined, flags, { nodeBinary: process.execPath, timeoutMs: 60_000 } as SuiteOptions, (l) =>
      lines.push(l),
    );
    expect(none).toBeUndefined();
    expect(lines.join('\n')).toMatch(/no-such-codec: import cost not measured: .*no codec 'no-such-codec'/);
  });
});

describe('clone phase', () => {
  it.each([['structuredClone'], ['v8-serialize-clone']])('%s: copy verified, and dropping the original frees about its heap', async (variant) => {
    // 100,000 tuples: at 20,000 the ratios below ranged 0.93-1.22 over 8 runs (a few hundred KiB of compiled code and
    // sampler state landing on either side of a heap reading); at 100,000, 0.98-1.04.
    const out = await runChild({ codec: variant, phase: 'clone', n: 100_000, seed: 3, file: '/dev/null', codecModules: [] }, base);
    if (out.kind !== 'result') throw new Error(JSON.stringify(out));
    const c = out.figures.clone!;
    expect(out.figures.verified).toBe(true);
    expect(c.dataHeapBytes).toBeGreaterThan(100_000 * 36);
    // both alive ≈ twice the data; the drop frees about one copy (strings and BigInts are copied too)
    expect(c.bothHeapBytes / c.dataHeapBytes).toBeGreaterThan(1.8);
    expect(c.freedByDropBytes / c.dataHeapBytes).toBeGreaterThan(0.8);
    expect(c.freedByDropBytes / c.dataHeapBytes).toBeLessThan(1.2);
  });
});
