import { describe, expect, it } from 'vitest';
import { renderThroughputMarkdown } from '../bench/report/throughput.js';
import type { DirectionStats, ThroughputSection } from '../bench/types.js';

function stats(meanMs: number, encodedBytes: number): DirectionStats {
  const opsPerSec = 1000 / meanMs;
  return {
    samples: 120,
    meanMs,
    p50Ms: meanMs * 0.95,
    p99Ms: meanMs * 1.8,
    minMs: meanMs * 0.9,
    maxMs: meanMs * 2.5,
    rmePercent: 1.234,
    opsPerSec,
    tuplesPerSec: opsPerSec * 10_000,
    encodedBytesPerSec: opsPerSec * encodedBytes,
  };
}

const SECTION: ThroughputSection = {
  method: 'in-process-warmed-jit',
  batch: 10_000,
  seed: 42,
  warmupTimeMs: 250,
  warmupIterations: 16,
  timeMs: 2000,
  iterations: 64,
  scratchDir: '/dev/shm',
  scratchFsType: 'tmpfs',
  timer: 'hrtimeNow',
  tinybenchVersion: '6.2.3',
  gcBetweenCodecs: true,
  rows: [
    {
      dataset: 'tuples',
      codec: 'json',
      kind: 'whole',
      state: 'ok',
      encodedBytes: 667_000,
      verified: true,
      encode: stats(12.5, 667_000),
      decode: stats(15.25, 667_000),
    },
    {
      dataset: 'tuples',
      codec: 'msgpack-stream',
      kind: 'stream',
      state: 'ok',
      encodedBytes: 400_000,
      verified: true,
      encode: stats(3.125, 400_000),
      decode: stats(4, 400_000),
    },
    {
      dataset: 'tuples',
      codec: 'lossy',
      kind: 'whole',
      state: 'lossy',
      error: 'decoded batch checksum differs | not timed',
      encodedBytes: 1000,
      verified: false,
      encode: null,
      decode: null,
    },
  ],
};

describe('renderThroughputMarkdown', () => {
  it('renders the throughput table', () => {
    expect(renderThroughputMarkdown({ throughput: SECTION })).toMatchSnapshot();
  });

  it('says when the scratch directory is not tmpfs', () => {
    const md = renderThroughputMarkdown({ throughput: { ...SECTION, scratchDir: '/tmp', scratchFsType: 'ext4' } });
    expect(md).toContain('a file in /tmp (ext4: disk I/O may be included)');
  });

  it('renders nothing for a report without throughput (a memory-only run)', () => {
    expect(renderThroughputMarkdown({})).toBe('');
  });
});
