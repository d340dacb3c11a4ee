import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json } from '../bench/codecs/json.js';
import { msgpack } from '../bench/codecs/msgpack.js';
import { measureThroughput } from '../bench/throughput/throughput.js';
import type { ThroughputOptions } from '../bench/types.js';
import type { Codec, Tuple } from '../bench/types.js';

/** Tiny budgets: these tests check wiring and sanity, not speed. */
const TINY: ThroughputOptions = { batch: 100, seed: 42, warmupTimeMs: 5, warmupIterations: 2, timeMs: 20, iterations: 5 };

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'footprint-throughput-test-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('measureThroughput', () => {
  it('returns positive, self-consistent figures for two codecs, verified by checksum, and cleans up', async () => {
    const progress: string[] = [];
    const t = await measureThroughput([json, msgpack], { ...TINY, dir, onProgress: (l) => progress.push(l) });
    expect(t.method).toBe('in-process-warmed-jit');
    expect(t.batch).toBe(100);
    expect(t.scratchDir).toBe(dir);
    expect(t.tinybenchVersion).toMatch(/^\d+\.\d+\.\d+/);
    expect(t.rows.map((r) => r.codec)).toEqual(['json', 'msgpack']);
    for (const row of t.rows) {
      expect(row.state).toBe('ok');
      expect(row.verified).toBe(true);
      expect(row.encodedBytes).toBeGreaterThan(100 * 20); // at least the strings
      for (const s of [row.encode, row.decode]) {
        if (!s) throw new Error(`${row.codec}: missing stats`);
        expect(s.samples).toBeGreaterThanOrEqual(TINY.iterations);
        expect(s.meanMs).toBeGreaterThan(0);
        expect(s.minMs).toBeLessThanOrEqual(s.p50Ms);
        expect(s.p50Ms).toBeLessThanOrEqual(s.p99Ms);
        expect(s.p99Ms).toBeLessThanOrEqual(s.maxMs);
        expect(Number.isFinite(s.rmePercent) && s.rmePercent >= 0).toBe(true);
        expect(s.opsPerSec).toBeCloseTo(1000 / s.meanMs, 6);
        expect(s.tuplesPerSec).toBeCloseTo(s.opsPerSec * 100, 6);
        expect(s.encodedBytesPerSec).toBeCloseTo(s.opsPerSec * row.encodedBytes!, 3);
      }
    }
    expect(progress).toHaveLength(2);
    const [scratch] = await readdir(dir);
    expect(scratch).toBeUndefined();
  });

  it('reports a codec whose load loses data as lossy and does not time it', async () => {
    const dropsLast: Codec = {
      ...json,
      forDataset: undefined, // its own load, not json's binding
      name: 'drops-last',
      async load(path) {
        const data = await json.load(path);
        return Array.isArray(data) ? data.slice(0, -1) : data;
      },
    };
    const t = await measureThroughput([dropsLast], { ...TINY, dir });
    expect(t.rows[0]).toMatchObject({ codec: 'drops-last', state: 'lossy', verified: false, encode: null, decode: null });
    expect(t.rows[0]?.error).toContain('checksum');
  });

  it('turns a throwing codec into a failed row and carries on with the next', async () => {
    const throws: Codec = { ...json, forDataset: undefined, name: 'throws', dump: () => Promise.reject(new Error('disk on fire')) };
    const t = await measureThroughput([throws, json], { ...TINY, dir });
    expect(t.rows.map((r) => r.state)).toEqual(['failed', 'ok']);
    expect(t.rows[0]?.error).toBe('Error: disk on fire');
  });

  it('refuses a non-positive batch', async () => {
    await expect(measureThroughput([json], { ...TINY, batch: 0 })).rejects.toThrow(/batch must be a positive integer/);
  });

  it('times each dataset with its own batch, verified by its own checksum; a codec that cannot carry one is an n/a row', async () => {
    const { getDataset } = await import('../bench/data/registry.js');
    const logs = await getDataset('logs');
    const tuples = await getDataset('tuples');
    const tuplesOnly: Codec = { ...json, forDataset: undefined, name: 'tuples-only' };
    const t = await measureThroughput([json, tuplesOnly], { ...TINY, dir }, [
      { dataset: tuples, batch: 40 },
      { dataset: logs, batch: 30 },
    ]);
    expect(t.rows.map((r) => [r.dataset, r.codec, r.state])).toEqual([
      ['tuples', 'json', 'ok'],
      ['tuples', 'tuples-only', 'ok'],
      ['logs', 'json', 'ok'],
      ['logs', 'tuples-only', 'n/a'],
    ]);
    expect(t.batches).toEqual({ tuples: 40, logs: 30 });
    const logsJson = t.rows[2]!;
    expect(logsJson.verified).toBe(true);
    expect(logsJson.encode!.tuplesPerSec).toBeCloseTo(logsJson.encode!.opsPerSec * 30, 6);
    expect(t.rows[3]!.error).toMatch(/^n\/a: tuples-only has no mapping for the dataset logs/);
  });

  it('a load that loses a record of another dataset is lossy, judged by that dataset', async () => {
    const { getDataset } = await import('../bench/data/registry.js');
    const logs = await getDataset('logs');
    const bound = json.forDataset!({ name: logs.name, schema: logs.schema, fingerprint: logs.info.fingerprint });
    if ('unsupported' in bound) throw new Error(bound.unsupported);
    const dropsLast: Codec = {
      ...json,
      name: 'drops-last',
      forDataset: () => ({ dump: bound.dump, load: async (path) => ((await bound.load(path)) as Tuple[]).slice(0, -1) }),
    };
    const t = await measureThroughput([dropsLast], { ...TINY, dir }, [{ dataset: logs, batch: 20 }]);
    expect(t.rows[0]).toMatchObject({ dataset: 'logs', state: 'lossy', verified: false, encode: null });
  });
});
