/**
 * What each codec's load returns, as the reports need it: the report's own record (`codecs`),
 * else, for a report written before it was recorded, the built-in codec's declaration (what a
 * built-in codec's load returns has not changed), else rows (a codec that declares nothing).
 * And the codecs that have no dump case of their own (`dumpBy`).
 */
import { CODECS } from '../codecs/index.js';
import { declaredReturns } from '../codecs/returns.js';
import type { LoadReturns, Report } from '../types.js';

export function returnsOf(report: Pick<Report, 'codecs'>, codec: string): LoadReturns {
  const recorded = report.codecs[codec]?.returns;
  if (recorded) return recorded;
  const builtIn = CODECS.find((c) => c.name === codec);
  return builtIn ? declaredReturns(builtIn) : 'rows';
}

/** The codec whose dump writes `codec`'s files (its dump case is not run), or undefined. */
export function dumpByOf(report: Pick<Report, 'codecs'>, codec: string): string | undefined {
  return report.codecs[codec]?.dumpBy;
}

/** Codecs of the report with no dump case of their own, with the codec whose dump writes their files. */
export function dumpsByOthers(report: Pick<Report, 'codecs'>): { codec: string; dumpBy: string }[] {
  return Object.entries(report.codecs).flatMap(([codec, c]) => (c.dumpBy ? [{ codec, dumpBy: c.dumpBy }] : []));
}
