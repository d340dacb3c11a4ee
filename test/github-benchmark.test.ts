import { describe, expect, it } from 'vitest';
import { toGithubBenchmark } from '../bench/report/github-benchmark.js';
import { syntheticReport } from './helpers/synthetic.js';

describe('github-action-benchmark export (customSmallerIsBetter)', () => {
  it('exports increments only, and no file size for a clone (it writes none)', () => {
    const r = syntheticReport({ cases: [{ codec: 'structuredClone', phase: 'clone', baselineExternalShiftBytes: 1 << 20 }] });
    const e = toGithubBenchmark(r);
    expect(e.map((x) => x.name.split(': ')[1])).toEqual(['extra peak RSS', 'extra peak live heap', 'extra peak external', 'wall time']);
    const ext = e.find((x) => x.name.endsWith('extra peak external'))!;
    // the baseline's extra 1 MiB is not in the figure
    expect(ext.value).toBeLessThan(r.cases[0]!.summary.peakExternalBytes!.median / 1024 / 1024 - 0.9);
  });

  const report = syntheticReport({
    node: 'v22.23.3',
    cases: [
      { codec: 'json', phase: 'dump', base: { peakRssIncrementBytes: 200 * 1024 * 1024 } },
      { codec: 'v8', phase: 'load', state: 'failed' },
    ],
  });
  const entries = toGithubBenchmark(report);

  it('one entry per ok case and figure, with name, unit and value', () => {
    expect(entries).toHaveLength(5);
    for (const e of entries) {
      expect(Object.keys(e).sort()).toEqual(['extra', 'name', 'range', 'unit', 'value']);
      expect(typeof e.value).toBe('number');
      expect(e.name).toMatch(/^json dump n=1000: /);
    }
    expect(new Set(entries.map((e) => e.name)).size).toBe(5);
  });

  it('values are the medians of the runs in the entry unit', () => {
    const rss = entries.find((e) => e.name.endsWith('extra peak RSS'))!;
    const runs = report.cases[0]!.runs.map((r) => r.peakRssIncrementBytes).sort((a, b) => a - b);
    expect(rss.unit).toBe('MiB');
    expect(rss.value).toBeCloseTo(runs[2]! / 1024 / 1024, 3);
    expect(rss.range).toMatch(/^± \d/);
    expect(rss.extra).toMatch(/median of 5 runs .* node v22\.23\.3/);
    expect(entries.find((e) => e.name.endsWith('wall time'))!.unit).toBe('ms');
  });
});
