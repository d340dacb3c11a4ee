import { spawn } from 'node:child_process';
import { monotonicMs } from '../bench/measure/protocol.js';
import { describe, expect, it } from 'vitest';
import { downsampleMax, parseVmRssBytes, seriesPhaseMaxBytes, startSampler, toMemorySeries } from '../bench/measure/sampler.js';

describe('downsampleMax', () => {
  it('keeps every bucket maximum, so the peak survives', () => {
    const n = 1000;
    const tMs = Array.from({ length: n }, (_, i) => i * 2);
    const rssBytes = Array.from({ length: n }, (_, i) => 1000 + (i % 7));
    rssBytes[637] = 99_999; // a one-sample spike
    const out = downsampleMax({ tMs, rssBytes }, 50);
    expect(out.tMs.length).toBeLessThanOrEqual(50);
    expect(out.tMs.length).toBe(out.rssBytes.length);
    expect(Math.max(...out.rssBytes)).toBe(99_999);
    expect(out.tMs[out.rssBytes.indexOf(99_999)]).toBe(637 * 2); // the spike keeps its own time
    // timestamps stay increasing
    for (let i = 1; i < out.tMs.length; i++) expect(out.tMs[i]!).toBeGreaterThan(out.tMs[i - 1]!);
  });

  it('returns short series unchanged and rejects bad input', () => {
    const s = { tMs: [0, 1, 2], rssBytes: [5, 9, 7], extra: 'kept' };
    const out = downsampleMax(s, 3);
    expect(out).toEqual(s);
    expect(out.tMs).not.toBe(s.tMs);
    expect(() => downsampleMax(s, 0)).toThrow(RangeError);
    expect(() => downsampleMax({ tMs: [1], rssBytes: [] }, 5)).toThrow(/1 timestamps but 0 values/);
  });

  it('toMemorySeries bounds the points and keeps raw count and markers', () => {
    const tMs = Array.from({ length: 5000 }, (_, i) => i);
    const rssBytes = tMs.map((t) => t * 10);
    const s = toMemorySeries({ tMs, rssBytes, rawSamples: 5000 }, 2, [{ label: 'phase-start', tMs: 3 }], 100);
    expect(s.tMs.length).toBe(100);
    expect(s.rawSamples).toBe(5000);
    expect(Math.max(...s.rssBytes)).toBe(49_990);
    expect(s.markers).toEqual([{ label: 'phase-start', tMs: 3 }]);
  });
});

describe('parseVmRssBytes', () => {
  it('reads kB into bytes and returns null without a VmRSS line', () => {
    const text = Buffer.from('Name:\tnode\nVmHWM:\t  999 kB\nVmRSS:\t   51200 kB\nRssAnon:\t 1 kB\n');
    expect(parseVmRssBytes(text, text.length)).toBe(51200 * 1024);
    const zombie = Buffer.from('Name:\tnode\nState:\tZ (zombie)\n');
    expect(parseVmRssBytes(zombie, zombie.length)).toBeNull();
    // bytes past `length` are stale buffer contents, not this reading
    expect(parseVmRssBytes(text, 10)).toBeNull();
  });
});

describe('startSampler', () => {
  it('follows a child that grows by 64 MiB and stops when it exits', async () => {
    const t0 = monotonicMs();
    // The child says when it is up, allocates and touches 64 MiB only when told, holds it 150 ms and exits. The growth is
    // taken from the last sample before "go": taken from the first sample, it included Node's own start-up and so depended
    // on how early that sample came (85-106 MiB over 39 runs, the low ones on a loaded machine; from "go", 64.6-64.9 MiB).
    const child = spawn(
      process.execPath,
      [
        '-e',
        "process.stdout.write('ready\\n'); process.stdin.once('data', () => { const b = Buffer.alloc(64 * 1024 * 1024, 1); setTimeout(() => process.exit(b.length > 0 ? 0 : 1), 150); });",
      ],
      { stdio: ['pipe', 'pipe', 'inherit'] },
    );
    const sampler = startSampler(child.pid!, 2, t0);
    const exited = new Promise((resolve) => child.on('exit', resolve));
    await new Promise((resolve) => child.stdout!.once('data', resolve));
    await new Promise((resolve) => setTimeout(resolve, 100)); // the 2 ms sampling timer fires before this one: samples of the idle child
    const goMs = monotonicMs() - t0;
    child.stdin!.write('go\n');
    await exited;
    await new Promise((resolve) => setTimeout(resolve, 20));
    const s = sampler.stop();
    expect(s.rawSamples).toBe(s.tMs.length);
    expect(s.rawSamples).toBeGreaterThan(50); // ~300 ms at 2 ms (153-216 seen), generous for a busy machine
    const before = s.tMs.filter((t) => t < goMs).length;
    expect(before).toBeGreaterThan(0);
    const grew = Math.max(...s.rssBytes) - s.rssBytes[before - 1]!;
    expect(grew).toBeGreaterThan(63 * 1024 * 1024);
    expect(grew).toBeLessThan(72 * 1024 * 1024);
    for (let i = 1; i < s.tMs.length; i++) expect(s.tMs[i]!).toBeGreaterThanOrEqual(s.tMs[i - 1]!);
    expect(s.tMs[0]!).toBeGreaterThanOrEqual(0);
    // after exit nothing more is sampled
    const again = sampler.stop();
    expect(again.rawSamples).toBe(s.rawSamples);
  });

  it('samples every interval inside the window, and less often outside it', async () => {
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 2000)'], { stdio: 'ignore' });
    const t0 = monotonicMs();
    const sampler = startSampler(child.pid!, 2, t0, 20);
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    await sleep(300);
    const opened = monotonicMs() - t0;
    sampler.window(true);
    await sleep(300);
    const closed = monotonicMs() - t0;
    sampler.window(false);
    await sleep(300);
    const s = sampler.stop();
    child.kill();
    const count = (from: number, to: number) => s.tMs.filter((t) => t >= from && t < to).length;
    const outside = count(0, opened) + count(closed + 25, closed + 300);
    const inside = count(opened, closed);
    // at 2 ms about 150 samples in the window (fewer on a busy machine), at 20 ms about 14 in each 300 ms outside
    expect(inside).toBeGreaterThan(60);
    expect(outside).toBeLessThan(40);
    expect(inside).toBeGreaterThan(3 * outside);
  });

  it('gives an empty series for a pid that does not exist, or with sampling off', () => {
    expect(startSampler(2 ** 22 + 12345, 2).stop().rawSamples).toBe(0);
    expect(startSampler(process.pid, 0).stop().rawSamples).toBe(0);
  });
});

describe('seriesPhaseMaxBytes', () => {
  const base = {
    intervalMs: 2,
    rawSamples: 6,
    tMs: [0, 10, 12, 14, 16, 30],
    rssBytes: [900, 100, 300, 200, 250, 800],
    markers: [
      { label: 'phase-start', tMs: 10 },
      { label: 'phase-end', tMs: 13 },
    ],
  };
  it('takes the maximum inside the phase window plus slack only', () => {
    expect(seriesPhaseMaxBytes(base)).toBe(300); // window 10..17: samples at 10, 12, 14, 16
    expect(seriesPhaseMaxBytes(base, 0)).toBe(300);
    expect(seriesPhaseMaxBytes({ ...base, rssBytes: [900, 100, 300, 200, 350, 800] })).toBe(350);
    expect(seriesPhaseMaxBytes({ ...base, rssBytes: [900, 100, 300, 200, 350, 800] }, 0)).toBe(300);
  });
  it('is null without markers', () => {
    expect(seriesPhaseMaxBytes({ ...base, markers: [] })).toBeNull();
  });
});
