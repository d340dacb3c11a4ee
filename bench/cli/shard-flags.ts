/**
 * `--shard K/N` and `--shard-timings REPORT.json` of `footprint run` and `footprint matrix`: the
 * shard's share of the plan (bench/run/shard.ts), computed from the run's final options (after
 * --resume took the interrupted run's configuration). A resumed shard keeps the share its file
 * records: the split must not move between the sittings of one shard.
 */
import { resolveCodec } from '../codecs/resolve.js';
import { loadReport } from '../results/validate.js';
import { assignShard, parseShard, ShardError, timingsFrom } from '../run/shard.js';
import type { SuiteOptions } from '../types.js';
import type { ResumeOptions } from '../run/resume.js';
import { errorMessage } from '../errors.js';

export const SHARD_OPTIONS = {
  shard: { type: 'string' },
  'shard-timings': { type: 'string' },
} as const;

export const SHARD_HELP = `  --shard K/N           measure only shard K of N: every phase (and, in a matrix, every variant) of a codec
                        at one N stays in one shard; balanced by expected cost; merge the shards with footprint merge
  --shard-timings FILE  balance the shards by the case times of a previous report (else N × runs)
`;

/** The options with `shard` set from the flags (unchanged without --shard). */
export async function withShard<T extends SuiteOptions & ResumeOptions>(opts: T, values: { shard?: string; 'shard-timings'?: string }): Promise<T> {
  const recorded = opts.resumeFrom?.shard;
  if (opts.resumeFrom) {
    const where = `--resume ${opts.outFile}`;
    const given = values.shard === undefined ? undefined : parseShard(values.shard);
    if (!recorded) {
      if (given) throw new ShardError(`${where}: that run measured every case, not a shard; leave --shard out`);
      return opts;
    }
    if (given && (given.index !== recorded.index || given.count !== recorded.count)) {
      throw new ShardError(
        `${where}: --shard ${given.index}/${given.count} differs from the interrupted run's ${recorded.index}/${recorded.count} (leave the flag out)`,
      );
    }
    const { host: _host, ...shard } = recorded;
    return { ...opts, shard };
  }
  if (values.shard === undefined) {
    if (values['shard-timings'] !== undefined) throw new ShardError('--shard-timings needs --shard K/N');
    return opts;
  }
  const spec = parseShard(values.shard);
  let timings: { source: string; ms: Map<string, number> } | undefined;
  const file = values['shard-timings'];
  if (file !== undefined) {
    try {
      timings = { source: file, ms: timingsFrom(loadReport(file)) };
    } catch (err) {
      throw new ShardError(`--shard-timings ${file}: ${errorMessage(err).replace(`${file}: `, '')}`);
    }
  }
  // a codec whose files another codec's dump writes (dumpBy) has no dump case and shares that codec's shard
  const dumpBy: Record<string, string> = {};
  for (const name of opts.codecs) {
    const writer = (await resolveCodec(name, opts.codecModules)).dumpBy;
    if (writer !== undefined) dumpBy[name] = writer;
  }
  return { ...opts, shard: assignShard(spec, { ...opts, dumpBy }, timings) };
}

/** `shard 2/3: 15 of 46 cases, 33% of the expected cost (estimate (N × runs))`. */
export function shardLine(shard: NonNullable<SuiteOptions['shard']>): string {
  const share = shard.totalCost > 0 ? `${Math.round((100 * shard.cost) / shard.totalCost)}%` : 'none';
  return `shard ${shard.index}/${shard.count}: ${shard.cases.length} of ${shard.planned.length} cases, ${share} of the expected cost (${shard.costSource})`;
}
