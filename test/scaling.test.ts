import { describe, expect, it } from 'vitest';
import { classifyGrowth, leastSquares, scalingFits } from '../bench/report/scaling.js';
import type { CaseResult, Report } from '../bench/types.js';

function caseAt(codec: string, n: number, peak: number, state: CaseResult['state'] = 'ok'): CaseResult {
  return {
    dataset: 'tuples',
    codec,
    phase: 'dump',
    n,
    state,
    ...(state !== 'ok' ? { error: 'RangeError: Invalid string length' } : {}),
    runs: [],
    summary: state === 'ok' ? { peakRssIncrementBytes: { median: peak, min: peak, max: peak } } : {},
    reproduce: '',
  };
}

describe('least squares', () => {
  it('recovers an exact line', () => {
    const { slope, intercept, r2 } = leastSquares([1, 2, 3, 4], [5, 7, 9, 11]);
    expect(slope).toBeCloseTo(2, 12);
    expect(intercept).toBeCloseTo(3, 12);
    expect(r2).toBeCloseTo(1, 12);
  });

  it('gives R² below 1 for scattered points', () => {
    expect(leastSquares([1, 2, 3, 4], [1, 3, 2, 4]).r2).toBeCloseTo(0.64, 10);
  });
});

describe('scaling fits', () => {
  const report = {
    cases: [
      caseAt('stream', 1e5, 2e6),
      caseAt('stream', 1e6, 2.2e6),
      caseAt('stream', 1e7, 2.5e6),
      caseAt('json', 1e5, 2e7),
      caseAt('json', 1e6, 2e8),
      caseAt('json', 1e7, 0, 'failed'),
    ],
  } as unknown as Report;

  it('calls a flat streaming peak constant and a proportional one linear, listing failures', () => {
    const fits = scalingFits(report);
    const stream = fits.find((f) => f.codec === 'stream')!;
    const json = fits.find((f) => f.codec === 'json')!;
    expect(stream.growth).toBe('constant');
    expect(json.growth).toBe('linear');
    expect(json.slopeBytesPerTuple).toBeCloseTo(200, 6);
    expect(json.failures).toEqual([{ n: 1e7, state: 'failed', reason: 'RangeError: Invalid string length' }]);
    expect(json.points.map((p) => p.bytesPerTuple)).toEqual([200, 200]);
  });

  it('classifies exponents', () => {
    expect(classifyGrowth(0.05)).toBe('constant');
    expect(classifyGrowth(0.5)).toBe('sublinear');
    expect(classifyGrowth(1.02)).toBe('linear');
    expect(classifyGrowth(1.6)).toBe('worse than linear');
  });
});
