/**
 * compare on synthetic reports shaped like the trouble seen in real ones (issue 23): figures in two
 * modes, identical runs, drift within a sitting, a mass of real memory changes beside null time
 * figures, and one real change. Each test was checked to fail with its piece of compare broken.
 */
import { describe, expect, it } from 'vitest';
import { compareMetric, compareReports, DEFAULT_THRESHOLDS, type LabelledReport } from '../bench/compare/compare.js';
import { parseThresholds } from '../bench/cli/compare.js';
import { renderCompareTable } from '../bench/report/compare.js';
import type { Report, ThroughputSection } from '../bench/types.js';
import { syntheticReport, throughputSection, type SyntheticOptions } from './helpers/synthetic.js';

const MiB = 1024 * 1024;

function pair(a: SyntheticOptions, b: SyntheticOptions, interleave = false): LabelledReport[] {
  const ra = syntheticReport({ noiseSeed: 11, ...a });
  const rb = syntheticReport({ noiseSeed: 12, ...b });
  if (interleave) {
    ra.interleaving = { id: 'i', order: ['A', 'B'], label: 'A' };
    rb.interleaving = { id: 'i', order: ['A', 'B'], label: 'B' };
  }
  return [
    { label: 'A', report: ra },
    { label: 'B', report: rb },
  ];
}

const flagged = (r: ReturnType<typeof compareReports>) =>
  r.pairs[0]!.cases.flatMap((c) => c.metrics.filter((m) => m.verdict === 'better' || m.verdict === 'worse').map((m) => `${c.codec} ${c.phase} ${m.metric}`));

describe('two-mode figures are compared as modes', () => {
  // json load's extra peak live heap: 285.9 or 316.8 MiB from run to run, each repeating to 0.1%
  const low = 285.9 * MiB;
  const high = 316.8 * MiB;
  const jitter = (v: number, i: number): number => Math.round(v * (1 + 0.0005 * ((i % 3) - 1)));

  it('the same two-mode figure drawn 4:1 and 1:4 is ~ (a t-test across the modes calls it a precise change)', () => {
    const a = [low, low, low, low, high].map(jitter);
    const b = [high, high, high, high, low].map(jitter);
    const m = compareMetric('peakHeapLiveIncrementBytes', a, b);
    expect(m.modes).toBeDefined();
    expect(m.modes!.groups.map((g) => [g.countA, g.countB])).toEqual([
      [4, 1],
      [1, 4],
    ]);
    expect(m.verdict).toBe('noise');
    expect(m.reason).toMatch(/compared as modes \(A 4 × 285\.\d, 1 × 316\.\d MiB; B 1 × 285\.\d, 4 × 316\.\d MiB\)/);
    // the headline is the upper mode: what a phase must be given
    expect(Math.abs(m.baseline!.headline / high - 1)).toBeLessThan(0.001);
    expect(Math.abs(m.candidate!.headline / high - 1)).toBeLessThan(0.001);
  });

  it('a mode that moved beyond the threshold is a change, with the moved mode’s interval', () => {
    const a = [low, low, high, high, high].map(jitter);
    const b = [low, low, high * 1.08, high * 1.08, high * 1.08].map(jitter);
    const m = compareMetric('peakHeapLiveIncrementBytes', a, b);
    expect(m.verdict).toBe('worse');
    expect(m.ci!.low).toBeGreaterThan(0.02);
    expect(m.change!).toBeCloseTo(0.08, 2);
  });

  it('the runs moving from one mode to the other, beyond chance (Fisher), is a change', () => {
    const a = Array.from({ length: 10 }, (_, i) => jitter(low, i));
    a[0] = jitter(high, 0);
    const b = Array.from({ length: 10 }, (_, i) => jitter(high, i));
    b[0] = jitter(low, 0);
    const m = compareMetric('peakHeapLiveIncrementBytes', a, b);
    expect(m.modes!.sharesP!).toBeLessThan(0.01);
    expect(m.verdict).toBe('worse');
  });

  it('in a report: the table marks the figure and lists its modes', () => {
    const r = compareReports(
      pair(
        { repeats: 5, cases: [{ codec: 'json', phase: 'load', values: { peakHeapLiveIncrementBytes: [low, low, low, low, high].map(jitter) } }] },
        {
          repeats: 5,
          cases: [{ codec: 'json', phase: 'load', values: { peakHeapLiveIncrementBytes: [high, high, high, high, low].map(jitter) } }],
        },
      ),
    );
    const text = renderCompareTable(r);
    expect(text).toMatch(/extra peak live heap\s+316\.\d MiB †\s+316\.\d MiB †\s+~/);
    expect(text).toMatch(/† json load n=1000 extra peak live heap: modes A 4 × 285\.\d, 1 × 316\.\d MiB; B 1 × 285\.\d, 4 × 316\.\d MiB/);
  });
});

describe('identical runs and the floor', () => {
  it('byte-identical runs on both sides are = and left out of the family', () => {
    const same = { values: { peakExternalIncrementBytes: [63.34 * MiB, 63.34 * MiB, 63.34 * MiB] } };
    const r = compareReports(
      pair({ repeats: 3, cases: [{ codec: 'json', phase: 'dump', ...same }] }, { repeats: 3, cases: [{ codec: 'json', phase: 'dump', ...same }] }),
    );
    const ext = r.pairs[0]!.cases[0]!.metrics.find((m) => m.metric === 'peakExternalIncrementBytes')!;
    expect(ext.verdict).toBe('same');
    expect(ext.p).toBeNull();
    expect(r.pairs[0]!.families.memory).toBe(2);
  });

  it('one 2 MiB chunk apart, every run identical on each side (arrow dump external 95.7 vs 97.7 MiB): ~, not an exact "worse"', () => {
    const m = compareMetric('peakExternalIncrementBytes', [95.7 * MiB, 95.7 * MiB, 95.7 * MiB], [97.7 * MiB, 97.7 * MiB, 97.7 * MiB]);
    expect(m.verdict).toBe('noise');
    expect(DEFAULT_THRESHOLDS.memoryFloorBytes).toBeGreaterThanOrEqual(4 * MiB);
  });

  it('the floor is inclusive: a change of exactly the floor is not one, a byte more is', () => {
    const a = [50 * MiB, 50 * MiB, 50 * MiB];
    const floor = 4 * MiB;
    const t = { ...DEFAULT_THRESHOLDS, memory: 0, memoryFloorBytes: floor };
    expect(
      compareMetric(
        'peakRssIncrementBytes',
        a,
        a.map((v) => v + floor),
        t,
      ).verdict,
    ).toBe('noise');
    expect(
      compareMetric(
        'peakRssIncrementBytes',
        a,
        a.map((v) => v + floor + 1),
        t,
      ).verdict,
    ).toBe('worse');
  });
});

describe('drift within a sitting: interleaved runs paired by round', () => {
  // the machine slows down over the sitting by up to 60%; A and B, interleaved, see the same drift round by round
  const drift = [1, 1.25, 0.9, 1.6, 1.1];
  const cases = [{ codec: 'json', phase: 'load' as const }];

  it('a real +12% in time is shown through the drift when paired, not when the rounds are ignored', () => {
    const r = compareReports(
      pair(
        { timeNoise: 0.01, timeDrift: drift, rounds: true, cases },
        { timeNoise: 0.01, timeDrift: drift, rounds: true, cases: [{ ...cases[0]!, timeFactor: 1.12 }] },
        true,
      ),
    );
    const wall = r.pairs[0]!.cases[0]!.metrics.find((m) => m.metric === 'wallMs')!;
    expect(wall.paired).toBe(true);
    expect(wall.verdict).toBe('worse');
    expect(wall.ci!.low).toBeGreaterThan(0.05);
    const unpaired = compareMetric('wallMs', wall.baseline!.values, wall.candidate!.values);
    expect(unpaired.verdict).toBe('noise');
  });

  it('same build, same drift: ~', () => {
    const r = compareReports(
      pair({ timeNoise: 0.03, timeDrift: drift, rounds: true, cases }, { timeNoise: 0.03, timeDrift: drift, rounds: true, cases }, true),
    );
    expect(flagged(r)).toEqual([]);
  });
});

describe('families: real memory changes do not loosen the time figures', () => {
  it('a time figure with p ≈ 0.02 against its bound, among 23 null time figures, stays ~ beside 72 memory figures that all moved', () => {
    const cases = Array.from({ length: 24 }, (_, i) => ({ codec: `c${i}`, phase: 'load' as const, memoryFactor: 1.3 }));
    const base = Array.from({ length: 24 }, (_, i) => ({ codec: `c${i}`, phase: 'load' as const }));
    // c0's time moved by +19% with 6% noise and 5 runs: shown beyond 5% at p = 0.019 on its own
    cases[0] = { ...cases[0]!, values: { wallMs: [1650, 1880, 1600, 1800, 1740] } } as (typeof cases)[number];
    base[0] = { ...base[0]!, values: { wallMs: [1420, 1560, 1500, 1380, 1530] } } as (typeof base)[number];
    const r = compareReports(pair({ memoryNoise: 0.005, timeNoise: 0.02, cases: base }, { memoryNoise: 0.005, timeNoise: 0.02, cases }, true));
    const c0 = r.pairs[0]!.cases[0]!.metrics.find((m) => m.metric === 'wallMs')!;
    expect(c0.p!).toBeGreaterThan(0.002);
    expect(c0.p!).toBeLessThan(0.05);
    expect(r.pairs[0]!.families).toEqual({ memory: 72, time: 24, throughput: 0 });
    expect(c0.verdict).toBe('noise');
    expect(flagged(r).filter((f) => f.endsWith('wallMs'))).toEqual([]);
    expect(flagged(r).filter((f) => !f.endsWith('wallMs'))).toHaveLength(72);
  });
});

describe('one real change among many, and every verdict’s interval clears its bound', () => {
  it('over 40 seeded pairs: only the real change is flagged, and its interval always lies beyond the threshold', () => {
    const cases = Array.from({ length: 12 }, (_, i) => `k${i}`).flatMap((codec) => (['dump', 'load'] as const).map((phase) => ({ codec, phase })));
    let hits = 0;
    for (let t = 0; t < 40; t++) {
      const changed = cases.map((c, i) => (i === 5 ? { ...c, scale: { peakRssIncrementBytes: 1.1 } } : c));
      const r = compareReports([
        { label: 'A', report: syntheticReport({ memoryNoise: 0.005, timeNoise: 0.15, repeats: 3, noiseSeed: 500 + 2 * t, cases }) },
        { label: 'B', report: syntheticReport({ memoryNoise: 0.005, timeNoise: 0.15, repeats: 3, noiseSeed: 501 + 2 * t, cases: changed }) },
      ]);
      const f = flagged(r);
      expect(f.filter((x) => x !== `${cases[5]!.codec} ${cases[5]!.phase} peakRssIncrementBytes`)).toEqual([]);
      if (f.length === 1) hits++;
      for (const c of r.pairs[0]!.cases) {
        for (const m of c.metrics) {
          if (m.kind === 'size' || (m.verdict !== 'better' && m.verdict !== 'worse')) continue;
          expect(m.ci!.low > m.bound! || m.ci!.high < -m.bound!).toBe(true);
        }
      }
    }
    expect(hits).toBeGreaterThanOrEqual(36);
  });
});

describe('throughput across fresh processes', () => {
  const section = (rows: Array<[string, number[], number[]]>, calibrationMs = [40, 41, 40]): ThroughputSection =>
    throughputSection(rows, { processes: 3, calibrationMs });
  const withThroughput = (a: ThroughputSection, b: ThroughputSection) => {
    const [ra, rb] = pair({ cases: [{ codec: 'json', phase: 'dump' }] }, { cases: [{ codec: 'json', phase: 'dump' }] }, true);
    (ra!.report as Report).throughput = a;
    (rb!.report as Report).throughput = b;
    return compareReports([ra!, rb!]).pairs[0]!;
  };

  it('processes that spread 10% between them: a 10% difference of one sitting is ~, a +60% change is worse', () => {
    const p = withThroughput(
      section([
        ['json', [10, 11, 10.4], [8, 8.6, 8.2]],
        ['v8', [4, 4.3, 4.1], [3, 3.2, 3.1]],
      ]),
      section([
        ['json', [9.2, 10.1, 9.6], [8.3, 8.9, 8.5]],
        ['v8', [6.5, 6.8, 6.6], [3.1, 3.3, 3]],
      ]),
    );
    const v = Object.fromEntries(p.throughput.map((t) => [`${t.codec}.${t.direction}`, t.verdict]));
    expect(v).toEqual({ 'json.encode': 'noise', 'json.decode': 'noise', 'v8.encode': 'worse', 'v8.decode': 'noise' });
    expect(p.families.throughput).toBe(4);
    expect(renderCompareTable({ ...compareReports(pair({ cases: [] }, { cases: [] })), pairs: [p] })).toMatch(/v8 encode +4\.10 ms +6\.60 ms +\+61%/);
  });

  it('judged only between reports measured in one interleaved schedule', () => {
    const a = section([['v8', [4, 4.3, 4.1], [3, 3.2, 3.1]]]);
    const b = section([['v8', [6.5, 6.8, 6.6], [3.1, 3.3, 3]]]);
    const [ra, rb] = pair({ cases: [{ codec: 'json', phase: 'dump' }] }, { cases: [{ codec: 'json', phase: 'dump' }] });
    (ra!.report as Report).throughput = a;
    (rb!.report as Report).throughput = b;
    const p = compareReports([ra!, rb!]).pairs[0]!;
    expect(p.throughput.map((t) => t.verdict)).toEqual(['unjudged', 'unjudged']);
    expect(p.throughput[0]!.reason).toMatch(/separate sittings/);
  });

  it('a report measured in one process cannot be tested: ~, with a warning', () => {
    const one = section([['json', [10], [8]]]);
    const p = withThroughput(one, section([['json', [20, 21, 20], [16, 17, 16]]]));
    expect(p.throughput.every((t) => t.verdict === 'noise' && /1 vs 3 processes/.test(t.reason!))).toBe(true);
    expect(p.warnings.join('\n')).toMatch(/measured in one process cannot be tested/);
  });

  it('different machine speeds (the native calibration workload) are warned about; different batches are not compared', () => {
    const p = withThroughput(section([['json', [10, 10, 10], [8, 8, 8]]], [40, 40, 41]), section([['json', [10, 10, 10], [8, 8, 8]]], [80, 81, 80]));
    expect(p.warnings.join('\n')).toMatch(/the machine ran at a different speed: .* 40\.0 ms in A and 80\.0 ms in B \(\+100%\)/);
    const b = section([['json', [1, 1, 1], [1, 1, 1]]]);
    b.batch = 1000;
    const q = withThroughput(section([['json', [10, 10, 10], [8, 8, 8]]]), b);
    expect(q.throughput).toEqual([]);
    expect(q.warnings.join('\n')).toMatch(/throughput not compared: batch of 10000 tuples in A, 1000 in B/);
  });

  it('throughput of several datasets is compared dataset by dataset (same codec, other dataset: never paired)', () => {
    const two = (logsMs: number): ThroughputSection => {
      const t = section([['json', [10, 10, 10], [8, 8, 8]]]);
      const logs = section([['json', [logsMs, logsMs, logsMs], [20, 20, 20]]]).rows.map((r) => ({ ...r, dataset: 'logs' }));
      return { ...t, rows: [...t.rows, ...logs], batches: { tuples: 10000, logs: 6750 } };
    };
    const p = withThroughput(two(30), two(60));
    const logsEncode = p.throughput.find((t) => t.dataset === 'logs' && t.direction === 'encode')!;
    expect(logsEncode.baselineMeanMs).toBe(30);
    expect(logsEncode.candidateMeanMs).toBe(60);
    expect(logsEncode.verdict).toBe('worse');
    expect(p.throughput.find((t) => t.dataset === 'tuples' && t.direction === 'encode')!.verdict).not.toBe('worse');
    const b = two(30);
    b.batches = { tuples: 10000, logs: 100 };
    const q = withThroughput(two(30), b);
    expect(q.throughput.map((t) => t.dataset)).toEqual(['tuples', 'tuples']);
    expect(q.warnings.join('\n')).toMatch(/throughput not compared: batch of 6750 logs records in A, 100 in B/);
  });
});

describe('warnings: jobs and commits', () => {
  it('says when jobs or the git commit differ', () => {
    const [a, b] = pair({ cases: [{ codec: 'json', phase: 'dump' }] }, { cases: [{ codec: 'json', phase: 'dump' }] });
    a!.report.config.jobs = 1;
    b!.report.config.jobs = 2;
    a!.report.environment.gitCommit = 'e34690e';
    b!.report.environment.gitCommit = 'abc1234';
    const w = compareReports([a!, b!]).pairs[0]!.warnings.join('\n');
    expect(w).toMatch(/jobs differs \(A: 1; B: 2\).*wall times do not compare/);
    expect(w).toMatch(/git commit differs \(A: e34690e; B: abc1234\)/);
  });
});

describe('--threshold', () => {
  it('parses memory, time and throughput parts, and refuses an unknown key', () => {
    const t = parseThresholds('mem=3%/6MiB,time=10%/20ms,tput=15');
    expect(t).toEqual({ memory: 0.03, memoryFloorBytes: 6 * MiB, time: 0.1, timeFloorMs: 20, throughput: 0.15 });
    expect(parseThresholds('mem=1MiB')).toEqual({ ...DEFAULT_THRESHOLDS, memoryFloorBytes: MiB });
    expect(() => parseThresholds('speed=3')).toThrow(/unknown key 'speed'; use mem, time and\/or tput/);
  });
});

describe('Bun: external memory and wall time with a caveat', () => {
  it('compares them, marks the verdict with * and says why under the table', () => {
    const [a, b] = pair({ cases: [{ codec: 'json', phase: 'dump' }] }, { cases: [{ codec: 'json', phase: 'dump' }] });
    b!.report.environment.runtime = { name: 'bun', version: '1.4.5', engine: 'JavaScriptCore', rows: [] };
    const r = compareReports([a!, b!]);
    const ms = r.pairs[0]!.cases[0]!.metrics;
    expect(ms.find((m) => m.metric === 'peakExternalIncrementBytes')!.caveat).toMatch(/bun 1\.4\.5 keeps its own accounting of external memory/);
    expect(ms.find((m) => m.metric === 'wallMs')!.caveat).toMatch(/ignores the children's flags/);
    expect(ms.find((m) => m.metric === 'peakRssIncrementBytes')!.caveat).toBeUndefined();
    const text = renderCompareTable(r);
    expect(text).toMatch(/extra peak external(\s+\S+ MiB){2}\s+~ \*/);
    expect(text).toMatch(/^\* extra peak external: bun 1\.4\.5 keeps its own accounting/m);
  });
});
