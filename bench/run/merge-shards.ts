/**
 * `footprint merge`: one report from the reports of the shards of one plan (`--shard K/N`,
 * bench/run/shard.ts). Pure: reports in, a report out; the CLI reads and writes the files.
 *
 * The shards must be of one configuration (config, Node and its flags, git commit, package
 * versions, codecs, and the same interleaved variant for a matrix's per-variant reports), each
 * shard at most once, no case measured twice, and no planned case missing (unless `allowPartial`,
 * which records the missing cases in `merged.partial`). Every problem is a MergeError: one line.
 *
 * Each case keeps the machine that measured it: `case.shard` names its shard, whose environment
 * is in `merged.shards`. The top-level environment is the lowest shard's (all shards agree on
 * everything merge checks; the machine fields may differ, and compare warns per case where they do).
 */
import { createHash } from 'node:crypto';
import { withMeasurement } from '../sizeof/measure.js';
import { InputError } from '../errors.js';
import { median } from '../results/summary.js';
import { dataExternalBytes } from '../results/datasets.js';
import type { CaseResult, Interleaving, MergedShard, Report, ShardRecord, ThroughputRow } from '../types.js';
import { priorDataHeap } from './resume.js';
import { DEFAULT_DATASET } from '../data/registry.js';
import { caseKey } from './shard.js';

/** Shards that cannot be merged: one line, exit 2. */
export class MergeError extends InputError {
  override name = 'MergeError';
}

export interface ShardInput {
  /** The path as given (named in messages and recorded in `merged.shards`). */
  source: string;
  report: Report;
}

const json = (v: unknown): string => JSON.stringify(v);
const name = (s: Pick<ShardRecord, 'index' | 'count'>): string => `shard ${s.index}/${s.count}`;

/** What must be equal between two shards of one plan, by label. */
function signature(r: Report): [string, string][] {
  const e = r.environment;
  const { jobs: _jobs, ...config } = r.config; // --jobs changes wall times only, and a shard's runner may have another core count
  return [
    ['configuration (seed, N, repeats, codecs, phases, limits, sampling, sides)', json(config)],
    ['codecs', json(Object.keys(r.codecs))],
    ['Node', `${e.runtime?.name ?? 'node'} ${e.runtime?.version ?? e.node}`],
    ['child flags', json(e.nodeFlags)],
    ['git commit', String(e.gitCommit)],
    ['package versions', json(Object.entries(e.packages).sort(([a], [b]) => a.localeCompare(b)))],
    ['interleaved variant', json(r.interleaving ? { label: r.interleaving.label, order: r.interleaving.order } : null)],
    ['plan', json({ count: r.shard?.count, planHash: r.shard?.planHash })],
  ];
}

/** Why `b` cannot be merged with `a`, or null. */
function differs(a: ShardInput, b: ShardInput): string | null {
  const sa = signature(a.report);
  const sb = signature(b.report);
  for (let i = 0; i < sa.length; i++) {
    const [label, va] = sa[i]!;
    const vb = sb[i]![1];
    if (va !== vb) {
      const short = (v: string): string => (v.length > 120 ? `${v.slice(0, 117)}...` : v);
      return `${b.source} is a shard of another configuration than ${a.source}: ${label} differs (${short(va)} vs ${short(vb)})`;
    }
  }
  return null;
}

/** The merged report of `inputs` (any order). Throws MergeError. */
export function mergeShards(inputs: readonly ShardInput[], opts: { allowPartial?: boolean } = {}): Report {
  if (inputs.length === 0) throw new MergeError('merge: give the shard reports to merge');
  for (const i of inputs) {
    if (!i.report.shard) throw new MergeError(`${i.source}: not a shard report (it has no shard record: run with --shard K/N)`);
    if (i.report.peer) throw new MergeError(`${i.source}: a peer group's report is not split into shards`);
  }
  const shards = [...inputs].sort((a, b) => a.report.shard!.index - b.report.shard!.index);
  const first = shards[0]!;
  for (const s of shards.slice(1)) {
    const why = differs(first, s);
    if (why) throw new MergeError(why);
  }
  const { count, planned, planHash } = first.report.shard!;
  const seen = new Map<number, string>();
  for (const s of shards) {
    const other = seen.get(s.report.shard!.index);
    if (other !== undefined) throw new MergeError(`overlapping shards: ${name(s.report.shard!)} given twice (${other}, ${s.source})`);
    seen.set(s.report.shard!.index, s.source);
  }
  const owner = new Map<string, ShardInput>();
  for (const s of shards) {
    for (const c of s.report.cases) {
      const k = caseKey(c);
      const o = owner.get(k);
      if (o) throw new MergeError(`overlapping shards: ${k} was measured by both ${o.source} and ${s.source}`);
      if (!planned.includes(k)) throw new MergeError(`${s.source}: case ${k} is not in the plan its shard record names`);
      owner.set(k, s);
    }
  }
  const missing = planned.filter((k) => !owner.has(k));
  if (missing.length > 0 && !opts.allowPartial) {
    const absent = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !seen.has(i));
    const which = absent.length > 0 ? `missing ${absent.map((i) => `shard ${i}/${count}`).join(', ')}` : 'shards incomplete (interrupted)';
    throw new MergeError(
      `${which}: ${missing.length} of ${planned.length} planned cases not measured: ${missing.join(', ')} (--allow-partial merges anyway, marked partial)`,
    );
  }

  const cases: CaseResult[] = [];
  for (const k of planned) {
    const s = owner.get(k);
    const c = s?.report.cases.find((x) => caseKey(x) === k);
    if (s && c) cases.push({ ...c, shard: s.report.shard!.index });
  }
  const order = (codec: string): number => first.report.config.codecs.indexOf(codec);
  const merged: Report = {
    schemaVersion: first.report.schemaVersion,
    startedAt: shards.map((s) => s.report.startedAt).sort()[0]!,
    finishedAt: shards.some((s) => s.report.finishedAt === null)
      ? null
      : shards
          .map((s) => s.report.finishedAt!)
          .sort()
          .at(-1)!,
    interrupted: shards.some((s) => s.report.interrupted),
    ...(first.report.interleaving ? { interleaving: mergedInterleaving(shards) } : {}),
    environment: first.report.environment,
    config: first.report.config,
    // each codec as its own shard recorded it (the import cost is measured where its cases ran)
    codecs: Object.fromEntries(
      Object.keys(first.report.codecs).map((name) => {
        const own = cases.find((c) => c.codec === name)?.shard;
        const from = shards.find((s) => s.report.shard!.index === own) ?? first;
        return [name, from.report.codecs[name] ?? first.report.codecs[name]!];
      }),
    ),
    datasets: first.report.datasets,
    data: first.report.data.map((d) => ({ ...d, heapBytes: null })),
    cases,
    merged: {
      count,
      planHash,
      shards: shards.map((s): MergedShard => {
        const r = s.report;
        return {
          index: r.shard!.index,
          source: s.source,
          ...(r.shard!.host !== undefined ? { host: r.shard!.host } : {}),
          environment: r.environment,
          startedAt: r.startedAt,
          finishedAt: r.finishedAt,
          interrupted: r.interrupted,
          ...(r.interleaving ? { interleaving: r.interleaving } : {}),
          ...(r.timing ? { timing: r.timing } : {}),
        };
      }),
      ...(missing.length > 0 ? { partial: { missing } } : {}),
    },
  };
  // the data's heap: the median over every dump run, as one unsharded run computes it
  for (const d of merged.data) {
    const heaps = priorDataHeap(merged, d.dataset, d.n);
    if (heaps.length > 0) d.heapBytes = median(heaps);
    const external = dataExternalBytes(merged, d.dataset, d.n);
    if (external !== null) d.externalBytes = external;
  }
  const datasetOrder = (d: string): number => first.report.config.datasets.findIndex((x) => x.name === d);
  const sizes = shards
    .flatMap((s) => s.report.sizes ?? [])
    .sort((a, b) => datasetOrder(a.dataset) - datasetOrder(b.dataset) || a.n - b.n || order(a.codec) - order(b.codec));
  if (shards.some((s) => s.report.sizes)) merged.sizes = sizes;
  const timed = shards.filter((s) => s.report.throughput);
  if (timed.length > 0) {
    // each codec is timed in one shard (bench/run/shard.ts throughputShare); the section's
    // per-process fields (codec orders, machine speed) are the lowest timed shard's
    const rows: ThroughputRow[] = timed
      .flatMap((s) => s.report.throughput!.rows)
      .sort((a, b) => datasetOrder(a.dataset) - datasetOrder(b.dataset) || order(a.codec) - order(b.codec));
    const { codecOrders: _orders, orderSeed: _seed, ...section } = timed[0]!.report.throughput!;
    merged.throughput = { ...section, rows };
  }
  const sizeof = shards.find((s) => s.report.sizeof)?.report.sizeof;
  if (sizeof) {
    // its per-tuple model against the merged data heap at the largest N, as addSizeof sets it
    const measured = [...merged.data].reverse().find((d) => d.dataset === DEFAULT_DATASET && d.heapBytes !== null && d.n > 0);
    merged.sizeof =
      sizeof.tupleModel && measured?.heapBytes
        ? {
            ...sizeof,
            tupleModel: withMeasurement(sizeof.tupleModel, {
              n: measured.n,
              seed: merged.config.seed,
              heapGrowthBytes: measured.heapBytes,
              bytesPerTuple: measured.heapBytes / measured.n,
            }),
          }
        : sizeof;
  }
  return merged;
}

/**
 * A matrix variant's merged schedule: each case was interleaved within its shard, so the id names
 * the shards' schedules in shard order. Two variants' merged reports share it exactly when their
 * cases came from the same shard schedules: then compare pairs each case's rounds, within its shard.
 */
function mergedInterleaving(shards: readonly ShardInput[]): Interleaving {
  const i = shards[0]!.report.interleaving!;
  const ids = shards.map((s) => `${s.report.shard!.index}:${s.report.interleaving?.id ?? 'none'}`).join(',');
  return { id: `merged-${createHash('sha256').update(ids).digest('hex').slice(0, 16)}`, order: i.order, label: i.label };
}
