/**
 * Memory over time (the `mprof` picture) as small multiples: one figure per
 * phase, one panel per codec with shared axes, from the parent-sampled RSS
 * series of one representative run. (One chart with a line per codec was
 * unreadable: 13 lines overlapped.)
 *
 * Y is RSS over the run's own pre-phase baseline (the child's `gc()`-ed RSS
 * right before the phase), the same base as the headline "extra peak", so the
 * lines of different codecs and the reference lines are comparable. X is
 * milliseconds since the phase started (the child's `phase-start` marker), so
 * every codec's phase starts at 0.
 */
import type { Phase, Report, RunResult } from '../types.js';
import { formatMiB, formatMs } from '../report/units.js';
import { BASE_CONFIG, type ChartFigure, chartableCases, codecColor, codecOrder, formatN, renderSvg, sortedNs, toMiB, type TopLevelSpec } from './vega.js';

/** The run whose peak RSS increment is the median of the case's runs with a series (lower median for even counts). */
export function representativeRun(runs: readonly RunResult[]): RunResult | undefined {
  const withSeries = runs.filter((r) => r.series && r.series.tMs.length > 0);
  const sorted = [...withSeries].sort((a, b) => a.peakRssIncrementBytes - b.peakRssIncrementBytes);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

export interface MemoryChartData {
  n: number;
  /** The panels' order: the report's codec order. */
  codecs: string[];
  /** One row per plotted sample, from just before the phase to a short tail after it. */
  points: { codec: string; tMs: number; extraMiB: number }[];
  /** Phase end of each codec's representative run, ms after its phase start. */
  phaseEnds: { codec: string; tMs: number }[];
  /** Each panel's heading: the codec, its phase time and its extra peak (the representative run's). */
  titles: { codec: string; title: string }[];
  refs: { label: string; extraMiB: number }[];
  /** Codecs with an ok case but no usable series (sampling off, or markers missing). */
  missing: string[];
  /** The shared x range (ms since phase start). */
  fromMs: number;
  toMs: number;
}

function marker(run: RunResult, label: string): number | undefined {
  return run.series?.markers.find((m) => m.label === label)?.tMs;
}

/** The part of the shared x axis shown before the phase starts, and the tail drawn after each phase ends. */
export const LEAD_FRACTION = 0.03;
export const TAIL_FRACTION = 0.05;

/**
 * The data of the memory small multiples for `phase` at the largest N that has
 * a series, or null when no run of that phase carries a series.
 *
 * Each line starts shortly before its phase (never before the child's baseline
 * marker, so a dump's data generation does not show) and ends a short tail
 * after its phase end, before the child's verification: what follows in the
 * process (verification, teardown) is not the phase's memory, and drew lines
 * down to -200 MiB below the baseline.
 */
export function memoryChartData(report: Report, phase: Phase): MemoryChartData | null {
  const cases = chartableCases(report).filter((c) => c.phase === phase);
  const ns = sortedNs(report).filter((n) => cases.some((c) => c.n === n && representativeRun(c.runs)));
  const n = ns[ns.length - 1];
  if (n === undefined) return null;

  const picked: { codec: string; run: RunResult; start: number; end: number; after: number; from: number }[] = [];
  const missing: string[] = [];
  for (const c of cases.filter((x) => x.n === n)) {
    const run = representativeRun(c.runs);
    const start = run && marker(run, 'phase-start');
    const end = run && marker(run, 'phase-end');
    if (!run || start === undefined || end === undefined) {
      missing.push(c.codec);
      continue;
    }
    const baseline = marker(run, 'baseline') ?? Number.NEGATIVE_INFINITY;
    const verify = marker(run, 'verify-start');
    picked.push({
      codec: c.codec,
      run,
      start,
      end,
      from: baseline - start,
      after: verify !== undefined && verify >= end ? verify - start : Number.POSITIVE_INFINITY,
    });
  }
  if (picked.length === 0) return null;

  const longest = Math.max(...picked.map((p) => p.end - p.start));
  const lead = Math.max(2, LEAD_FRACTION * longest);
  const tail = Math.max(2, TAIL_FRACTION * longest);
  const points: MemoryChartData['points'] = [];
  for (const { codec, run, start, end, from, after } of picked) {
    const s = run.series!;
    const first = Math.max(-lead, from);
    const last = Math.min(end - start + tail, after);
    for (let i = 0; i < s.tMs.length; i++) {
      const t = s.tMs[i]! - start;
      if (t < first || t > last) continue;
      points.push({ codec, tMs: t, extraMiB: toMiB(s.rssBytes[i]! - run.baselineRssBytes) });
    }
  }
  const size = report.data.find((d) => d.n === n);
  const refs: MemoryChartData['refs'] = [];
  if (size) {
    if (size.heapBytes !== null) refs.push({ label: `data heap ${formatMiB(size.heapBytes)}`, extraMiB: toMiB(size.heapBytes) });
    refs.push({ label: `intrinsic ${formatMiB(size.intrinsicBytes)}`, extraMiB: toMiB(size.intrinsicBytes) });
  }
  const order = codecOrder(report);
  const codecs = order.filter((c) => picked.some((p) => p.codec === c));
  return {
    n,
    codecs,
    points,
    phaseEnds: picked.map((p) => ({ codec: p.codec, tMs: p.end - p.start })),
    titles: picked.map((p) => ({
      codec: p.codec,
      title: `${p.codec}: ${formatMiB(p.run.peakRssIncrementBytes, { signed: true })} in ${formatMs(p.end - p.start)}`,
    })),
    refs,
    missing,
    fromMs: -lead,
    toMs: longest + tail,
  };
}

/** Panels per row: four fit a 1,300 px page at a readable size; 22 formats make six rows. */
export const PANEL_COLUMNS = 4;
export const PANEL_HEIGHT = 110;
const PANEL_SPACING = 28;
/** Width of the panels' row (px): fewer formats get wider panels rather than a narrow figure. */
const ROW_WIDTH = 1080;

export function panelWidth(panels: number): number {
  const columns = Math.max(1, Math.min(PANEL_COLUMNS, panels));
  return Math.floor((ROW_WIDTH - (columns - 1) * PANEL_SPACING) / columns);
}

/**
 * Small multiples: one panel per codec (facet), shared x and y scales so
 * heights and durations compare across panels. The facet needs one dataset:
 * every row carries its codec and a `kind`, and each layer filters its kind;
 * the reference lines and the phase start are repeated in every panel.
 */
export function memoryChartSpec(report: Report, phase: Phase, d: MemoryChartData): TopLevelSpec {
  const title = (codec: string): string => d.titles.find((t) => t.codec === codec)?.title ?? codec;
  const rows = [
    ...d.points.map((p) => ({ kind: 'sample', panel: title(p.codec), codec: p.codec, tMs: p.tMs, extraMiB: p.extraMiB })),
    ...d.phaseEnds.map((e) => ({ kind: 'end', panel: title(e.codec), codec: e.codec, tMs: e.tMs })),
    ...d.codecs.flatMap((codec) => [
      { kind: 'start', panel: title(codec), codec, tMs: 0 },
      ...d.refs.map((r) => ({ kind: 'ref', panel: title(codec), codec, extraMiB: r.extraMiB, label: r.label })),
    ]),
  ];
  const x = { field: 'tMs', type: 'quantitative' as const, title: 'ms since phase start', scale: { domain: [d.fromMs, d.toMs], nice: false } };
  // short: the title repeats on every row of panels
  const y = { field: 'extraMiB', type: 'quantitative' as const, title: 'MiB' };
  const only = (kind: string) => [{ filter: `datum.kind === '${kind}'` }];
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: `${phase}: RSS over time per format, N = ${formatN(d.n)}`,
      subtitle: ['RSS over the pre-phase baseline (MiB); solid line: phase start, dotted: phase end', "dashed: the data in V8's heap and its intrinsic size"],
    },
    // A heading longer than its panel is cut short (…) rather than run into the next one. Vega measures text
    // without a canvas here and overestimates its width by about a third, hence the limit above the panel's width.
    config: {
      ...BASE_CONFIG,
      header: { labelFontSize: 11, labelAnchor: 'start', labelFontWeight: 'bold', labelLimit: Math.round(1.3 * panelWidth(d.codecs.length)) },
    },
    data: { values: rows },
    facet: { field: 'panel', type: 'nominal', sort: d.codecs.map(title), title: null },
    columns: PANEL_COLUMNS,
    // flush: cells are laid out by their plot areas (the y axis is drawn on the first column only),
    // with room between them for the last x label
    bounds: 'flush',
    spacing: { row: PANEL_SPACING, column: PANEL_SPACING },
    spec: {
      width: panelWidth(d.codecs.length),
      height: PANEL_HEIGHT,
      layer: [
        { name: 'refs', transform: only('ref'), mark: { type: 'rule', strokeDash: [5, 4], color: '#999' }, encoding: { y } },
        { name: 'phasestart', transform: only('start'), mark: { type: 'rule', color: '#333' }, encoding: { x } },
        { name: 'phaseend', transform: only('end'), mark: { type: 'rule', strokeDash: [2, 3], strokeWidth: 1.5, color: '#333' }, encoding: { x } },
        {
          name: 'series',
          transform: only('sample'),
          mark: { type: 'line', strokeWidth: 1.5, interpolate: 'step-after' },
          encoding: { x, y, color: { ...codecColor(report), legend: null } },
        },
      ],
    },
  } as unknown as TopLevelSpec;
}

/** One small-multiples figure per phase that has a series; phases without any are left out. */
export async function memoryOverTimeCharts(report: Report, phases: readonly Phase[]): Promise<ChartFigure[]> {
  const figures: ChartFigure[] = [];
  for (const phase of phases) {
    const d = memoryChartData(report, phase);
    if (!d) continue;
    const missing = d.missing.length ? ` No series for: ${d.missing.join(', ')}.` : '';
    figures.push({
      id: `memory-${phase}`,
      title: `Memory over time: ${phase}, N = ${formatN(d.n)}`,
      caption:
        `One panel per format, same axes in every panel. RSS of the child sampled by the parent from /proc/<pid>/status, minus the child's own pre-phase baseline, ` +
        `for the run with the median peak of each format (max-of-bucket downsampled, so spikes are kept); the panel's heading gives that run's extra peak and phase time. ` +
        `Solid vertical line: phase start; dotted: phase end; each line stops a short tail after its phase, before the child's verification and exit. ` +
        `Dashed horizontal lines: the data's measured size in the V8 heap and its intrinsic size (36 B a tuple).${missing}`,
      svg: await renderSvg(memoryChartSpec(report, phase, d)),
    });
  }
  return figures;
}
