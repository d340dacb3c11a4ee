/** Machine-readable facts about a case whose child did not finish (the prose is in `CaseResult.error`). */
import type { CaseResult } from '../types.js';
import type { ChildOutcome } from './spawn.js';

/** Fields a non-ok case gains; to be added to `CaseResult` in bench/types.ts. */
export interface CaseFailureDetail {
  /** The child's exit code, null if it was killed by a signal. */
  exitCode?: number | null;
  /** The signal that ended the child (e.g. 'SIGKILL', 'SIGSEGV'), null if it exited. */
  exitSignal?: string | null;
}

export type CaseResultWithFailure = CaseResult & CaseFailureDetail;

/** The exit code and signal of a child that failed, ran out of memory or timed out; {} for any other outcome. */
export function failureDetail(o: ChildOutcome | undefined): CaseFailureDetail {
  if (!o || o.kind === 'result' || o.kind === 'verify') return {};
  return { exitCode: o.exitCode, exitSignal: o.exitSignal };
}
