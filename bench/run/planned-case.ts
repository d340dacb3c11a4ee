import { DEFAULT_DATASET } from '../data/registry.js';
import type { ChildSpec } from '../measure/protocol.js';
import type { CaseResult, Phase } from '../types.js';

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

/** What identifies a case in a report (and in a plan). */
export interface CaseId {
  dataset: string;
  codec: string;
  phase: Phase;
  n: number;
}

/** `logs: ` before a key of another dataset than the tuples (whose keys read as they did before datasets). */
export function datasetPrefix(dataset: string): string {
  return dataset === DEFAULT_DATASET ? '' : `${dataset}: `;
}

/**
 * `json dump n=100000` (the tuples) or `logs: json dump n=100000`: how a case is named in a plan,
 * a shard record, merge's messages, compare and the budgets' messages. The one key of a case.
 */
export function caseKey(c: CaseId): string {
  return `${datasetPrefix(c.dataset)}${c.codec} ${c.phase} n=${c.n}`;
}

/** A child spec's dataset (absent: the tuples). */
export function datasetOf(spec: Pick<ChildSpec, 'dataset'>): string {
  return spec.dataset ?? DEFAULT_DATASET;
}

/** `json-1000` (the tuples, as before datasets) or `logs-json-1000`: the stem of a case's data files. */
export function dataFileStem(dataset: string, codec: string, n: number): string {
  return `${dataset === DEFAULT_DATASET ? '' : `${dataset}-`}${codec}-${n}`;
}

/** Whether a report's case is the case `id` names. */
export function isCase(c: CaseId, id: CaseId): boolean {
  return c.dataset === id.dataset && c.codec === id.codec && c.phase === id.phase && c.n === id.n;
}
