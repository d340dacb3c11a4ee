/**
 * The scheduler's pieces that need no child process: the workers that take the task list in
 * order, the input files of the loads (bench/run/inputs.ts) and the dumps' verdicts
 * (bench/run/verdicts.ts); and the scheduler's dump runs with a stand-in child runner. The whole
 * scheduler with real children is covered by the CLI's end-to-end, resume and interrupt tests.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Interrupted } from '../bench/run/case.js';
import { type DumpRun, type InputFile, InputFiles, type Judgement } from '../bench/run/inputs.js';
import { runWorkers, Scheduler, type Task } from '../bench/run/scheduler.js';
import type { PlannedCase } from '../bench/run/planned-case.js';
import type { ChildRunner } from '../bench/run/spawn.js';
import { BusyIntervals, newTotals } from '../bench/run/timing.js';
import { CODECS } from '../bench/codecs/index.js';
import type { ChildFigures } from '../bench/measure/protocol.js';
import type { Report, SuiteOptions } from '../bench/types.js';

/** A promise with its resolve function. */
function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

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

describe("InputFiles: a dump file from its hash to its verdict, and the loads' input", () => {
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
  const exact: Judgement = { verified: true, uint64: 'exact', verification: { method: 'fresh-process', loadRun: 1 } };
  const noVerifier = async (): Promise<Judgement> => {
    throw new Error('no verifier child expected');
  };
  /** Dump run `run` of (codec, n) with its file at `path` (written), judged by `verify` if a verifier child must. */
  const dumpRun = (codec: string, run: number, opts: { n?: number; seed?: number; verify?: () => Promise<Judgement> } = {}): DumpRun => ({
    id: { codec, n: opts.n ?? 10, run },
    seed: opts.seed ?? 42,
    path: file(`${codec}-${opts.n ?? 10}-${opts.seed ?? 42}-run${run}`),
    verify: opts.verify ?? noVerifier,
  });

  it('the first dump run to hash its file claims the input when a load will read it; the load waits for the offered file', async () => {
    const inputs = new InputFiles();
    inputs.expect('json', 10, 2, 1, 1); // 2 dump runs, 1 load run, sizes
    let got: InputFile | string | undefined;
    const load = inputs.get('json', 10, join(dir, 'json-10.json'), noWrite).then((x) => (got = x));
    await tick();
    expect(got).toBeUndefined(); // no dump file yet: the load waits
    const first = dumpRun('json', 1);
    let verified = 0;
    const second = dumpRun('json', 2, {
      verify: async () => {
        verified++;
        return exact;
      },
    });
    expect(inputs.onHash(first, 'abc')).toBe(true);
    expect(inputs.onHash(second, 'def')).toBe(true); // other bytes: judged, but not the input
    await inputs.measured(first, 'abc');
    await load;
    expect(got).toMatchObject({ path: first.path, sha256: 'abc', users: 2 });
    expect(typeof (got as InputFile).owed).toBe('function'); // its verdict is owed by the load that reads it
    await inputs.measured(second, 'def');
    expect(verified).toBe(1); // not claimed: a verifier child judged it
    expect(existsSync(second.path)).toBe(false); // not the input: removed
    inputs.dumpEnded('json', 10);
    inputs.dumpEnded('json', 10);
    expect(await inputs.fromDump('json', 10)).toBe(got);
  });

  it('the verdict owed with the file is taken once, by the first reader; a byte-identical file gets it by identity, naming the run', async () => {
    const inputs = new InputFiles();
    inputs.expect('json', 10, 2, 2, 0);
    const first = dumpRun('json', 1);
    const second = dumpRun('json', 2);
    inputs.onHash(first, 'h');
    inputs.onHash(second, 'h');
    const { judgement } = await inputs.measured(first, 'h');
    const same = await inputs.measured(second, 'h');
    expect(existsSync(second.path)).toBe(false);
    const input = (await inputs.fromDump('json', 10))!;
    expect(input.path).toBe(first.path);
    let answer: unknown = 'waiting';
    const asked = same.judgement.then((x) => (answer = x));
    await tick();
    expect(answer).toBe('waiting'); // the first file's verdict is not in yet
    const owed = InputFiles.takeOwed(input)!;
    expect(InputFiles.takeOwed(input)).toBeUndefined();
    owed(exact);
    owed({ verified: false, verification: { method: 'fresh-process' } }); // the first word counts
    await asked;
    expect(await judgement).toEqual(exact);
    expect(answer).toEqual({ verified: true, uint64: 'exact', verification: { method: 'identity', sha256: 'h', sameAs: first.id } });
  });

  it("no claim when no load run will read the input: a verifier child judges the dump, whose file is the sizes' input", async () => {
    const inputs = new InputFiles();
    inputs.expect('json', 10, 1, 0, 1); // sizes only
    const lossy: Judgement = { verified: false, uint64: 'lossy', error: 'first differing record 3', verification: { method: 'fresh-process' } };
    const run = dumpRun('json', 1, { verify: async () => lossy });
    inputs.onHash(run, 'h');
    const { judgement, verifierMs } = await inputs.measured(run, 'h');
    expect(verifierMs).toBeGreaterThanOrEqual(0);
    expect(await judgement).toEqual(lossy);
    const input = (await inputs.fromDump('json', 10))!;
    expect(input.owed).toBeUndefined();
    expect(await input.judgement).toEqual(lossy);
    // a lossy verdict is shared by identity too (same bytes, same decoder), with its error
    const again = dumpRun('json', 2);
    inputs.onHash(again, 'h');
    expect(await (await inputs.measured(again, 'h')).judgement).toEqual({ ...lossy, verification: { method: 'identity', sha256: 'h', sameAs: run.id } });
  });

  it('the same bytes for other data (n or seed) or of another codec are judged on their own', async () => {
    const inputs = new InputFiles();
    let verified = 0;
    const verify = async (): Promise<Judgement> => {
      verified++;
      return exact;
    };
    const runs = [
      dumpRun('json', 1, { verify }),
      dumpRun('json', 1, { n: 20, verify }),
      dumpRun('json', 2, { seed: 7, verify }),
      // json-stream writes json's bytes, but its own decoder must read them
      dumpRun('json-stream', 1, { verify }),
      dumpRun('json', 3, { verify }),
    ];
    for (const r of runs) inputs.onHash(r, 'h');
    for (const r of runs) await inputs.measured(r, 'h');
    expect(verified).toBe(4); // the last is json's run 1's bytes: by identity
  });

  it("a failed run that held the claim gives it up: the next run's file is the input; a case that failed lets readers stop waiting", async () => {
    const inputs = new InputFiles();
    inputs.expect('json', 10, 3, 1, 0);
    let verified = 0;
    const verify = async (): Promise<Judgement> => {
      verified++;
      return exact;
    };
    const failing = dumpRun('json', 1, { verify });
    inputs.onHash(failing, createHash('sha256').update(readFileSync(failing.path)).digest('hex'));
    await inputs.failed(failing);
    expect(verified).toBe(1); // its hashed bytes are judged (a run with identical bytes may wait for them)
    const changed = dumpRun('json', 9, { verify });
    inputs.onHash(changed, 'not its bytes');
    await inputs.failed(changed);
    expect(verified).toBe(1); // the file changed since its hash: those bytes are not judged
    expect(existsSync(failing.path)).toBe(false);
    const next = dumpRun('json', 2);
    inputs.onHash(next, 'other');
    await inputs.measured(next, 'other');
    expect((await inputs.fromDump('json', 10))?.path).toBe(next.path);
    const other = new InputFiles();
    other.expect('json', 10, 3, 1, 0);
    other.noMoreDumps('json', 10); // two runs are still to come (skipped): the readers must not wait for them
    expect(await other.fromDump('json', 10)).toBeNull();
  });

  it('removes the input after its last reader, not before', async () => {
    const inputs = new InputFiles();
    inputs.expect('json', 10, 1, 1, 1);
    const run = dumpRun('json', 1);
    inputs.onHash(run, 'abc');
    await inputs.measured(run, 'abc');
    inputs.dumpEnded('json', 10);
    inputs.release('json', 10);
    expect(existsSync(run.path)).toBe(true);
    inputs.release('json', 10);
    expect(existsSync(run.path)).toBe(false);
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
    const run = dumpRun('json', 1);
    inputs.onHash(run, 'abc');
    await inputs.measured(run, 'abc');
    expect(await inputs.fromDump('json', 10)).toMatchObject({ path: run.path });
    inputs.dumpEnded('json', 20);
    inputs.dumpEnded('text', 10);
    expect(await inputs.fromDump('json', 20)).toBeNull();
    expect(await inputs.fromDump('text', 10)).toBeNull();
  });

  it('a verdict never settled: none when interrupted (the runs are not kept), a loud failure otherwise; a settled one stays', async () => {
    const inputs = new InputFiles();
    inputs.expect('json', 10, 2, 1, 0);
    const a = dumpRun('json', 1);
    const b = dumpRun('json', 2);
    inputs.onHash(a, 'a');
    inputs.onHash(b, 'b');
    const ja = (await inputs.measured(a, 'a')).judgement;
    InputFiles.takeOwed((await inputs.fromDump('json', 10))!)!(exact);
    inputs.abandon(b); // b's run threw (interrupted) before it measured: no verdict on its bytes
    const sameAsB = dumpRun('json', 3);
    inputs.onHash(sameAsB, 'b');
    expect(await (await inputs.measured(sameAsB, 'b')).judgement).toBeUndefined();
    inputs.close(true);
    expect(await ja).toEqual(exact);
    const w = new InputFiles();
    const c = dumpRun('json', 1);
    w.onHash(c, 'c');
    const { judgement } = await w.measured(c, 'c').catch(() => ({ judgement: Promise.resolve(undefined) }));
    expect(await judgement).toBeUndefined(); // its verifier threw (interrupted)
    const x = new InputFiles();
    x.expect('json', 10, 1, 1, 0);
    const d = dumpRun('json', 1);
    x.onHash(d, 'd');
    const jd = (await x.measured(d, 'd')).judgement;
    x.close(false);
    expect(await jd).toMatchObject({ verified: false, unjudged: true, error: expect.stringMatching(/no process judged/) });
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

  /** A dump case of `runs` runs (and a load case of `loads` runs), run by a Scheduler whose children are `runner`. */
  async function runCases(runs: number, runner: ChildRunner, loads = 0): Promise<{ dump: PlannedCase; load: PlannedCase }> {
    const codec = CODECS.find((c) => c.name === 'json')!;
    const opts = {
      n: [100],
      datasets: [{ name: 'tuples', n: [100] }],
      seed: 42,
      repeats: runs,
      codecs: ['json'],
      phases: loads > 0 ? ['dump', 'load'] : ['dump'],
      maxOldSpaceSizeMb: 512,
      timeoutMs: 10_000,
      sampleMs: 0,
      outFile: join(dir, 'r.json'),
      nodeBinary: process.execPath,
      codecModules: [],
      sizes: false,
    } as unknown as SuiteOptions;
    const planned = (phase: 'dump' | 'load', missing: number): PlannedCase => ({
      spec: { codec: 'json', phase, n: 100, seed: 42, file: '', expect: 'x', codecModules: [] },
      result: { dataset: 'tuples', codec: 'json', phase, n: 100, state: 'ok', runs: [], summary: {}, reproduce: '' },
      priorRuns: 0,
      missing,
      recorded: false,
    });
    const dump = planned('dump', runs);
    const load = planned('load', loads);
    const report = {
      codecs: { json: { kind: 'whole', description: '', importCost: { rssBytes: 0, heapBytes: 0, externalBytes: 0, ms: 0 } } },
      data: [{ dataset: 'tuples', n: 100, intrinsicBytes: 3600, heapBytes: null }],
      cases: [],
    } as unknown as Report;
    const plan = loads > 0 ? [dump, load] : [dump];
    const ctx = { opts, flags: [], report, plan, codecs: [codec], workDir: dir, outDir: dir, jobs: 1, wallStart: 0 };
    await new Scheduler({ ...ctx, busy: new BusyIntervals(), totals: newTotals(), save: () => {}, progress: () => {}, runChild: runner }).run();
    return { dump, load };
  }
  const runDumps = async (runs: number, runner: ChildRunner): Promise<PlannedCase> => (await runCases(runs, runner)).dump;

  it('dump and load: the first dump file is claimed as the input and judged by the load run that reads it; an identical second by identity', async () => {
    const calls: string[] = [];
    const runner: ChildRunner = async (spec, o) => {
      calls.push(`${spec.phase} ${spec.file.split('/').pop()}`);
      if (spec.phase === 'load')
        return { kind: 'result', figures: { ...figures('ignored'), verdictFromParent: undefined, uint64: 'exact' } as unknown as ChildFigures, markers: [] };
      if (spec.phase !== 'dump') throw new Error(`no ${spec.phase} child expected`);
      writeFileSync(spec.file, 'same bytes');
      expect(o.onFileHash?.('aa')).toBe(true);
      return { kind: 'result', figures: figures('aa'), markers: [] };
    };
    const { dump, load } = await runCases(2, runner, 1);
    // jobs 1: the first dump run, the load run (right after it; it reads run 1's file), then the second dump run
    expect(calls).toEqual(['dump json-100-run1.json', 'load json-100-run1.json', 'dump json-100-run2.json']);
    expect(dump.result.state).toBe('ok');
    expect(dump.result.runs.map((r) => r.verification)).toEqual([
      { method: 'fresh-process', loadRun: 1 },
      { method: 'identity', sha256: 'aa', sameAs: { codec: 'json', n: 100, run: 1 } },
    ]);
    expect(dump.result.uint64).toBe('exact');
    expect(dump.result.incomplete).toBeUndefined();
    expect(load.result.state).toBe('ok');
    expect(load.result.runs).toHaveLength(1);
  });

  it('a failed dump run ends its case, and the load does not wait for the runs it skips: a prepare child writes its input', async () => {
    const calls: string[] = [];
    const runner: ChildRunner = async (spec) => {
      calls.push(spec.phase);
      if (spec.phase === 'dump') return { kind: 'failed', error: 'codec threw', exitCode: 1, exitSignal: null, stderrTail: 'Error: boom' };
      if (spec.phase === 'prepare') {
        writeFileSync(spec.file, 'prepared');
        return { kind: 'prepared' };
      }
      return { kind: 'result', figures: { ...figures('ignored'), verdictFromParent: undefined } as unknown as ChildFigures, markers: [] };
    };
    const { dump, load } = await runCases(2, runner, 1);
    expect(calls).toEqual(['dump', 'prepare', 'load']);
    expect(dump.result.state).toBe('failed');
    expect(dump.result.runs).toEqual([]);
    expect(dump.result.error).toMatch(/codec threw/);
    expect(load.result.state).toBe('ok');
  });

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
