/**
 * The one key of a case (schema 3): its dataset, codec, phase and N. The tuples' keys read as they
 * did before datasets (`json dump n=1000`), so shard records, budgets and compare's names of a
 * tuples run do not move; another dataset's are prefixed (`logs: json dump n=1000`).
 */
import { DEFAULT_DATASET } from '../data/registry.js';
import type { Phase } from '../types.js';

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

/** `json dump n=100000` (the tuples) or `logs: json dump n=100000`: how a plan, a shard record, merge, compare and the budgets name a case. */
export function caseKey(c: CaseId): string {
  return `${datasetPrefix(c.dataset)}${c.codec} ${c.phase} n=${c.n}`;
}

/** Whether a report's case is the case `id` names. */
export function isCase(c: CaseId, id: CaseId): boolean {
  return c.dataset === id.dataset && c.codec === id.codec && c.phase === id.phase && c.n === id.n;
}
