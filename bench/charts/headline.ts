/**
 * The headline chart, the answer as a picture: extra peak RSS per format, one
 * panel for dump and one for load side by side, each sorted cheapest first,
 * with min-max over the repeats as a line on each bar, the figure and its
 * multiple of the data's heap written at the bar's end, and the data's
 * measured heap and intrinsic size as vertical reference lines. Both panels
 * share the x scale, so bar lengths compare across them.
 *
 * Horizontal bars because the formats are many (22 with every codec): each
 * takes one row with its name readable, and the chart grows in height, not
 * beyond the page's width. Figures come from the same ranking as the summary
 * text (bench/report/answer.ts), so picture and words agree.
 */
import { answer, type PhaseAnswer } from '../report/answer.js';
import { headline } from '../results/modes.js';
import { metricSpread } from '../results/summary.js';
import { formatMiB, formatRatio } from '../report/units.js';
import type { CaseResult, Report, Spread } from '../types.js';
import { BASE_CONFIG, type ChartFigure, formatN, renderSvg, toMiB, type TopLevelSpec } from './vega.js';

/** The case's spread of peakRssIncrementBytes: its summary, or computed from its runs if the summary lacks it. */
export function peakIncrementSpread(c: CaseResult): Spread {
  return metricSpread(c, 'peakRssIncrementBytes') ?? { median: Number.NaN, min: Number.NaN, max: Number.NaN };
}

export interface HeadlineBar {
  codec: string;
  medianMiB: number;
  minMiB: number;
  maxMiB: number;
  /** What is written at the bar's end: `+455 MiB · 2.98×`. */
  label: string;
  runs: number;
}

export interface HeadlinePanel {
  phase: string;
  n: number;
  bars: HeadlineBar[];
  refs: { label: string; mib: number }[];
}

/** Width of the plot areas (px): two panels and their format labels fill a 1,300 px page; one panel takes it all. */
export const PLOT_WIDTH = 900;
/** Height of one format's row (px): 20, or 16 beyond 12 formats, so 22 formats still fit the first screen with the summary. */
export function rowStep(rows: number): number {
  return rows > 12 ? 16 : 20;
}

export function headlineData(report: Report): HeadlinePanel[] {
  return answer(report).phases.map((p: PhaseAnswer) => ({
    phase: p.phase,
    n: p.n,
    bars: p.ranked.map((r) => ({
      codec: r.codec,
      medianMiB: toMiB(headline(r.peak)),
      minMiB: toMiB(r.peak.min),
      maxMiB: toMiB(r.peak.max),
      label: `${formatMiB(headline(r.peak), { signed: true })}${r.xDataHeap === null ? '' : ` · ${formatRatio(r.xDataHeap)}`}`,
      runs: r.runs,
    })),
    refs: [
      ...(p.dataHeapBytes !== null ? [{ label: `data heap ${formatMiB(p.dataHeapBytes)}`, mib: toMiB(p.dataHeapBytes) }] : []),
      ...(p.intrinsicBytes !== null ? [{ label: `intrinsic ${formatMiB(p.intrinsicBytes)}`, mib: toMiB(p.intrinsicBytes) }] : []),
    ],
  }));
}

export function headlineSpec(panels: readonly HeadlinePanel[]): TopLevelSpec {
  const all = panels.flatMap((p) => [...p.bars.map((b) => b.maxMiB), ...p.refs.map((r) => r.mib)]);
  const lo = Math.min(0, ...panels.flatMap((p) => p.bars.map((b) => b.minMiB)));
  // room right of the longest bar for its label (about a fifth of the axis)
  const hi = Math.max(1, ...all) * 1.28;
  const x = { type: 'quantitative' as const, scale: { domain: [lo, hi], nice: false }, title: 'extra peak RSS over the baseline (MiB)' };
  const rows = Math.max(...panels.map((p) => p.bars.length));
  const panel = (p: HeadlinePanel, i: number) => {
    const y = { field: 'codec', type: 'nominal' as const, sort: p.bars.map((b) => b.codec), title: null, axis: { labelFontSize: 12, labelLimit: 220 } };
    return {
      title: { text: `${p.phase} (${p.bars.length} formats)`, fontSize: 13 },
      width: panels.length === 1 ? PLOT_WIDTH : Math.floor((PLOT_WIDTH - 20) / panels.length),
      height: rows * rowStep(rows),
      layer: [
        {
          name: `refs${i}`,
          data: { values: p.refs },
          mark: { type: 'rule', strokeDash: [5, 4], color: '#777' },
          encoding: { x: { ...x, field: 'mib' } },
        },
        {
          name: `bars${i}`,
          data: { values: p.bars },
          mark: { type: 'bar', height: { band: 0.7 }, color: i === 0 ? '#4e79a7' : '#f28e2b' },
          encoding: {
            y,
            x: { ...x, field: 'medianMiB' },
            tooltip: [
              { field: 'codec' },
              { field: 'label', title: 'median' },
              { field: 'minMiB', format: '.1f' },
              { field: 'maxMiB', format: '.1f' },
              { field: 'runs' },
            ],
          },
        },
        {
          name: `spread${i}`,
          data: { values: p.bars },
          mark: { type: 'rule', strokeWidth: 1.5, color: '#222' },
          encoding: { y, x: { ...x, field: 'minMiB' }, x2: { field: 'maxMiB' } },
        },
        {
          name: `labels${i}`,
          data: { values: p.bars },
          mark: { type: 'text', align: 'left', dx: 4, fontSize: 11, color: '#333' },
          encoding: { y, x: { ...x, field: 'maxMiB' }, text: { field: 'label' } },
        },
        // labels above the plot, one line each, so two close lines do not overprint their labels
        ...p.refs.map((r, k) => ({
          name: `reflabel${i}_${k}`,
          data: { values: [r] },
          mark: { type: 'text', align: 'left', dx: 3, dy: -4 - 12 * k, fontSize: 10, color: '#555', baseline: 'bottom' },
          encoding: { x: { ...x, field: 'mib' }, y: { value: 0 }, text: { field: 'label' } },
        })),
      ],
    };
  };
  const n = panels[0]?.n;
  const sameN = panels.every((p) => p.n === n);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: `Extra peak RSS per format${sameN && n !== undefined ? `, N = ${formatN(n)}` : ''}`,
      // two short lines: vega measures text without a canvas and overestimates one long line's width
      subtitle: [
        'bar: median over the repeats (the upper mode, when the runs fall in modes), black line: min to max',
        "dashed: the data in V8's heap and its intrinsic size",
      ],
    },
    config: { ...BASE_CONFIG, axisY: { grid: false } },
    hconcat: panels.map(panel),
    spacing: 24,
  } as unknown as TopLevelSpec;
}

export async function headlineChart(report: Report): Promise<ChartFigure | null> {
  const panels = headlineData(report);
  if (panels.length === 0) return null;
  const repeats = [...new Set(panels.flatMap((p) => p.bars.map((b) => b.runs)))].join('/');
  return {
    id: 'headline',
    title: 'Extra peak RSS per format, dump and load',
    caption:
      `Each bar: the median over ${repeats} fresh processes (the upper mode, when the runs fall in separate modes: what the phase must be given) of the phase's peak RSS (${
        report.environment.peakResetAvailable ? 'VmHWM after a clear_refs reset' : 'whole-process maxRSS: clear_refs was not writable, so start-up counts'
      }) minus the RSS right before the phase; at its end the figure and its multiple of the data's measured heap. ` +
      `Black line: min to max over the runs. Dashed lines: the data's size in the V8 heap and its intrinsic size (36 B a tuple). ` +
      `Sorted cheapest first; lossy and failed cases are not ranked (see the summary and the table).`,
    svg: await renderSvg(headlineSpec(panels)),
  };
}
