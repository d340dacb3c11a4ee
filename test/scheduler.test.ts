/**
 * The scheduler's pieces that need no child process: the workers that take the task list in
 * order, the input files of the loads (bench/run/inputs.ts) and verification by identity
 * (bench/run/identity.ts). The whole scheduler with real children is covered by the CLI's
 * end-to-end, resume and interrupt tests.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Interrupted } from '../bench/run/case.js';
import { Identities } from '../bench/run/identity.js';
import { deferred, type InputFile, InputFiles } from '../bench/run/inputs.js';
import { runWorkers, type Task } from '../bench/run/scheduler.js';

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

  it('a load waits for the first verified dump file; a later verified one is removed at once', async () => {
    const inputs = new InputFiles();
    inputs.expect('json', 10, 2, 2); // 2 dump runs, 2 readers (one load run, sizes)
    let got: InputFile | string | undefined;
    const load = inputs.get('json', 10, join(dir, 'json-10.json'), noWrite).then((x) => (got = x));
    await tick();
    expect(got).toBeUndefined(); // no dump file yet: the load waits
    const first = file('run1');
    inputs.offerVerified('json', 10, first, 'abc');
    await load;
    expect(got).toEqual({ path: first, sha256: 'abc', users: 2 });
    inputs.dumpEnded('json', 10);
    const second = file('run2');
    inputs.offerVerified('json', 10, second, 'abc');
    inputs.dumpEnded('json', 10);
    expect(existsSync(second)).toBe(false);
    expect(existsSync(first)).toBe(true);
    expect(await inputs.fromDump('json', 10)).toEqual({ path: first, sha256: 'abc', users: 2 });
  });

  it('removes the input after its last reader, not before', async () => {
    const inputs = new InputFiles();
    inputs.expect('json', 10, 1, 2);
    const f = file('run1');
    inputs.offerVerified('json', 10, f, undefined);
    inputs.dumpEnded('json', 10);
    inputs.release('json', 10);
    expect(existsSync(f)).toBe(true);
    inputs.release('json', 10);
    expect(existsSync(f)).toBe(false);
  });

  it('removes a verified dump file nothing will read', async () => {
    const inputs = new InputFiles();
    inputs.expect('json', 10, 1, 0);
    const f = file('run1');
    inputs.offerVerified('json', 10, f, 'abc');
    expect(existsSync(f)).toBe(false);
  });

  it('without a verified dump file, the first reader has the file written once, after the last dump run ended', async () => {
    const inputs = new InputFiles();
    inputs.expect('json', 10, 2, 2);
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
    inputs.dumpEnded('json', 10); // a lossy or failed dump: no file offered
    await tick();
    expect(writes).toBe(0); // one dump run is still to end and may give a verified file
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
    inputs.expect('json', 10, 0, 2);
    const write = async (): Promise<string | undefined> => 'could not write the input file';
    expect(await inputs.get('json', 10, join(dir, 'x'), write)).toBe('could not write the input file');
    expect(await inputs.get('json', 10, join(dir, 'x'), noWrite)).toBe('could not write the input file');
  });

  it('keeps each (codec, n) apart', async () => {
    const inputs = new InputFiles();
    inputs.expect('json', 10, 1, 1);
    inputs.expect('json', 20, 1, 1);
    inputs.expect('text', 10, 1, 1);
    const f = file('json-10');
    inputs.offerVerified('json', 10, f, undefined);
    expect(await inputs.fromDump('json', 10)).toMatchObject({ path: f });
    inputs.dumpEnded('json', 20);
    inputs.dumpEnded('text', 10);
    expect(await inputs.fromDump('json', 20)).toBeNull();
    expect(await inputs.fromDump('text', 10)).toBeNull();
  });
});

describe('Identities', () => {
  const run = (codec: string, r: number, n = 10): { codec: string; n: number; run: number } => ({ codec, n, run: r });

  it('the first file of a hash is judged by its own verifier; an identical one names that run once it was judged exact', async () => {
    const ids = new Identities();
    const a = ids.forRun(run('text', 1), 42);
    const b = ids.forRun(run('text-stream', 1), 42);
    expect(await a.onFileHash('h')).toBeUndefined();
    let answer: unknown = 'waiting';
    const asked = b.onFileHash('h').then((x) => (answer = x));
    await tick();
    expect(answer).toBe('waiting'); // the first file's verdict is not in yet
    a.judged(true);
    await asked;
    expect(answer).toEqual(run('text', 1));
    b.judged(false); // b did not verify: nothing changes
    expect(await ids.forRun(run('text', 2), 42).onFileHash('h')).toEqual(run('text', 1));
  });

  it('a file not judged exact proves nothing: the next identical file gets its own verifier', async () => {
    const ids = new Identities();
    const a = ids.forRun(run('bson', 1), 42);
    const b = ids.forRun(run('bson', 2), 42);
    expect(await a.onFileHash('h')).toBeUndefined();
    let answer: unknown = 'waiting';
    const asked = b.onFileHash('h').then((x) => (answer = x));
    await tick();
    a.judged(false);
    await asked;
    expect(answer).toBeUndefined(); // b judges it itself
    b.judged(true);
    expect(await ids.forRun(run('bson', 3), 42).onFileHash('h')).toEqual(run('bson', 2));
  });

  it('the same bytes for other data (n or seed) are not the same verdict', async () => {
    const ids = new Identities();
    const a = ids.forRun(run('json', 1, 10), 42);
    await a.onFileHash('h');
    a.judged(true);
    expect(await ids.forRun(run('json', 1, 20), 42).onFileHash('h')).toBeUndefined();
    expect(await ids.forRun(run('json', 2, 10), 7).onFileHash('h')).toBeUndefined();
    expect(await ids.forRun(run('json', 2, 10), 42).onFileHash('h')).toEqual(run('json', 1, 10));
  });
});
