/**
 * "Does the ranking hold for your shape?" (issue 24): one row per format; for dump and for load one
 * column per dataset, holding the format's extra peak RSS as a multiple of that dataset's data memory
 * (its live heap plus its external memory, at the dataset's largest N) and the format's rank in the
 * column, or the case's state when it has no figure (n/a, lossy, failed, oom, timeout). Loads are
 * ranked apart by what they return (issue 22): a load into columns or a lazy view is marked † and
 * ranked among its own kind. Under the table, per phase, Kendall's τ between the first dataset's
 * ranking and each other's, and the formats whose rank moves by MOVE_PLACES or more.
 *
 * `crossDataset()` picks the figures (pure); `renderCrossDatasetMarkdown()` words them.
 */
import type { LoadReturns, Phase, Report } from '../types.js';
import { DEFAULT_THRESHOLDS } from '../compare/compare.js';
import { headline } from '../results/modes.js';
import { metricSpread } from '../results/summary.js';
import { returnsOf } from './kinds.js';
import { columnsOf, markdownTable } from './table.js';
import { floorText } from './answer.js';
import { formatRatio } from './units.js';

/**
 * A rank that moves by this many places between datasets, or by a third of the formats ranked in the phase if
 * that is more, is named under the table: with twenty formats and ties, five places named nearly every format.
 */
export const MOVE_PLACES = 5;

/** The places a rank must move to be named, for a phase ranking `formats` formats in its largest column. */
export const movePlaces = (formats: number): number => Math.max(MOVE_PLACES, Math.ceil(formats / 3));
const PHASES: readonly Phase[] = ['dump', 'load'];

export interface CrossCell {
  /** `ok`, or the case's state; `not run` when the report has no such case. */
  state: string;
  /** Extra peak RSS ÷ the data's memory; null without an ok figure or a measured data memory. */
  x: number | null;
  /** 1 = cheapest of its column (and kind, for loads); null when not ranked. */
  rank: number | null;
  /** A load that returns columns or a lazy view: ranked apart. */
  apart: boolean;
}

export interface CrossRow {
  codec: string;
  /** By `${phase}:${dataset}`. */
  cells: Record<string, CrossCell>;
  /** Mean of the ranks among rows (dumps, loads into rows); null when none. */
  meanRank: number | null;
}

export interface RankAgreement {
  phase: Phase;
  /** The dataset compared with the first one. */
  dataset: string;
  /** Kendall's τ-b over the formats ranked in both; null for fewer than 3. */
  tau: number | null;
  formats: number;
}

export interface RankMove {
  phase: Phase;
  codec: string;
  /** The format's rank and multiple on each dataset where it was ranked. */
  ranks: { dataset: string; rank: number; x: number }[];
}

export interface CrossTable {
  datasets: string[];
  phases: Phase[];
  /** Formats whose extra peak RSS is within this of the first of their group share its rank. */
  floorBytes: number;
  rows: CrossRow[];
  agreement: RankAgreement[];
  /** Per phase, the places a rank had to move to be named (movePlaces). */
  movePlaces: Partial<Record<Phase, number>>;
  moves: RankMove[];
}

export const cellKey = (phase: Phase, dataset: string): string => `${phase}:${dataset}`;

/**
 * Kendall's τ-b of two paired samples (ties in either corrected for). Written out here: no maintained
 * npm package offers it (the suite's @stdlib parts do not), and it is a dozen lines over at most a few
 * dozen formats.
 */
export function kendallTauB(a: readonly number[], b: readonly number[]): number | null {
  const n = a.length;
  if (n < 3 || b.length !== n) return null;
  let concordant = 0;
  let discordant = 0;
  let tiesA = 0;
  let tiesB = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const da = Math.sign(a[i]! - a[j]!);
      const db = Math.sign(b[i]! - b[j]!);
      if (da === 0 && db === 0) continue;
      if (da === 0) tiesA++;
      else if (db === 0) tiesB++;
      else if (da === db) concordant++;
      else discordant++;
    }
  }
  const denominator = Math.sqrt((concordant + discordant + tiesA) * (concordant + discordant + tiesB));
  return denominator === 0 ? null : (concordant - discordant) / denominator;
}

/** The table, or null for a report of fewer than two datasets. Formats within `floorBytes` of each other share a rank. */
export function crossDataset(report: Report, floorBytes: number = DEFAULT_THRESHOLDS.memoryFloorBytes): CrossTable | null {
  const datasets = report.config.datasets.map((d) => d.name).filter((name) => report.cases.some((c) => c.dataset === name));
  if (datasets.length < 2) return null;
  const phases = PHASES.filter((p) => report.cases.some((c) => c.phase === p));
  const codecs = [...new Set(report.cases.filter((c) => phases.includes(c.phase)).map((c) => c.codec))];
  const cells = new Map<string, Map<string, CrossCell>>(codecs.map((c) => [c, new Map()]));
  for (const dataset of datasets) {
    const n = Math.max(...report.cases.filter((c) => c.dataset === dataset).map((c) => c.n));
    const data = report.data.find((d) => d.dataset === dataset && d.n === n);
    const memory = data?.heapBytes == null ? null : data.heapBytes + (data.externalBytes ?? 0);
    for (const phase of phases) {
      const figures: { codec: string; peak: number; kind: LoadReturns }[] = [];
      for (const codec of codecs) {
        const c = report.cases.find((x) => x.dataset === dataset && x.phase === phase && x.codec === codec && x.n === n);
        const spread = c?.state === 'ok' ? metricSpread(c, 'peakRssIncrementBytes') : null;
        const kind: LoadReturns = phase === 'load' ? returnsOf(report, codec) : 'rows';
        const cell: CrossCell = { state: c ? c.state : 'not run', x: null, rank: null, apart: kind !== 'rows' };
        if (spread) {
          const peak = headline(spread);
          cell.x = memory ? peak / memory : null;
          figures.push({ codec, peak, kind });
        }
        cells.get(codec)!.set(cellKey(phase, dataset), cell);
      }
      for (const kind of new Set(figures.map((f) => f.kind))) {
        const ranked = figures.filter((f) => f.kind === kind).sort((x, y) => x.peak - y.peak || x.codec.localeCompare(y.codec));
        // a difference under the floor is not one (compare's memory floor, as the first screen's ties): a format's
        // rank is one more than the formats at least the floor cheaper than it, so no rank, τ or move rests on
        // noise. (Ties are not transitive: 1.0, 4.9 and 5.1 MiB rank 1, 1 and 2; grouping from the first of a
        // run of ties instead ranked 4.9 and 5.1 apart by two places.)
        for (const f of ranked) {
          const clearlyCheaper = ranked.filter((g) => f.peak - g.peak >= floorBytes).length;
          cells.get(f.codec)!.get(cellKey(phase, dataset))!.rank = clearlyCheaper + 1;
        }
      }
    }
  }
  const rows: CrossRow[] = codecs.map((codec) => {
    const own = cells.get(codec)!;
    const rowRanks = [...own.values()].filter((c) => c.rank !== null && !c.apart).map((c) => c.rank!);
    return {
      codec,
      cells: Object.fromEntries(own),
      meanRank: rowRanks.length === 0 ? null : rowRanks.reduce((s, r) => s + r, 0) / rowRanks.length,
    };
  });
  rows.sort((a, b) => (a.meanRank ?? Number.POSITIVE_INFINITY) - (b.meanRank ?? Number.POSITIVE_INFINITY) || a.codec.localeCompare(b.codec));

  const [first, ...others] = datasets as [string, ...string[]];
  const agreement: RankAgreement[] = [];
  const moves: RankMove[] = [];
  const placesBy: Partial<Record<Phase, number>> = {};
  for (const phase of phases) {
    const rankedRow = (r: CrossRow, d: string): CrossCell | null => {
      const c = r.cells[cellKey(phase, d)];
      return c && c.rank !== null && !c.apart && c.x !== null ? c : null;
    };
    for (const dataset of others) {
      const both = rows.filter((r) => rankedRow(r, first) && rankedRow(r, dataset));
      agreement.push({
        phase,
        dataset,
        tau: kendallTauB(
          both.map((r) => rankedRow(r, first)!.rank!),
          both.map((r) => rankedRow(r, dataset)!.rank!),
        ),
        formats: both.length,
      });
    }
    const places = movePlaces(Math.max(...datasets.map((d) => rows.filter((r) => rankedRow(r, d)).length)));
    placesBy[phase] = places;
    for (const r of rows) {
      const ranks = datasets.flatMap((d) => {
        const c = rankedRow(r, d);
        return c ? [{ dataset: d, rank: c.rank!, x: c.x! }] : [];
      });
      if (ranks.length >= 2 && Math.max(...ranks.map((x) => x.rank)) - Math.min(...ranks.map((x) => x.rank)) >= places)
        moves.push({ phase, codec: r.codec, ranks });
    }
  }
  return { datasets, phases, floorBytes, rows, agreement, movePlaces: placesBy, moves };
}

function cellText(c: CrossCell | undefined): string {
  if (!c) return '';
  if (c.state !== 'ok') return c.state;
  const x = c.x === null ? 'ok' : formatRatio(c.x);
  return c.rank === null ? x : `${x} #${c.rank}${c.apart ? '†' : ''}`;
}

/** The section: heading, one sentence on the figures, the table, τ and the moves. */
export function renderCrossDatasetMarkdown(t: CrossTable, level = 2): string {
  const head = [`${'#'.repeat(level)} Does the ranking hold for your shape?`, ''];
  const intro =
    'Extra peak RSS as a multiple of the data’s memory (its heap and external memory, at each dataset’s largest N), and each format’s rank in its column (#1 the cheapest; ' +
    `a format’s rank is one more than the number of formats at least ${floorText(t.floorBytes)} cheaper: a smaller difference is not one). ` +
    'Loads into columns or a lazy view (†) are ranked apart: they build no value per record. Rows are sorted by mean rank.';
  const columns = t.phases.flatMap((p) => t.datasets.map((d) => ({ key: cellKey(p, d), title: `${p}: ${d}` })));
  const table = markdownTable(
    columnsOf(['format', ...columns.map((c) => c.title)], (_, i) => i > 0),
    t.rows.map((r) => [`\`${r.codec}\``, ...columns.map((c) => cellText(r.cells[c.key]))]),
  );
  const notes: string[] = [];
  for (const phase of t.phases) {
    const ag = t.agreement.filter((a) => a.phase === phase);
    if (ag.length > 0)
      notes.push(
        `- **${phase}**: Kendall’s τ of each dataset’s ranking against \`${t.datasets[0]}\`’s (1 = the same order, 0 = unrelated): ${ag
          .map((a) => `\`${a.dataset}\` ${a.tau !== null ? a.tau.toFixed(2) : a.formats < 3 ? 'n/a' : 'n/a: the ranks all tie'} (${a.formats} formats)`)
          .join(', ')}.`,
      );
    const places = t.movePlaces[phase] ?? MOVE_PLACES;
    const moves = t.moves.filter((x) => x.phase === phase);
    const bar = `${places} places or more (a third of the formats ranked, at least ${MOVE_PLACES})`;
    if (moves.length === 0) notes.push(`- No format’s ${phase} rank moves by ${bar} between datasets.`);
    else notes.push(`- ${phase}: the formats whose rank moves by ${bar}:`);
    for (const m of moves) notes.push(`  - \`${m.codec}\`: ${m.ranks.map((r) => `#${r.rank} on ${r.dataset} (${formatRatio(r.x)})`).join(', ')}.`);
  }
  return [...head, intro, '', table, '', ...notes, ''].join('\n');
}
