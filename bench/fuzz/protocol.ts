/** Messages between the fuzz runner and its child, and where the child finds its inputs. */
import { join } from 'node:path';

/** Input i of a fuzz batch. */
export function inputPath(dir: string, codec: { extension: string }, index: number): string {
  return join(dir, `${index}.${codec.extension}`);
}

/**
 * How one load of a mutated file ended.
 * - `codec-error`: threw a CodecError naming the codec and the file (the expected failure)
 * - `lossy`: returned data that fails verification against the original
 * - `unchanged`: returned data that still verifies (the mutation did not change the meaning)
 * - `foreign-error`: threw something else, or a CodecError without the codec and file in its message
 * - `invalid-data`: returned something that is not loaded data at all (checksumming it threw)
 * - `crash`: the child process died (native crash, abort, out of memory)
 * - `hang`: no answer within the per-load time bound
 */
export type FuzzOutcome = 'codec-error' | 'lossy' | 'unchanged' | 'foreign-error' | 'invalid-data' | 'crash' | 'hang';

/** The outcomes a codec is allowed. */
export const ACCEPTED_OUTCOMES: readonly FuzzOutcome[] = ['codec-error', 'lossy', 'unchanged'];

export const FUZZ_OUTCOMES: readonly FuzzOutcome[] = ['codec-error', 'lossy', 'unchanged', 'foreign-error', 'invalid-data', 'crash', 'hang'];

/** Child → parent, one per input, in order. */
export interface FuzzChildMessage {
  index: number;
  outcome: Exclude<FuzzOutcome, 'crash' | 'hang'>;
  message?: string;
}
