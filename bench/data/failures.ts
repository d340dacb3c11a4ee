/**
 * What a verification throws or reports, apart from the code that finds it (columns.ts, diff.ts),
 * so that a measured child can name them without loading the verifier before its baseline.
 */

/** Starts the error of a dump the probe shows to refuse values >= 2**63; the orchestrator reads it back as the verdict `rejected`. */
export const UINT64_REJECTED = 'uint64 rejected:';

/** Thrown when loaded data is not records at all (not rows, not columns): the case fails, it is not lossy. */
export class NotRecordsError extends TypeError {
  override name = 'NotRecordsError';
}

/** A load returned another number of records than the data holds: the case fails (no lossy verdict), naming both counts. */
export class RecordCountError extends Error {
  override name = 'RecordCountError';
  constructor(
    readonly loaded: number,
    readonly expected: number,
  ) {
    super(`loaded ${loaded} records, expected ${expected}`);
  }
}
