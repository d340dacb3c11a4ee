/**
 * The input file of each (codec, n): what its load runs read and its compressed sizes measure.
 * It is the first file a dump run of this sitting wrote and a verifier judged exact (no extra
 * child, and the sizes are those of a file known to round-trip); only when no dump run gives
 * one (all dumps failed or were lossy, or --resume measured them in an earlier sitting) does an
 * unmeasured prepare child write it, once. Each file is removed as soon as its last reader is
 * done, so a large N keeps at most the files in use on disk, not one per codec.
 *
 * Tasks run `jobs` at once, so a load may start while its codec's dumps still run: it waits
 * here until the first verified dump file arrives or the last dump ended without one.
 */
import { rmSync } from 'node:fs';

/** A load's input for one (codec, n). Written once. */
export interface InputFile {
  path: string;
  sha256?: string;
  /** Tasks (load runs, sizes) still to read it; removed when none is left. */
  users: number;
}

/** A promise with its resolve function. */
export function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

interface Entry {
  /** Resolves with the first verified dump file, or null once no dump run of this sitting can give one. */
  ready: ReturnType<typeof deferred<InputFile | null>>;
  file: InputFile | null;
  settled: boolean;
  /** Dump runs of this sitting not yet ended. */
  pendingDumps: number;
  /** Tasks that will read the input (see InputFile.users). */
  users: number;
  /** The prepare child's file (or why it could not write it), when no dump file came. */
  prepared?: Promise<InputFile | string>;
}

export class InputFiles {
  private readonly entries = new Map<string, Entry>();

  private entry(codec: string, n: number): Entry {
    const k = `${codec}\u0000${n}`;
    let e = this.entries.get(k);
    if (!e) {
      e = { ready: deferred<InputFile | null>(), file: null, settled: false, pendingDumps: 0, users: 0 };
      this.entries.set(k, e);
    }
    return e;
  }

  private settle(e: Entry, file: InputFile | null): void {
    e.settled = true;
    e.ready.resolve(file);
  }

  /** Before any task runs: `dumps` dump runs of (codec, n) will end here, and `users` tasks will read its input. */
  expect(codec: string, n: number, dumps: number, users: number): void {
    const e = this.entry(codec, n);
    e.pendingDumps = dumps;
    e.users = users;
    if (dumps === 0) this.settle(e, null); // no dump file in this sitting: a reader goes straight to the prepare child
  }

  /** A dump run wrote a verified file: the first one becomes the input (if anything reads it); any other is removed now. */
  offerVerified(codec: string, n: number, path: string, sha256: string | undefined): void {
    const e = this.entry(codec, n);
    if (e.settled || e.users <= 0) {
      rmSync(path, { force: true });
      return;
    }
    e.file = { path, users: e.users, ...(sha256 ? { sha256 } : {}) };
    this.settle(e, e.file);
  }

  /** A dump run ended (measured, failed or skipped); after the last one, readers stop waiting for a dump file. */
  dumpEnded(codec: string, n: number): void {
    const e = this.entry(codec, n);
    if (--e.pendingDumps <= 0 && !e.settled) this.settle(e, null);
  }

  /** The first verified dump file of this sitting, or null after the last dump run ended without one. */
  fromDump(codec: string, n: number): Promise<InputFile | null> {
    return this.entry(codec, n).ready.promise;
  }

  /**
   * The input file of (codec, n): the verified dump file, else the file `write` puts at `path`
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
