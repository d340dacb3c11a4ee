/**
 * The answer on the first screen: the question in one line, then a summary
 * generated from the measured figures (for dump and for load, the cheapest
 * and the most expensive format with their extra peak RSS and its multiple of
 * the data's heap; which formats were lossy; which cases did not complete).
 *
 * `answer()` picks the figures (pure, tested on synthetic results);
 * `renderAnswerMarkdown()` words them. The HTML report renders the same
 * markdown, so the two reports say the same thing.
 */
import type { CaseState, Phase, Report, Spread } from '../types.js';
import { headline, modesText } from '../results/modes.js';
import { metricSpread } from '../results/summary.js';
import { formatCount, formatMiB, formatRatio } from './units.js';

export const QUESTION = 'How much extra memory does it take to dump the data to a file, and to load it back, in each format?';

/** The phases the answer ranks formats in (clone compares copy methods, not formats: it has its own table). */
export const ANSWER_PHASES: readonly Phase[] = ['dump', 'load'];

export interface RankedFormat {
  codec: string;
  /** Extra peak RSS (bytes): median, min, max over the repeats. */
  peak: Spread;
  /** peak.median / the data's measured heap; null when the heap was not measured. */
  xDataHeap: number | null;
  runs: number;
}

export interface PhaseAnswer {
  phase: Phase;
  n: number;
  /** Formats whose case is ok at this N, cheapest first. */
  ranked: RankedFormat[];
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
  repeats: number;
}

/** Ranks each answer phase's ok formats at the largest N where that phase has any. */
export function answer(report: Report): Answer {
  const phases: PhaseAnswer[] = [];
  for (const phase of ANSWER_PHASES) {
    const ok = report.cases.filter((c) => c.phase === phase && c.state === 'ok' && c.runs.length > 0);
    if (ok.length === 0) continue;
    const n = Math.max(...ok.map((c) => c.n));
    const data = report.data.find((d) => d.n === n);
    const heap = data?.heapBytes ?? null;
    const ranked = ok
      .filter((c) => c.n === n)
      .map((c): RankedFormat | null => {
        const peak = metricSpread(c, 'peakRssIncrementBytes');
        return peak ? { codec: c.codec, peak, xDataHeap: heap ? headline(peak) / heap : null, runs: c.runs.length } : null;
      })
      .filter((r): r is RankedFormat => r !== null)
      .sort((a, b) => headline(a.peak) - headline(b.peak) || a.codec.localeCompare(b.codec));
    if (ranked.length > 0) phases.push({ phase, n, ranked, dataHeapBytes: heap, intrinsicBytes: data?.intrinsicBytes ?? null });
  }
  const ref = (c: Report['cases'][number]): CaseRef => ({ codec: c.codec, phase: c.phase, n: c.n, state: c.state });
  return {
    phases,
    lossy: report.cases.filter((c) => c.state === 'lossy').map(ref),
    notCompleted: report.cases.filter((c) => c.state === 'failed' || c.state === 'oom' || c.state === 'timeout').map(ref),
    repeats: report.config.repeats,
  };
}

function figure(r: RankedFormat): string {
  const multiple = r.xDataHeap === null ? '' : ` (${formatRatio(r.xDataHeap)} the data's heap)`;
  // a figure in modes is given by its upper mode: what the phase must be given
  const modes = r.peak.modes ? ` (the upper of ${r.peak.modes.length} modes: ${modesText(r.peak.modes, (v) => formatMiB(v))})` : '';
  return `\`${r.codec}\` at ${formatMiB(headline(r.peak), { signed: true })}${modes}${multiple}`;
}

function phaseLine(p: PhaseAnswer, multiN: boolean): string {
  const at = multiN ? ` at N = ${formatCount(p.n)}` : '';
  const first = p.ranked[0]!;
  const last = p.ranked[p.ranked.length - 1]!;
  if (p.ranked.length === 1) return `- **${p.phase}**${at}: only ${figure(first)} completed.`;
  return `- **${p.phase}**${at} (${p.ranked.length} formats): cheapest ${figure(first)}; most expensive ${figure(last)}.`;
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
    ? ` The data: N = ${formatCount(data.n)} tuples, ${data.heapBytes === null ? 'heap not measured' : `${formatMiB(data.heapBytes)} in V8's heap`}, ${formatMiB(data.intrinsicBytes)} intrinsic.`
    : '';
  const runs = a.repeats === 1 ? 'one fresh process per case' : `median of ${a.repeats} fresh processes per case`;
  const lines = [
    ...(opts.question === false ? [] : [`**${QUESTION}**`, '']),
    `Extra peak RSS: the phase's peak over the process's own baseline, ${runs}.${dataNote}`,
    '',
  ];
  if (a.phases.length === 0) lines.push('- No dump or load case finished ok: nothing to rank.');
  for (const p of a.phases) lines.push(phaseLine(p, multiN && ns.length > 1));
  lines.push(`- **Lossy** (the data did not come back exactly; not ranked): ${a.lossy.length === 0 ? 'none' : caseList(a.lossy, multiN, false)}.`);
  if (a.notCompleted.length > 0) lines.push(`- **Did not complete**: ${caseList(a.notCompleted, multiN, true)}.`);
  return lines.join('\n');
}
