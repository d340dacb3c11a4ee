/**
 * Memory over time (the `mprof` picture): one chart per phase, one line per
 * codec, from the parent-sampled RSS series of one representative run.
 *
 * Y is RSS over the run's own pre-phase baseline (the child's `gc()`-ed RSS
 * right before the phase), the same base as the headline "extra peak", so the
 * lines of different codecs and the reference lines are comparable. X is
 * milliseconds since the phase started (the child's `phase-start` marker), so
 * every codec's phase starts at 0.
 */
import type { Phase, Report, RunResult } from '../types.js';
import {
  BASE_CONFIG,
  type ChartFigure,
  chartableCases,
  codecColor,
  formatN,
  renderSvg,
  sortedNs,
  toMiB,
  type TopLevelSpec,
} from './vega.js';

/** The run whose peak RSS increment is the median of the case's runs with a series (lower median for even counts). */
export function representativeRun(runs: readonly RunResult[]): RunResult | undefined {
  const withSeries = runs.filter((r) => r.series && r.series.tMs.length > 0);
  const sorted = [...withSeries].sort((a, b) => a.peakRssIncrementBytes - b.peakRssIncrementBytes);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

export interface MemoryChartData {
  n: number;
  /** One row per plotted sample. */
  points: { codec: string; tMs: number; extraMiB: number }[];
  /** Phase end of each codec's representative run, ms after its phase start. */
  phaseEnds: { codec: string; tMs: number }[];
  refs: { label: string; extraMiB: number }[];
  /** Codecs with an ok case but no usable series (sampling off, or markers missing). */
  missing: string[];
}

function marker(run: RunResult, label: string): number | undefined {
  return run.series?.markers.find((m) => m.label === label)?.tMs;
}

/**
 * The data of the memory chart for `phase` at the largest N that has a series,
 * or null when no run of that phase carries a series.
 */
export function memoryChartData(report: Report, phase: Phase): MemoryChartData | null {
  const cases = chartableCases(report).filter((c) => c.phase === phase);
  const ns = sortedNs(report).filter((n) => cases.some((c) => c.n === n && representativeRun(c.runs)));
  const n = ns[ns.length - 1];
  if (n === undefined) return null;

  const picked: { codec: string; run: RunResult; start: number; end: number }[] = [];
  const missing: string[] = [];
  for (const c of cases.filter((x) => x.n === n)) {
    const run = representativeRun(c.runs);
    const start = run && marker(run, 'phase-start');
    const end = run && marker(run, 'phase-end');
    if (!run || start === undefined || end === undefined) missing.push(c.codec);
    else picked.push({ codec: c.codec, run, start, end });
  }
  if (picked.length === 0) return null;

  // Show the phase plus a margin either side: the set-up before it (seconds of
  // data generation in a dump) would otherwise squeeze the phase into a sliver.
  const longest = Math.max(...picked.map((p) => p.end - p.start));
  const pad = Math.max(5, 0.15 * longest);
  const points: MemoryChartData['points'] = [];
  for (const { codec, run, start } of picked) {
    const s = run.series!;
    for (let i = 0; i < s.tMs.length; i++) {
      const t = s.tMs[i]! - start;
      if (t < -pad || t > longest + pad) continue;
      points.push({ codec, tMs: t, extraMiB: toMiB(s.rssBytes[i]! - run.baselineRssBytes) });
    }
  }
  const size = report.data.find((d) => d.n === n);
  const refs: MemoryChartData['refs'] = [];
  if (size) {
    refs.push({ label: `data, intrinsic (${formatMiBShort(size.intrinsicBytes)})`, extraMiB: toMiB(size.intrinsicBytes) });
    if (size.heapBytes !== null) refs.push({ label: `data, in V8 heap (${formatMiBShort(size.heapBytes)})`, extraMiB: toMiB(size.heapBytes) });
  }
  return { n, points, phaseEnds: picked.map((p) => ({ codec: p.codec, tMs: p.end - p.start })), refs, missing };
}

function formatMiBShort(bytes: number): string {
  return `${toMiB(bytes).toFixed(toMiB(bytes) < 10 ? 1 : 0)} MiB`;
}

export function memoryChartSpec(report: Report, phase: Phase, d: MemoryChartData): TopLevelSpec {
  const x = { field: 'tMs', type: 'quantitative' as const, title: 'ms since phase start' };
  const y = { field: 'extraMiB', type: 'quantitative' as const, title: 'RSS over pre-phase baseline (MiB)' };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: `${phase}: RSS over time, N = ${formatN(d.n)}`,
    width: 640,
    height: 300,
    config: BASE_CONFIG,
    layer: [
      {
        name: 'refs',
        data: { values: d.refs },
        mark: { type: 'rule', strokeDash: [6, 4], color: '#888' },
        encoding: { y },
      },
      {
        name: 'reflabels',
        data: { values: d.refs },
        mark: { type: 'text', align: 'right', dy: -6, color: '#555', fontSize: 10, x: 'width' },
        encoding: { y, text: { field: 'label' } },
      },
      {
        name: 'phasestart',
        data: { values: [{ tMs: 0 }] },
        mark: { type: 'rule', color: '#333' },
        encoding: { x },
      },
      {
        name: 'phaseend',
        data: { values: d.phaseEnds },
        mark: { type: 'rule', strokeDash: [2, 3], strokeWidth: 1.5 },
        encoding: { x, color: codecColor(report) },
      },
      {
        name: 'series',
        data: { values: d.points },
        mark: { type: 'line', strokeWidth: 1.5, interpolate: 'step-after' },
        encoding: { x, y, color: codecColor(report) },
      },
    ],
  } as TopLevelSpec;
}

/** One figure per phase that has a series; phases without any are left out. */
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
        `RSS of the child sampled by the parent from /proc/<pid>/status, minus the child's own pre-phase baseline, ` +
        `for the run with the median peak of each codec (max-of-bucket downsampled, so spikes are kept). ` +
        `Solid vertical line: phase start; dotted lines: phase end per codec; dashed horizontal lines: the data's intrinsic size ` +
        `(36 B a tuple) and its measured size in the V8 heap.${missing}`,
      svg: await renderSvg(memoryChartSpec(report, phase, d)),
    });
  }
  return figures;
}
