import { describe, expect, it } from 'vitest';
import { compareMetric, compareReports, DataMismatchError, DEFAULT_THRESHOLDS, type Comparison, type LabelledReport } from '../bench/compare/compare.js';
import { renderCompareHtml, renderCompareJson, renderCompareMarkdown, renderCompareTable } from '../bench/report/compare.js';
import { syntheticReport, type SyntheticOptions } from './helpers/synthetic.js';

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

/** ~100 figures: 24 cases (12 codecs × dump/load) × 4 tested figures, like a default run. */
const MANY_CASES = Array.from({ length: 12 }, (_, i) => `codec${i}`).flatMap((codec) => (['dump', 'load'] as const).map((phase) => ({ codec, phase })));

/** Noise like the measured spreads: memory ±0.5% (uniform, sd ~0.3%), time ±15%. */
const REALISTIC = { memoryNoise: 0.005, timeNoise: 0.15 };

describe('compareReports: designed effects (docs/compare.md)', () => {
  it('a single real +5% shift of one 200 MiB figure is shown beyond the 2% threshold among ~100 figures, after the FDR adjustment', () => {
    const shifted = MANY_CASES.map((c, i) => (i === 7 ? { ...c, scale: { peakRssIncrementBytes: 1.05 } } : c));
    const c = compareReports(pair({ ...REALISTIC, cases: MANY_CASES }, { ...REALISTIC, cases: shifted }));
    const p = c.pairs[0]!;
    // separate sittings: the time figures are shown, not judged, so they make no family
    expect(p.families).toEqual({ memory: 72, time: 0, throughput: 0 });
    const flagged = p.cases.flatMap((x) =>
      x.metrics.filter((m) => m.verdict === 'better' || m.verdict === 'worse').map((m) => `${x.codec} ${x.phase} ${m.metric}`),
    );
    expect(flagged).toEqual([`${MANY_CASES[7]!.codec} ${MANY_CASES[7]!.phase} peakRssIncrementBytes`]);
    const m = metric(c, MANY_CASES[7]!.codec, MANY_CASES[7]!.phase, 'peakRssIncrementBytes');
    expect(m.pAdjusted!).toBeLessThan(0.05);
    expect(m.pAdjusted!).toBeGreaterThanOrEqual(m.p!);
    // the interval of the verdict clears the 2% threshold
    expect(m.ci!.low).toBeGreaterThan(0.02);
  });

  it('a +1 MiB shift of a 3 MiB figure is ~ (not beyond the 4 MiB floor), though clearly there and +33%', () => {
    const small = { peakRssIncrementBytes: 3 * 1024 * 1024 };
    const c = compareReports(
      pair(
        { ...REALISTIC, cases: [{ codec: 'columnar', phase: 'dump', base: small }] },
        { ...REALISTIC, cases: [{ codec: 'columnar', phase: 'dump', base: { peakRssIncrementBytes: 4 * 1024 * 1024 } }] },
      ),
    );
    const m = metric(c, 'columnar', 'dump', 'peakRssIncrementBytes');
    expect(m.change!).toBeGreaterThan(0.3);
    expect(m.pNoChange!).toBeLessThan(0.05);
    expect(m.verdict).toBe('noise');
    expect(m.reason).toMatch(/not shown to exceed ±\d+%: the 4\.0 MiB floor/);
  });

  it('a change its own test shows, held back only by the family (3 runs a side, ~100 figures), is ~ and listed under the table', () => {
    // the 1M arrow-stream dump before and after issue 22, measured: 442 MiB three times, then 5.6, 9.4 and 9.7 MiB
    const cases = MANY_CASES.map((c, i) => (i === 3 ? { ...c, values: { peakRssIncrementBytes: [463532032, 463618048, 463560704] } } : c));
    const after = MANY_CASES.map((c, i) => (i === 3 ? { ...c, values: { peakRssIncrementBytes: [5906432, 9846784, 10158080] } } : c));
    const c = compareReports(pair({ ...REALISTIC, repeats: 3, cases }, { ...REALISTIC, repeats: 3, cases: after }));
    const m = metric(c, MANY_CASES[3]!.codec, MANY_CASES[3]!.phase, 'peakRssIncrementBytes');
    expect(m.p!).toBeLessThan(0.05);
    expect(m.pAdjusted!).toBeGreaterThanOrEqual(0.05);
    expect(m.verdict).toBe('noise');
    expect(m.heldBackByFamily).toBe(true);
    expect(m.reason).toMatch(/its own test puts the change beyond .*the adjustment over its family does not .*more repeats would decide it/);
    const table = renderCompareTable(c);
    expect(table).toMatch(new RegExp(`^‡ ${MANY_CASES[3]!.codec} ${MANY_CASES[3]!.phase} n=\\d+ extra peak RSS: \`~\`, its own test`, 'm'));
    // a figure whose own test shows nothing is not listed
    expect(table.match(/^‡ /gm)).toHaveLength(1);
  });

  it('a change of the external baseline alone gives ~ on every increment', () => {
    const c = compareReports(
      pair(
        { ...REALISTIC, cases: MANY_CASES },
        { ...REALISTIC, cases: MANY_CASES.map((x) => ({ ...x, baselineExternalShiftBytes: 155_098 })) }, // 2,369,913 - 2,214,815 B, Node 22 vs 20
      ),
    );
    const ext = c.pairs[0]!.cases.flatMap((x) => x.metrics.filter((m) => m.metric === 'peakExternalIncrementBytes'));
    expect(ext).toHaveLength(24);
    expect(ext.every((m) => m.verdict === 'noise')).toBe(true);
    // the absolute peak did move: comparing it (as before schema 2) would have flagged it
    const abs = compareMetric(
      'peakRssIncrementBytes',
      [2_214_815 + 40e6, 2_214_815 + 40.01e6, 2_214_815 + 39.99e6],
      [2_369_913 + 40e6, 2_369_913 + 40.01e6, 2_369_913 + 39.99e6],
      { ...DEFAULT_THRESHOLDS, memory: 0, memoryFloorBytes: 0 },
    );
    expect(abs.verdict).toBe('worse');
  });

  it('100 same-vs-same pairs from one noise model: at most the FDR share of pairs flag anything', () => {
    let pairsWithAFlag = 0;
    let rawFlags = 0;
    for (let t = 0; t < 100; t++) {
      const c = compareReports([
        { label: 'A', report: syntheticReport({ ...REALISTIC, noiseSeed: 1000 + 2 * t, cases: MANY_CASES }) },
        { label: 'B', report: syntheticReport({ ...REALISTIC, noiseSeed: 1001 + 2 * t, cases: MANY_CASES }) },
      ]);
      const ms = c.pairs[0]!.cases.flatMap((x) => x.metrics);
      if (ms.some((m) => m.verdict === 'better' || m.verdict === 'worse')) pairsWithAFlag++;
      rawFlags += ms.filter((m) => m.pNoChange !== null && m.pNoChange < 0.05).length;
    }
    // under the complete null, BH's FDR is the chance of any discovery: ≤ 5% of pairs (binomial slack to 10)
    expect(pairsWithAFlag).toBeLessThanOrEqual(10);
    // the data has teeth: a test of "no change at all", unadjusted, calls about 5% of the 9,600 figures "significant"
    expect(rawFlags).toBeGreaterThan(200);
  });

  it('clear improvement: 20% less memory, with its interval', () => {
    const c = compareReports(pair({ cases: [{ codec: 'json', phase: 'dump' }] }, { cases: [{ codec: 'json', phase: 'dump', memoryFactor: 0.8 }] }));
    const rss = metric(c, 'json', 'dump', 'peakRssIncrementBytes');
    expect(rss.verdict).toBe('better');
    expect(rss.change!).toBeCloseTo(-0.2, 1);
    expect(rss.ci!.low).toBeLessThan(-0.19);
    expect(rss.ci!.high).toBeGreaterThan(-0.21);
    expect(rss.ci!.high).toBeLessThan(0);
    expect(c.pairs[0]!.summary.find((s) => s.metric === 'peakRssIncrementBytes')!.geomeanRatio!).toBeCloseTo(0.8, 1);
  });

  it('clear regression: 50% slower with 10% time noise, measured in interleaved rounds; memory unchanged is ~', () => {
    const reports = pair({ cases: [{ codec: 'v8', phase: 'load' }] }, { cases: [{ codec: 'v8', phase: 'load', timeFactor: 1.5 }] });
    reports[0]!.report.interleaving = { id: 'x', order: ['A', 'B'], label: 'A' };
    reports[1]!.report.interleaving = { id: 'x', order: ['A', 'B'], label: 'B' };
    const c = compareReports(reports);
    const wall = metric(c, 'v8', 'load', 'wallMs');
    expect(wall.verdict).toBe('worse');
    expect(wall.change!).toBeGreaterThan(0.3);
    expect(metric(c, 'v8', 'load', 'peakRssIncrementBytes').verdict).toBe('noise');
    // the same two reports from separate sittings: shown, not judged
    delete reports[0]!.report.interleaving;
    delete reports[1]!.report.interleaving;
    const separate = metric(compareReports(reports), 'v8', 'load', 'wallMs');
    expect(separate.verdict).toBe('unjudged');
    expect(separate.pAdjusted).toBeNull();
    expect(separate.change!).toBeGreaterThan(0.3);
    expect(separate.reason).toMatch(/not judged: measured in separate sittings/);
    // never '~' (which says "no change"): the table says n/j
    expect(renderCompareTable(compareReports(reports))).toMatch(/wall time +\d+ ms +\d+ ms +n\/j /);
  });

  it('a real change below the relative threshold is ~ with the reason given', () => {
    const a = [300, 301, 300.5, 300.2, 300.7].map((v) => v * 1024 * 1024);
    const b = [303, 304, 303.5, 303.2, 303.7].map((v) => v * 1024 * 1024);
    const m = compareMetric('peakRssIncrementBytes', a, b);
    expect(m.pNoChange!).toBeLessThan(0.05);
    expect(m.verdict).toBe('noise');
    expect(m.reason).toMatch(/not shown to exceed ±2\.0%: the 2% threshold/);
    expect(compareMetric('peakRssIncrementBytes', a, b, { ...DEFAULT_THRESHOLDS, memory: 0.005, memoryFloorBytes: 0 }).verdict).toBe('worse');
  });

  it('a time change below the 5 ms floor is ~', () => {
    const m = compareMetric('wallMs', [30, 30.5, 29.5, 30.2, 29.8], [33, 33.5, 32.5, 33.2, 32.8]);
    expect(m.change!).toBeGreaterThan(0.05);
    expect(m.verdict).toBe('noise');
    expect(m.reason).toMatch(/not shown to exceed ±\d+%: the 5 ms floor/);
  });

  it('3 vs 3 repeats can now show a clear memory change (Welch uses the spread), and one run a side cannot', () => {
    const c = compareReports(
      pair({ repeats: 3, cases: [{ codec: 'json', phase: 'dump' }] }, { repeats: 3, cases: [{ codec: 'json', phase: 'dump', memoryFactor: 0.5 }] }),
    );
    expect(metric(c, 'json', 'dump', 'peakRssIncrementBytes').verdict).toBe('better');
    const one = compareReports(
      pair({ repeats: 1, cases: [{ codec: 'json', phase: 'dump' }] }, { repeats: 1, cases: [{ codec: 'json', phase: 'dump', memoryFactor: 0.5 }] }),
    );
    const m = metric(one, 'json', 'dump', 'peakRssIncrementBytes');
    expect(m.verdict).toBe('noise');
    expect(m.reason).toMatch(/at least 2 a side/);
    expect(one.pairs[0]!.warnings.join('\n')).toMatch(/at least 2 runs a side.*--repeats 5/);
  });

  it('says when two reports were not measured in interleaved rounds, and when one was migrated from schema 1', () => {
    const [a, b] = pair({ cases: [{ codec: 'json', phase: 'dump' }] }, { cases: [{ codec: 'json', phase: 'dump' }] });
    const w = compareReports([a!, b!]).pairs[0]!;
    expect(w.interleaved).toBe(false);
    expect(w.warnings.join('\n')).toMatch(/time and throughput are shown but not judged \(n\/j\): A and B were measured in separate sittings/);
    a!.report.interleaving = { id: 'x', order: ['A', 'B'], label: 'A' };
    b!.report.interleaving = { id: 'x', order: ['A', 'B'], label: 'B' };
    a!.report.migratedFrom = 1;
    const both = compareReports([a!, b!]).pairs[0]!;
    expect(both.interleaved).toBe(true);
    expect(both.warnings.join('\n')).not.toMatch(/separate sittings/);
    expect(both.warnings.join('\n')).toMatch(/A was written with results schema 1: .*live-heap peak was not measured/);
  });
});

describe('compareReports', () => {
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
    const reports = pair({ n: [1000], seed: 42, cases: [{ codec: 'json', phase: 'dump' }] }, { n: [2000], seed: 7, cases: [{ codec: 'json', phase: 'dump' }] });
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
        {
          cases: [
            { codec: 'json', phase: 'dump' },
            { codec: 'v8', phase: 'dump' },
            { codec: 'text', phase: 'load' },
          ],
        },
        {
          cases: [
            { codec: 'json', phase: 'dump' },
            { codec: 'v8', phase: 'dump', state: 'oom' },
            { codec: 'msgpack', phase: 'load' },
          ],
        },
      ),
    );
    expect(c.pairs[0]!.cases.map((x) => x.codec)).toEqual(['json']);
    expect(c.pairs[0]!.unmatched.map((u) => `${u.codec} ${u.note}`)).toEqual(['v8 state ok in A, oom in B', 'text only in A', 'msgpack only in B']);
  });

  it('compares a case lossy in both reports (its memory was measured), not one lossy in only one', () => {
    const c = compareReports(
      pair(
        {
          cases: [
            { codec: 'bson', phase: 'dump', state: 'lossy' },
            { codec: 'json', phase: 'dump', state: 'lossy' },
          ],
        },
        {
          cases: [
            { codec: 'bson', phase: 'dump', state: 'lossy' },
            { codec: 'json', phase: 'dump' },
          ],
        },
      ),
    );
    expect(c.pairs[0]!.cases.map((x) => x.codec)).toEqual(['bson']);
    expect(c.pairs[0]!.unmatched.map((u) => `${u.codec} ${u.note}`)).toEqual(['json state lossy in A, ok in B']);
  });

  it('summary: geometric mean of the ratios per metric', () => {
    const c = compareReports(
      pair(
        {
          memoryNoise: 0,
          cases: [
            { codec: 'json', phase: 'dump' },
            { codec: 'v8', phase: 'dump' },
          ],
        },
        {
          memoryNoise: 0,
          cases: [
            { codec: 'json', phase: 'dump', memoryFactor: 0.8 },
            { codec: 'v8', phase: 'dump', memoryFactor: 1.25 },
          ],
        },
      ),
    );
    const s = c.pairs[0]!.summary.find((x) => x.metric === 'peakHeapLiveIncrementBytes')!;
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
      {
        cases: [
          { codec: 'json', phase: 'dump' },
          { codec: 'json', phase: 'load' },
        ],
      },
      {
        cases: [
          { codec: 'json', phase: 'dump', memoryFactor: 0.8 },
          { codec: 'json', phase: 'load' },
        ],
      },
    ),
  );

  it('terminal table: one row per case and figure, ~ for noise, the change otherwise', () => {
    const text = renderCompareTable(c);
    expect(text).toMatch(/json dump n=1000\s+extra peak RSS\s+\d+\.\d MiB\s+\d+\.\d MiB\s+-2\d%\s+\[-2\d%, -1\d%\]\s+<0\.001/);
    expect(text).toMatch(/json load n=1000\s+extra peak RSS(\s+\S+ MiB){2}\s+~/);
    expect(text).toMatch(/file size\s+63\.610 MiB\s+63\.610 MiB\s+=\s+exact/);
    expect(text).toMatch(/geometric mean of B\/A over 2 cases \(~ cases included, so one noisy case can move it\): extra peak RSS -1\d%/);
    expect(text).toMatch(/^A signed % \(better\/worse\) is a change shown to exceed both the relative threshold and the absolute floor/m);
    expect(text).toMatch(
      /^Figures tested against their threshold, p-values adjusted within each family \(Benjamini–Hochberg\): 6 memory\. memory: 3 better, 3 ~; time: 2 not judged; size: 2 =$/m,
    );
  });

  it('markdown and JSON', () => {
    const md = renderCompareMarkdown(c);
    expect(md).toContain('| case | figure | A: A | B: B | B vs A | 95% CI of B/A | p (adj.) |');
    expect(md).toContain('|---|---|--:|--:|--:|--:|--:|');
    expect(md.split('\n').filter((l) => l.startsWith('| json')).length).toBe(2);
    const parsed = JSON.parse(renderCompareJson(c)) as Comparison;
    expect(parsed.comparisonVersion).toBe(3);
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
    const MiB = 1024 * 1024;
    const m = compareMetric(
      'peakRssIncrementBytes',
      [-1000, -1010, -990, -1005, -995].map((v) => v * MiB),
      [1000, 1010, 990, 1005, 995].map((v) => v * MiB),
    );
    expect(m.verdict).toBe('worse');
    expect(m.change!).toBeCloseTo(2, 12);
  });
});
