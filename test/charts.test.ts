import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { migrateReport } from '../bench/results/migrate.js';
import { renderCharts } from '../bench/charts/index.js';
import { headlineData, headlineSpec, peakIncrementSpread } from '../bench/charts/headline.js';
import { memoryChartData, memoryChartSpec, representativeRun, TAIL_FRACTION } from '../bench/charts/memory-over-time.js';
import { svgToPng } from '../bench/charts/png.js';
import { sweepData } from '../bench/charts/sweep.js';
import { codecColor, CODEC_PALETTE } from '../bench/charts/vega.js';
import { CODECS } from '../bench/codecs/index.js';
import { CLONE_VARIANTS } from '../bench/types.js';
import type { CaseResult, Report, RunResult } from '../bench/types.js';

const MiB = 1024 * 1024;
const load = (): Report => migrateReport(JSON.parse(readFileSync('test/fixtures/sample-report.json', 'utf8'))) as Report; // a schema-2 file, read as readers read it

describe('codecColor', () => {
  it('gives every series of the default suite (all codecs and clone variants) its own colour', () => {
    const report = load();
    report.config.codecs = CODECS.map((c) => c.name);
    report.cases = CLONE_VARIANTS.map((v) => ({ ...report.cases[0]!, codec: v, phase: 'clone' }));
    const { domain, range } = codecColor(report).scale;
    expect(domain.length).toBe(CODECS.length + CLONE_VARIANTS.length);
    expect(domain.length).toBeLessThanOrEqual(CODEC_PALETTE.length);
    expect(new Set(range.slice(0, domain.length)).size).toBe(domain.length);
  });
});

describe('headline chart', () => {
  /** The default suite: every built-in codec (22), dump and load, plus clone. */
  function wide(report: Report): Report {
    const template = report.cases.find((c) => c.state === 'ok' && c.n === 1_000_000)!;
    const names = CODECS.map((c) => c.name);
    report.config.codecs = names;
    report.config.phases = ['dump', 'load', 'clone'];
    report.cases = [
      ...names.flatMap((codec, i) =>
        (['dump', 'load'] as const).map((phase) => {
          const s = { median: (i + 1) * MiB, min: (i + 0.5) * MiB, max: (i + 2) * MiB };
          return { ...template, codec, phase, summary: { ...template.summary, peakRssIncrementBytes: s } };
        }),
      ),
      ...CLONE_VARIANTS.map((v) => ({ ...template, codec: v, phase: 'clone' as const })),
    ];
    return report;
  }

  it('has a dump and a load panel, each sorted cheapest first, with the same figures as the summary', () => {
    const report = load();
    const panels = headlineData(report);
    expect(panels.map((p) => p.phase)).toEqual(['dump', 'load']);
    for (const p of panels) {
      expect(p.n).toBe(1_000_000);
      const medians = p.bars.map((b) => b.medianMiB);
      expect(medians).toEqual([...medians].sort((a, b) => a - b));
      for (const b of p.bars) {
        const c = report.cases.find((x) => x.codec === b.codec && x.phase === p.phase && x.n === 1_000_000)!;
        expect(b.medianMiB * MiB).toBe(c.summary.peakRssIncrementBytes!.median);
        expect(b.minMiB * MiB).toBe(c.summary.peakRssIncrementBytes!.min);
        expect(b.maxMiB * MiB).toBe(c.summary.peakRssIncrementBytes!.max);
        const x = c.summary.peakRssIncrementBytes!.median / 160e6;
        expect(b.label).toContain(`${x.toFixed(2)}×`);
      }
      expect(p.refs.map((r) => r.mib)).toEqual([160e6 / MiB, 36e6 / MiB]);
    }
  });

  it('grows in height, not width, with ~22 formats: one row each, and leaves clone out', () => {
    const report = wide(load());
    const panels = headlineData(report);
    expect(CODECS.length).toBeGreaterThanOrEqual(20);
    expect(panels.map((p) => p.bars.length)).toEqual([CODECS.length, CODECS.length]);
    const spec = headlineSpec(panels) as unknown as { hconcat: { width: number; height: number }[] };
    expect(spec.hconcat).toHaveLength(2);
    for (const p of spec.hconcat) {
      expect(p.width).toBeLessThanOrEqual(450);
      expect(p.height).toBe(CODECS.length * 16);
    }
  });

  it('groups the loads by what they return, rows first, coloured by kind with a legend, and names ties and dumps not run', async () => {
    const report = wide(load());
    report.codecs = Object.fromEntries(
      CODECS.map((c) => [
        c.name,
        { kind: c.kind, description: c.name, ...(c.returns ? { returns: c.returns } : {}), ...(c.dumpBy ? { dumpBy: c.dumpBy } : {}) },
      ]),
    );
    report.cases = report.cases.filter((c) => !(c.codec === 'arrow-rows' && c.phase === 'dump'));
    const [dump, loads] = headlineData(report);
    const kinds = loads!.bars.map((b) => b.returns);
    // rows, then columns, then lazy; each group cheapest first
    expect(kinds).toEqual([...kinds].sort((a, b) => ['rows', 'columns', 'lazy'].indexOf(a!) - ['rows', 'columns', 'lazy'].indexOf(b!)));
    expect(new Set(kinds)).toEqual(new Set(['rows', 'columns', 'lazy']));
    expect(loads!.bars.filter((b) => b.returns === 'columns').map((b) => b.codec)).toEqual(['columnar', 'text-to-columnar']);
    expect(dump!.bars.every((b) => b.returns === null)).toBe(true);
    expect(dump!.notes).toContain("arrow-rows: no dump of its own (arrow's dump writes its file)");
    // the synthetic medians are 1 MiB apart: the four cheapest dumps are a tie under compare's 4 MiB floor
    expect(dump!.notes[0]).toMatch(/^within 4 MiB of each other: json, v8, msgpack, text$/);
    const svg = (await renderCharts(report)).find((f) => f.id === 'headline')!.svg;
    expect(svg).toContain('a load returns');
    for (const k of ['rows: JavaScript values', 'columns: typed arrays', 'lazy: decoded when read']) expect(svg).toContain(k);
  });

  it('lossy and failed cases are not charted', () => {
    const report = load();
    report.cases.find((x) => x.codec === 'json' && x.phase === 'dump' && x.n === 1_000_000)!.state = 'oom';
    report.cases.find((x) => x.codec === 'msgpack' && x.phase === 'load' && x.n === 1_000_000)!.state = 'lossy';
    const panels = headlineData(report);
    expect(panels.find((p) => p.phase === 'dump')!.bars.map((b) => b.codec)).toEqual(['msgpack']);
    expect(panels.find((p) => p.phase === 'load')!.bars.map((b) => b.codec)).toEqual(['json']);
  });

  it('spread comes from the runs when the summary lacks it', () => {
    const c = load().cases.find((x) => x.codec === 'json' && x.phase === 'load' && x.n === 1_000_000)!;
    const bare = { ...c, summary: {} } as CaseResult;
    const incs = c.runs.map((r) => r.peakRssIncrementBytes).sort((a, b) => a - b);
    expect(peakIncrementSpread(bare)).toEqual({ median: incs[1], min: incs[0], max: incs[2] });
  });
});

describe('representativeRun', () => {
  it('is the run with the median peak increment among runs with a series', () => {
    const r = (inc: number, series = true) =>
      ({ peakRssIncrementBytes: inc, series: series ? { intervalMs: 2, rawSamples: 1, tMs: [0], rssBytes: [1], markers: [] } : undefined }) as RunResult;
    expect(representativeRun([r(30), r(10), r(20)])?.peakRssIncrementBytes).toBe(20);
    expect(representativeRun([r(30), r(10), r(20, false)])?.peakRssIncrementBytes).toBe(10);
    expect(representativeRun([r(5, false)])).toBeUndefined();
  });
});

describe('memoryChartData', () => {
  it('aligns each codec on its phase start, keeps the in-phase peak, uses the largest N', () => {
    const report = load();
    const d = memoryChartData(report, 'dump')!;
    expect(d.n).toBe(1_000_000);
    expect(new Set(d.points.map((p) => p.codec))).toEqual(new Set(['json', 'msgpack']));
    const json = report.cases.find((c) => c.codec === 'json' && c.phase === 'dump' && c.n === 1_000_000)!;
    const run = representativeRun(json.runs)!;
    const start = run.series!.markers.find((m) => m.label === 'phase-start')!.tMs;
    const end = run.series!.markers.find((m) => m.label === 'phase-end')!.tMs;
    const top = Math.max(...d.points.filter((p) => p.codec === 'json').map((p) => p.extraMiB));
    // the plotted maximum is the series maximum over the run's own baseline
    expect(top).toBeCloseTo((Math.max(...run.series!.rssBytes) - run.baselineRssBytes) / MiB, 6);
    expect(d.phaseEnds.find((e) => e.codec === 'json')!.tMs).toBeCloseTo(end - start, 6);
    expect(d.refs.map((r) => r.extraMiB)).toEqual([(160 * 1e6) / MiB, (36 * 1e6) / MiB]);
    expect(d.missing).toEqual([]);
  });

  it('each line runs from its baseline to a short tail after its phase, never into verification or teardown', () => {
    const report = load();
    const d = memoryChartData(report, 'load')!;
    const longest = Math.max(...d.phaseEnds.map((e) => e.tMs));
    for (const { codec, tMs: end } of d.phaseEnds) {
      const c = report.cases.find((x) => x.codec === codec && x.phase === 'load' && x.n === d.n)!;
      const run = representativeRun(c.runs)!;
      const at = (label: string) => run.series!.markers.find((m) => m.label === label)!.tMs;
      const ts = d.points.filter((p) => p.codec === codec).map((p) => p.tMs);
      expect(Math.min(...ts)).toBeGreaterThanOrEqual(at('baseline') - at('phase-start'));
      expect(Math.max(...ts)).toBeLessThanOrEqual(Math.min(end + TAIL_FRACTION * longest, at('verify-start') - at('phase-start')));
      expect(Math.max(...ts)).toBeGreaterThanOrEqual(end - 2 * run.series!.intervalMs); // the phase itself is all there
    }
    // the fixture's teardown after verification (RSS back near the start-up level) is not drawn
    expect(Math.min(...d.points.map((p) => p.extraMiB))).toBeGreaterThan(-5);
  });

  it("is one panel per codec with shared axes (facet), in the report's codec order", () => {
    const report = load();
    const d = memoryChartData(report, 'dump')!;
    const spec = memoryChartSpec(report, 'dump', d) as unknown as {
      facet: { sort: string[] };
      resolve?: unknown;
      spec: { layer: { encoding: { x?: { scale?: { domain: number[] } } } }[] };
    };
    expect(spec.facet.sort.map((t) => t.split(':')[0])).toEqual(['json', 'msgpack']);
    expect(spec.resolve).toBeUndefined(); // vega-lite facets share scales unless told otherwise
    expect(spec.spec.layer.find((l) => l.encoding.x?.scale)!.encoding.x!.scale!.domain).toEqual([d.fromMs, d.toMs]);
  });

  it('names codecs whose runs have no series, and is null when none has one', () => {
    const report = load();
    for (const c of report.cases) if (c.codec === 'msgpack') for (const r of c.runs) delete r.series;
    expect(memoryChartData(report, 'load')!.missing).toEqual(['msgpack']);
    for (const c of report.cases) for (const r of c.runs) delete r.series;
    expect(memoryChartData(report, 'load')).toBeNull();
  });
});

describe('sweep data', () => {
  it('sweep: one point per codec and N, nothing for a single N, non-positive peaks dropped and named', () => {
    const report = load();
    expect(sweepData(report, 'load')!.points).toHaveLength(4);
    const one = { ...report, config: { ...report.config, n: [1_000_000] }, cases: report.cases.filter((c) => c.n === 1_000_000) };
    expect(sweepData(one, 'load')).toBeNull();
    const c = report.cases.find((x) => x.codec === 'msgpack' && x.phase === 'load' && x.n === 100_000)!;
    c.summary.peakRssIncrementBytes = { median: 0, min: -1, max: 1 };
    const d = sweepData(report, 'load')!;
    expect(d.points).toHaveLength(3);
    expect(d.dropped).toEqual(['msgpack at N=100000']);
  });
});

describe('renderCharts', () => {
  it('renders one SVG per chart, with MiB axes, and PNGs from them', async () => {
    const figures = await renderCharts(load());
    expect(figures.map((f) => f.id)).toEqual(['headline', 'memory-dump', 'memory-load', 'sweep-dump', 'sweep-load']);
    for (const f of figures) {
      expect(f.svg.startsWith('<svg')).toBe(true);
      expect(f.svg).toContain('(MiB)');
    }
    const png = await svgToPng(figures[0]!.svg, 1);
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(png.length).toBeGreaterThan(5000);
  });
});
