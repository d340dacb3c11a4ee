/** compare, the GitHub export and merge's keys by dataset (issue 24, design §8.3): the tuples' names as before datasets. */
import { describe, expect, it } from 'vitest';
import { compareReports, dataDifferences } from '../bench/compare/compare.js';
import { renderCompareMarkdown } from '../bench/report/compare.js';
import { datasetSlice } from '../bench/report/datasets.js';
import { toGithubBenchmark } from '../bench/report/github-benchmark.js';
import { renderSizesMarkdown } from '../bench/report/sizes.js';
import type { Report } from '../bench/types.js';
import { syntheticReport } from './helpers/synthetic.js';

const two = (noiseSeed: number, logsFactor = 1): Report =>
  syntheticReport({
    n: [1000],
    noiseSeed,
    cases: [
      { codec: 'json', phase: 'dump' },
      { dataset: 'logs', codec: 'json', phase: 'dump', memoryFactor: logsFactor },
      { dataset: 'logs', codec: 'text', phase: 'dump', state: 'n/a' },
    ],
  });

describe('keys by dataset', () => {
  it('the GitHub export names the tuples as before and another dataset with its name; n/a cases have no entry', () => {
    const names = toGithubBenchmark(two(1)).map((e) => e.name);
    expect(names).toContain('json dump n=1000: extra peak RSS');
    expect(names).toContain('logs: json dump n=1000: extra peak RSS');
    expect(names.some((n) => n.includes('text'))).toBe(false);
  });

  it('compare pairs each dataset’s case with the same dataset’s, and names the other dataset’s cases', () => {
    const c = compareReports([
      { label: 'A', report: two(1) },
      { label: 'B', report: two(2, 1.5) },
    ]);
    const pair = c.pairs[0]!;
    const rss = (dataset: string) => pair.cases.find((x) => (x.dataset ?? 'tuples') === dataset)!.metrics.find((m) => m.metric === 'peakRssIncrementBytes')!;
    expect(rss('tuples').verdict).not.toBe('worse');
    expect(rss('logs').verdict).toBe('worse'); // +50% on logs only: not mixed with the tuples' json dump
    expect(pair.unmatched).toEqual([{ dataset: 'logs', codec: 'text', phase: 'dump', n: 1000, note: 'state n/a in A, n/a in B' }]);
    expect(renderCompareMarkdown(c)).toContain('logs: json dump n=1000');
  });

  it('a dataset whose schema differs between the reports is not compared, with one warning; a dataset in one report only is no data difference', () => {
    const b = two(2);
    b.datasets.logs = { ...b.datasets.logs!, fingerprint: 'another' };
    const pair = compareReports([
      { label: 'A', report: two(1) },
      { label: 'B', report: b },
    ]).pairs[0]!;
    expect(pair.warnings.filter((w) => /dataset logs has another schema in A than in B/.test(w))).toHaveLength(1);
    expect(pair.cases.every((x) => (x.dataset ?? 'tuples') === 'tuples')).toBe(true);
    expect(pair.unmatched.filter((u) => u.dataset === 'logs').every((u) => /another schema/.test(u.note))).toBe(true);
    const tuplesOnly = syntheticReport({ n: [1000], cases: [{ codec: 'json', phase: 'dump' }] });
    expect(dataDifferences({ label: 'A', report: two(1) }, { label: 'B', report: tuplesOnly })).toEqual([]);
    const other = syntheticReport({ n: [1000], cases: [{ dataset: 'mesh', codec: 'json', phase: 'dump' }] });
    expect(dataDifferences({ label: 'A', report: tuplesOnly }, { label: 'B', report: other })).toEqual(['no dataset in common (A: tuples; B: mesh)']);
  });

  it('the sizes of another dataset are per record, over its own intrinsic bytes per record', () => {
    const r = two(1);
    const size = { bytes: 1000, ms: 1, level: 6 };
    const row = { codec: 'json', n: 1000, rawBytes: 200_000, gzip: size, brotli: size, zstd: 'n/a' as const };
    r.sizes = [
      { dataset: 'tuples', ...row },
      { dataset: 'logs', ...row },
    ];
    const logs = renderSizesMarkdown(datasetSlice(r, 'logs'));
    expect(logs).toContain('| bytes/record | × intrinsic (100.0 B/record) |');
    expect(logs).toContain('| json | 1,000 | none (file) | 0.19 | 200.00 | 2.00× |'); // 200 B a record over its 100
    const tuples = renderSizesMarkdown(datasetSlice(r, 'tuples'));
    expect(tuples).toContain('| bytes/tuple | × intrinsic (36 B/tuple) |');
    expect(tuples).toContain('| json | 1,000 | none (file) | 0.19 | 200.00 | 5.56× |');
  });
});
