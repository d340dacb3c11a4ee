import { describe, expect, it } from 'vitest';
import { throughputAgreement } from '../bench/throughput/agreement.js';
import type { DirectionStats, ThroughputSection } from '../bench/types.js';

const stats = (meanMs: number, rmePercent: number): DirectionStats => ({
  samples: 100,
  meanMs,
  p50Ms: meanMs,
  p99Ms: meanMs,
  minMs: meanMs,
  maxMs: meanMs,
  rmePercent,
  opsPerSec: 1000 / meanMs,
  tuplesPerSec: 0,
  encodedBytesPerSec: 0,
});

function section(rows: [string, number, number][]): ThroughputSection {
  return {
    method: 'in-process-warmed-jit',
    batch: 1,
    seed: 1,
    warmupTimeMs: 0,
    warmupIterations: 0,
    timeMs: 0,
    iterations: 1,
    scratchDir: '/dev/shm',
    scratchFsType: 'tmpfs',
    timer: 'hrtimeNow',
    tinybenchVersion: 'x',
    gcBetweenCodecs: false,
    rows: rows.map(([codec, mean, rme]) => ({
      dataset: 'tuples',
      codec,
      kind: 'whole',
      state: 'ok',
      encodedBytes: 1,
      verified: true,
      encode: stats(mean, rme),
      decode: null,
    })),
  };
}

describe('throughputAgreement', () => {
  it('agrees when the 95% intervals overlap and not when they are apart', () => {
    // a: 10 ± 0.5; b: 10.9 ± 0.5 -> overlap. c: 10 ± 0.5 vs 11.1 ± 0.5 -> apart.
    const r = throughputAgreement(
      section([
        ['a', 10, 5],
        ['c', 10, 5],
        ['only-a', 1, 1],
      ]),
      section([
        ['a', 10.9, 4.587],
        ['c', 11.1, 4.505],
      ]),
    );
    expect(r.map((x) => [x.codec, x.direction, x.agree])).toEqual([
      ['a', 'encode', true],
      ['c', 'encode', false],
    ]);
    expect(r[0]?.diffPercent).toBeCloseTo(9, 6);
  });
});
