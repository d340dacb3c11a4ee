/**
 * The answer on the first screen: the question in one line, then a summary
 * generated from the measured figures: for dump, and for load apart for each
 * kind of result (rows, columns, lazy views: what the load returns, declared
 * by the codec, bench/codecs/returns.ts), the cheapest and the most expensive
 * format with their extra peak RSS and its multiple of the data's heap;
 * formats that differ by less than compare's memory floor are named together
 * as a tie, not one of them as the winner; which formats were lossy, which
 * cases did not complete, and which were not run (a codec whose files another
 * codec's dump writes has no dump of its own).
 *
 * `answer()` picks the figures (pure, tested on synthetic results);
 * `renderAnswerMarkdown()` words them. The HTML report renders the same
 * markdown, so the two reports say the same thing.
 */
import { TUPLES } from './datasets.js';
import { DEFAULT_THRESHOLDS } from '../compare/compare.js';
import type { CaseState, LoadReturns, Phase, Report, Spread } from '../types.js';
import { LOAD_RETURNS } from '../types.js';
import { headline, modesText } from '../results/modes.js';
import { metricSpread } from '../results/summary.js';
import { dumpsByOthers, returnsOf } from './kinds.js';
import { formatCount, formatMiB, formatRatio } from './units.js';

export const QUESTION = 'How much extra memory does it take to dump the data to a file, and to load it back, in each format?';

/** The phases the answer ranks formats in (clone compares copy methods, not formats: it has its own table). */
export const ANSWER_PHASES: readonly Phase[] = ['dump', 'load'];

/** How the summary and the chart name each kind of load result. */
export const RETURNS_LABEL: Record<LoadReturns, { title: string; what: string }> = {
  rows: { title: 'load into rows', what: 'JavaScript values, used as they are' },
  columns: { title: 'load into columns', what: 'typed arrays: no value built per record' },
  lazy: { title: 'load into a lazy view', what: 'values decoded only when read' },
};

export interface RankedFormat {
  codec: string;
  /** Extra peak RSS (bytes): median, min, max over the repeats. */
  peak: Spread;
  /** peak.median / the data's measured heap; null when the heap was not measured. */
  xDataHeap: number | null;
  runs: number;
  /** What the codec's load returns. */
  returns: LoadReturns;
}

export interface PhaseAnswer {
  phase: Phase;
  /** For a load: the kind of result these formats return (each kind is ranked apart); null for a dump. */
  returns: LoadReturns | null;
  n: number;
  /** Formats whose case is ok at this N, cheapest first. */
  ranked: RankedFormat[];
  /** The cheapest format and every other within the floor of it: a tie when more than one. */
  cheapest: RankedFormat[];
  /** The most expensive format and every other within the floor of it (none of `cheapest`). */
  mostExpensive: RankedFormat[];
  dataHeapBytes: number | null;
  intrinsicBytes: number | null;
}

export interface CaseRef {
  codec: string;
  phase: Phase;
  n: number;
  state: CaseState;
}

export interface Answer {
  phases: PhaseAnswer[];
  /** Cases whose data did not come back exactly: never ranked. */
  lossy: CaseRef[];
  /** Cases that failed, ran out of memory or timed out. */
  notCompleted: CaseRef[];
  /** Dump cases not run: the codec's files are written by another codec's dump (`dumpBy`). */
  notRun: { codec: string; dumpBy: string }[];
  repeats: number;
  /** Formats closer than this (bytes) are a tie: compare's memory floor, below which it calls no change. */
  floorBytes: number;
}

/** Ranks each answer phase's ok formats at the largest N where that phase has any; loads apart per kind of result. */
export function answer(report: Report, floorBytes: number = DEFAULT_THRESHOLDS.memoryFloorBytes): Answer {
  const phases: PhaseAnswer[] = [];
  for (const phase of ANSWER_PHASES) {
    const ok = report.cases.filter((c) => c.phase === phase && c.state === 'ok' && c.runs.length > 0);
    if (ok.length === 0) continue;
    const n = Math.max(...ok.map((c) => c.n));
    const data = report.data.find((d) => d.n === n);
    const heap = data?.heapBytes ?? null;
    const all = ok
      .filter((c) => c.n === n)
      .map((c): RankedFormat | null => {
        const peak = metricSpread(c, 'peakRssIncrementBytes');
        return peak ? { codec: c.codec, peak, xDataHeap: heap ? headline(peak) / heap : null, runs: c.runs.length, returns: returnsOf(report, c.codec) } : null;
      })
      .filter((r): r is RankedFormat => r !== null)
      .sort((a, b) => headline(a.peak) - headline(b.peak) || a.codec.localeCompare(b.codec));
    const groups: [LoadReturns | null, RankedFormat[]][] = phase === 'load' ? LOAD_RETURNS.map((k) => [k, all.filter((r) => r.returns === k)]) : [[null, all]];
    for (const [returns, ranked] of groups) {
      if (ranked.length === 0) continue;
      const lo = headline(ranked[0]!.peak);
      const hi = headline(ranked[ranked.length - 1]!.peak);
      const cheapest = ranked.filter((r) => headline(r.peak) - lo < floorBytes);
      const mostExpensive = ranked.filter((r) => hi - headline(r.peak) < floorBytes && !cheapest.includes(r));
      phases.push({ phase, returns, n, ranked, cheapest, mostExpensive, dataHeapBytes: heap, intrinsicBytes: data?.intrinsicBytes ?? null });
    }
  }
  const ref = (c: Report['cases'][number]): CaseRef => ({ codec: c.codec, phase: c.phase, n: c.n, state: c.state });
  const ran = new Set(report.cases.map((c) => c.codec));
  return {
    phases,
    lossy: report.cases.filter((c) => c.state === 'lossy').map(ref),
    notCompleted: report.cases.filter((c) => c.state === 'failed' || c.state === 'oom' || c.state === 'timeout').map(ref),
    notRun: report.config.phases.includes('dump') ? dumpsByOthers(report).filter((x) => ran.has(x.codec)) : [],
    repeats: report.config.repeats,
    floorBytes,
  };
}

function multiple(r: RankedFormat): string {
  return r.xDataHeap === null ? '' : ` (${formatRatio(r.xDataHeap)} the data's heap)`;
}

function figure(r: RankedFormat): string {
  // a figure in modes is given by its upper mode: what the phase must be given
  const modes = r.peak.modes ? ` (the upper of ${r.peak.modes.length} modes: ${modesText(r.peak.modes, (v) => formatMiB(v))})` : '';
  return `\`${r.codec}\` at ${formatMiB(headline(r.peak), { signed: true })}${modes}${multiple(r)}`;
}

/** `a`, `a and b`, `a, b and c`. */
function andList(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** One format with its figure, or a tie: the formats, "within 4 MiB of each other", and their range. */
function group(g: readonly RankedFormat[], floorBytes: number): string {
  if (g.length === 1) return figure(g[0]!);
  const first = g[0]!;
  const last = g[g.length - 1]!;
  const ratios =
    first.xDataHeap === null || last.xDataHeap === null
      ? ''
      : formatRatio(first.xDataHeap) === formatRatio(last.xDataHeap)
        ? `, ${formatRatio(first.xDataHeap)} the data's heap`
        : `, ${formatRatio(first.xDataHeap).replace(/×$/, '')}-${formatRatio(last.xDataHeap)} the data's heap`;
  const lo = formatMiB(headline(first.peak), { signed: true });
  const hi = formatMiB(headline(last.peak), { signed: true });
  return `${andList(g.map((r) => `\`${r.codec}\``))}, within ${floorText(floorBytes)} of each other (${lo === hi ? lo : `${lo} to ${hi}`}${ratios})`;
}

/** The floor as the summary says it: `4 MiB` for a whole number of MiB. */
export function floorText(floorBytes: number): string {
  const mib = floorBytes / 1024 / 1024;
  return Number.isInteger(mib) ? `${mib} MiB` : formatMiB(floorBytes);
}

function phaseLine(p: PhaseAnswer, a: Answer, multiN: boolean): string {
  const at = multiN ? ` at N = ${formatCount(p.n)}` : '';
  const label = p.returns === null ? p.phase : RETURNS_LABEL[p.returns].title;
  const notes = [
    p.returns === null ? null : RETURNS_LABEL[p.returns].what,
    p.ranked.length === 1 ? null : `${p.ranked.length} formats`,
    ...(p.phase === 'dump' ? a.notRun.map((x) => `\`${x.codec}\` writes \`${x.dumpBy}\`'s file: no dump of its own`) : []),
  ].filter((x): x is string => x !== null);
  const head = `- **${label}**${at}${notes.length > 0 ? ` (${notes.join('; ')})` : ''}`;
  if (p.ranked.length === 1) return `${head}: only ${figure(p.ranked[0]!)} completed.`;
  if (p.cheapest.length === p.ranked.length) return `${head}: ${group(p.cheapest, a.floorBytes)}.`;
  return `${head}: cheapest ${group(p.cheapest, a.floorBytes)}; most expensive ${group([...p.mostExpensive].reverse(), a.floorBytes)}.`;
}

function caseList(refs: readonly CaseRef[], multiN: boolean, withState: boolean): string {
  return refs.map((c) => `\`${c.codec}\` ${c.phase}${multiN ? ` at N = ${formatCount(c.n)}` : ''}${withState ? ` (${c.state})` : ''}`).join(', ');
}

/** The question, a line on what the figures are, and the summary as a markdown list. */
export function renderAnswerMarkdown(report: Report, a: Answer = answer(report), opts: { question?: boolean } = {}): string {
  const ns = [...new Set(a.phases.map((p) => p.n))];
  const multiN = new Set(report.cases.map((c) => c.n)).size > 1;
  const data = ns.length === 1 ? report.data.find((d) => d.n === ns[0]) : undefined;
  const dataNote = data
    ? ` The data: N = ${formatCount(data.n)} ${data.dataset === TUPLES ? 'tuples' : `${data.dataset} records`}, ${data.heapBytes === null ? 'heap not measured' : `${formatMiB(data.heapBytes)} in V8's heap`}, ${formatMiB(data.intrinsicBytes)} intrinsic.`
    : '';
  const added = report.cases.filter((c) => (c.addedRuns ?? 0) > 0);
  const most = Math.max(0, ...added.map((c) => c.runs.length));
  const more =
    added.length === 0
      ? ''
      : ` (up to ${most} for the ${added.length === 1 ? 'case' : `${added.length} cases`} whose runs fell in modes: the upper mode is the figure)`;
  const runs = `${a.repeats === 1 ? 'one fresh process per case (one run shows neither a spread nor modes: --repeats 3 does)' : `median of ${a.repeats} fresh processes per case`}${more}`;
  const kinds = new Set(a.phases.map((p) => p.returns).filter((k) => k !== null));
  const apart = kinds.size > 1 ? ' Loads are ranked apart by what they return: a load into columns or a lazy view builds no value per record.' : '';
  const lines = [
    ...(opts.question === false ? [] : [`**${QUESTION}**`, '']),
    `Extra peak RSS: the phase's peak over the process's own baseline, ${runs}.${dataNote}${apart}`,
    '',
  ];
  if (a.phases.length === 0) lines.push('- No dump or load case finished ok: nothing to rank.');
  for (const p of a.phases) lines.push(phaseLine(p, a, multiN && ns.length > 1));
  lines.push(`- **Lossy** (the data did not come back exactly; not ranked): ${a.lossy.length === 0 ? 'none' : caseList(a.lossy, multiN, false)}.`);
  if (a.notCompleted.length > 0) lines.push(`- **Did not complete**: ${caseList(a.notCompleted, multiN, true)}.`);
  return lines.join('\n');
}
