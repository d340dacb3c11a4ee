/**
 * The case table's columns, defined once: the markdown report, the brief and
 * the HTML report all render their per-case tables from this list, so their
 * columns, labels and figures cannot drift apart. Adding a figure to every
 * table is one entry here.
 *
 * A column either belongs to the default table (the figures a reader needs to
 * answer "what does this format cost") or to the "more figures" table.
 */
import { seriesPhaseMaxBytes } from '../measure/sampler.js';
import type { CaseResult, DataSize, ImportCost, Report, RunMetric, Spread } from '../types.js';
import { headline, modesText } from '../results/modes.js';
import { median, metricSpread, relativeSpread } from '../results/summary.js';
import { dumpsByOthers, returnsOf } from './kinds.js';
import { formatCount, formatMiB, formatMs, formatPercent, formatRatio } from './units.js';

/** One table cell: its text, an optional spread shown after it, and the min/max behind it (HTML tooltip). */
export interface Cell {
  text: string;
  /** e.g. `±0.4%`: shown after the text in markdown, on a second line in HTML. */
  spread?: string;
  /** e.g. `min 200 MiB, max 204 MiB`. */
  title?: string;
  /** Draws attention (a case that is not ok, a run that did not verify). */
  strong?: boolean;
}

export interface Column {
  id: string;
  header: string;
  /** Right-aligned figure (HTML). */
  numeric: boolean;
  /** In the default table (true) or in the "more figures" one. */
  main: boolean;
  /** Identifying columns (format, phase, N) start both tables. */
  key?: boolean;
  /** Only for reports with more than one N. */
  multiNOnly?: boolean;
  cell(c: CaseResult, data: DataSize | undefined, report: Report): Cell;
}

const NONE: Cell = { text: '—' };

/** Cases with no runs (failed before measuring) show a dash for every figure. */
function measured(c: CaseResult): boolean {
  return c.runs.length > 0;
}

/** `±x%`: half the min-to-max range over the repeats, relative to the median; absent with one run or no spread. */
function plusMinus(c: CaseResult, s: Spread | null): string | undefined {
  if (!s || c.runs.length < 2) return undefined;
  const r = relativeSpread(s);
  if (!Number.isFinite(r)) return undefined;
  if (r === 0) return '±0%';
  return r / 2 < 0.0005 ? '±<0.1%' : formatPercent(r, { plusMinus: true }); // not "±0.0%" for a spread that is there
}

function figure(metric: RunMetric, fmt: (v: number) => string, withSpread: boolean, applies: (c: CaseResult) => boolean = () => true) {
  return (c: CaseResult): Cell => {
    if (!measured(c) || !applies(c)) return NONE;
    const s = metricSpread(c, metric);
    if (!s) return NONE;
    const cell: Cell = { text: fmt(headline(s)) };
    if (c.runs.length > 1 && s.min !== s.max) cell.title = `min ${fmt(s.min)}, max ${fmt(s.max)}`;
    // runs in modes: the upper one is the figure (what the phase must be given), each mode with its count beside it
    const pm = s.modes ? `upper of ${modesText(s.modes, fmt)}` : withSpread ? plusMinus(c, s) : undefined;
    if (pm) cell.spread = pm;
    return cell;
  };
}

const signedMiB = (v: number): string => formatMiB(v, { signed: true });
const plainMiB = (v: number): string => formatMiB(v);

function multiple(of: (d: DataSize) => number | null) {
  return (c: CaseResult, d: DataSize | undefined): Cell => {
    const s = measured(c) ? metricSpread(c, 'peakRssIncrementBytes') : null;
    const base = d ? of(d) : null;
    if (!s || !base) return { text: 'n/a' };
    return { text: formatRatio(headline(s) / base) };
  };
}

/** Worst relative gap, over a case's runs, between the series' in-phase maximum and the child's VmHWM peak. */
export function worstSeriesGap(c: CaseResult): number | null {
  let worst: number | null = null;
  for (const r of c.runs) {
    if (!r.series) continue;
    const max = seriesPhaseMaxBytes(r.series);
    if (max === null || r.peakRssBytes <= 0) continue;
    const gap = (max - r.peakRssBytes) / r.peakRssBytes;
    if (worst === null || Math.abs(gap) > Math.abs(worst)) worst = gap;
  }
  return worst;
}

/** `yes`, `no`, or the case's state when it is not ok. */
export function verifiedLabel(c: CaseResult): Cell {
  // an interrupted case keeps the runs it measured; --resume measures the rest
  const partial = c.incomplete ? ` (incomplete: ${c.runs.length} of the repeats)` : '';
  if (c.state !== 'ok') return { text: `${c.state}${partial}`, strong: true };
  if (c.runs.length === 0) return NONE;
  return c.runs.every((r) => r.verified) ? { text: `yes${partial}`, strong: !!partial } : { text: `no${partial}`, strong: true };
}

/** What importing the case's codec cost a fresh process (the report's codecs section), one figure of it. */
function importFigure(pick: (x: ImportCost) => number) {
  return (c: CaseResult, _d: DataSize | undefined, report: Report): Cell => {
    const cost = report.codecs[c.codec]?.importCost;
    return cost ? { text: signedMiB(pick(cost)), title: `import and init took ${formatMs(cost.ms)}` } : NONE;
  };
}

export const COLUMNS: readonly Column[] = [
  { id: 'format', header: 'format', numeric: false, main: true, key: true, cell: (c) => ({ text: c.codec }) },
  { id: 'phase', header: 'phase', numeric: false, main: true, key: true, cell: (c) => ({ text: c.phase }) },
  { id: 'n', header: 'N', numeric: true, main: true, key: true, multiNOnly: true, cell: (c) => ({ text: formatCount(c.n) }) },
  // what the load hands the application: loads of different kinds do not compare (bench/codecs/returns.ts)
  {
    id: 'returns',
    header: 'load returns',
    numeric: false,
    main: true,
    cell: (c, _d, report) => (c.phase === 'load' ? { text: returnsOf(report, c.codec) } : NONE),
  },
  { id: 'extraPeakRss', header: 'extra peak RSS ± spread', numeric: true, main: true, cell: figure('peakRssIncrementBytes', signedMiB, true) },
  { id: 'xDataHeap', header: '× data heap', numeric: true, main: true, cell: multiple((d) => d.heapBytes) },
  // the live heap: young-generation garbage left out (a schema-1 report did not measure it: —)
  { id: 'peakHeap', header: 'peak live heap Δ', numeric: true, main: true, cell: figure('peakHeapLiveIncrementBytes', signedMiB, false) },
  // a clone writes no file
  { id: 'fileSize', header: 'file size', numeric: true, main: true, cell: figure('fileBytes', plainMiB, false, (c) => c.phase !== 'clone') },
  { id: 'wallTime', header: 'wall time', numeric: true, main: true, cell: figure('wallMs', formatMs, true) },
  { id: 'verified', header: 'verified', numeric: false, main: true, cell: verifiedLabel },
  // how the uint64 fared, from the case's verification (bench/data/diff.ts), never declared by hand
  {
    id: 'uint64',
    header: 'uint64',
    numeric: false,
    main: true,
    cell: (c) => (c.uint64 === undefined ? NONE : { text: c.uint64, strong: c.uint64 !== 'exact' }),
  },
  { id: 'xIntrinsic', header: '× intrinsic', numeric: true, main: false, cell: multiple((d) => d.intrinsicBytes) },
  { id: 'peakExternal', header: 'peak external Δ', numeric: true, main: false, cell: figure('peakExternalIncrementBytes', signedMiB, false) },
  { id: 'retainedHeap', header: 'retained heap', numeric: true, main: false, cell: figure('retainedHeapBytes', signedMiB, false) },
  {
    id: 'rssAfterGc',
    header: 'RSS after phase + GC',
    numeric: true,
    main: false,
    cell: (c) => {
      // absolute in the runs: shown over each run's own baseline, like every other increment
      const values = c.runs.filter((r) => typeof r.rssAfterGcBytes === 'number').map((r) => r.rssAfterGcBytes! - r.baselineRssBytes);
      return values.length === 0 ? NONE : { text: signedMiB(median(values)) };
    },
  },
  { id: 'cpuTime', header: 'CPU time', numeric: true, main: false, cell: figure('cpuMs', formatMs, false) },
  // not in any phase figure: each child imports its codec before its baseline (the method notes say why)
  { id: 'importRss', header: 'import: RSS', numeric: true, main: false, cell: importFigure((x) => x.rssBytes) },
  { id: 'importHeap', header: 'import: heap', numeric: true, main: false, cell: importFigure((x) => x.heapBytes) },
  { id: 'importExternal', header: 'import: external', numeric: true, main: false, cell: importFigure((x) => x.externalBytes) },
  {
    id: 'seriesGap',
    header: 'sampled max vs VmHWM',
    numeric: true,
    main: false,
    cell: (c) => {
      const gap = worstSeriesGap(c);
      return gap === null ? NONE : { text: formatPercent(Math.abs(gap) < 0.0005 ? 0 : gap, { signed: true }) };
    },
  },
  { id: 'runs', header: 'runs', numeric: true, main: false, cell: (c) => ({ text: String(c.runs.length) }) },
];

export type TableKind = 'main' | 'more';

/** The columns of the default ('main') or the 'more figures' table of a report; both start with the key columns. */
export function tableColumns(report: Report, kind: TableKind): Column[] {
  const multiN = new Set([...report.config.n, ...report.cases.map((c) => c.n)]).size > 1;
  return COLUMNS.filter((col) => (!col.multiNOnly || multiN) && (col.key || col.main === (kind === 'main')));
}

/** A table row: its cells, and the case's state (`not-run` for a dump case the suite does not run). */
export interface TableRow {
  cells: Cell[];
  state: CaseResult['state'] | 'not-run';
}

/**
 * One row per case, in the given columns, and one for each dump case not run (a codec whose files
 * another codec's dump writes, `dumpBy`): right before the codec's first case at that N, saying whose
 * dump it is, so that no case is silently missing.
 */
export function tableRows(report: Report, columns: readonly Column[], cases: readonly CaseResult[] = report.cases): TableRow[] {
  const notRun = report.config.phases.includes('dump') ? dumpsByOthers(report) : [];
  const rows: TableRow[] = [];
  const shown = new Set<string>();
  for (const c of cases) {
    const by = notRun.find((x) => x.codec === c.codec)?.dumpBy;
    if (by !== undefined && !shown.has(`${c.codec}:${c.n}`)) {
      shown.add(`${c.codec}:${c.n}`);
      rows.push({ cells: notRunCells(columns, c.codec, c.n, by), state: 'not-run' });
    }
    const d = report.data.find((x) => x.n === c.n);
    rows.push({ cells: columns.map((col) => col.cell(c, d, report)), state: c.state });
  }
  return rows;
}

/** The row of a dump case not run: its key cells, then where its figures are. */
function notRunCells(columns: readonly Column[], codec: string, n: number, dumpBy: string): Cell[] {
  const key: Record<string, string> = { format: codec, phase: 'dump', n: formatCount(n) };
  let said = false;
  return columns.map((col) => {
    if (col.key) return { text: key[col.id] ?? '—' };
    if (said) return NONE;
    said = true;
    return { text: `not run: ${dumpBy}'s dump writes its file (see ${dumpBy})` };
  });
}
