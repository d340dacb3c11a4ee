/** The run's exit status (bench/run/core.ts suiteOk): what counts as fine. */
import { describe, expect, it } from 'vitest';
import { suiteOk } from '../bench/run/core.js';
import type { Report } from '../bench/types.js';

const report = (states: string[]): Report =>
  ({
    interrupted: false,
    cases: [{ state: 'ok' }, { state: 'n/a' }],
    throughput: { rows: states.map((state) => ({ state })) },
  }) as unknown as Report;

describe('suiteOk', () => {
  it('a throughput row n/a (a codec that cannot carry a dataset) is fine, as an n/a case is; a failed one is not', () => {
    expect(suiteOk(report(['ok', 'lossy', 'n/a']), 0)).toBe(true);
    expect(suiteOk(report(['ok', 'failed']), 0)).toBe(false);
    expect(suiteOk(report(['ok']), 1)).toBe(false);
  });
});
