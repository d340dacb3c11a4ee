/**
 * A problem with what the user typed on the command line. The CLI prints every InputError (this one,
 * and the domain's own: a bad results file, budget, resume file or codec module) as one line on
 * stderr and exits 2. Defined in bench/errors.ts (the foundation), where any layer may throw it.
 */
export { UsageError } from '../errors.js';

/** Exit codes of the `footprint` command. */
export const EXIT = {
  ok: 0,
  /** Ran, but something failed: a case not ok, a budget exceeded, an interrupted run. */
  failed: 1,
  /** Bad command line or bad input file: nothing was run. */
  usage: 2,
} as const;
