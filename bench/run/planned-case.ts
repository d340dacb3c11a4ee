import type { ChildSpec } from '../measure/protocol.js';
import type { CaseResult } from '../types.js';

/** One case of the plan: what to run, what an earlier sitting measured, how many runs are missing. */
export interface PlannedCase {
  spec: ChildSpec;
  /** The case as recorded in the report (an earlier sitting's, when resuming). */
  result: CaseResult;
  /** Runs kept from an earlier sitting (--resume). */
  priorRuns: number;
  /** Runs to measure now. */
  missing: number;
  /** In report.cases already (it has runs, or it finished). */
  recorded: boolean;
}
