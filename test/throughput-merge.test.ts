import { describe, expect, it } from 'vitest';
import { shuffled } from '../bench/shuffle.js';
import { mergeThroughput } from '../bench/throughput/merge.js';
import type { ThroughputSection } from '../bench/types.js';
import { throughputSection } from './helpers/synthetic.js';

function section(order: string[], means: Record<string, [number, number]>, calibration: number): ThroughputSection {
  return throughputSection(
    order.map((codec) => [codec, [means[codec]![0]], [means[codec]![1]]] as const),
    { calibrationMs: [calibration], encodedBytes: 1e6 },
  );
}

describe('mergeThroughput', () => {
  it('keeps every process’s mean, shows the median, rows in the run’s order whatever order each process took', () => {
    const m = mergeThroughput(
      [
        section(['v8', 'json'], { json: [10, 8], v8: [4, 3] }, 40),
        section(['json', 'v8'], { json: [12, 9], v8: [5, 3.5] }, 41),
        section(['v8', 'json'], { json: [11, 7], v8: [4.4, 3.2] }, 39),
      ],
      ['json', 'v8'],
      7,
    );
    expect(m.rows.map((r) => r.codec)).toEqual(['json', 'v8']);
    expect(m.processes).toBe(3);
    expect(m.codecOrders).toEqual([
      ['v8', 'json'],
      ['json', 'v8'],
      ['v8', 'json'],
    ]);
    expect(m.calibrationMs).toEqual([40, 41, 39]);
    const enc = m.rows[0]!.encode!;
    expect(enc.processMeansMs).toEqual([10, 12, 11]);
    expect(enc.meanMs).toBe(11);
    expect(enc.opsPerSec).toBeCloseTo(1000 / 11, 12);
    expect(enc.samples).toBe(60);
    expect(enc.minMs).toBeCloseTo(8, 12);
    expect(enc.maxMs).toBe(24);
  });

  it('a codec that failed or lost data in any process has that state', () => {
    const bad = section(['json'], { json: [10, 8] }, 40);
    bad.rows[0] = { ...bad.rows[0]!, state: 'failed', error: 'boom', encode: null, decode: null };
    const m = mergeThroughput([section(['json'], { json: [10, 8] }, 40), bad], ['json'], 1);
    expect(m.rows[0]!.state).toBe('failed');
    expect(m.rows[0]!.error).toBe('boom');
  });
});

describe('shuffled', () => {
  it('is a permutation, the same for the same (seed, process), different across processes', () => {
    const items = Array.from({ length: 20 }, (_, i) => `c${i}`);
    const a = shuffled(items, 123, 0);
    expect([...a].sort()).toEqual([...items].sort());
    expect(shuffled(items, 123, 0)).toEqual(a);
    expect(shuffled(items, 123, 1)).not.toEqual(a);
    expect(shuffled(items, 124, 0)).not.toEqual(a);
  });

  it('merges rows of several datasets by (dataset, codec), each with its own batch', () => {
    const twoDatasets = (order: string[], logsMs: number): ThroughputSection => {
      const t = section(order, { json: [10, 8], v8: [4, 3] }, 40);
      const logs = section(order, { json: [logsMs, 20], v8: [9, 7] }, 40).rows.map((r) => ({ ...r, dataset: 'logs' }));
      return { ...t, rows: [...t.rows, ...logs], batches: { tuples: 100, logs: 50 } };
    };
    const m = mergeThroughput([twoDatasets(['v8', 'json'], 30), twoDatasets(['json', 'v8'], 34)], ['json', 'v8'], 3);
    expect(m.rows.map((r) => `${r.dataset} ${r.codec}`)).toEqual(['tuples json', 'tuples v8', 'logs json', 'logs v8']);
    expect(m.codecOrders).toEqual([
      ['v8', 'json'],
      ['json', 'v8'],
    ]);
    const logsJson = m.rows[2]!.encode!;
    expect(logsJson.processMeansMs).toEqual([30, 34]);
    expect(logsJson.tuplesPerSec).toBeCloseTo((1000 / 32) * 50, 9); // the logs' batch, not the tuples'
    expect(m.rows[0]!.encode!.tuplesPerSec).toBeCloseTo((1000 / 10) * 100, 9);
  });
});
