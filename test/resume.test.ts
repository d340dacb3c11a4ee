/** --resume: an interrupted run continues where it stopped, with the same configuration or not at all. */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { getCodec } from '../bench/codecs/index.js';
import { parseRunFlags } from '../bench/cli/run.js';
import { childFlags } from '../bench/run/flags.js';
import { newReport, reproduceLine } from '../bench/run/orchestrator.js';
import { syntheticReport, tuplesInfo } from './helpers/synthetic.js';
import type { Report } from '../bench/types.js';
import { CLI, entries, startCli } from './helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'footprint-resume-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const read = (p: string): Report => JSON.parse(readFileSync(p, 'utf8')) as Report;

async function footprint(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [CLI, ...args], { maxBuffer: 1 << 24 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('childFlags', () => {
  it('runs GC and optimizing compiles on the main thread unless told otherwise', () => {
    const base = { maxOldSpaceSizeMb: 512 };
    expect(childFlags(base)).toEqual(['--expose-gc', '--single-threaded-gc', '--no-concurrent-recompilation', '--max-old-space-size=512']);
    expect(childFlags({ ...base, concurrentGc: true })).toEqual(['--expose-gc', '--no-concurrent-recompilation', '--max-old-space-size=512']);
    expect(childFlags({ ...base, concurrentJit: true })).toEqual(['--expose-gc', '--single-threaded-gc', '--max-old-space-size=512']);
  });

  it("a case's reproduce line starts its measured child with the same flags", () => {
    const spec = { codec: 'json', phase: 'dump' as const, n: 1000, seed: 42, file: '', codecModules: [] };
    const opts = { nodeBinary: process.execPath, maxOldSpaceSizeMb: 512 };
    expect(reproduceLine(spec, opts)).toMatch(/^node --expose-gc --single-threaded-gc --no-concurrent-recompilation --max-old-space-size=512 \S+child\.js /);
    expect(reproduceLine(spec, { ...opts, concurrentJit: true })).toMatch(/^node --expose-gc --single-threaded-gc --max-old-space-size=512 /);
    // a load's measured child (after its unmeasured prepare step) too
    expect(reproduceLine({ ...spec, phase: 'load' }, opts)).toMatch(
      / && node --expose-gc --single-threaded-gc --no-concurrent-recompilation --max-old-space-size=512 \S+child\.js --codec json --phase load /,
    );
  });
});

describe('footprint run --resume', () => {
  it('continues an interrupted run: earlier cases kept as they were, the rest measured, interrupted cleared', async () => {
    const sub = join(dir, 'e2e');
    const out = join(sub, 'r.json');
    const cli = startCli([
      'run',
      '--n',
      '2000',
      '--seed',
      '9',
      '--repeats',
      '2',
      '--codecs',
      'json,v8,msgpack',
      '--phases',
      'dump,load',
      '--sample-ms',
      '0',
      '--memory-only',
      '--no-sizes',
      '--out',
      out,
    ]);
    await cli.waitFor(/^\[2\/6\]/m);
    process.kill(cli.proc.pid!, 'SIGTERM');
    expect((await cli.exit).code).toBe(130);
    const before = read(out);
    expect(before.interrupted).toBe(true);
    // cases with all their runs; an interrupted one keeps its measured runs, marked incomplete (test/speed.test.ts)
    const complete = before.cases.filter((c) => !c.incomplete);
    const k = complete.length;
    expect(k).toBeGreaterThanOrEqual(2);
    expect(k).toBeLessThan(6);

    // no --memory-only, no --no-sizes: the file says the run had neither throughput nor sizes
    const r = await footprint(['run', '--resume', out]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(new RegExp(`resuming .*: ${k} of 6 cases done earlier`));
    // only the missing cases ran
    expect([...r.stderr.matchAll(/^\[\d+\/6\]/gm)]).toHaveLength(6 - k);
    const after = read(out);
    expect(after.interrupted).toBe(false);
    expect(after.finishedAt).not.toBeNull();
    expect(after.startedAt).toBe(before.startedAt);
    expect(after.resumedAt).toHaveLength(1);
    expect(after.config).toEqual(before.config);
    expect(after.config.sides).toEqual({ sizes: false, throughput: false, memory: true });
    expect(after.throughput).toBeUndefined();
    expect(after.sizes ?? []).toEqual([]);
    expect(after.cases.filter((c) => complete.some((x) => x.codec === c.codec && x.phase === c.phase))).toEqual(complete);
    expect(after.cases.map((c) => `${c.codec}.${c.phase}`)).toEqual(['json.dump', 'json.load', 'v8.dump', 'v8.load', 'msgpack.dump', 'msgpack.load']);
    for (const c of after.cases) {
      expect(c.state).toBe('ok');
      expect(c.runs).toHaveLength(2);
    }
    expect(entries(sub)).toEqual(['r.html', 'r.json', 'r.md']);
    // a finished run has nothing to resume
    const again = await footprint(['run', '--memory-only', '--no-sizes', '--resume', out]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/finished at .*nothing to resume/);
  });

  describe('refuses, with one line and exit 2, a resume that would mix configurations', () => {
    const file = join(dir, 'stub', 'interrupted.json');
    mkdirSync(join(dir, 'stub'));
    // a valid schema-2 report of an interrupted run, measured by this code, this Node and these flags
    const base = syntheticReport({ n: [1000], repeats: 1, cases: [] });
    const here = newReport(
      {
        ...base.config,
        codecs: ['json', 'v8'],
        phases: ['dump', 'load'],
        maxOldSpaceSizeMb: 16384,
        timeoutMs: 600000,
        sampleMs: 0,
        nodeBinary: process.execPath,
        outFile: '',
        codecModules: [],
      },
      [getCodec('json'), getCodec('v8')],
      childFlags({ maxOldSpaceSizeMb: 16384, concurrentGc: false }),
      { tuples: tuplesInfo() },
    );
    const stub: Report = {
      ...base,
      finishedAt: null,
      interrupted: true,
      environment: here.environment,
      config: {
        n: [1000],
        datasets: [{ name: 'tuples', n: [1000] }],
        seed: 42,
        repeats: 1,
        codecs: ['json', 'v8'],
        phases: ['dump', 'load'],
        maxOldSpaceSizeMb: 16384,
        timeoutMs: 600000,
      },
      data: [{ dataset: 'tuples', n: 1000, intrinsicBytes: 36000, heapBytes: null }],
      cases: [],
    };
    writeFileSync(file, JSON.stringify(stub));
    const other = join(dir, 'stub', 'other-node.json');
    writeFileSync(other, JSON.stringify({ ...stub, environment: { ...stub.environment, node: 'v18.0.0' } }));
    const otherCommit = join(dir, 'stub', 'other-commit.json');
    writeFileSync(
      otherCommit,
      JSON.stringify({
        ...stub,
        environment: { ...stub.environment, gitCommit: '0123456789abcdef', packages: { ...stub.environment.packages, msgpackr: '0.0.1' } },
      }),
    );
    const schema1 = join(dir, 'stub', 'schema1.json');
    writeFileSync(schema1, JSON.stringify({ ...stub, schemaVersion: 1 }));
    const bad = join(dir, 'stub', 'bad.json');
    writeFileSync(bad, '{"schemaVersion": 1, "cases": [');
    const unknownCodec = join(dir, 'stub', 'unknown-codec.json');
    writeFileSync(unknownCodec, JSON.stringify({ ...stub, config: { ...stub.config, codecs: ['json', 'mine'] } }));

    it.each([
      [['--n', '2000'], /--n 2000 differs from the interrupted run's 1000/],
      [['--seed', '1'], /--seed 1 differs from the interrupted run's 42/],
      [['--codecs', 'json'], /--codecs json differs from the interrupted run's json,v8/],
      [['--repeats', '3'], /--repeats 3 differs/],
      [['--out', join(dir, 'elsewhere.json')], /--out must be left out/],
    ])('%j', async (flags, message) => {
      const r = await footprint(['run', '--memory-only', '--no-sizes', '--resume', file, ...flags]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(stub); // untouched
    });

    // a run recorded with its children's flags and its sampling interval
    const recorded = join(dir, 'stub', 'recorded.json');
    writeFileSync(
      recorded,
      JSON.stringify({
        ...stub,
        config: { ...stub.config, sampleMs: 2 },
      }),
    );
    it.each([
      [['--concurrent-gc'], /children would run with .*, the interrupted run used .*--single-threaded-gc/],
      [['--concurrent-jit'], /children would run with .*, the interrupted run used .*--no-concurrent-recompilation/],
      [['--sample-ms', '0'], /--sample-ms 0 differs from the interrupted run's 2/],
    ])('%j against the recorded flags', async (flags, message) => {
      const r = await footprint(['run', '--memory-only', '--no-sizes', '--resume', recorded, ...flags]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    });

    // a run that measured the sizes and the throughput: a resume that leaves them out would not finish it
    const withSides = join(dir, 'stub', 'with-sides.json');
    writeFileSync(withSides, JSON.stringify({ ...stub, config: { ...stub.config, sides: { sizes: true, throughput: true, memory: true } } }));
    it.each([
      [['--memory-only'], /--memory-only differs from the interrupted run, which measured the throughput/],
      [['--no-sizes'], /--no-sizes differs from the interrupted run, which measured the compressed sizes/],
      // it would skip the memory cases still to run and mark the run finished without them
      [['--time-only'], /--time-only differs from the interrupted run, which measured the memory cases/],
    ])('%j against a run with sizes and throughput', async (flags, message) => {
      const r = await footprint(['run', '--resume', withSides, ...flags]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    });

    it('--time-only against a run recorded before config.sides.memory, which measured the sizes (so the memory cases)', async () => {
      const sizesOnly = join(dir, 'stub', 'sides-without-memory.json');
      writeFileSync(sizesOnly, JSON.stringify({ ...stub, config: { ...stub.config, sides: { sizes: true, throughput: true } } }));
      const r = await footprint(['run', '--resume', sizesOnly, '--time-only']);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/--time-only differs from the interrupted run, which measured the memory cases/);
    });

    it('a schema-2 report (before datasets) resumes: its cases are the tuples, its configuration the tuples at its N', async () => {
      const v2 = join(dir, 'stub', 'schema2.json');
      const { datasets: _d, ...old } = stub;
      const { datasets: _c, ...oldConfig } = stub.config;
      writeFileSync(v2, JSON.stringify({ ...old, schemaVersion: 2, config: oldConfig, data: stub.data.map(({ dataset: _x, ...d }) => d) }));
      const opts = await parseRunFlags(['--resume', v2, '--datasets', 'tuples']);
      expect(opts.datasets).toEqual([{ name: 'tuples', n: [1000] }]);
      expect(opts.resumeFrom?.migratedFrom).toBe(2);
      expect(opts.resumeFrom?.data).toEqual([{ dataset: 'tuples', n: 1000, intrinsicBytes: 36000, heapBytes: null }]);
      // another dataset list is another run
      await expect(parseRunFlags(['--resume', v2, '--datasets', 'tuples,logs'])).rejects.toThrow(/--datasets/);
    });

    it('a --time-only run resumes as one: no memory cases, no sizes, the throughput', async () => {
      const timeOnly = join(dir, 'stub', 'time-only.json');
      writeFileSync(timeOnly, JSON.stringify({ ...stub, config: { ...stub.config, sides: { sizes: false, throughput: true, memory: false } } }));
      const opts = await parseRunFlags(['--resume', timeOnly]);
      expect(opts).toMatchObject({ memory: false, sizes: false });
      expect(opts.throughput).toBeDefined();
      expect(newReport({ ...opts, codecModules: [] }, [getCodec('json'), getCodec('v8')], [], { tuples: tuplesInfo() }).config.sides).toEqual({
        sizes: false,
        throughput: true,
        memory: false,
      });
    });

    it.each([
      [other, /measured with Node v18\.0\.0, this run would use v\d+/],
      [bad, /not JSON/],
      [otherCommit, /measured by other code: git commit 0123456789abcdef then, .* now; package versions differ: msgpackr 0\.0\.1 → /],
      [schema1, /written with results schema 1, this footprint writes 3; start a new run/],
      [unknownCodec, /codec mine of that run is unknown here/],
      [join(dir, 'missing.json'), /no such file/],
    ])('%s', async (path, message) => {
      const r = await footprint(['run', '--memory-only', '--no-sizes', '--resume', path]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    });

    it('flags that agree with the file are accepted, and a run killed before its first case resumes from zero', async () => {
      const f = join(dir, 'stub', 'tiny.json');
      expect(
        (
          await footprint([
            'run',
            '--n',
            '200',
            '--codecs',
            'json',
            '--phases',
            'dump',
            '--repeats',
            '1',
            '--sample-ms',
            '0',
            '--memory-only',
            '--no-sizes',
            '--out',
            f,
          ])
        ).code,
      ).toBe(0);
      // as if the orchestrator had been killed -9 right after writing its first (empty) report
      writeFileSync(f, JSON.stringify({ ...read(f), finishedAt: null, interrupted: false, cases: [] }));
      const r = await footprint(['run', '--memory-only', '--no-sizes', '--resume', f, '--n', '200', '--codecs', 'json', '--seed', '42']);
      expect(r.stderr).toMatch(/0 of 1 cases done earlier/);
      expect(r.code).toBe(0);
      expect(read(f).cases.map((c) => [c.codec, c.phase, c.state])).toEqual([['json', 'dump', 'ok']]);
    });
  });
});
