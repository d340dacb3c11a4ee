/** The run's time lines (bench/report/timing.ts): pure functions of the report. */
import { describe, expect, it } from 'vitest';
import { renderDatasetTimeLine } from '../bench/report/timing.js';
import type { Report } from '../bench/types.js';

const size = (ms: number) => ({ bytes: 1, ms });
const timing = (totalMs: number, prepareInputMs = 0) => ({
  childStartMs: 0,
  dataGenerationMs: 0,
  settleBaselineMs: 0,
  phaseMs: 0,
  afterPhaseMs: 0,
  verificationMs: 0,
  exitMs: 0,
  totalMs,
  prepareInputMs,
});

describe('time by dataset', () => {
  it("sums each dataset's children and compressed sizes; nothing for a run of one dataset", () => {
    const report = {
      config: {
        datasets: [
          { name: 'tuples', n: [10] },
          { name: 'logs', n: [10] },
        ],
      },
      cases: [
        { dataset: 'tuples', timing: timing(60_000) },
        { dataset: 'tuples', timing: timing(30_000, 5_000) },
        { dataset: 'logs', timing: timing(100_000) },
        { dataset: 'logs' }, // an n/a case: no runs, no timing
      ],
      sizes: [
        { dataset: 'tuples', gzip: size(1_000), brotli: size(4_000), zstd: 'n/a' },
        { dataset: 'logs', gzip: size(2_000), brotli: size(3_000), zstd: size(500) },
      ],
    } as unknown as Report;
    expect(renderDatasetTimeLine(report)).toBe('time by dataset (children and compressed sizes, summed over the jobs): tuples 100 s, logs 106 s');
    expect(renderDatasetTimeLine({ ...report, config: { ...report.config, datasets: [{ name: 'tuples', n: [10] }] } })).toBe('');
  });
});
