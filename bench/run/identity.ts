/**
 * Verification by identity. A dump child hashes the file it wrote (SHA-256) and asks the
 * orchestrator whether a byte-identical file of the same data (n, seed) was already judged exact
 * by a fresh verifier process; if so its run is named and the child skips its own verifier (the
 * verdict would be the same: same bytes, same decoder). Several dump runs of one codec, or two
 * codecs that write the same bytes (text and text-stream), then pay for one verifier.
 *
 * Dumps run `jobs` at once, so the second identical file may arrive while the first is still
 * being judged: it waits for that verdict rather than starting a second verifier. A file the
 * verifier did not judge exact proves nothing for the next one, which gets its own verifier.
 */
import type { IdentityAnswer } from '../measure/protocol.js';
import { deferred } from './inputs.js';

type SameAs = NonNullable<IdentityAnswer['sameAs']>;

/** What one dump run needs: the answer to its child's question, and the verdict to record after the run. */
export interface IdentityLookup {
  /** Answer the child: the run whose byte-identical file was judged exact, or undefined (its own fresh verifier judges it). */
  onFileHash: (sha256: string) => Promise<SameAs | undefined>;
  /** After the run: `exact` when this run's own fresh verifier judged its file exact. Wakes the runs waiting for this verdict. */
  judged: (exact: boolean) => void;
}

export class Identities {
  /** `${n}:${seed}:${sha256}` -> the run whose file a fresh verifier judged exact, or a verification under way. */
  private readonly known = new Map<string, { sameAs?: SameAs; pending?: Promise<void> }>();

  /** The lookup for one dump run, identified by `run` (its codec, n and 1-based run number) and the data's seed. */
  forRun(run: SameAs, seed: number): IdentityLookup {
    let owned: { key: string; done: () => void } | undefined;
    return {
      onFileHash: async (sha256) => {
        const key = `${run.n}:${seed}:${sha256}`;
        for (;;) {
          const e = this.known.get(key);
          if (!e) {
            const d = deferred<void>();
            this.known.set(key, { pending: d.promise });
            owned = { key, done: () => d.resolve() };
            return undefined; // this run's fresh verifier judges the file
          }
          if (e.sameAs) return e.sameAs;
          await e.pending; // a byte-identical file is being verified right now: wait for its verdict
        }
      },
      judged: (exact) => {
        if (!owned) return; // the child did not ask, or another run's verdict answered it
        const e = this.known.get(owned.key)!;
        if (exact) e.sameAs = run;
        else this.known.delete(owned.key); // not judged exact: the next identical file gets its own fresh verifier
        delete e.pending;
        owned.done();
      },
    };
  }
}
