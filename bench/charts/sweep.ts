/**
 * Sweeps (several N): median extra peak RSS against N on log-log axes, one
 * chart per phase, one line per codec, with the data's own sizes as dashed
 * grey lines. A slope of 1 means the extra memory grows linearly with N.
 */
import type { Phase, Report } from '../types.js';
import { peakIncrementSpread } from './headline.js';
import { BASE_CONFIG, type ChartFigure, chartableCases, codecColor, renderSvg, sortedNs, toMiB, type TopLevelSpec } from './vega.js';

export interface SweepData {
  points: { codec: string; n: number; medianMiB: number }[];
  refs: { label: string; n: number; mib: number }[];
  /** Points that cannot go on a log axis (extra peak <= 0), by codec and N. */
  dropped: string[];
}

export function sweepData(report: Report, phase: Phase): SweepData | null {
  if (sortedNs(report).length < 2) return null;
  const points: SweepData['points'] = [];
  const dropped: string[] = [];
  for (const c of chartableCases(report).filter((x) => x.phase === phase)) {
    const median = peakIncrementSpread(c).median;
    if (median > 0) points.push({ codec: c.codec, n: c.n, medianMiB: toMiB(median) });
    else dropped.push(`${c.codec} at N=${c.n}`);
  }
  if (new Set(points.map((p) => p.n)).size < 2) return null;
  const refs: SweepData['refs'] = [];
  for (const d of report.data) {
    refs.push({ label: 'data, intrinsic', n: d.n, mib: toMiB(d.intrinsicBytes) });
    if (d.heapBytes !== null) refs.push({ label: 'data, in heap', n: d.n, mib: toMiB(d.heapBytes) });
  }
  return { points, refs, dropped };
}

export function sweepSpec(report: Report, phase: Phase, d: SweepData): TopLevelSpec {
  const x = { field: 'n', type: 'quantitative' as const, title: 'N (tuples)', scale: { type: 'log' as const }, axis: { format: '~s' } };
  const y = { field: 'medianMiB', type: 'quantitative' as const, title: 'extra peak RSS (MiB), median', scale: { type: 'log' as const } };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: `${phase}: extra peak RSS against N (log-log)`,
    width: 620, // with its legend about 800 px: at least 600 px in the page, like every chart
    height: 300,
    config: BASE_CONFIG,
    layer: [
      {
        name: 'sweeprefs',
        data: { values: d.refs },
        mark: { type: 'line', strokeDash: [6, 4], color: '#999', strokeWidth: 1 },
        encoding: { x, y: { ...y, field: 'mib' }, detail: { field: 'label' } },
      },
      {
        name: 'sweepreflabels',
        data: { values: d.refs.filter((r) => r.n === Math.max(...d.refs.map((x) => x.n))) },
        mark: { type: 'text', align: 'right', dy: -7, color: '#666', fontSize: 10 },
        encoding: { x, y: { ...y, field: 'mib' }, text: { field: 'label' } },
      },
      {
        name: 'sweep',
        data: { values: d.points },
        mark: { type: 'line', point: false, strokeWidth: 2 },
        encoding: { x, y, color: codecColor(report) },
      },
      {
        name: 'sweeppoints',
        data: { values: d.points },
        mark: { type: 'point', filled: true, size: 40 },
        encoding: { x, y, color: codecColor(report) },
      },
    ],
  } as TopLevelSpec;
}

export async function sweepCharts(report: Report, phases: readonly Phase[]): Promise<ChartFigure[]> {
  const figures: ChartFigure[] = [];
  for (const phase of phases) {
    const d = sweepData(report, phase);
    if (!d) continue;
    const dropped = d.dropped.length ? ` Not plotted (no extra peak, cannot go on a log axis): ${d.dropped.join(', ')}.` : '';
    figures.push({
      id: `sweep-${phase}`,
      title: `Extra peak against N: ${phase}`,
      caption:
        `Median extra peak RSS (VmHWM after clear_refs, minus pre-phase RSS) at each N, log-log. ` +
        `Dashed grey lines: the data's intrinsic size and its size in the V8 heap at each N.${dropped}`,
      svg: await renderSvg(sweepSpec(report, phase, d)),
    });
  }
  return figures;
}
