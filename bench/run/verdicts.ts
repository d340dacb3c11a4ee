/**
 * Who judges a dump's file. A dump child hashes the file it wrote (SHA-256) and leaves the verdict
 * to the orchestrator, which gets it from a fresh process in one of three ways:
 * - **identity**: a byte-identical file of the same codec and data (n, seed) was already judged in
 *   this run (the same bytes, the same decoder): that verdict, exact or not, naming its run. The
 *   dump runs of one codec pay once. Not across codecs: a verdict is about the bytes *and* the
 *   decoder that read them (a lossy decoder would make an identical file of another codec look
 *   lossy), and each codec's first file is judged by its own load run at no cost anyway.
 * - **the load run**: the first file of (codec, n) is the input its load case reads
 *   (bench/run/inputs.ts), and a load's measured child already reads it back in a fresh process
 *   and compares the checksum (outside its measured window): its verdict is the dump's, and no
 *   extra process runs. A load that fails leaves the judging to a verifier child (the sizes wait for it).
 * - **a verifier child**: a fresh process that reads the file back, as before.
 * Dumps run `jobs` at once and a load judges later, so a verdict is a promise: a dump run is
 * recorded when its verdict is in; if none comes (interrupted), the run is not kept.
 */
import type { Uint64Verdict, Verification } from '../types.js';
import { deferred } from './deferred.js';

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

/** What to do with a file just hashed: wait for an identical file's verdict, or judge it (and settle the verdict for the files identical to it). */
export type Judging =
  | { kind: 'identity'; judgement: Promise<Judgement | undefined> }
  | { kind: 'judge'; judgement: Promise<Judgement | undefined>; settle: (j: Judgement | undefined) => void };

export class Verdicts {
  /** `${codec}:${n}:${seed}:${sha256}` -> the first run that wrote this file, and its verdict (undefined: none came). */
  private readonly files = new Map<
    string,
    { first: RunId; judgement: Promise<Judgement | undefined>; settle: (j: Judgement | undefined) => void; isSettled: () => boolean }
  >();

  /** A dump run hashed its file: the first with these bytes judges them; the others take its verdict by identity. */
  onHash(run: RunId, seed: number, sha256: string): Judging {
    const key = `${run.codec}:${run.n}:${seed}:${sha256}`;
    const known = this.files.get(key);
    if (known) {
      const sameAs = known.first;
      return {
        kind: 'identity',
        judgement: known.judgement.then((j) => j && { ...withoutHow(j), verification: { method: 'identity', sha256, sameAs } }),
      };
    }
    const d = deferred<Judgement | undefined>();
    let settled = false;
    const entry = {
      first: run,
      judgement: d.promise,
      isSettled: () => settled,
      // the first word counts: a verdict given, or none (interrupted), is not replaced by a later one
      settle: (j: Judgement | undefined): void => {
        if (settled) return;
        settled = true;
        d.resolve(j);
      },
    };
    this.files.set(key, entry);
    return { kind: 'judge', judgement: d.promise, settle: entry.settle };
  }

  /**
   * The end of the run's tasks: a verdict still open will not come. Interrupted, its runs are not
   * kept (undefined); otherwise it is a bug, and its runs fail loudly rather than wait forever.
   */
  close(interrupted: boolean): void {
    for (const e of this.files.values()) {
      if (e.isSettled()) continue;
      e.settle(
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
