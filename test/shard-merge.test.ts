/** End to end: `footprint run --shard K/N` and `footprint merge` with the real CLI at tiny N; a sharded matrix merged per variant. */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { main as matrixMain } from '../bench/cli/matrix.js';
import { compareReports } from '../bench/compare/compare.js';
import { loadReport } from '../bench/results/validate.js';
import { runInterleaved } from '../bench/run/interleave.js';
import type { Report } from '../bench/types.js';

const exec = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'footprint-shard-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function footprint(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, ['dist/bench/cli/main.js', ...args], { maxBuffer: 16 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const SUITE = ['--n', '1500', '--repeats', '2', '--codecs', 'json,msgpack,text', '--phases', 'dump,load', '--memory-only', '--no-sizes', '--sample-ms', '0'];
const read = (p: string): Report => JSON.parse(readFileSync(p, 'utf8')) as Report;
const file = (name: string): string => join(dir, name);
/** Each case's state and its dump runs' file SHA-256s, by case key. */
const fingerprint = (r: Report) => r.cases.map((c) => `${c.codec} ${c.phase} ${c.state} ${c.runs.map((x) => x.fileSha256 ?? '-').join(',')}`);
/** One line on stderr, the footprint prefix. */
const oneLine = (stderr: string): void => expect(stderr.trim().split('\n')).toHaveLength(1);

describe('footprint run --shard K/N + footprint merge (end to end)', () => {
  it('two shards merged: the same cases, states and file SHA-256s as one unsharded run; merge refuses missing and foreign shards', async () => {
    const [s1, s2, whole, other] = await Promise.all([
      footprint(['run', ...SUITE, '--shard', '1/2', '--out', file('s1.json')]),
      footprint(['run', ...SUITE, '--shard', '2/2', '--out', file('s2.json')]),
      footprint(['run', ...SUITE, '--out', file('whole.json')]),
      footprint(['run', ...SUITE, '--seed', '7', '--shard', '2/2', '--out', file('seed7-s2.json')]),
    ]);
    for (const r of [s1, s2, whole, other]) expect(r.code, r.stderr).toBe(0);
    expect(s1.stderr).toMatch(/shard 1\/2: \d of 6 cases, \d+% of the expected cost \(estimate \(N × runs\)\)/);
    const a = read(file('s1.json'));
    const b = read(file('s2.json'));
    expect(a.shard?.planned).toEqual(b.shard?.planned);
    expect(a.cases.length + b.cases.length).toBe(6);
    expect(a.cases.length).toBeGreaterThan(0);

    const m = await footprint(['merge', file('s2.json'), file('s1.json'), '--out', file('merged.json')]);
    expect(m.code, m.stderr).toBe(0);
    expect(m.stderr).toMatch(/merged 2 of 2 shards \(6 cases/);
    const merged = loadReport(file('merged.json')); // schema-valid
    expect(fingerprint(merged)).toEqual(fingerprint(read(file('whole.json'))));
    expect(merged.cases.every((c) => c.shard === (a.cases.some((x) => x.codec === c.codec && x.phase === c.phase) ? 1 : 2))).toBe(true);
    expect(merged.merged?.shards.map((s) => s.index)).toEqual([1, 2]);
    expect(merged.data[0]!.heapBytes).toBeGreaterThan(0);
    // import costs: each shard measures its own codecs', merge takes each from its shard
    const own = new Set(a.cases.map((c) => c.codec));
    for (const name of ['json', 'msgpack', 'text']) {
      expect(a.codecs[name]!.importCost === undefined, name).toBe(!own.has(name));
      expect(merged.codecs[name]!.importCost, name).toEqual((own.has(name) ? a : b).codecs[name]!.importCost);
    }
    expect(readFileSync(file('merged.md'), 'utf8')).toMatch(/Merged from 2 of 2 shards/);
    expect(existsSync(file('merged.html'))).toBe(true);
    // same machine: compare warns about no case's machine
    const cmp = compareReports([
      { label: 'whole', report: read(file('whole.json')) },
      { label: 'merged', report: merged },
    ]);
    expect(cmp.pairs[0]!.warnings.filter((w) => /different machines/.test(w))).toEqual([]);
    // ...and does, per case, when a shard ran elsewhere
    const elsewhere = structuredClone(merged);
    elsewhere.merged!.shards[1]!.host = 'runner-b';
    elsewhere.merged!.shards[0]!.host = 'runner-a';
    const moved = compareReports([
      { label: 'merged', report: merged },
      { label: 'elsewhere', report: elsewhere },
    ]);
    expect(moved.pairs[0]!.warnings.filter((w) => /different machines/.test(w))).toHaveLength(6);

    // a missing shard: one line naming the missing cases, exit 2, nothing written
    const missing = await footprint(['merge', file('s1.json'), '--out', file('m-missing.json')]);
    expect(missing.code).toBe(2);
    oneLine(missing.stderr);
    expect(missing.stderr).toMatch(/missing shard 2\/2: \d of 6 planned cases not measured: /);
    for (const c of b.cases) expect(missing.stderr).toContain(`${c.codec} ${c.phase} n=1500`);
    expect(existsSync(file('m-missing.json'))).toBe(false);
    // a shard of another configuration (seed 7)
    const foreign = await footprint(['merge', file('s1.json'), file('seed7-s2.json'), '--out', file('m-foreign.json')]);
    expect(foreign.code).toBe(2);
    oneLine(foreign.stderr);
    expect(foreign.stderr).toMatch(/seed7-s2\.json is a shard of another configuration than .*s1\.json: configuration .* differs/);
    // one shard twice
    const twice = await footprint(['merge', file('s1.json'), file('s1.json'), '--out', file('m-twice.json')]);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toMatch(/overlapping shards: shard 1\/2 given twice/);
    // not a shard
    const plain = await footprint(['merge', file('whole.json'), '--out', file('m-plain.json')]);
    expect(plain.code).toBe(2);
    expect(plain.stderr).toMatch(/whole\.json: not a shard report/);
    // --allow-partial: merged, marked partial, exit 1
    const partial = await footprint(['merge', file('s1.json'), '--allow-partial', '--out', file('partial.json')]);
    expect(partial.code).toBe(1);
    expect(read(file('partial.json')).merged?.partial?.missing).toEqual(b.cases.map((c) => `${c.codec} ${c.phase} n=1500`));
    expect(readFileSync(file('partial.md'), 'utf8')).toMatch(/PARTIAL: \d planned cases? (is|are) missing/);

    // --resume of an interrupted shard measures only that shard's missing cases and keeps its record
    const cut = structuredClone(b);
    const dropped = cut.cases.pop()!;
    Object.assign(cut, { interrupted: true, finishedAt: null });
    writeFileSync(file('cut.json'), JSON.stringify(cut));
    const refused = await footprint(['run', '--resume', file('cut.json'), '--shard', '1/2']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--shard 1\/2 differs from the interrupted run's 2\/2/);
    const resumed = await footprint(['run', '--resume', file('cut.json')]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(new RegExp(`resuming .*: ${b.cases.length - 1} of ${b.cases.length} cases done earlier`));
    const after = read(file('cut.json'));
    expect(after.shard).toEqual(b.shard);
    expect(after.cases.map((c) => `${c.codec} ${c.phase}`)).toEqual(b.cases.map((c) => `${c.codec} ${c.phase}`));
    expect(after.cases.at(-1)!.runs.map((r) => r.fileSha256)).toEqual(dropped.runs.map((r) => r.fileSha256));
  }, 240_000);

  it('a sharded matrix: every variant of a case in one shard, merged per variant file, compared within its shard', async () => {
    const deps = {
      // both "versions" run under this Node: the wiring is under test
      installNode: async (major: number) => ({ version: `${process.version}-as-${major}`, binary: process.execPath, installed: false }),
      runInterleaved,
      log: () => {},
      print: () => {},
    };
    const args = [
      '--node',
      '20,21',
      '--n',
      '600',
      '--repeats',
      '2',
      '--codecs',
      'json,msgpack',
      '--phases',
      'dump',
      '--memory-only',
      '--no-sizes',
      '--sample-ms',
      '0',
    ];
    for (const k of [1, 2]) expect(await matrixMain([...args, '--shard', `${k}/2`, '--out-dir', file(`matrix-s${k}`)], deps)).toBe(0);
    for (const v of ['node20', 'node21']) {
      const s = [1, 2].map((k) => read(file(`matrix-s${k}/${v}.json`)));
      expect(s.map((r) => r.cases.map((c) => c.codec))).toEqual([['json'], ['msgpack']]);
      const r = await footprint(['merge', file(`matrix-s1/${v}.json`), file(`matrix-s2/${v}.json`), '--out', file(`matrix/${v}.json`)]);
      expect(r.code, r.stderr).toBe(0);
    }
    const m20 = read(file('matrix/node20.json'));
    const m21 = read(file('matrix/node21.json'));
    // one schedule per shard, the same shards on both sides: compare pairs the rounds of each case
    expect(m20.interleaving?.id).toBe(m21.interleaving?.id);
    expect(m20.interleaving?.id).not.toBe(read(file('matrix-s1/node20.json')).interleaving?.id);
    expect(m20.merged?.shards.map((s) => s.interleaving?.id)).toEqual(m21.merged?.shards.map((s) => s.interleaving?.id));
    // a variant's shards cannot be merged with another variant's
    const mixed = await footprint(['merge', file('matrix-s1/node20.json'), file('matrix-s2/node21.json'), '--out', file('matrix/mixed.json')]);
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toMatch(/another configuration .*: (Node|interleaved variant) differs/);
  }, 240_000);
});
