/**
 * Extra peak RSS per codec and phase at the largest N: the median over the
 * repeats as a bar, min to max as an error bar, with the data's intrinsic and
 * in-heap sizes as reference lines.
 */
import type { CaseResult, Report, Spread } from '../types.js';
import {
  BASE_CONFIG,
  type ChartFigure,
  chartableCases,
  codecOrder,
  formatN,
  phaseOrder,
  renderSvg,
  sortedNs,
  toMiB,
  type TopLevelSpec,
} from './vega.js';

/** The case's spread of peakRssIncrementBytes: its summary, or computed from its runs if the summary lacks it. */
export function peakIncrementSpread(c: CaseResult): Spread {
  const s = c.summary.peakRssIncrementBytes;
  if (s) return s;
  const v = c.runs.map((r) => r.peakRssIncrementBytes).sort((a, b) => a - b);
  const mid = Math.floor(v.length / 2);
  const median = v.length % 2 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2;
  return { median, min: v[0]!, max: v[v.length - 1]! };
}

export interface BarRow {
  codec: string;
  phase: string;
  medianMiB: number;
  minMiB: number;
  maxMiB: number;
  runs: number;
}

export function peakBarsData(report: Report): { n: number; bars: BarRow[]; refs: { label: string; mib: number }[] } | null {
  const cases = chartableCases(report);
  const ns = sortedNs(report).filter((n) => cases.some((c) => c.n === n));
  const n = ns[ns.length - 1];
  if (n === undefined) return null;
  const bars = cases
    .filter((c) => c.n === n)
    .map((c) => {
      const s = peakIncrementSpread(c);
      return { codec: c.codec, phase: c.phase, medianMiB: toMiB(s.median), minMiB: toMiB(s.min), maxMiB: toMiB(s.max), runs: c.runs.length };
    });
  const size = report.data.find((d) => d.n === n);
  const refs = size
    ? [{ label: 'intrinsic', mib: toMiB(size.intrinsicBytes) }, ...(size.heapBytes !== null ? [{ label: 'in heap', mib: toMiB(size.heapBytes) }] : [])]
    : [];
  return { n, bars, refs };
}

export function peakBarsSpec(report: Report, d: NonNullable<ReturnType<typeof peakBarsData>>): TopLevelSpec {
  const codecs = codecOrder(report).filter((c) => d.bars.some((b) => b.codec === c));
  const phases = Math.max(1, phaseOrder(report).length);
  // With xOffset the step is one bar's width (a codec's group is phases × step): aim at about
  // 850 px of bars, so the default suite (13 codecs × 3 phases) is not 10,000 px wide and shrunk
  // to an unreadable strip in the page, and a small run's bars are not too wide.
  const step = Math.max(12, Math.min(60, Math.floor(850 / Math.max(1, codecs.length * phases))));
  const x = { field: 'codec', type: 'nominal' as const, title: 'codec', sort: codecs, axis: { labelAngle: step * phases < 90 ? -35 : 0 } };
  const xOffset = { field: 'phase', type: 'nominal' as const, sort: phaseOrder(report) };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: `Extra peak RSS per codec and phase, N = ${formatN(d.n)}`,
    width: { step },
    height: 300,
    config: BASE_CONFIG,
    layer: [
      {
        name: 'bars',
        data: { values: d.bars },
        mark: { type: 'bar' },
        encoding: {
          x,
          xOffset,
          y: { field: 'medianMiB', type: 'quantitative', title: 'extra peak RSS over baseline (MiB), median' },
          color: { field: 'phase', type: 'nominal', title: 'phase', sort: phaseOrder(report), scale: { scheme: 'set2' } },
          tooltip: [{ field: 'codec' }, { field: 'phase' }, { field: 'medianMiB', format: '.1f' }, { field: 'runs' }],
        },
      },
      {
        name: 'spread',
        data: { values: d.bars },
        mark: { type: 'rule', strokeWidth: 1.5, color: '#222' },
        encoding: { x, xOffset, y: { field: 'minMiB', type: 'quantitative' }, y2: { field: 'maxMiB' } },
      },
      {
        name: 'refs',
        data: { values: d.refs },
        mark: { type: 'rule', strokeDash: [6, 4], color: '#888' },
        encoding: { y: { field: 'mib', type: 'quantitative' } },
      },
      {
        name: 'reflabels',
        data: { values: d.refs },
        mark: { type: 'text', align: 'right', dy: -6, color: '#555', fontSize: 10, x: 'width' },
        encoding: { y: { field: 'mib', type: 'quantitative' }, text: { field: 'label' } },
      },
    ],
  } as TopLevelSpec;
}

export async function peakBarsChart(report: Report): Promise<ChartFigure | null> {
  const d = peakBarsData(report);
  if (!d || d.bars.length === 0) return null;
  const repeats = [...new Set(d.bars.map((b) => b.runs))].join('/');
  return {
    id: 'peak-bars',
    title: `Extra peak memory per codec and phase, N = ${formatN(d.n)}`,
    caption:
      `Bar: median over ${repeats} runs of the phase's peak RSS (${
        report.environment.peakResetAvailable ? 'VmHWM after a clear_refs reset' : 'whole-process maxRSS: clear_refs was not writable, so start-up counts'
      }) minus the RSS right before the phase. ` +
      `Black line: min to max over the runs. Dashed lines: the data's intrinsic size and its size in the V8 heap.`,
    svg: await renderSvg(peakBarsSpec(report, d)),
  };
}
