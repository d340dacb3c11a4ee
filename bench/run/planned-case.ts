import { DEFAULT_DATASET } from '../data/registry.js';
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

export { type CaseId, caseKey, datasetPrefix, isCase } from '../results/case-key.js';

/** A child spec's dataset (absent: the tuples). */
export function datasetOf(spec: Pick<ChildSpec, 'dataset'>): string {
  return spec.dataset ?? DEFAULT_DATASET;
}

/** `json-1000` (the tuples, as before datasets) or `logs-json-1000`: the stem of a case's data files. */
export function dataFileStem(dataset: string, codec: string, n: number): string {
  return `${dataset === DEFAULT_DATASET ? '' : `${dataset}-`}${codec}-${n}`;
}
