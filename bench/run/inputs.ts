/**
 * One dataset's files: each dump run's file from its hash to its verdict, and the input file of
 * each (codec, n) that its load runs read and its compressed sizes measure. A dump run's file goes
 * through this one object: `onHash` (the child hashed it) → `measured` or `failed` → the verdict
 * (`settle`, by whoever judges it) → `dumpEnded`.
 *
 * Who judges a dump's file. A dump child hashes the file it wrote (SHA-256) and leaves the verdict
 * to the orchestrator, which gets it from a fresh process in one of three ways:
 * - **identity**: a byte-identical file of the same codec and data (n, seed) was already judged in
 *   this run (the same bytes, the same decoder): that verdict, exact or not, naming its run. The
 *   dump runs of one codec pay once. Not across codecs: a verdict is about the bytes *and* the
 *   decoder that read them (a lossy decoder would make an identical file of another codec look
 *   lossy), and each codec's first file is judged by its own load run at no cost anyway.
 * - **the load run**: the first file of (codec, n) is the input its load case reads, and a load's
 *   measured child already reads it back in a fresh process and compares the checksum (outside its
 *   measured window): its verdict is the dump's, and no extra process runs. A load that fails
 *   leaves the judging to a verifier child (the sizes wait for it).
 * - **a verifier child**: a fresh process that reads the file back, as before.
 * Dumps run `jobs` at once and a load judges later, so a verdict is a promise: a dump run is
 * recorded when its verdict is in; if none comes (interrupted), the run is not kept.
 *
 * The input file. It is the file of the first dump run of this sitting that hashed a new file when
 * a load will read it (the run "claims" the input), and that run's verdict comes from the first
 * load run that reads it. Without a claim (no load run in this sitting), the first dump file
 * offered is the input of the sizes. The sizes are measured only once the file was judged exact.
 * Only when no dump run gives one (they failed, or --resume measured them in an earlier sitting)
 * does an unmeasured prepare child write it, once. Each file is removed as soon as its last reader
 * is done, so a large N keeps at most the files in use on disk, not one per codec. Tasks run
 * `jobs` at once, so a load may start while its codec's dumps still run: it waits here until the
 * claimed dump file arrives or the last dump ended without one.
 */
import { existsSync, rmSync } from 'node:fs';
import { sha256File } from '../measure/file-hash.js';
import { monotonicMs } from '../measure/protocol.js';
import type { Uint64Verdict, Verification } from '../types.js';

/** A fresh process's verdict on a file. `unjudged`: it could not read the file back (the case fails; the data was never judged). */
export interface Verdict {
  verified: boolean;
  error?: string;
  uint64?: Uint64Verdict;
  unjudged?: boolean;
}

/** A dump run's verdict as recorded: what was found and how. */
export interface Judgement extends Verdict {
  verification: Verification;
}

export type RunId = { codec: string; n: number; run: number };

/** Gives a verdict (undefined: none will come, interrupted). */
export type Settle = (j: Judgement | undefined) => void;

/** One dump run's file, as the scheduler hands it in: whose run, where, and how a verifier child judges it. */
export interface DumpRun {
  id: RunId;
  seed: number;
  path: string;
  /** A verifier child's verdict on this file. */
  verify: () => Promise<Judgement>;
}

/** A load's input for one (codec, n). Written once. */
export interface InputFile {
  path: string;
  sha256?: string;
  /** Tasks (load runs, sizes) still to read it; removed when none is left. */
  users: number;
  /** A dump file: its verdict (undefined if none came). */
  judgement?: Promise<Judgement | undefined>;
  /** Set while the dump's verdict is owed by whoever reads the file first (a load run); take it with takeOwed. */
  owed?: Settle;
}

interface Entry {
  /** Resolves with the claimed dump file, or null once no dump run of this sitting can give one. */
  ready: Promise<InputFile | null>;
  resolveReady: (file: InputFile | null) => void;
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

/** A dump run's file once hashed: its verdict, and if it is the first with these bytes, how to give it (then it may hold the claim). */
interface Hashed {
  sha256: string;
  judgement: Promise<Judgement | undefined>;
  /** Set when this run judges its bytes (the first with them); the files identical to it take this verdict. */
  settle?: Settle;
  claimed: boolean;
}

export class InputFiles {
  private readonly entries = new Map<string, Entry>();
  /** `${codec}:${n}:${seed}:${sha256}` -> the first run that wrote these bytes, and their verdict. */
  private readonly bytes = new Map<string, { first: RunId; judgement: Promise<Judgement | undefined>; settle: Settle; settled: () => boolean }>();
  private readonly hashed = new Map<DumpRun, Hashed>();

  private entry(codec: string, n: number): Entry {
    const k = `${codec}\u0000${n}`;
    let e = this.entries.get(k);
    if (!e) {
      let resolveReady!: (file: InputFile | null) => void;
      const ready = new Promise<InputFile | null>((r) => (resolveReady = r));
      e = { ready, resolveReady, file: null, settled: false, pendingDumps: 0, users: 0, loads: 0, claimed: false };
      this.entries.set(k, e);
    }
    return e;
  }

  private settle(e: Entry, file: InputFile | null): void {
    e.settled = true;
    e.resolveReady(file);
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

  /**
   * The child hashed its file (its `onFileHash`): the first file with these bytes judges them, an
   * identical one takes their verdict by identity once it is in; the first judged file of
   * (codec, n) claims the input when a load run will read it (its file is then offered, its verdict
   * owed by that load). True: this orchestrator judges every file it is asked about.
   */
  onHash(file: DumpRun, sha256: string): boolean {
    const { codec, n } = file.id;
    const key = `${codec}:${n}:${file.seed}:${sha256}`;
    const known = this.bytes.get(key);
    if (known) {
      const sameAs = known.first;
      const judgement = known.judgement.then((j) => j && { ...withoutHow(j), verification: { method: 'identity' as const, sha256, sameAs } });
      this.hashed.set(file, { sha256, judgement, claimed: false });
      return true;
    }
    let resolve!: Settle;
    const judgement = new Promise<Judgement | undefined>((r) => (resolve = r));
    let settled = false;
    // the first word counts: a verdict given, or none (interrupted), is not replaced by a later one
    const settle: Settle = (j) => {
      if (settled) return;
      settled = true;
      resolve(j);
    };
    this.bytes.set(key, { first: file.id, judgement, settle, settled: () => settled });
    const e = this.entry(codec, n);
    const claimed = !e.claimed && !e.settled && e.loads > 0;
    if (claimed) e.claimed = true;
    this.hashed.set(file, { sha256, judgement, settle, claimed });
    return true;
  }

  /**
   * The run measured its file (`sha256`): offered as the loads' input (claimed: the first load run
   * that reads it judges it), or judged by a verifier child here (`verifierMs`, the run's
   * verification time), or byte-identical to a file judged (or being judged): its verdict.
   */
  async measured(file: DumpRun, sha256: string): Promise<{ judgement: Promise<Judgement | undefined>; verifierMs?: number }> {
    const { judgement, settle, claimed } = this.hashed.get(file)!;
    const e = this.entry(file.id.codec, file.id.n);
    if (settle && claimed) {
      this.offer(e, file.path, sha256, judgement, settle);
      return { judgement };
    }
    if (settle) {
      const t0 = monotonicMs();
      const j = await file.verify().catch((err: unknown) => {
        settle(undefined); // interrupted: a task waiting for this verdict (sizes) must not wait forever
        throw err;
      });
      settle(j);
      const verifierMs = monotonicMs() - t0;
      this.offer(e, file.path, sha256, judgement); // the input, if no claimed file is (the sizes need it)
      return { judgement, verifierMs };
    }
    this.offer(e, file.path, sha256, judgement);
    return { judgement };
  }

  /**
   * The run failed (or, without a hash, was judged by the child itself). If it failed after its file
   * was written and hashed, the codec's other runs with byte-identical files (at --jobs 2 one may be
   * running) wait for this verdict: a verifier child judges these bytes, unless the file changed
   * since. A claim it held is released: its file will not come, so another run's may be the input.
   */
  async failed(file: DumpRun): Promise<void> {
    const h = this.hashed.get(file);
    const settle = h?.settle;
    if (settle) {
      const unchanged = existsSync(file.path) && (await sha256File(file.path)) === h.sha256;
      settle(
        unchanged
          ? await file.verify().catch((err: unknown) => {
              settle(undefined);
              throw err;
            })
          : undefined,
      );
    }
    if (h?.claimed) {
      const e = this.entry(file.id.codec, file.id.n);
      e.claimed = false;
      if (e.noMore && !e.settled) this.settle(e, null);
    }
    rmSync(file.path, { force: true });
  }

  /** The run threw (interrupted): a task waiting for this file's verdict (sizes) must not wait forever. */
  abandon(file: DumpRun): void {
    this.hashed.get(file)?.settle?.(undefined);
  }

  /**
   * The dump case failed: its remaining runs are skipped, and some of them may come after a load
   * run in the task list (the first load follows the first `jobs` dumps), so readers must not wait
   * for them: unless a running run holds the claim (its file, or its failure, settles it), no dump
   * file comes, and the first reader has one written.
   */
  noMoreDumps(codec: string, n: number): void {
    const e = this.entry(codec, n);
    e.noMore = true;
    if (!e.claimed && !e.settled) this.settle(e, null);
  }

  /** A dump run ended (measured, failed or skipped); after the last one, readers stop waiting for a dump file. */
  dumpEnded(codec: string, n: number): void {
    const e = this.entry(codec, n);
    if (--e.pendingDumps <= 0 && !e.settled) this.settle(e, null);
  }

  /**
   * A dump run's file: the claiming run's, with its verdict to come (`owed`, settled by the first
   * load run that takes it), or, without a claim, another run's with its verdict (a verifier
   * child's, or by identity). The first one becomes the input, if anything reads it; any other is
   * removed now.
   */
  private offer(e: Entry, path: string, sha256: string, judgement: Promise<Judgement | undefined>, owed?: Settle): void {
    // while a run holds the claim, only its file (the one with a verdict owed) can be the input
    if (e.settled || e.users <= 0 || (e.claimed && !owed)) {
      rmSync(path, { force: true });
      return;
    }
    e.file = { path, users: e.users, sha256, judgement, ...(owed ? { owed } : {}) };
    this.settle(e, e.file);
  }

  /** The verdict a reader of `file` now owes, once: the first reader to ask judges the file (then nobody else does). */
  static takeOwed(file: InputFile): Settle | undefined {
    const owed = file.owed;
    delete file.owed;
    return owed;
  }

  /** The claimed dump file of this sitting, or null after the last dump run ended without one. */
  fromDump(codec: string, n: number): Promise<InputFile | null> {
    return this.entry(codec, n).ready;
  }

  /**
   * The input file of (codec, n): the claimed dump file, else the file `write` puts at `path`
   * (called once, by the first reader; the others wait for it). A string says why there is none.
   */
  async get(codec: string, n: number, path: string, write: () => Promise<string | undefined>): Promise<InputFile | string> {
    const e = this.entry(codec, n);
    const fromDump = await e.ready;
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

  /**
   * The end of the run's tasks: a verdict still open will not come. Interrupted, its runs are not
   * kept (undefined); otherwise it is a bug, and its runs fail loudly rather than wait forever.
   */
  close(interrupted: boolean): void {
    for (const b of this.bytes.values()) {
      if (b.settled()) continue;
      b.settle(
        interrupted
          ? undefined
          : { verified: false, unjudged: true, error: 'no process judged this file (a scheduler bug)', verification: { method: 'fresh-process' } },
      );
    }
  }
}

function withoutHow(j: Judgement): Verdict {
  const { verification: _how, ...v } = j;
  return v;
}
