/**
 * The scheduler's pieces that need no child process: the workers that take the task list in
 * order, the input files of the loads (bench/run/inputs.ts) and the dumps' verdicts
 * (bench/run/verdicts.ts); and the scheduler's dump runs with a stand-in child runner. The whole
 * scheduler with real children is covered by the CLI's end-to-end, resume and interrupt tests.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Interrupted } from '../bench/run/case.js';
import { deferred } from '../bench/run/deferred.js';
import { type InputFile, InputFiles } from '../bench/run/inputs.js';
import { runWorkers, Scheduler, type Task } from '../bench/run/scheduler.js';
import type { PlannedCase } from '../bench/run/planned-case.js';
import type { ChildRunner } from '../bench/run/spawn.js';
import { BusyIntervals, newTotals } from '../bench/run/timing.js';
import { CODECS } from '../bench/codecs/index.js';
import type { ChildFigures } from '../bench/measure/protocol.js';
import type { Report, SuiteOptions } from '../bench/types.js';
import { type Judgement, type RunId, Verdicts } from '../bench/run/verdicts.js';

/** Let pending promise callbacks run. */
const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('runWorkers', () => {
  it('runs at most `jobs` tasks at once, started in list order', async () => {
    const started: number[] = [];
    const gates = Array.from({ length: 5 }, () => deferred<void>());
    let running = 0;
    let most = 0;
    const tasks: Task[] = gates.map((g, i) => async () => {
      started.push(i);
      running++;
      most = Math.max(most, running);
      await g.promise;
      running--;
    });
    const all = runWorkers(tasks, 2);
    await tick();
    expect(started).toEqual([0, 1]); // two workers, the first two tasks
    gates[1]!.resolve();
    await tick();
    expect(started).toEqual([0, 1, 2]); // the free worker takes the next task, not a later one
    for (const g of gates) g.resolve();
    await all;
    expect(started).toEqual([0, 1, 2, 3, 4]);
    expect(most).toBe(2);
  });

  it('stops every worker after an error: a worker whose task ends normally takes no next task', async () => {
    const started: number[] = [];
    const slow = deferred<void>();
    const tasks: Task[] = [
      async () => {
        started.push(0);
        await slow.promise; // still running when the other worker's task throws; then ends normally
      },
      async () => {
        started.push(1);
        throw new Error('bug in a task');
      },
      async () => {
        started.push(2);
      },
      async () => {
        started.push(3);
      },
    ];
    const all = runWorkers(tasks, 2);
    await tick();
    slow.resolve();
    await expect(all).rejects.toThrow('bug in a task');
    expect(started).toEqual([0, 1]);
  });

  it("rethrows an error rather than another worker's interruption (a bug must not look like Ctrl-C)", async () => {
    const slow = deferred<void>();
    const tasks: Task[] = [
      async () => {
        await slow.promise;
        throw new Interrupted();
      },
      async () => {
        throw new Error('bug in a task');
      },
    ];
    const all = runWorkers(tasks, 2);
    await tick();
    slow.resolve();
    await expect(all).rejects.toThrow('bug in a task');
    await expect(runWorkers([async () => Promise.reject(new Interrupted())], 2)).rejects.toBeInstanceOf(Interrupted);
  });

  it('ends Interrupted when the signal aborted, before the next task', async () => {
    const ac = new AbortController();
    const started: number[] = [];
    const tasks: Task[] = [0, 1, 2].map((i) => async () => {
      started.push(i);
      if (i === 0) ac.abort();
    });
    await expect(runWorkers(tasks, 1, ac.signal)).rejects.toBeInstanceOf(Interrupted);
    expect(started).toEqual([0]);
  });

  it('runs an empty list and a list shorter than the workers', async () => {
    await expect(runWorkers([], 3)).resolves.toBeUndefined();
    const started: number[] = [];
    await runWorkers([async () => void started.push(0)], 4);
    expect(started).toEqual([0]);
  });
});

describe('InputFiles', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'footprint-inputs-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string): string => {
    const p = join(dir, name);
    writeFileSync(p, name);
    return p;
  };
  const noWrite = async (): Promise<string | undefined> => {
    throw new Error('the prepare child must not run when a dump file is verified');
  };

  const judged = (): { judgement: Promise<Judgement | undefined>; settle: (j: Judgement | undefined) => void } => {
    const d = deferred<Judgement | undefined>();
    return { judgement: d.promise, settle: d.resolve };
  };

  it('the first dump run to hash its file claims the input when a load will read it; the load waits for the offered file', async () => {
    const inputs = new InputFiles();
    inputs.expect('json', 10, 2, 1, 1); // 2 dump runs, 1 load run, sizes
    let got: InputFile | string | undefined;
    const load = inputs.get('json', 10, join(dir, 'json-10.json'), noWrite).then((x) => (got = x));
    await tick();
    expect(got).toBeUndefined(); // no dump file yet: the load waits
    expect(inputs.claim('json', 10)).toBe(true);
    expect(inputs.claim('json', 10)).toBe(false); // the second run's file is not the input
    const first = file('run1');
    const j = judged();
    inputs.offer('json', 10, first, 'abc', j.judgement, j.settle);
    await load;
    expect(got).toMatchObject({ path: first, sha256: 'abc', users: 2 });
    inputs.dumpEnded('json', 10);
    inputs.dumpEnded('json', 10);
    expect(await inputs.fromDump('json', 10)).toBe(got);
  });

  it('the verdict owed with the file is taken once: by the first reader', async () => {
    const inputs = new InputFiles();
    inputs.expect('json', 10, 1, 2, 0);
    inputs.claim('json', 10);
    const j = judged();
    inputs.offer('json', 10, file('run1'), 'abc', j.judgement, j.settle);
    const input = (await inputs.fromDump('json', 10))!;
    const owed = InputFiles.takeOwed(input);
    expect(owed).toBe(j.settle);
    expect(InputFiles.takeOwed(input)).toBeUndefined();
  });

  it('no claim when no load run will read the input (the dump is judged by a verifier child)', () => {
    const inputs = new InputFiles();
    inputs.expect('json', 10, 1, 0, 1); // sizes only
    expect(inputs.claim('json', 10)).toBe(false);
  });

  it('removes the input after its last reader, not before', async () => {
    const inputs = new InputFiles();
    inputs.expect('json', 10, 1, 1, 1);
    const f = file('run1');
    inputs.claim('json', 10);
    const j = judged();
    inputs.offer('json', 10, f, 'abc', j.judgement, j.settle);
    inputs.dumpEnded('json', 10);
    inputs.release('json', 10);
    expect(existsSync(f)).toBe(true);
    inputs.release('json', 10);
    expect(existsSync(f)).toBe(false);
  });

  it('without a dump file, the first reader has the file written once, after the last dump run ended', async () => {
    const inputs = new InputFiles();
    inputs.expect('json', 10, 2, 1, 1);
    const path = join(dir, 'json-10.json');
    let writes = 0;
    const write = async (): Promise<string | undefined> => {
      writes++;
      writeFileSync(path, 'prepared');
      return undefined;
    };
    const results: (InputFile | string)[] = [];
    const a = inputs.get('json', 10, path, write).then((x) => results.push(x));
    const b = inputs.get('json', 10, path, write).then((x) => results.push(x));
    inputs.dumpEnded('json', 10); // a failed dump: no file offered
    await tick();
    expect(writes).toBe(0); // one dump run is still to end and may give a file
    inputs.dumpEnded('json', 10);
    await Promise.all([a, b]);
    expect(writes).toBe(1);
    expect(results).toEqual([
      { path, users: 2 },
      { path, users: 2 },
    ]);
    expect(results[0]).toBe(results[1]);
    inputs.release('json', 10);
    inputs.release('json', 10);
    expect(existsSync(path)).toBe(false);
  });

  it('with no dump run in this sitting (--resume), a reader does not wait; a failed write is the reason, for every reader', async () => {
    const inputs = new InputFiles();
    inputs.expect('json', 10, 0, 1, 1);
    const write = async (): Promise<string | undefined> => 'could not write the input file';
    expect(await inputs.get('json', 10, join(dir, 'x'), write)).toBe('could not write the input file');
    expect(await inputs.get('json', 10, join(dir, 'x'), noWrite)).toBe('could not write the input file');
  });

  it('keeps each (codec, n) apart', async () => {
    const inputs = new InputFiles();
    inputs.expect('json', 10, 1, 1, 0);
    inputs.expect('json', 20, 1, 1, 0);
    inputs.expect('text', 10, 1, 1, 0);
    const f = file('json-10');
    expect(inputs.claim('json', 10)).toBe(true);
    const j = judged();
    inputs.offer('json', 10, f, 'abc', j.judgement, j.settle);
    expect(await inputs.fromDump('json', 10)).toMatchObject({ path: f });
    inputs.dumpEnded('json', 20);
    inputs.dumpEnded('text', 10);
    expect(await inputs.fromDump('json', 20)).toBeNull();
    expect(await inputs.fromDump('text', 10)).toBeNull();
  });
});

describe('Verdicts', () => {
  const run = (codec: string, r: number, n = 10): RunId => ({ codec, n, run: r });
  const exact: Judgement = { verified: true, uint64: 'exact', verification: { method: 'fresh-process', loadRun: 1 } };

  it('the first file of a hash is judged; an identical one gets that verdict by identity once it is in, naming the run', async () => {
    const v = new Verdicts();
    const a = v.onHash(run('text', 1), 42, 'h');
    const b = v.onHash(run('text', 2), 42, 'h');
    expect(a.kind).toBe('judge');
    expect(b.kind).toBe('identity');
    let answer: unknown = 'waiting';
    const asked = b.judgement.then((x) => (answer = x));
    await tick();
    expect(answer).toBe('waiting'); // the first file's verdict is not in yet
    if (a.kind === 'judge') a.settle(exact);
    await asked;
    expect(answer).toEqual({ verified: true, uint64: 'exact', verification: { method: 'identity', sha256: 'h', sameAs: run('text', 1) } });
    expect(await a.judgement).toEqual(exact);
  });

  it('a lossy verdict is shared by identity too (same bytes, same decoder), with its error', async () => {
    const v = new Verdicts();
    const a = v.onHash(run('bson', 1), 42, 'h');
    if (a.kind === 'judge') a.settle({ verified: false, uint64: 'lossy', error: 'first differing record 3', verification: { method: 'fresh-process' } });
    expect(await v.onHash(run('bson', 2), 42, 'h').judgement).toEqual({
      verified: false,
      uint64: 'lossy',
      error: 'first differing record 3',
      verification: { method: 'identity', sha256: 'h', sameAs: run('bson', 1) },
    });
  });

  it('the same bytes for other data (n or seed) or of another codec are not the same verdict', () => {
    const v = new Verdicts();
    v.onHash(run('json', 1, 10), 42, 'h');
    expect(v.onHash(run('json', 1, 20), 42, 'h').kind).toBe('judge');
    expect(v.onHash(run('json', 2, 10), 7, 'h').kind).toBe('judge');
    // json-stream writes json's bytes, but its own decoder must read them
    expect(v.onHash(run('json-stream', 1, 10), 42, 'h').kind).toBe('judge');
    expect(v.onHash(run('json', 2, 10), 42, 'h').kind).toBe('identity');
    expect(v.onHash(run('json-stream', 2, 10), 42, 'h').kind).toBe('identity');
  });

  it('a verdict never settled: none when interrupted (the runs are not kept), a loud failure otherwise; a settled one stays', async () => {
    const v = new Verdicts();
    const a = v.onHash(run('json', 1), 42, 'a');
    const b = v.onHash(run('json', 1), 42, 'b');
    if (a.kind === 'judge') a.settle(exact);
    v.close(true);
    expect(await a.judgement).toEqual(exact);
    expect(await b.judgement).toBeUndefined();
    const w = new Verdicts();
    const c = w.onHash(run('json', 1), 42, 'c');
    w.close(false);
    expect(await c.judgement).toMatchObject({ verified: false, unjudged: true, error: expect.stringMatching(/no process judged/) });
  });
});

describe('Scheduler with a stand-in child runner (no processes)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'footprint-sched-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const figures = (fileSha256: string): ChildFigures =>
    ({ peakRssBytes: 1, baselineRssBytes: 0, peakRssIncrementBytes: 1, verified: true, fileSha256, verdictFromParent: true }) as unknown as ChildFigures;

  /** A dump case of `runs` runs, run by a Scheduler whose children are `runner`. */
  async function runDumps(runs: number, runner: ChildRunner): Promise<PlannedCase> {
    const codec = CODECS.find((c) => c.name === 'json')!;
    const opts = {
      n: [100],
      datasets: [{ name: 'tuples', n: [100] }],
      seed: 42,
      repeats: runs,
      codecs: ['json'],
      phases: ['dump'],
      maxOldSpaceSizeMb: 512,
      timeoutMs: 10_000,
      sampleMs: 0,
      outFile: join(dir, 'r.json'),
      nodeBinary: process.execPath,
      codecModules: [],
      sizes: false,
    } as unknown as SuiteOptions;
    const dump: PlannedCase = {
      spec: { codec: 'json', phase: 'dump', n: 100, seed: 42, file: '', expect: 'x', codecModules: [] },
      result: { dataset: 'tuples', codec: 'json', phase: 'dump', n: 100, state: 'ok', runs: [], summary: {}, reproduce: '' },
      priorRuns: 0,
      missing: runs,
      recorded: false,
    };
    const report = {
      codecs: { json: { kind: 'whole', description: '', importCost: { rssBytes: 0, heapBytes: 0, externalBytes: 0, ms: 0 } } },
      data: [{ dataset: 'tuples', n: 100, intrinsicBytes: 3600, heapBytes: null }],
      cases: [],
    } as unknown as Report;
    const ctx = { opts, flags: [], report, plan: [dump], codecs: [codec], workDir: dir, outDir: dir, jobs: 1, wallStart: 0 };
    await new Scheduler({ ...ctx, busy: new BusyIntervals(), totals: newTotals(), save: () => {}, progress: () => {}, runChild: runner }).run();
    return dump;
  }

  it('dump runs: the first file judged by a verifier child, a byte-identical second by identity; the case ends ok', async () => {
    const phases: string[] = [];
    const runner: ChildRunner = async (spec, o) => {
      phases.push(spec.phase);
      if (spec.phase === 'verify') return { kind: 'verify', verified: true, uint64: 'exact' };
      writeFileSync(spec.file, 'same bytes');
      expect(o.onFileHash?.('aa')).toBe(true); // the parent judges every dump file
      return { kind: 'result', figures: figures('aa'), markers: [] };
    };
    const dump = await runDumps(2, runner);
    expect(phases).toEqual(['dump', 'verify', 'dump']);
    expect(dump.result.state).toBe('ok');
    expect(dump.result.runs.map((r) => r.verification)).toEqual([
      { method: 'fresh-process' },
      { method: 'identity', sha256: 'aa', sameAs: { codec: 'json', n: 100, run: 1 } },
    ]);
    expect(dump.result.uint64).toBe('exact');
  });

  it('a dump run that fails ends its case: the remaining runs are skipped, the failure is the case error', async () => {
    const phases: string[] = [];
    const runner: ChildRunner = async (spec) => {
      phases.push(spec.phase);
      return { kind: 'oom', error: 'out of memory', exitCode: 134, exitSignal: null, stderrTail: '' };
    };
    const dump = await runDumps(3, runner);
    expect(phases).toEqual(['dump']);
    expect(dump.result.state).toBe('oom');
    expect(dump.result.runs).toEqual([]);
    expect(dump.result.error).toMatch(/out of memory/);
  });

  it('a file the verifier finds different is lossy, named by its verdict', async () => {
    const runner: ChildRunner = async (spec, o) => {
      if (spec.phase === 'verify') return { kind: 'verify', verified: false, uint64: 'lossy', error: 'tuple 3: uint64 differs' };
      writeFileSync(spec.file, 'bytes');
      o.onFileHash?.('bb');
      return { kind: 'result', figures: figures('bb'), markers: [] };
    };
    const dump = await runDumps(1, runner);
    expect(dump.result.state).toBe('lossy');
    expect(dump.result.runs[0]!.verified).toBe(false);
    expect(dump.result.error).toMatch(/uint64 differs/);
  });
});
