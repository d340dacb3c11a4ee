/** --shard K/N: the split of a plan (bench/run/shard.ts). */
import { describe, expect, it } from 'vitest';
import { assignShard, caseKey, parseShard, plannedCases, ShardError, shardKey, throughputShare, timingsFrom } from '../bench/run/shard.js';
import type { Report } from '../bench/types.js';

const CODECS = ['json', 'v8', 'msgpack', 'text', 'ndjson', 'columnar', 'arrow'];
const shape = { datasets: [{ name: 'tuples', n: [1000, 100000] }], codecs: CODECS, phases: ['dump', 'load', 'clone'] as const, repeats: 3 };
const all = (count: number, timings?: Parameters<typeof assignShard>[2]) =>
  Array.from({ length: count }, (_, i) => assignShard({ index: i + 1, count }, { ...shape, phases: [...shape.phases] }, timings));

describe('--shard K/N', () => {
  it('parses K/N and refuses anything else with one line', () => {
    expect(parseShard('2/3')).toEqual({ index: 2, count: 3 });
    expect(parseShard(' 1 / 1 ')).toEqual({ index: 1, count: 1 });
    for (const bad of ['0/3', '4/3', '3', '1/0', 'a/b', '1/3/2', '-1/3', '1.5/3']) {
      expect(() => parseShard(bad), bad).toThrow(ShardError);
      expect(() => parseShard(bad)).toThrow(/^--shard ".*": expected K\/N with 1 ≤ K ≤ N/);
    }
  });

  it('the shard key is the case key without the phase', () => {
    expect(caseKey({ dataset: 'tuples', codec: 'json', phase: 'load', n: 100000 })).toBe('json load n=100000');
    expect(shardKey({ dataset: 'tuples', codec: 'json', n: 100000 })).toBe('json n=100000');
  });

  it("another dataset than the tuples joins the case key and the shard key; the tuples' keys read as before datasets", () => {
    expect(caseKey({ dataset: 'logs', codec: 'json', phase: 'load', n: 1000 })).toBe('logs: json load n=1000');
    expect(shardKey({ dataset: 'logs', codec: 'json', n: 1000 })).toBe('logs: json n=1000');
    const two = {
      datasets: [
        { name: 'tuples', n: [1000] },
        { name: 'logs', n: [1000] },
      ],
      codecs: ['json', 'v8'],
      phases: ['dump', 'load'] as ('dump' | 'load')[],
    };
    expect(plannedCases(two).map(caseKey)).toEqual([
      'json dump n=1000',
      'json load n=1000',
      'v8 dump n=1000',
      'v8 load n=1000',
      'logs: json dump n=1000',
      'logs: json load n=1000',
      'logs: v8 dump n=1000',
      'logs: v8 load n=1000',
    ]);
    // a unit is one dataset's codec at one N: the tuples' json and the logs' json may go to different shards, each with all its phases
    for (const count of [2, 3]) {
      const shards = Array.from({ length: count }, (_, i) => assignShard({ index: i + 1, count }, { ...two, repeats: 1 }));
      for (const s of shards)
        for (const k of s.cases) expect(s.cases).toContain(k.includes(' dump ') ? k.replace(' dump ', ' load ') : k.replace(' load ', ' dump '));
      expect(shards.flatMap((s) => s.cases).sort()).toEqual(plannedCases(two).map(caseKey).sort());
    }
  });

  it('splits the plan into disjoint shards that cover it, each codec at one N (all its phases) in one shard', () => {
    for (const count of [1, 2, 3, 5, 40]) {
      const shards = all(count);
      const planned = plannedCases({ ...shape, phases: [...shape.phases] }).map(caseKey);
      expect(shards.every((s) => s.planned.join() === planned.join() && s.planHash === shards[0]!.planHash)).toBe(true);
      const union = shards.flatMap((s) => s.cases);
      expect(union.length).toBe(planned.length); // no case twice
      expect(new Set(union)).toEqual(new Set(planned)); // none missing
      for (const s of shards) {
        for (const k of s.cases) {
          const [codec, , n] = k.split(' ');
          const siblings = planned.filter((p) => p.startsWith(`${codec} `) && p.endsWith(` ${n}`));
          expect(
            siblings.every((x) => s.cases.includes(x)),
            `${k}: its other phases are in shard ${s.index}`,
          ).toBe(true);
        }
      }
    }
  });

  it('is deterministic and balanced by the estimate (N × runs): the large N spread over the shards', () => {
    expect(all(3)).toEqual(all(3));
    const shards = all(3);
    const costs = shards.map((s) => s.cost);
    expect(costs.reduce((a, b) => a + b, 0)).toBe(shards[0]!.totalCost);
    // LPT: no shard above 4/3 of the mean
    const mean = shards[0]!.totalCost / 3;
    expect(Math.max(...costs)).toBeLessThanOrEqual((4 / 3) * mean);
    for (const s of shards) expect(s.cases.some((k) => k.endsWith('n=100000'))).toBe(true);
    expect(shards[0]!.costSource).toBe('estimate (N × runs)');
  });

  it('balances by a previous report’s times when given: an expensive codec gets a shard to itself', () => {
    const run = (wallMs: number) => ({ wallMs });
    const report = {
      codecs: {},
      cases: CODECS.flatMap((codec) =>
        (['dump', 'load'] as const).map((phase) => ({
          dataset: 'tuples',
          codec,
          phase,
          n: 100000,
          runs: [run(codec === 'json' ? 9000 : 100), run(codec === 'json' ? 9000 : 100)],
        })),
      ),
    } as unknown as Report;
    const ms = timingsFrom(report);
    expect(ms.get('json n=100000')).toBe(18000); // per run, summed over its phases
    const shards = all(2, { source: 'prev.json', ms });
    const withJson = shards.find((s) => s.cases.includes('json dump n=100000'))!;
    expect(withJson.cases.filter((k) => k.endsWith('n=100000'))).toEqual(['json dump n=100000', 'json load n=100000']);
    expect(withJson.costSource).toBe('timings of prev.json: 14 of 18 units (7 scaled from another N), the rest estimated');
    // units the timings lack (n=1000, the clones) are estimated in the timings' currency, not left at zero
    expect(shards.every((s) => s.cost > 0)).toBe(true);
  });

  it('scales a codec’s time from another N when the report lacks this N (a 1M report balances a 1e5 run)', () => {
    const ms = new Map([
      ['json n=1000000', 900],
      ['v8 n=1000000', 100],
      ['msgpack n=1000000', 100],
    ]);
    const p = { datasets: [{ name: 'tuples', n: [100000] }], codecs: ['json', 'v8', 'msgpack'], phases: ['dump' as const], repeats: 1 };
    const shards = [1, 2].map((index) => assignShard({ index, count: 2 }, p, { source: 'big.json', ms }));
    expect(shards.map((s) => s.cases)).toEqual([['json dump n=100000'], ['v8 dump n=100000', 'msgpack dump n=100000']]);
    expect(shards.map((s) => s.cost)).toEqual([90, 20]);
    expect(shards[0]!.costSource).toBe('timings of big.json: 3 of 3 units (3 scaled from another N), the rest estimated');
  });

  it('a codec whose files another codec’s dump writes (dumpBy) has no dump case and shares that codec’s shard', () => {
    const p = {
      datasets: [{ name: 'tuples', n: [1000] }],
      codecs: ['json', 'arrow', 'v8', 'arrow-rows'],
      phases: ['dump' as const, 'load' as const],
      repeats: 1,
      dumpBy: { 'arrow-rows': 'arrow' },
    };
    expect(plannedCases(p).map(caseKey)).not.toContain('arrow-rows dump n=1000');
    for (const count of [2, 3, 4]) {
      const shards = Array.from({ length: count }, (_, i) => assignShard({ index: i + 1, count }, p));
      const withArrow = shards.find((s) => s.cases.includes('arrow dump n=1000'))!;
      expect(withArrow.cases).toContain('arrow-rows load n=1000');
      expect(shards.flatMap((s) => throughputShare(s, p)).sort()).toEqual([...p.codecs].sort());
    }
  });

  it('places the most expensive units first (LPT), so a costly unit late in the plan does not unbalance it', () => {
    // in plan order (1, 1, 2 to two shards) a greedy split gives 3 and 1; longest first gives 2 and 2
    const ms = new Map([
      ['json n=10', 1],
      ['v8 n=10', 1],
      ['msgpack n=10', 2],
    ]);
    const small = { datasets: [{ name: 'tuples', n: [10] }], codecs: ['json', 'v8', 'msgpack'], phases: ['dump' as const], repeats: 1 };
    const costs = [1, 2].map((index) => assignShard({ index, count: 2 }, small, { source: 't', ms }).cost);
    expect(costs).toEqual([2, 2]);
  });

  it('times each codec’s throughput in exactly one shard', () => {
    const shards = all(3);
    const p = { ...shape, phases: [...shape.phases] };
    const shares = shards.map((s) => throughputShare(s, p));
    expect(shares.flat().sort()).toEqual([...CODECS].sort());
    expect(throughputShare(undefined, p)).toEqual(CODECS);
    const timeOnly = Array.from({ length: 3 }, (_, i) => assignShard({ index: i + 1, count: 3 }, { ...p, memory: false }));
    expect(timeOnly.flatMap((s) => throughputShare(s, { ...p, memory: false })).sort()).toEqual([...CODECS].sort());
  });
});
