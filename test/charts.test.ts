import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderCharts } from '../bench/charts/index.js';
import { memoryChartData, representativeRun } from '../bench/charts/memory-over-time.js';
import { peakBarsData, peakBarsSpec, peakIncrementSpread } from '../bench/charts/peak-bars.js';
import { svgToPng } from '../bench/charts/png.js';
import { sweepData } from '../bench/charts/sweep.js';
import { codecColor, CODEC_PALETTE } from '../bench/charts/vega.js';
import { CODECS } from '../bench/codecs/index.js';
import { CLONE_VARIANTS } from '../bench/types.js';
import type { CaseResult, Report, RunResult } from '../bench/types.js';

const MiB = 1024 * 1024;
const load = (): Report => JSON.parse(readFileSync('test/fixtures/sample-report.json', 'utf8')) as Report;

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

describe('peakBarsSpec', () => {
  it('keeps the default suite (11 codecs x dump, load + 2 clone variants) about 1000 px wide', () => {
    const report = load();
    const template = report.cases.find((c) => c.state === 'ok')!;
    report.config.codecs = CODECS.map((c) => c.name);
    report.config.phases = ['dump', 'load', 'clone'];
    report.cases = [
      ...CODECS.flatMap((c) => (['dump', 'load'] as const).map((phase) => ({ ...template, codec: c.name, phase }))),
      ...CLONE_VARIANTS.map((v) => ({ ...template, codec: v, phase: 'clone' as const })),
    ];
    const spec = peakBarsSpec(report, peakBarsData(report)!) as unknown as { width: { step: number } };
    const groups = CODECS.length + CLONE_VARIANTS.length;
    expect(spec.width.step * groups * 3).toBeLessThanOrEqual(1000); // was 70 x 3 per bar: 8,190 px of bars
    expect(spec.width.step).toBeGreaterThanOrEqual(12);
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
    expect(d.refs.map((r) => r.extraMiB)).toEqual([(36 * 1e6) / MiB, (160 * 1e6) / MiB]);
    expect(d.missing).toEqual([]);
  });

  it('names codecs whose runs have no series, and is null when none has one', () => {
    const report = load();
    for (const c of report.cases) if (c.codec === 'msgpack') for (const r of c.runs) delete r.series;
    expect(memoryChartData(report, 'load')!.missing).toEqual(['msgpack']);
    for (const c of report.cases) for (const r of c.runs) delete r.series;
    expect(memoryChartData(report, 'load')).toBeNull();
  });
});

describe('peak bars and sweep data', () => {
  it('bars come from the summary; min-max from the runs when the summary lacks them', () => {
    const report = load();
    const d = peakBarsData(report)!;
    expect(d.bars).toHaveLength(4);
    const c = report.cases.find((x) => x.codec === 'json' && x.phase === 'load' && x.n === 1_000_000)!;
    const bar = d.bars.find((b) => b.codec === 'json' && b.phase === 'load')!;
    expect(bar.medianMiB * MiB).toBe(c.summary.peakRssIncrementBytes!.median);
    const bare = { ...c, summary: {} } as CaseResult;
    const incs = c.runs.map((r) => r.peakRssIncrementBytes).sort((a, b) => a - b);
    expect(peakIncrementSpread(bare)).toEqual({ median: incs[1], min: incs[0], max: incs[2] });
  });

  it('failed cases are not charted', () => {
    const report = load();
    const c = report.cases.find((x) => x.codec === 'json' && x.phase === 'dump' && x.n === 1_000_000)!;
    c.state = 'oom';
    expect(peakBarsData(report)!.bars.map((b) => `${b.codec}/${b.phase}`)).not.toContain('json/dump');
  });

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
    expect(figures.map((f) => f.id)).toEqual(['memory-dump', 'memory-load', 'peak-bars', 'sweep-dump', 'sweep-load']);
    for (const f of figures) {
      expect(f.svg.startsWith('<svg')).toBe(true);
      expect(f.svg).toContain('(MiB)');
    }
    const png = await svgToPng(figures[0]!.svg, 1);
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(png.length).toBeGreaterThan(5000);
  });
});
