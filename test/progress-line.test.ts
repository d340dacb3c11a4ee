/** The line printed when a case finishes (bench/report/progress-line.ts). */
import { describe, expect, it } from 'vitest';
import { progressLine } from '../bench/report/progress-line.js';
import type { CaseResult } from '../bench/types.js';

const MiB = 1024 * 1024;
const caseOf = (dataset: string): CaseResult =>
  ({
    dataset,
    codec: 'json',
    phase: 'load',
    n: 5000,
    state: 'ok',
    runs: [{}],
    summary: { peakRssIncrementBytes: { median: 3 * MiB }, wallMs: { median: 12 } },
  }) as unknown as CaseResult;

describe('progressLine', () => {
  it("names a dataset other than the tuples, as the status line does; the tuples' line is as it always was", () => {
    expect(progressLine(8, 14, caseOf('logs'))).toBe('[8/14] logs: json load n=5,000: peak RSS +3.0 MiB, 12 ms (median of 1) ok');
    expect(progressLine(8, 14, caseOf('tuples'))).toBe('[8/14] json load n=5,000: peak RSS +3.0 MiB, 12 ms (median of 1) ok');
  });
});
