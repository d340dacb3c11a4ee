/** The heap limit applies to the measured phase only, not to the unmeasured processes around it. */
import { DEFAULT_MAX_OLD_SPACE_MB } from '../constants.js';

const LIMIT = /^--max[-_]old[-_]space[-_]size(=|$)/;

/**
 * `flags` for an unmeasured helper (a dump's verifier, a load's input writer):
 * the phase's heap limit replaced by a generous one, so that a dump that fits
 * its limit is not reported lossy (or a load oom) because the helper did not fit.
 */
export function helperFlags(flags: readonly string[]): string[] {
  const limits = flags.filter((f) => LIMIT.test(f)).map((f) => Number(f.split('=')[1]));
  const mb = Math.max(DEFAULT_MAX_OLD_SPACE_MB, ...limits.filter((x) => Number.isFinite(x)));
  return [...flags.filter((f) => !LIMIT.test(f)), `--max-old-space-size=${mb}`];
}
