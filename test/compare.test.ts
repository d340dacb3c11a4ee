import { describe, expect, it } from 'vitest';
import {
  compareMetric,
  compareReports,
  DataMismatchError,
  type Comparison,
  type LabelledReport,
} from '../bench/compare/compare.js';
import { renderCompareHtml, renderCompareJson, renderCompareMarkdown, renderCompareTable, verdictCounts } from '../bench/compare/render.js';
import { createRng, nextFloat } from '../fixtures/generate.js';
import type { Report } from '../bench/types.js';
import { EIGHT_CASES, syntheticReport, type SyntheticOptions } from './helpers/synthetic.js';

function pair(a: SyntheticOptions, b: SyntheticOptions): LabelledReport[] {
  return [
    { label: 'A', report: syntheticReport({ noiseSeed: 1, ...a }) },
    { label: 'B', report: syntheticReport({ noiseSeed: 2, ...b }) },
  ];
}

function metric(c: Comparison, codec: string, phase: string, name: string) {
  const found = c.pairs[0]!.cases.find((x) => x.codec === codec && x.phase === phase);
  return found!.metrics.find((m) => m.metric === name)!;
}

describe('compareReports', () => {
  it('clear improvement: 20% less memory with 1% noise, 5 vs 5 repeats', () => {
    const c = compareReports(
      pair({ cases: [{ codec: 'json', phase: 'dump' }] }, { cases: [{ codec: 'json', phase: 'dump', memoryFactor: 0.8 }] }),
    );
    const rss = metric(c, 'json', 'dump', 'peakRssIncrementBytes');
    expect(rss.verdict).toBe('better');
    expect(rss.change!).toBeCloseTo(-0.2, 1);
    expect(rss.p!).toBeLessThan(0.01);
    expect(rss.ci!.low).toBeLessThan(-0.17);
    expect(rss.ci!.high).toBeGreaterThan(-0.23);
    expect(rss.ci!.high).toBeLessThan(0);
    expect(c.pairs[0]!.summary.find((s) => s.metric === 'peakRssIncrementBytes')!.geomeanRatio!).toBeCloseTo(0.8, 1);
  });

  it('clear regression: 50% slower with 10% time noise', () => {
    const c = compareReports(
      pair({ cases: [{ codec: 'v8', phase: 'load' }] }, { cases: [{ codec: 'v8', phase: 'load', timeFactor: 1.5 }] }),
    );
    const wall = metric(c, 'v8', 'load', 'wallMs');
    expect(wall.verdict).toBe('worse');
    expect(wall.change!).toBeGreaterThan(0.3);
    // memory did not change: noise
    expect(metric(c, 'v8', 'load', 'peakRssIncrementBytes').verdict).toBe('noise');
  });

  it('pure noise: the same distribution twice gives ~ for every memory and time figure', () => {
    const c = compareReports(pair({ cases: EIGHT_CASES }, { cases: EIGHT_CASES }));
    const cases = c.pairs[0]!.cases;
    expect(cases).toHaveLength(8);
    expect(verdictCounts(cases, 'memory')).toEqual({ noise: 24 });
    expect(verdictCounts(cases, 'time')).toEqual({ noise: 8 });
    expect(verdictCounts(cases, 'size')).toEqual({ same: 8 });
    expect(renderCompareTable(c)).not.toMatch(/[+-]\d+(\.\d)?%\s+\[/);
  });

  it('false positives under pure noise stay below alpha (500 trials, 10% noise, no threshold)', () => {
    const rng = createRng(7);
    let changes = 0;
    const trials = 500;
    for (let t = 0; t < trials; t++) {
      const draw = (): number[] => Array.from({ length: 5 }, () => 1000 * (0.9 + 0.2 * nextFloat(rng)));
      const m = compareMetric('wallMs', draw(), draw(), { memory: 0, time: 0 });
      if (m.verdict !== 'noise') changes++;
    }
    // exact 5 vs 5 test: P(p < 0.05 | H0) = 8/252 = 0.032
    expect(changes / trials).toBeLessThan(0.05);
    expect(changes).toBeGreaterThan(0);
  });

  it('a real change below the threshold is ~ with the reason given', () => {
    const m = compareMetric('peakRssIncrementBytes', [100, 101, 100.5, 100.2, 100.7], [101, 102, 101.5, 101.2, 101.7]);
    expect(m.p!).toBeLessThan(0.05);
    expect(m.verdict).toBe('noise');
    expect(m.reason).toMatch(/below the 2% memory threshold/);
    expect(compareMetric('peakRssIncrementBytes', [100, 101, 100.5, 100.2, 100.7], [101, 102, 101.5, 101.2, 101.7], { memory: 0.005, time: 0.05 }).verdict).toBe('worse');
  });

  it('3 vs 3 repeats: a large change still shows ~, and the comparison says why', () => {
    const c = compareReports(
      pair(
        { repeats: 3, cases: [{ codec: 'json', phase: 'dump' }] },
        { repeats: 3, cases: [{ codec: 'json', phase: 'dump', memoryFactor: 0.5 }] },
      ),
    );
    const rss = metric(c, 'json', 'dump', 'peakRssIncrementBytes');
    expect(rss.verdict).toBe('noise');
    expect(rss.p).toBeCloseTo(0.1, 12);
    expect(rss.ci).toBeNull();
    expect(rss.reason).toMatch(/3 vs 3 repeats cannot reach p < 0.05/);
    expect(c.pairs[0]!.warnings.join('\n')).toMatch(/too few for any change to be significant.*--repeats 5/);
  });

  it('3 vs 5 repeats can reach p < 0.05 (2/56): no "too few" warning, and a clear change shows', () => {
    const c = compareReports(
      pair(
        { repeats: 3, cases: [{ codec: 'json', phase: 'dump' }] },
        { repeats: 5, cases: [{ codec: 'json', phase: 'dump', memoryFactor: 0.5 }] },
      ),
    );
    expect(c.pairs[0]!.warnings.join('\n')).not.toMatch(/too few/);
    const rss = metric(c, 'json', 'dump', 'peakRssIncrementBytes');
    expect(rss.p).toBeCloseTo(2 / 56, 12);
    expect(rss.verdict).toBe('better');
  });

  it('a clone case (no file written) compares no file size', () => {
    const c = compareReports(pair({ cases: [{ codec: 'structuredClone', phase: 'clone' }] }, { cases: [{ codec: 'structuredClone', phase: 'clone' }] }));
    const metrics = c.pairs[0]!.cases[0]!.metrics.map((m) => m.metric);
    expect(metrics).toContain('peakRssIncrementBytes');
    expect(metrics).not.toContain('fileBytes');
    expect(c.pairs[0]!.summary.find((s) => s.metric === 'fileBytes')!.cases).toBe(0);
  });

  it('file size is compared exactly', () => {
    expect(compareMetric('fileBytes', [10, 10, 10], [10, 10, 10]).verdict).toBe('same');
    const diff = compareMetric('fileBytes', [100, 100, 100], [101, 101, 101]);
    expect(diff.verdict).toBe('worse');
    expect(diff.change).toBeCloseTo(0.01, 12);
    expect(diff.p).toBeNull();
  });

  it('refuses reports of different data, saying what differs; --force compares anyway', () => {
    const reports = pair(
      { n: [1000], seed: 42, cases: [{ codec: 'json', phase: 'dump' }] },
      { n: [2000], seed: 7, cases: [{ codec: 'json', phase: 'dump' }] },
    );
    expect(() => compareReports(reports)).toThrow(DataMismatchError);
    expect(() => compareReports(reports)).toThrow(/n differs \(A: 1000; B: 2000\); seed differs \(A: 42; B: 7\).*--force/);
    const forced = compareReports(reports, { force: true });
    expect(forced.forcedDifferences).toHaveLength(2);
    // different n: nothing to match, both cases listed
    expect(forced.pairs[0]!.cases).toHaveLength(0);
    expect(forced.pairs[0]!.unmatched.map((u) => u.note)).toEqual(['only in A', 'only in B']);
    expect(renderCompareTable(forced)).toMatch(/warning: compared with --force although n differs/);
  });

  it('warns when the environment differs beyond the Node version', () => {
    const c = compareReports(
      pair(
        { node: 'v20.20.2', cases: [{ codec: 'json', phase: 'dump' }] },
        { node: 'v22.23.3', cpuModel: 'Other CPU', packages: { msgpackr: '2.2.0', papaparse: '5.7.1' }, cases: [{ codec: 'json', phase: 'dump' }] },
      ),
    );
    const w = c.pairs[0]!.warnings.join('\n');
    expect(w).toMatch(/cpuModel differs/);
    expect(w).toMatch(/msgpackr 2\.1\.3 → 2\.2\.0/);
    expect(w).toMatch(/serialization-footprint 0\.1\.0 → absent/);
    expect(w).not.toMatch(/node/i);
    expect(w).not.toMatch(/sampling/);
  });

  it('warns that wall times do not compare when the RSS sampling interval differs', () => {
    const [a, b] = pair({ cases: [{ codec: 'json', phase: 'dump' }] }, { cases: [{ codec: 'json', phase: 'dump' }] });
    a!.report.config.sampleMs = 2;
    b!.report.config.sampleMs = 0;
    const w = compareReports([a!, b!]).pairs[0]!.warnings.join('\n');
    expect(w).toMatch(/RSS sampling interval differs \(A: 2 ms; B: off\).*wall times do not compare/);
  });

  it('lists cases present in one report only, and cases not ok', () => {
    const c = compareReports(
      pair(
        { cases: [{ codec: 'json', phase: 'dump' }, { codec: 'v8', phase: 'dump' }, { codec: 'text', phase: 'load' }] },
        { cases: [{ codec: 'json', phase: 'dump' }, { codec: 'v8', phase: 'dump', state: 'oom' }, { codec: 'msgpack', phase: 'load' }] },
      ),
    );
    expect(c.pairs[0]!.cases.map((x) => x.codec)).toEqual(['json']);
    expect(c.pairs[0]!.unmatched.map((u) => `${u.codec} ${u.note}`)).toEqual([
      'v8 state ok in A, oom in B',
      'text only in A',
      'msgpack only in B',
    ]);
  });

  it('summary: geometric mean of the ratios per metric', () => {
    const c = compareReports(
      pair(
        { memoryNoise: 0, cases: [{ codec: 'json', phase: 'dump' }, { codec: 'v8', phase: 'dump' }] },
        {
          memoryNoise: 0,
          cases: [
            { codec: 'json', phase: 'dump', memoryFactor: 0.8 },
            { codec: 'v8', phase: 'dump', memoryFactor: 1.25 },
          ],
        },
      ),
    );
    const s = c.pairs[0]!.summary.find((x) => x.metric === 'peakHeapIncrementBytes')!;
    expect(s.cases).toBe(2);
    expect(s.geomeanRatio!).toBeCloseTo(1, 6);
  });

  it('compares several reports against the first', () => {
    const cases = [{ codec: 'json', phase: 'dump' as const }];
    const c = compareReports([
      { label: 'A', report: syntheticReport({ noiseSeed: 1, cases }) },
      { label: 'B', report: syntheticReport({ noiseSeed: 2, cases }) },
      { label: 'C', report: syntheticReport({ noiseSeed: 3, cases: [{ ...cases[0]!, memoryFactor: 2 }] }) },
    ]);
    expect(c.pairs.map((p) => `${p.baseline.label}-${p.candidate.label}`)).toEqual(['A-B', 'A-C']);
    expect(c.pairs[1]!.cases[0]!.metrics[0]!.verdict).toBe('worse');
  });
});

describe('comparison reporters', () => {
  const c = compareReports(
    pair(
      { cases: [{ codec: 'json', phase: 'dump' }, { codec: 'json', phase: 'load' }] },
      { cases: [{ codec: 'json', phase: 'dump', memoryFactor: 0.8 }, { codec: 'json', phase: 'load' }] },
    ),
  );

  it('terminal table: one row per case and figure, ~ for noise, the change otherwise', () => {
    const text = renderCompareTable(c);
    expect(text).toMatch(/json dump n=1000\s+extra peak RSS\s+\d+\.\d MiB\s+\d+\.\d MiB\s+-2\d%\s+\[-2\d%, -1\d%\]\s+0\.008/);
    expect(text).toMatch(/json load n=1000\s+extra peak RSS(\s+\S+ MiB){2}\s+~/);
    expect(text).toMatch(/file size\s+63\.610 MiB\s+63\.610 MiB\s+=\s+exact/);
    expect(text).toMatch(/geometric mean of B\/A over 2 cases \(~ cases included, so one noisy case can move it\): extra peak RSS -1\d%/);
    expect(text).toMatch(/^~ = no significant change/m);
  });

  it('markdown and JSON', () => {
    const md = renderCompareMarkdown(c);
    expect(md).toContain('| case | figure | A: A | B: B | B vs A | 95% CI of B/A | p |');
    expect(md).toContain('|---|---|---:|---:|---:|---:|---:|');
    expect(md.split('\n').filter((l) => l.startsWith('| json')).length).toBe(2);
    const parsed = JSON.parse(renderCompareJson(c)) as Comparison;
    expect(parsed.comparisonVersion).toBe(1);
    expect(parsed.pairs[0]!.cases[0]!.metrics[0]!.verdict).toBe('better');
    expect(renderCompareMarkdown(c)).toMatchSnapshot();
  });

  it('HTML: self-contained, verdicts classed, reasons as titles, text escaped', () => {
    const html = renderCompareHtml(c, 'A <vs> B');
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain("default-src 'none'");
    expect(html).not.toMatch(/<script|https?:\/\//);
    expect(html).toContain('<title>A &lt;vs&gt; B</title>');
    expect(html).toMatch(/<td class="num better">-2\d%<\/td>/);
    expect(html).toMatch(/<td class="num noise" title="[^"]+">~<\/td>/);
    expect(html.match(/<tr>/g)).toHaveLength(1 + 10);
  });
});

describe('figures that can be negative', () => {
  it('the sign of the change follows the direction even when the baseline median is negative', () => {
    const m = compareMetric('peakRssIncrementBytes', [-1000, -1010, -990, -1005, -995], [1000, 1010, 990, 1005, 995]);
    expect(m.verdict).toBe('worse');
    expect(m.change!).toBeCloseTo(2, 12);
  });
});

describe('compare: throughput', () => {
  type Section = NonNullable<Report['throughput']>;
  const stats = (meanMs: number, rmePercent: number) => ({
    samples: 100, meanMs, p50Ms: meanMs, p99Ms: meanMs * 1.5, minMs: meanMs * 0.9, maxMs: meanMs * 2, rmePercent,
    opsPerSec: 1000 / meanMs, tuplesPerSec: 1e7 / meanMs, encodedBytesPerSec: 1e9 / meanMs,
  });
  const section = (batch: number, rows: Array<[string, number, number]>): Section =>
    ({
      method: 'in-process-warmed-jit', batch, seed: 42, warmupTimeMs: 250, warmupIterations: 16, timeMs: 2000, iterations: 64,
      scratchDir: '/dev/shm', scratchFsType: 'tmpfs', timer: 'hrtimeNow',
      rows: rows.map(([codec, enc, dec]) => ({ codec, kind: 'whole', state: 'ok', encodedBytes: 1000, verified: true, encode: stats(enc, 2), decode: stats(dec, 2) })),
    }) as unknown as Section;
  const withThroughput = (a: Section, b: Section) => {
    const [ra, rb] = pair({ cases: [{ codec: 'json', phase: 'dump' }] }, { cases: [{ codec: 'json', phase: 'dump' }] });
    ra!.report.throughput = a;
    rb!.report.throughput = b;
    return compareReports([ra!, rb!]).pairs[0]!;
  };

  it('compares mean latency per codec and direction: overlap or < 5% is ~, otherwise the change', () => {
    const p = withThroughput(section(10000, [['json', 10, 10], ['v8', 4, 4]]), section(10000, [['json', 10.1, 7], ['v8', 6, 4.5]]));
    const v = Object.fromEntries(p.throughput.map((t) => [`${t.codec}.${t.direction}`, t.verdict]));
    expect(v).toEqual({ 'json.encode': 'noise', 'json.decode': 'better', 'v8.encode': 'worse', 'v8.decode': 'worse' });
    expect(p.throughput.find((t) => t.codec === 'json' && t.direction === 'encode')!.reason).toMatch(/margins of error/);
    expect(p.warnings.join('\n')).toMatch(/throughput margins of error cover the noise within one process only/);
    expect(renderCompareTable({ ...compareReports(pair({ cases: [] }, { cases: [] })), pairs: [p] })).toMatch(/json decode +10\.00 ms +7\.00 ms +-30%/);
    expect(renderCompareMarkdown({ ...compareReports(pair({ cases: [] }, { cases: [] })), pairs: [p] })).toMatch(/\| v8 encode \| 4\.00 ms \| 6\.00 ms \| \+50% \|/);
  });

  it('different batch sizes are not compared, and say so', () => {
    const p = withThroughput(section(10000, [['json', 10, 10]]), section(1000, [['json', 1, 1]]));
    expect(p.throughput).toEqual([]);
    expect(p.warnings.join('\n')).toMatch(/throughput not compared: batch of 10000 tuples in A, 1000 in B/);
  });

  it('reports without throughput (--memory-only) compare no throughput and warn nothing about it', () => {
    const p = compareReports(pair({ cases: [{ codec: 'json', phase: 'dump' }] }, { cases: [{ codec: 'json', phase: 'dump' }] })).pairs[0]!;
    expect(p.throughput).toEqual([]);
    expect(p.warnings.join('\n')).not.toMatch(/throughput/);
  });
});
