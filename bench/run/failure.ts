/** Machine-readable facts about a case whose child did not finish (the prose is in `CaseResult.error`). */
import type { CaseResult } from '../types.js';
import type { ChildOutcome } from './spawn.js';

/** Fields a non-ok case gains (declared in `CaseResult`, bench/types.ts). */
export type CaseFailureDetail = Pick<CaseResult, 'exitCode' | 'exitSignal'>;

/** The exit code and signal of a child that failed, ran out of memory or timed out; {} for any other outcome. */
export function failureDetail(o: ChildOutcome | undefined): CaseFailureDetail {
  if (!o || o.kind === 'result' || o.kind === 'verify') return {};
  return { exitCode: o.exitCode, exitSignal: o.exitSignal };
}
