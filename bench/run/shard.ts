/**
 * `--shard K/N`: which planned cases one of N machines measures. The unit of the split is a
 * *shard key*: every phase of one codec at one N (a load reads the file its codec's dump wrote, and
 * judges the dump's file), and, in an interleaved matrix, every variant of it, so a comparison of
 * two variants is always within one machine. The key is made from the case key's fields minus the
 * phase: the dataset, the codec and N.
 *
 * The split is deterministic (every job computes the same one from the same flags): the units in
 * plan order, each given an expected cost, assigned longest first to the shard with the least cost
 * so far (the LPT rule: within 4/3 of the best balance), ties to the lower shard. Costs come from a
 * previous report's measured times (`--shard-timings`) or, without one, from an estimate: N × the
 * runs the unit needs (repeats × phases), since a run's time grows about with N and the codecs
 * differ less than the sizes do.
 */
import { createHash } from 'node:crypto';
import { InputError } from '../errors.js';
import type { DatasetRun, Phase, Report, ShardRecord, SuiteOptions } from '../types.js';
import { CLONE_VARIANTS, PHASES } from '../types.js';
import { type CaseId, caseKey, datasetPrefix } from './planned-case.js';

export { type CaseId, caseKey } from './planned-case.js';

/** `--shard K/N`, K counted from 1. */
export interface ShardSpec {
  index: number;
  count: number;
}

/** One shard's share of a plan, as the run uses it and the report records it (`Report.shard`, without `host`). */
export type ShardAssignment = Omit<ShardRecord, 'host'>;

/** A bad `--shard` or `--shard-timings`: one line, exit 2. */
export class ShardError extends InputError {
  override name = 'ShardError';
}

/** The shard key of a case: its case key without the phase (all phases, all variants in one shard). */
export function shardKey(c: Pick<CaseId, 'dataset' | 'codec' | 'n'>): string {
  return `${datasetPrefix(c.dataset)}${c.codec} n=${c.n}`;
}

/** Parse `K/N` (1 ≤ K ≤ N). */
export function parseShard(text: string): ShardSpec {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || !Number.isSafeInteger(index) || !Number.isSafeInteger(count) || count < 1 || index < 1 || index > count) {
    throw new ShardError(`--shard ${JSON.stringify(text)}: expected K/N with 1 ≤ K ≤ N, e.g. 2/3`);
  }
  return { index, count };
}

/** What a plan is made of: the same order as the orchestrator's (per dataset, per N, each codec's phases, then the clone variants). */
export interface PlanShape {
  /** The datasets in run order, each with its N. */
  datasets: readonly DatasetRun[];
  codecs: readonly string[];
  phases: readonly Phase[];
  /** False for --time-only: no memory cases. */
  memory?: boolean;
  /** Codecs whose files another codec's dump writes (`Codec.dumpBy`): no dump case of their own. */
  dumpBy?: Readonly<Record<string, string>>;
}

/**
 * The codec a case's unit is named after: the codec whose dump writes its files when that codec is
 * in the plan (its loads read that dump's files, so they share its shard), else its own.
 */
export function fileCodec(shape: Pick<PlanShape, 'codecs' | 'dumpBy'>, codec: string): string {
  const writer = shape.dumpBy?.[codec];
  return writer !== undefined && shape.codecs.includes(writer) ? writer : codec;
}

/** Every case of a plan, in report order. */
export function plannedCases(shape: PlanShape): CaseId[] {
  if (shape.memory === false) return [];
  const codecPhases = PHASES.filter((p) => p !== 'clone' && shape.phases.includes(p));
  const clones = shape.phases.includes('clone') ? CLONE_VARIANTS : [];
  const out: CaseId[] = [];
  for (const { name: dataset, n: ns } of shape.datasets) {
    for (const n of ns) {
      for (const codec of shape.codecs) {
        for (const phase of codecPhases) if (!(phase === 'dump' && shape.dumpBy?.[codec] !== undefined)) out.push({ dataset, codec, phase, n });
      }
      for (const codec of clones) out.push({ dataset, codec, phase: 'clone', n });
    }
  }
  return out;
}

/** SHA-256 of a list of case keys. */
export function planHash(keys: readonly string[]): string {
  return createHash('sha256').update(keys.join('\n')).digest('hex');
}

/** Measured ms per shard key from a previous report: the sum of its cases' runs (spawn to exit, else phase wall time). */
export function timingsFrom(report: Report): Map<string, number> {
  const out = new Map<string, number>();
  for (const c of report.cases) {
    const ms = c.timing?.totalMs ?? c.runs.reduce((s, r) => s + (r.wallMs ?? 0), 0);
    if (!(ms > 0)) continue;
    // per run, so a report of other repeats still ranks the units right
    const perRun = ms / Math.max(1, c.runs.length);
    const writer = report.codecs[c.codec]?.dumpBy;
    const k = shardKey({ dataset: c.dataset, codec: writer !== undefined && report.codecs[writer] ? writer : c.codec, n: c.n });
    out.set(k, (out.get(k) ?? 0) + perRun);
  }
  return out;
}

/**
 * A unit's measured ms per run from `timings`: its own, else the same codec's at the nearest other N
 * scaled by the ratio of the Ns (a run's time grows about with N), so a 1M report balances a 1e5 run.
 */
function measuredPerRun(ms: Map<string, number>, c: Pick<CaseId, 'dataset' | 'codec' | 'n'>): { ms: number; scaled: boolean } | undefined {
  const own = ms.get(shardKey(c));
  if (own !== undefined) return { ms: own, scaled: false };
  let best: { ms: number; n: number } | undefined;
  const unit = shardKey({ ...c, n: 0 }).slice(0, -' n=0'.length); // the same dataset and codec
  for (const [k, v] of ms) {
    const at = k.lastIndexOf(' n=');
    if (k.slice(0, at) !== unit) continue;
    const n = Number(k.slice(at + 3));
    if (!best || Math.abs(Math.log(n / c.n)) < Math.abs(Math.log(best.n / c.n))) best = { ms: v, n };
  }
  return best ? { ms: (best.ms * c.n) / best.n, scaled: true } : undefined;
}

/**
 * Split `shape` into `spec.count` shards and return shard `spec.index`'s share. `timings` (ms per
 * shard key and run, from `timingsFrom`) replace the estimate where they have the codec (at this N,
 * or scaled from another); a unit they lack is estimated at their mean ms per estimate unit, so both
 * kinds of cost are in one currency.
 */
export function assignShard(spec: ShardSpec, shape: PlanShape & { repeats: number }, timings?: { source: string; ms: Map<string, number> }): ShardAssignment {
  const cases = plannedCases(shape);
  const planned = cases.map(caseKey);
  // the units in plan order, with their cases
  const units = new Map<string, CaseId[]>();
  const unitOf = (c: CaseId): string => shardKey({ dataset: c.dataset, codec: fileCodec(shape, c.codec), n: c.n });
  for (const c of cases) units.set(unitOf(c), [...(units.get(unitOf(c)) ?? []), c]);
  const estimate = (members: CaseId[]): number => members.length * shape.repeats * members[0]!.n;
  const measured = new Map(
    [...units].flatMap(([k, m]) => {
      const got = timings && measuredPerRun(timings.ms, m[0]!);
      return got ? [[k, got] as const] : [];
    }),
  );
  let perEstimate = 1;
  const est = [...measured.keys()].reduce((s, k) => s + estimate(units.get(k)!), 0);
  if (est > 0) perEstimate = [...measured.values()].reduce((s, x) => s + x.ms * shape.repeats, 0) / est;
  const costOf = (k: string, members: CaseId[]): number => {
    const got = measured.get(k);
    return got !== undefined ? got.ms * shape.repeats : estimate(members) * perEstimate;
  };
  const scaled = [...measured.values()].filter((x) => x.scaled).length;
  const order = [...units].map(([k, members], i) => ({ k, i, cost: costOf(k, members) }));
  // longest first; equal costs keep plan order, so the split never depends on sort stability
  order.sort((a, b) => b.cost - a.cost || a.i - b.i);
  const load = new Array<number>(spec.count).fill(0);
  const owner = new Map<string, number>();
  for (const u of order) {
    let best = 0;
    for (let s = 1; s < spec.count; s++) if (load[s]! < load[best]!) best = s;
    load[best]! += u.cost;
    owner.set(u.k, best + 1);
  }
  return {
    ...spec,
    planned,
    planHash: planHash(planned),
    cases: cases.filter((c) => owner.get(unitOf(c)) === spec.index).map(caseKey),
    costSource: timings
      ? `timings of ${timings.source}: ${measured.size} of ${units.size} units${scaled > 0 ? ` (${scaled} scaled from another N)` : ''}, the rest estimated`
      : 'estimate (N × runs)',
    cost: load[spec.index - 1]!,
    totalCost: load.reduce((a, b) => a + b, 0),
  };
}

/** Whether the shard measures this case (no shard: every case). */
export function inShard(shard: Pick<ShardAssignment, 'cases'> | undefined, c: CaseId): boolean {
  return shard === undefined || shard.cases.includes(caseKey(c));
}

/**
 * The codecs whose throughput this shard measures: each codec's throughput goes with its unit of
 * the first dataset at its smallest N (throughput does not depend on N), so every codec is timed in
 * exactly one shard. Without memory cases (--time-only) the codecs are split round-robin in their order.
 */
export function throughputShare(shard: ShardAssignment | undefined, shape: PlanShape): string[] {
  if (!shard) return [...shape.codecs];
  const first = shape.datasets[0]!;
  const n = Math.min(...first.n);
  const at = (codec: string, phase: Phase): CaseId => ({ dataset: first.name, codec, phase, n });
  const planned = (codec: string, key: (p: Phase) => boolean): boolean =>
    PHASES.some((p) => p !== 'clone' && key(p) && shard.planned.includes(caseKey(at(codec, p))));
  // a codec with a case goes with it (any of its phases: a codec whose dump another writes has only a load);
  // without memory cases (--time-only, or phases of clone only) the codecs go round-robin in their order
  return shape.codecs.filter((codec, i) =>
    planned(codec, () => true) ? planned(codec, (p) => inShard(shard, at(codec, p))) : i % shard.count === shard.index - 1,
  );
}

/** Whether this shard measures the per-run one-off side measurements (sizeof): shard 1. */
export function ownsSingletons(shard: ShardSpec | undefined): boolean {
  return shard === undefined || shard.index === 1;
}

/** The options of a shard's throughput: only its share of the codecs (none: no throughput). */
export function throughputOptions<T extends SuiteOptions>(opts: T): T {
  if (!opts.shard || !opts.throughput) return opts;
  const codecs = throughputShare(opts.shard, opts);
  return codecs.length > 0 ? { ...opts, codecs } : { ...opts, codecs, throughput: undefined };
}
