/**
 * One dump run's file, from its hash to its verdict, in one place: the child hashes the file
 * (`onHash`: judge it, or wait for byte-identical bytes' verdict; the first judged file of the codec
 * is claimed as the loads' input), then the run ends measured (`measured`: the claimed file is
 * offered to the first load run, which judges it; an unclaimed one is judged by a verifier child
 * here; an identical one gets its verdict by identity) or failed (`failed`: a verdict others wait
 * for is still settled, the claim released, the file removed), or is interrupted (`abandon`).
 */
import { existsSync, rmSync } from 'node:fs';
import { sha256File } from '../measure/file-hash.js';
import { monotonicMs } from '../measure/protocol.js';
import type { InputFiles } from './inputs.js';
import type { Judgement, Judging, RunId, Verdicts } from './verdicts.js';

export class DumpFile {
  private judging: Judging | undefined;
  private claimed = false;
  private hashed: string | undefined;

  constructor(
    private readonly run: RunId,
    private readonly seed: number,
    readonly path: string,
    private readonly verdicts: Verdicts,
    private readonly inputs: InputFiles,
    /** A verifier child's verdict on this file. */
    private readonly verify: () => Promise<Judgement>,
  ) {}

  /** The child hashed its file: decide who judges it. True: this orchestrator judges every file it is asked about. */
  onHash(sha256: string): boolean {
    this.hashed = sha256;
    this.judging = this.verdicts.onHash(this.run, this.seed, sha256);
    this.claimed = this.judging.kind === 'judge' && this.inputs.claim(this.run.codec, this.run.n);
    return true;
  }

  /** The run threw (interrupted): a task waiting for this verdict (sizes) must not wait forever. */
  abandon(): void {
    if (this.judging?.kind === 'judge') this.judging.settle(undefined);
  }

  /**
   * The run failed (or, without a hash, was judged by the child itself). If it failed after its file
   * was written and hashed, the codec's other runs with byte-identical files (at --jobs 2 one may be
   * running) wait for this verdict: a verifier child judges these bytes, unless the file changed since.
   */
  async failed(): Promise<void> {
    if (this.judging?.kind === 'judge') {
      const settle = this.judging.settle;
      const unchanged = this.hashed !== undefined && existsSync(this.path) && (await sha256File(this.path)) === this.hashed;
      settle(
        unchanged
          ? await this.verify().catch((err: unknown) => {
              settle(undefined);
              throw err;
            })
          : undefined,
      );
    }
    if (this.claimed) this.inputs.unclaim(this.run.codec, this.run.n);
    rmSync(this.path, { force: true });
  }

  /**
   * The run measured its file (`sha256`): offered as the loads' input (claimed: the first load run
   * that reads it judges it), or judged by a verifier child here (`verifierMs`, the run's
   * verification time), or byte-identical to a file judged (or being judged): its verdict.
   */
  async measured(sha256: string): Promise<{ judgement: Promise<Judgement | undefined>; verifierMs?: number }> {
    const judging = this.judging!;
    const { codec, n } = this.run;
    if (judging.kind === 'judge' && this.claimed) {
      this.inputs.offer(codec, n, this.path, sha256, judging.judgement, judging.settle);
      return { judgement: judging.judgement };
    }
    if (judging.kind === 'judge') {
      const t0 = monotonicMs();
      const settle = judging.settle;
      const j = await this.verify().catch((err: unknown) => {
        settle(undefined); // interrupted: a task waiting for this verdict (sizes) must not wait forever
        throw err;
      });
      settle(j);
      const verifierMs = monotonicMs() - t0;
      this.inputs.offer(codec, n, this.path, sha256, judging.judgement); // the input, if no claimed file is (the sizes need it)
      return { judgement: judging.judgement, verifierMs };
    }
    this.inputs.offer(codec, n, this.path, sha256, judging.judgement);
    return { judgement: judging.judgement };
  }
}
