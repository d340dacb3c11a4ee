/**
 * The headline chart, the answer as a picture: extra peak RSS per format, one
 * panel for dump and one for load side by side, each sorted cheapest first,
 * with min-max over the repeats as a line on each bar, the figure and its
 * multiple of the data's heap written at the bar's end, and the data's
 * measured heap and intrinsic size as vertical reference lines. Both panels
 * share the x scale, so bar lengths compare across them.
 *
 * The load panel groups the formats by what their load returns (rows first,
 * then columns, then lazy views), each group sorted cheapest first and
 * coloured by its kind, with a legend: a load into typed arrays or Arrow
 * vectors builds no value per record and does not compare with one into rows.
 * A panel's subtitle names the formats that differ by less than compare's
 * memory floor (a tie, as the summary says), and a codec with no dump of its
 * own (`dumpBy`).
 *
 * Horizontal bars because the formats are many (23 with every codec): each
 * takes one row with its name readable, and the chart grows in height, not
 * beyond the page's width. Figures come from the same ranking as the summary
 * text (bench/report/answer.ts), so picture and words agree.
 */
import { answer, floorText, type Answer, type PhaseAnswer } from '../report/answer.js';
import { headline } from '../results/modes.js';
import { metricSpread } from '../results/summary.js';
import { formatMiB, formatRatio } from '../report/units.js';
import { type CaseResult, LOAD_RETURNS, type LoadReturns, type Report, type Spread } from '../types.js';
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
  /** A load's kind of result (its colour and group); null in the dump panel. */
  returns: LoadReturns | null;
}

export interface HeadlinePanel {
  phase: string;
  n: number;
  /** Grouped by what the load returns (rows, columns, lazy), each group cheapest first. */
  bars: HeadlineBar[];
  refs: { label: string; mib: number }[];
  /** Lines under the panel's title: ties within the floor, dump cases not run. */
  notes: string[];
}

/** Width of the plot areas (px): two panels, their format labels and the legend fill a 1,300 px page; one panel takes it all. */
export const PLOT_WIDTH = 720;
/** Height of one format's row (px): 20, or 16 beyond 12 formats, so 23 formats still fit the first screen with the summary. */
export function rowStep(rows: number): number {
  return rows > 12 ? 16 : 20;
}

/** The colour of each kind of load result (the legend's). */
export const RETURNS_COLOR: Record<LoadReturns, string> = { rows: '#f28e2b', columns: '#59a14f', lazy: '#b07aa1' };
const DUMP_COLOR = '#4e79a7';

/** `a, b and c within 4 MiB` for each tie (cheapest or most expensive) of the phase's groups. */
function tieNotes(groups: readonly PhaseAnswer[], a: Answer): string[] {
  const within = floorText(a.floorBytes);
  const kind = (g: PhaseAnswer): string => (g.returns === null || groups.length === 1 ? '' : ` (${g.returns})`);
  return groups.flatMap((g) =>
    [g.cheapest, g.mostExpensive].filter((t) => t.length > 1).map((t) => `within ${within} of each other${kind(g)}: ${t.map((r) => r.codec).join(', ')}`),
  );
}

export function headlineData(report: Report): HeadlinePanel[] {
  const a = answer(report);
  const phases = [...new Set(a.phases.map((p) => p.phase))];
  return phases.map((phase) => {
    const groups = a.phases.filter((p) => p.phase === phase);
    const first = groups[0]!;
    return {
      phase,
      n: first.n,
      bars: groups.flatMap((g) =>
        g.ranked.map((r) => ({
          codec: r.codec,
          medianMiB: toMiB(headline(r.peak)),
          minMiB: toMiB(r.peak.min),
          maxMiB: toMiB(r.peak.max),
          label: `${formatMiB(headline(r.peak), { signed: true })}${r.xDataHeap === null ? '' : ` · ${formatRatio(r.xDataHeap)}`}`,
          runs: r.runs,
          returns: g.returns,
        })),
      ),
      refs: [
        ...(first.dataHeapBytes !== null ? [{ label: `data heap ${formatMiB(first.dataHeapBytes)}`, mib: toMiB(first.dataHeapBytes) }] : []),
        ...(first.intrinsicBytes !== null ? [{ label: `intrinsic ${formatMiB(first.intrinsicBytes)}`, mib: toMiB(first.intrinsicBytes) }] : []),
      ],
      notes: [...tieNotes(groups, a), ...(phase === 'dump' ? a.notRun.map((x) => `${x.codec}: no dump of its own (${x.dumpBy}'s dump writes its file)`) : [])],
    };
  });
}

/** What the legend says each kind is, short (the summary says more). */
export const LEGEND_TEXT: Record<LoadReturns, string> = {
  rows: 'rows: JavaScript values',
  columns: 'columns: typed arrays',
  lazy: 'lazy: decoded when read',
};

/** The legend's labels (a vega expression over the kind's name). */
const LEGEND_LABELS = LOAD_RETURNS.reduce((expr, k) => `datum.label === '${k}' ? '${LEGEND_TEXT[k]}' : ${expr}`, 'datum.label');

/** Characters per line of a panel's notes: about the width of a panel's plot at 10 px (vega overestimates text widths). */
const NOTE_CHARS = 62;

/** `text` in lines of at most `max` characters, broken after commas or spaces. */
export function wrap(text: string, max: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > max) {
      lines.push(line);
      line = `  ${word}`;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

export function headlineSpec(panels: readonly HeadlinePanel[]): TopLevelSpec {
  const all = panels.flatMap((p) => [...p.bars.map((b) => b.maxMiB), ...p.refs.map((r) => r.mib)]);
  const lo = Math.min(0, ...panels.flatMap((p) => p.bars.map((b) => b.minMiB)));
  // room right of the longest bar for its label (about a fifth of the axis)
  const hi = Math.max(1, ...all) * 1.28;
  const x = { type: 'quantitative' as const, scale: { domain: [lo, hi], nice: false }, title: 'extra peak RSS over the baseline (MiB)' };
  const rows = Math.max(...panels.map((p) => p.bars.length));
  const kinds = LOAD_RETURNS.filter((k) => panels.some((p) => p.bars.some((b) => b.returns === k)));
  // one colour per kind of load result, and a legend saying which is which
  const color = {
    field: 'returns',
    type: 'nominal' as const,
    scale: { domain: kinds, range: kinds.map((k) => RETURNS_COLOR[k]) },
    // right of the load panel (the plots are narrower by its width): no height taken from the first screen
    legend: { title: 'a load returns', orient: 'right' as const, labelExpr: LEGEND_LABELS, labelLimit: 260, offset: 8 },
  };
  const panel = (p: HeadlinePanel, i: number) => {
    const y = { field: 'codec', type: 'nominal' as const, sort: p.bars.map((b) => b.codec), title: null, axis: { labelFontSize: 12, labelLimit: 220 } };
    const colored = p.bars.some((b) => b.returns !== null);
    return {
      title: {
        text: `${p.phase} (${p.bars.length} formats)`,
        fontSize: 13,
        // short lines: a subtitle wider than the plot would push the other panel away
        ...(p.notes.length > 0 ? { subtitle: p.notes.flatMap((note) => wrap(note, NOTE_CHARS)), subtitleFontSize: 10 } : {}),
      },
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
          mark: { type: 'bar', height: { band: 0.7 }, ...(colored ? {} : { color: DUMP_COLOR }) },
          encoding: {
            y,
            x: { ...x, field: 'medianMiB' },
            ...(colored ? { color } : {}),
            tooltip: [
              { field: 'codec' },
              { field: 'label', title: 'median' },
              { field: 'minMiB', format: '.1f' },
              { field: 'maxMiB', format: '.1f' },
              { field: 'runs' },
              ...(colored ? [{ field: 'returns', title: 'load returns' }] : []),
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
    // what the bars, lines and dashes are is in the caption, below: the first screen has no height to spare
    title: { text: `Extra peak RSS per format${sameN && n !== undefined ? `, N = ${formatN(n)}` : ''}` },
    config: { ...BASE_CONFIG, axisY: { grid: false } },
    hconcat: panels.map(panel),
    // the load panel's colours and legend are its own (the dump panel has one colour)
    resolve: { scale: { color: 'independent' }, legend: { color: 'independent' } },
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
      `Loads are grouped by what they return (rows, then columns, then lazy views; colour and legend), each group sorted cheapest first; ` +
      `formats closer than compare's memory floor are named as a tie under the panel's title. Lossy and failed cases are not ranked (see the summary and the table).`,
    svg: await renderSvg(headlineSpec(panels)),
  };
}
