/**
 * The input file of each (codec, n): what its load runs read and its compressed sizes measure.
 * It is the file of the first dump run of this sitting that hashed a new file when a load will
 * read it (the run "claims" the input), and that run's verdict comes from the first load run
 * that reads it (bench/run/verdicts.ts): no extra child writes or verifies it. Without a claim
 * (no load run in this sitting), the first dump file offered is the input of the sizes. The
 * sizes are measured only once the file was judged exact. Only when no dump run gives one (they
 * failed, or --resume measured them in an earlier sitting) does an unmeasured prepare child
 * write it, once. Each file is removed as soon as its last reader is done, so a large N keeps at
 * most the files in use on disk, not one per codec.
 *
 * Tasks run `jobs` at once, so a load may start while its codec's dumps still run: it waits
 * here until the claimed dump file arrives or the last dump ended without one.
 */
import { rmSync } from 'node:fs';
import { deferred } from './deferred.js';
import type { Judgement } from './verdicts.js';

/** A load's input for one (codec, n). Written once. */
export interface InputFile {
  path: string;
  sha256?: string;
  /** Tasks (load runs, sizes) still to read it; removed when none is left. */
  users: number;
  /** A dump file: its verdict (undefined if none came). */
  judgement?: Promise<Judgement | undefined>;
  /** Set while the dump's verdict is owed by whoever reads the file first (a load run); take it with takeOwed. */
  owed?: (j: Judgement | undefined) => void;
}

interface Entry {
  /** Resolves with the claimed dump file, or null once no dump run of this sitting can give one. */
  ready: ReturnType<typeof deferred<InputFile | null>>;
  file: InputFile | null;
  settled: boolean;
  /** Dump runs of this sitting not yet ended. */
  pendingDumps: number;
  /** Tasks that will read the input (see InputFile.users), and how many of them are load runs. */
  users: number;
  loads: number;
  /** A dump run claimed the input: its file will be offered. */
  claimed: boolean;
  /** The dump case failed: its runs not yet started are skipped, so no file comes but a claimed one. */
  noMore?: boolean;
  /** The prepare child's file (or why it could not write it), when no dump file came. */
  prepared?: Promise<InputFile | string>;
}

export class InputFiles {
  private readonly entries = new Map<string, Entry>();

  private entry(codec: string, n: number): Entry {
    const k = `${codec}\u0000${n}`;
    let e = this.entries.get(k);
    if (!e) {
      e = { ready: deferred<InputFile | null>(), file: null, settled: false, pendingDumps: 0, users: 0, loads: 0, claimed: false };
      this.entries.set(k, e);
    }
    return e;
  }

  private settle(e: Entry, file: InputFile | null): void {
    e.settled = true;
    e.ready.resolve(file);
  }

  /**
   * Before any task runs: `dumps` dump runs of (codec, n) will end here, and `loads` load runs and
   * `others` other tasks will read its input (its sizes, and the load runs of codecs whose files
   * this codec's dump writes, which never judge it).
   */
  expect(codec: string, n: number, dumps: number, loads: number, others: number): void {
    const e = this.entry(codec, n);
    e.pendingDumps = dumps;
    e.users = loads + others;
    e.loads = loads;
    if (dumps === 0) this.settle(e, null); // no dump file in this sitting: a reader goes straight to the prepare child
  }

  /** A dump run hashed its file: true for the first one when a load run will read the input (its file is then offered, its verdict owed by that load). */
  claim(codec: string, n: number): boolean {
    const e = this.entry(codec, n);
    if (e.claimed || e.settled || e.loads <= 0) return false;
    e.claimed = true;
    return true;
  }

  /** The claiming run failed: its file will not come, so another run's may be the input. */
  unclaim(codec: string, n: number): void {
    const e = this.entry(codec, n);
    e.claimed = false;
    if (e.noMore && !e.settled) this.settle(e, null);
  }

  /**
   * The dump case failed: its remaining runs are skipped, and some of them may come after a load
   * run in the task list (the first load follows the first `jobs` dumps), so readers must not wait
   * for them: unless a running run holds the claim (its file, or its unclaim, settles it), no dump
   * file comes, and the first reader has one written.
   */
  noMoreDumps(codec: string, n: number): void {
    const e = this.entry(codec, n);
    e.noMore = true;
    if (!e.claimed && !e.settled) this.settle(e, null);
  }

  /**
   * A dump run's file: the claiming run's, with its verdict to come (`owed`, settled by the first
   * load run that takes it), or, without a claim, another run's with its verdict (a verifier
   * child's, or by identity). The first one becomes the input, if anything reads it; any other is
   * removed now.
   */
  offer(codec: string, n: number, path: string, sha256: string, judgement: Promise<Judgement | undefined>, owed?: (j: Judgement | undefined) => void): void {
    const e = this.entry(codec, n);
    // while a run holds the claim, only its file (the one with a verdict owed) can be the input
    if (e.settled || e.users <= 0 || (e.claimed && !owed)) {
      rmSync(path, { force: true });
      return;
    }
    e.file = { path, users: e.users, sha256, judgement, ...(owed ? { owed } : {}) };
    this.settle(e, e.file);
  }

  /** The verdict a reader of `file` now owes, once: the first reader to ask judges the file (then nobody else does). */
  static takeOwed(file: InputFile): ((j: Judgement | undefined) => void) | undefined {
    const owed = file.owed;
    delete file.owed;
    return owed;
  }

  /** A dump run ended (measured, failed or skipped); after the last one, readers stop waiting for a dump file. */
  dumpEnded(codec: string, n: number): void {
    const e = this.entry(codec, n);
    if (--e.pendingDumps <= 0 && !e.settled) this.settle(e, null);
  }

  /** The claimed dump file of this sitting, or null after the last dump run ended without one. */
  fromDump(codec: string, n: number): Promise<InputFile | null> {
    return this.entry(codec, n).ready.promise;
  }

  /**
   * The input file of (codec, n): the claimed dump file, else the file `write` puts at `path`
   * (called once, by the first reader; the others wait for it). A string says why there is none.
   */
  async get(codec: string, n: number, path: string, write: () => Promise<string | undefined>): Promise<InputFile | string> {
    const e = this.entry(codec, n);
    const fromDump = await e.ready.promise;
    if (fromDump) return fromDump;
    e.prepared ??= (async (): Promise<InputFile | string> => {
      const failure = await write();
      if (failure !== undefined) return failure;
      e.file = { path, users: e.users };
      return e.file;
    })();
    return e.prepared;
  }

  /** A reader is done with the input: the file is removed after its last reader. */
  release(codec: string, n: number): void {
    const e = this.entry(codec, n);
    if (e.file && --e.file.users <= 0) rmSync(e.file.path, { force: true });
  }
}
